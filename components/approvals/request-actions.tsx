"use client";

import { useId, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ApiError } from "@/lib/queries/api-fetch";
import { COMMENT_MAX, type SyncRequestDto, approvalsKeys, cancelSyncRequest, decideSyncRequest } from "@/lib/queries/approvals";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { RevisionCode } from "./revision-code";

/** The server's own words for a refusal (403 four-eyes, 409 expired/superseded/stale), else a plain sentence. */
export function describeApprovalError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return "You are not signed in any more. Sign in again and retry.";
    return error.message;
  }
  return error instanceof Error ? error.message : "The request failed.";
}

export function ApprovalErrorNote({ error }: { error: unknown }) {
  return (
    <p role="alert" className="rounded-md border border-danger-fg/30 bg-danger-bg px-3 py-2 text-sm text-danger-fg" data-testid="approval-error">
      {describeApprovalError(error)}
    </p>
  );
}

/**
 * A button that stays focusable and says why it does nothing (aria-disabled plus the visible
 * reason it points at), instead of a silent `disabled` one a keyboard user cannot reach.
 */
function RefusedButton({ label, name, reasonId, variant }: { label: string; name: string; reasonId: string; variant?: "primary" | "secondary" }) {
  return (
    <Button variant={variant} aria-label={name} aria-disabled="true" aria-describedby={reasonId} className="cursor-not-allowed opacity-60">
      {label}
    </Button>
  );
}

function DecisionDialog({ request, decision }: { request: SyncRequestDto; decision: "approve" | "reject" }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState("");
  const commentId = useId();
  const hintId = useId();
  const mutation = useMutation({
    mutationFn: () => decideSyncRequest(request.id, { decision, comment: comment.trim() }),
    onSuccess: () => setOpen(false),
    // Refusals change state too (a request found expired or superseded), so refresh either way.
    onSettled: async () => await queryClient.invalidateQueries({ queryKey: approvalsKeys.all }),
  });
  const change = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setComment("");
      mutation.reset();
    }
  };
  const approve = decision === "approve";
  const tooShort = !approve && comment.trim().length < 3;
  const verb = approve ? "Approve" : "Reject";
  const remaining = request.requiredApprovals - request.approvalsCount;
  return (
    <Dialog
      open={open}
      onOpenChange={change}
      trigger={
        <Button variant={approve ? "primary" : "secondary"} aria-label={`${verb} the sync of ${request.app.name}`}>
          {verb}…
        </Button>
      }
      title={`${verb} the sync of ${request.app.name}?`}
      description={
        approve
          ? remaining <= 1
            ? "Yours is the last approval needed: the worker syncs this revision right after, exactly once."
            : `Your approval counts for this app and revision for 24 hours; ${remaining - 1} more needed after yours.`
          : "The requester sees your comment. A rejected request is closed; a new one can be made."
      }
      footer={
        <>
          <Button onClick={() => change(false)}>Cancel</Button>
          <Button variant="primary" disabled={tooShort || mutation.isPending} onClick={() => mutation.mutate()}>
            {mutation.isPending ? (approve ? "Approving…" : "Rejecting…") : verb}
          </Button>
        </>
      }
    >
      <form
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (!tooShort && !mutation.isPending) mutation.mutate();
        }}
      >
        <p className="text-sm text-fg">
          {request.app.namespace}/{request.app.name} to revision <RevisionCode revision={request.revision} copy={false} />
          {request.isProduction ? " (production)" : ""}
        </p>
        <div className="flex flex-col gap-1.5">
          <label htmlFor={commentId} className="text-sm font-medium text-fg">
            Comment{approve ? " (optional)" : ""}
          </label>
          <textarea
            id={commentId}
            rows={3}
            maxLength={COMMENT_MAX}
            value={comment}
            aria-describedby={hintId}
            aria-invalid={!approve && comment.length > 0 && tooShort ? true : undefined}
            onChange={(event) => setComment(event.target.value)}
            className="rounded-md border border-line-strong bg-surface px-3 py-2 text-sm text-fg"
          />
          <p id={hintId} className="text-xs text-muted">
            {approve ? "Recorded with your approval in the audit trail." : "Say why you reject it (at least 3 characters)."}
          </p>
        </div>
        {mutation.error ? <ApprovalErrorNote error={mutation.error} /> : null}
      </form>
    </Dialog>
  );
}

function CancelDialog({ request }: { request: SyncRequestDto }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const mutation = useMutation({
    mutationFn: () => cancelSyncRequest(request.id),
    onSuccess: () => setOpen(false),
    onSettled: async () => await queryClient.invalidateQueries({ queryKey: approvalsKeys.all }),
  });
  const change = (next: boolean) => {
    setOpen(next);
    if (!next) mutation.reset();
  };
  return (
    <Dialog
      open={open}
      onOpenChange={change}
      trigger={<Button aria-label={`Withdraw the request to sync ${request.app.name}`}>Withdraw…</Button>}
      title={`Withdraw the request to sync ${request.app.name}?`}
      description="Approvals given so far no longer count. You can request a sync again later."
      footer={
        <>
          <Button onClick={() => change(false)}>Keep it</Button>
          <Button variant="primary" disabled={mutation.isPending} onClick={() => mutation.mutate()}>
            {mutation.isPending ? "Withdrawing…" : "Withdraw request"}
          </Button>
        </>
      }
    >
      {mutation.error ? <ApprovalErrorNote error={mutation.error} /> : null}
    </Dialog>
  );
}

/**
 * Approve / Reject / Withdraw for one open request, as `viewerCan` allows; a refused action stays
 * visible and says why in text next to it.
 */
export function RequestActions({ request }: { request: SyncRequestDto }) {
  const reasonId = useId();
  const { viewerCan } = request;
  // Decisions are only for a request still waiting; an approved or running one can only be followed.
  const deciding = request.status === "PENDING";
  return (
    <div className="flex flex-col gap-2" data-testid="request-actions">
      <div className="flex flex-wrap items-center gap-2">
        {deciding ? (
          <>
            {viewerCan.approve ? <DecisionDialog request={request} decision="approve" /> : <RefusedButton label="Approve…" name={`Approve the sync of ${request.app.name}`} variant="primary" reasonId={reasonId} />}
            {viewerCan.reject ? <DecisionDialog request={request} decision="reject" /> : <RefusedButton label="Reject…" name={`Reject the sync of ${request.app.name}`} reasonId={reasonId} />}
          </>
        ) : null}
        {viewerCan.cancel ? <CancelDialog request={request} /> : null}
      </div>
      {deciding && (!viewerCan.approve || !viewerCan.reject) ? (
        <p id={reasonId} className="text-sm text-muted" data-testid="refused-reason">
          {viewerCan.reason ?? "You cannot decide on this request."}
        </p>
      ) : null}
    </div>
  );
}
