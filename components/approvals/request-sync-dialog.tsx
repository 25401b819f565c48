"use client";

import { useId, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type GatedAppDto, REASON_MAX, approvalsKeys, createSyncRequest } from "@/lib/queries/approvals";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ApprovalErrorNote } from "./request-actions";
import { RevisionCode } from "./revision-code";

/**
 * "Request sync…": names the desired revision the request binds to, asks why, and submits it.
 * `open`/`onOpenChange` let the page open it from `?app=<id>` (the drift page's link).
 */
export function RequestSyncDialog({
  app,
  open,
  onOpenChange,
  onCreated,
}: {
  app: GatedAppDto;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The new request's id, so the page can point at its card. */
  onCreated: (id: string) => void;
}) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const reasonId = useId();
  const hintId = useId();
  const revision = app.desiredRevision;
  const mutation = useMutation({
    mutationFn: () => createSyncRequest({ appId: app.id, revision: revision ?? "", reason: reason.trim() }),
    onSuccess: (created) => {
      onOpenChange(false);
      setReason("");
      onCreated(created.id);
    },
    onSettled: async () => await queryClient.invalidateQueries({ queryKey: approvalsKeys.all }),
  });
  const change = (next: boolean) => {
    onOpenChange(next);
    if (!next) mutation.reset();
  };
  const tooShort = reason.trim().length < 3;
  return (
    <Dialog
      open={open}
      onOpenChange={change}
      trigger={
        <Button variant="primary" aria-label={`Request a sync of ${app.name}`}>
          Request sync…
        </Button>
      }
      title={`Request a sync of ${app.name}`}
      description={`Another person with the approver role must approve it${app.requiredApprovals > 1 ? ` (${app.requiredApprovals} approvals for production)` : ""}; then the worker syncs exactly this revision.`}
      footer={
        <>
          <Button onClick={() => change(false)}>Cancel</Button>
          <Button variant="primary" type="submit" form={`${reasonId}-form`} disabled={tooShort || revision === null || mutation.isPending}>
            {mutation.isPending ? "Requesting…" : "Request sync"}
          </Button>
        </>
      }
    >
      <form
        id={`${reasonId}-form`}
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (!tooShort && revision !== null && !mutation.isPending) mutation.mutate();
        }}
      >
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1.5 text-sm">
          <dt className="text-muted">App</dt>
          <dd className="text-fg">
            {app.namespace}/{app.name}
            {app.isProduction ? " (production)" : ""}
          </dd>
          <dt className="text-muted">Desired revision</dt>
          <dd className="text-fg">{revision ? <RevisionCode revision={revision} copy={false} /> : "unknown: the source has not said which revision is desired"}</dd>
          <dt className="text-muted">Synced now</dt>
          <dd className="text-fg">{app.syncedRevision ? <RevisionCode revision={app.syncedRevision} copy={false} /> : "—"}</dd>
        </dl>
        <div className="flex flex-col gap-1.5">
          <label htmlFor={reasonId} className="text-sm font-medium text-fg">
            Reason
          </label>
          <textarea
            id={reasonId}
            rows={3}
            required
            maxLength={REASON_MAX}
            value={reason}
            aria-describedby={hintId}
            onChange={(event) => setReason(event.target.value)}
            className="rounded-md border border-line-strong bg-surface px-3 py-2 text-sm text-fg"
          />
          <p id={hintId} className="text-xs text-muted">
            Why this sync is needed, for the approver and the audit trail (at least 3 characters).
          </p>
        </div>
        {mutation.error ? <ApprovalErrorNote error={mutation.error} /> : null}
      </form>
    </Dialog>
  );
}
