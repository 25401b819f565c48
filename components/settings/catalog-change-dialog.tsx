"use client";

import { type ReactNode, useId, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ApiError } from "@/lib/queries/api-fetch";
import { type CatalogChangeInput, type CatalogChangeResultDto, applyCatalogChange, catalogKeys, previewCatalogChange } from "@/lib/queries/catalog";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

export const ADMIN_SIGN_IN_MESSAGE = "Sign in as an admin to change the catalog.";

/** An error in words an admin can act on; a refused sign-in says how to get the right one. */
export function describeChangeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return `You are not signed in. ${ADMIN_SIGN_IN_MESSAGE}`;
    if (error.status === 403) return `Your role cannot change the catalog. ${ADMIN_SIGN_IN_MESSAGE}`;
    return error.message;
  }
  return error instanceof Error ? error.message : "The request failed.";
}

/** The change the form describes now, or why it cannot be previewed yet. */
export type FormState = { change: CatalogChangeInput; problem: null } | { change: null; problem: string };

function Sentences({ result }: { result: CatalogChangeResultDto }) {
  return (
    <ul className="flex list-disc flex-col gap-1 pl-5 text-sm text-fg">
      {result.summary.map((sentence) => (
        <li key={sentence}>{sentence}</li>
      ))}
    </ul>
  );
}

/**
 * One catalog change: the trigger opens a dialog with the form; "Preview" runs the change on the
 * server and rolls it back, showing what it would do in sentences; "Save" applies exactly that
 * change. Editing the form after a preview asks for a new one, so what is saved is what was seen;
 * if the data changed since (409), the preview is cleared and the server's message asks for a new one.
 */
export function CatalogChangeDialog({
  triggerLabel,
  triggerAccessibleName,
  canManage,
  manageNoticeId,
  title,
  description,
  form,
  children,
  onSaved,
}: {
  triggerLabel: string;
  /** The button's accessible name, naming the row it acts on ("Bind acme/api to a service"). */
  triggerAccessibleName: string;
  canManage: boolean;
  /** Id of the card's notice that explains why viewers cannot change anything. */
  manageNoticeId: string;
  title: string;
  description: ReactNode;
  form: FormState;
  children?: ReactNode;
  onSaved: (result: CatalogChangeResultDto) => void;
}) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const previewId = useId();
  const errorId = useId();
  const save = useMutation({
    mutationFn: applyCatalogChange,
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: catalogKeys.all });
      setOpen(false);
      onSaved(result);
    },
    onError: async (failure) => {
      // 409: the data moved since the preview (a sync, another admin), so the preview on screen is no
      // longer what saving does. Drop it, keep the server's message, and refresh the lists behind.
      if (failure instanceof ApiError && failure.status === 409) {
        preview.reset();
        await queryClient.invalidateQueries({ queryKey: catalogKeys.all });
      }
    },
  });
  // A new preview starts over: an earlier Save's error no longer applies to it.
  const preview = useMutation({ mutationFn: previewCatalogChange, onMutate: () => save.reset() });

  // The preview belongs to the exact change it was made for.
  const key = form.change ? JSON.stringify(form.change) : null;
  const previewed = preview.data && preview.variables !== undefined && JSON.stringify(preview.variables) === key ? preview.data : null;
  const error = save.error ?? (preview.variables !== undefined && JSON.stringify(preview.variables) === key ? preview.error : null);
  const busy = preview.isPending || save.isPending;

  const reset = (next: boolean) => {
    setOpen(next);
    if (!next) {
      preview.reset();
      save.reset();
    }
  };

  if (!canManage) {
    // Focusable and announced, with the reason linked, instead of a silent disabled button.
    return (
      <Button aria-label={triggerAccessibleName} aria-disabled="true" aria-describedby={manageNoticeId} title={ADMIN_SIGN_IN_MESSAGE} className="cursor-not-allowed opacity-60">
        {triggerLabel}
      </Button>
    );
  }

  return (
    <Dialog
      open={open}
      onOpenChange={reset}
      trigger={<Button aria-label={triggerAccessibleName}>{triggerLabel}</Button>}
      title={title}
      description={description}
      footer={
        <>
          <Button onClick={() => reset(false)}>Cancel</Button>
          <Button disabled={!form.change || busy} onClick={() => form.change && preview.mutate(form.change)} aria-describedby={form.problem ? errorId : undefined}>
            {preview.isPending ? "Previewing…" : "Preview"}
          </Button>
          <Button
            variant="primary"
            disabled={!previewed || !previewed.changed || busy}
            // The preview's fingerprint goes along: the server saves only if the change still does exactly this.
            onClick={() => form.change && previewed && save.mutate({ change: form.change, expectedFingerprint: previewed.fingerprint })}
            aria-describedby={previewed ? previewId : undefined}
          >
            {save.isPending ? "Saving…" : "Save"}
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-4">
        {children}
        {form.problem ? (
          <p id={errorId} className="text-sm text-muted">
            {form.problem}
          </p>
        ) : null}
        <div role="status" aria-live="polite" id={previewId}>
          {previewed ? (
            <section aria-label="What will change" className="rounded-md border border-line bg-surface-sunken p-3">
              <h3 className="mb-2 text-sm font-semibold text-fg">{previewed.changed ? "Saving will:" : "Nothing to save"}</h3>
              <Sentences result={previewed} />
            </section>
          ) : !form.change ? null : (
            <p className="text-sm text-muted">Preview shows exactly what saving would change, before anything is written.</p>
          )}
        </div>
        {error ? (
          <p role="alert" className="rounded-md border border-danger-fg/30 bg-danger-bg px-3 py-2 text-sm text-danger-fg">
            {describeChangeError(error)}
            {error instanceof ApiError && (error.status === 401 || error.status === 403) ? (
              <>
                {" "}
                <a href="/sign-in?next=/settings" className="font-medium underline underline-offset-2">
                  Sign in
                </a>
              </>
            ) : null}
          </p>
        ) : null}
      </div>
    </Dialog>
  );
}
