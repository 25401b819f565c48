"use client";

import { type ComponentProps, type ReactNode, useId, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError } from "@/lib/queries/api-fetch";
import { type IntegrationDto, fetchRemovalPreview, integrationsKeys, removeIntegration, requestIntegrationSync } from "@/lib/queries/integrations";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { describeRemoval } from "./format-integration";

/** One note per card explains to non-admins why the buttons do nothing; every such button points at it. */
export const INTEGRATIONS_MANAGE_NOTE_ID = "integrations-manage-note";
export const INTEGRATIONS_ADMIN_MESSAGE = "Only admins can add, sync or remove integrations.";

/** An error in words an admin can act on; a refused sign-in says which role is needed. */
export function describeIntegrationError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return `You are not signed in. ${INTEGRATIONS_ADMIN_MESSAGE}`;
    if (error.status === 403) return `Your role cannot change integrations. ${INTEGRATIONS_ADMIN_MESSAGE}`;
    return error.message;
  }
  return error instanceof Error ? error.message : "The request failed.";
}

export function ErrorNote({ error, id }: { error: unknown; id?: string }) {
  return (
    <p id={id} role="alert" className="rounded-md border border-danger-fg/30 bg-danger-bg px-3 py-2 text-sm text-danger-fg">
      {describeIntegrationError(error)}
    </p>
  );
}

/**
 * A button that is focusable and announced with its reason for viewers who may not use it, instead
 * of a silent `disabled` one; for admins it is an ordinary button.
 */
export function ManageButton({ canManage, children, ...props }: { canManage: boolean; children: ReactNode } & ComponentProps<typeof Button>) {
  if (canManage) return <Button {...props}>{children}</Button>;
  const { "aria-label": label, variant } = props;
  return (
    <Button aria-label={label} variant={variant} aria-disabled="true" aria-describedby={INTEGRATIONS_MANAGE_NOTE_ID} title={INTEGRATIONS_ADMIN_MESSAGE} className="cursor-not-allowed opacity-60">
      {children}
    </Button>
  );
}

/** "Sync now": queues a sync; says whether it was queued or one was already queued or running. */
export function SyncNowButton({ integration, canManage }: { integration: IntegrationDto; canManage: boolean }) {
  const queryClient = useQueryClient();
  const statusId = useId();
  const sync = useMutation({
    mutationFn: () => requestIntegrationSync(integration.id),
    onSettled: async () => await queryClient.invalidateQueries({ queryKey: integrationsKeys.all }),
  });
  const running = integration.currentRun !== null;
  const label = sync.isPending ? "Queuing…" : running ? "Syncing…" : sync.data?.status === "queued" ? "Queued" : "Sync now";
  return (
    <div className="flex flex-col items-end gap-1">
      <ManageButton
        canManage={canManage}
        aria-label={`Sync ${integration.name} now`}
        aria-describedby={statusId}
        disabled={running || sync.isPending}
        onClick={() => sync.mutate()}
      >
        {label}
      </ManageButton>
      <p id={statusId} role="status" aria-live="polite" className="max-w-64 text-right text-xs text-muted">
        {running ? "A sync is running." : sync.data ? sync.data.message : null}
      </p>
      {sync.error ? <ErrorNote error={sync.error} /> : null}
    </div>
  );
}

/**
 * "Remove…": the dialog counts what removal deletes (with the statements removal runs), lists it
 * in words, and removes only once the admin has typed the integration's name.
 */
export function RemoveIntegrationDialog({ integration, canManage }: { integration: IntegrationDto; canManage: boolean }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const inputId = useId();
  const hintId = useId();
  const preview = useQuery({
    queryKey: [...integrationsKeys.all, integration.id, "removal"],
    queryFn: ({ signal }) => fetchRemovalPreview(integration.id, signal),
    enabled: open,
    // Counts change with every sync: always ask again when the dialog opens.
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
  const remove = useMutation({
    mutationFn: () => removeIntegration(integration.id, typed),
    onSuccess: async () => {
      setOpen(false);
      // The preview's key starts with the list's: drop it first, or the refresh would ask for the
      // removal preview of an integration that no longer exists.
      queryClient.removeQueries({ queryKey: [...integrationsKeys.all, integration.id] });
      await queryClient.invalidateQueries({ queryKey: integrationsKeys.all, exact: true });
    },
  });
  const change = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setTyped("");
      remove.reset();
    }
  };
  const trigger = `Remove ${integration.name}…`;

  if (!canManage) {
    return (
      <ManageButton canManage={false} aria-label={trigger}>
        Remove…
      </ManageButton>
    );
  }

  const summary = preview.data ? describeRemoval(preview.data) : null;
  const matches = typed.trim() === integration.name;
  return (
    <Dialog
      open={open}
      onOpenChange={change}
      trigger={<Button aria-label={trigger}>Remove…</Button>}
      title={`Remove ${integration.name}?`}
      description="Removing a stored integration deletes everything mirrored from it. This cannot be undone."
      footer={
        <>
          <Button onClick={() => change(false)}>Cancel</Button>
          <Button
            variant="primary"
            disabled={!preview.data?.removable || !matches || remove.isPending}
            onClick={() => remove.mutate()}
          >
            {remove.isPending ? "Removing…" : `Remove ${integration.name}`}
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-4">
        <div role="status" aria-live="polite">
          {preview.isPending ? <p className="text-sm text-muted">Counting what removal deletes…</p> : null}
          {summary ? (
            <section aria-label="What removal deletes" className="rounded-md border border-line bg-surface-sunken p-3 text-sm text-fg">
              <p>{summary.deletes}</p>
              <p className="mt-1 text-muted">{summary.keeps}</p>
            </section>
          ) : null}
        </div>
        {preview.data && preview.data.removable && preview.data.abandonedRuns > 0 ? (
          // Said before removing, so the admin knows why a "running" sync does not stop it.
          <p className="text-sm text-muted">
            {preview.data.abandonedRuns === 1 ? "A sync run" : `${preview.data.abandonedRuns} sync runs`} still marked as running stopped without finishing (no worker that
            was running then is alive); removal marks {preview.data.abandonedRuns === 1 ? "it" : "them"} failed.
          </p>
        ) : null}
        {preview.data && !preview.data.removable ? (
          <p className="rounded-md border border-warning-fg/30 bg-warning-bg px-3 py-2 text-sm text-warning-fg">{preview.data.blockedBy}</p>
        ) : null}
        {preview.error ? <ErrorNote error={preview.error} /> : null}
        <div className="flex flex-col gap-1.5">
          <label htmlFor={inputId} className="text-sm font-medium text-fg">
            Type {integration.name} to confirm
          </label>
          <input
            id={inputId}
            className="rounded-md border border-line-strong bg-surface px-3 py-2 text-sm text-fg"
            value={typed}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={hintId}
            onChange={(event) => setTyped(event.target.value)}
          />
          <p id={hintId} className="text-xs text-muted">
            The button stays disabled until the name matches.
          </p>
        </div>
        {remove.error ? <ErrorNote error={remove.error} /> : null}
      </div>
    </Dialog>
  );
}
