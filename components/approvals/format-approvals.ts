import type { BadgeTone } from "@/components/ui/badge";
import type { SyncRequestDto } from "@/lib/queries/approvals";
import { driftStateStyles, formatDuration } from "@/components/drift/format-drift";

export { formatDuration, formatInstant, shortRevision } from "@/components/drift/format-drift";

type Status = SyncRequestDto["status"];

/** Every status in words, with a tone whose text carries the meaning (colour is never the only signal). */
export const statusStyles: Record<Status, { label: string; tone: BadgeTone }> = {
  PENDING: { label: "Waiting for approval", tone: "warning" },
  APPROVED: { label: "Approved, queued", tone: "info" },
  EXECUTING: { label: "Syncing", tone: "info" },
  SUCCEEDED: { label: "Synced", tone: "success" },
  FAILED: { label: "Failed", tone: "danger" },
  REJECTED: { label: "Rejected", tone: "danger" },
  EXPIRED: { label: "Expired", tone: "neutral" },
  SUPERSEDED: { label: "Superseded", tone: "neutral" },
  CANCELLED: { label: "Withdrawn", tone: "neutral" },
};

/** Argo CD's drift state label for a gated app; a state this build does not know reads as itself. */
export function driftStateLabel(state: string): { label: string; tone: BadgeTone } {
  const known = (driftStateStyles as Record<string, { label: string; tone: BadgeTone } | undefined>)[state];
  return known ?? { label: state, tone: "neutral" };
}

export function syncStatusTone(status: string): BadgeTone {
  if (status === "Synced") return "success";
  if (status === "OutOfSync") return "warning";
  return "neutral";
}

export function healthStatusTone(status: string): BadgeTone {
  if (status === "Healthy") return "success";
  if (status === "Degraded" || status === "Missing") return "danger";
  if (status === "Progressing" || status === "Suspended") return "info";
  return "neutral";
}

/** The steps a sync goes through once approved (DESIGN §6, 3–4), shown as a stepper. */
export const EXECUTION_STEPS = ["Approved", "Queued", "Syncing", "Verifying", "Done"] as const;

export type ExecutionProgress = {
  /** Index into EXECUTION_STEPS of the step now running (EXECUTION_STEPS.length when finished). */
  current: number;
  /** The step that failed, when the sync failed. */
  failedAt: number | null;
  /** One sentence for the live region: what is happening now. */
  sentence: string;
};

/** Where an approved request is, from its status and Argo CD's operation as the worker last saw it. */
export function describeExecution(request: Pick<SyncRequestDto, "status" | "waitingReason" | "operation" | "failureReason" | "revision">): ExecutionProgress {
  const operation = request.operation;
  const phase = operation?.phase ?? null;
  const argo = phase ? `Argo CD: ${phase}${operation?.message ? ` — ${operation.message}` : ""}` : null;
  switch (request.status) {
    case "APPROVED":
      return {
        current: 1,
        failedAt: null,
        sentence: request.waitingReason ? `Approved; waiting: ${request.waitingReason}` : "Approved; queued for the worker to sync it.",
      };
    case "EXECUTING": {
      // Argo CD says done but the worker has not verified the revision yet.
      if (phase === "Succeeded") return { current: 3, failedAt: null, sentence: `Verifying the synced revision. ${argo ?? ""}`.trim() };
      return { current: 2, failedAt: null, sentence: argo ? `Syncing. ${argo}` : "Syncing: the sync call was sent to Argo CD." };
    }
    case "SUCCEEDED":
      return { current: EXECUTION_STEPS.length, failedAt: null, sentence: "Done: the sync succeeded." };
    case "FAILED": {
      // Failed before Argo CD ran anything (window closed, stale data, refused call) or during/after the operation.
      const failedAt = operation === null ? 1 : phase === "Succeeded" ? 3 : 2;
      return { current: failedAt, failedAt, sentence: `Failed: ${request.failureReason ?? operation?.message ?? "the sync did not complete."}` };
    }
    default:
      return { current: 0, failedAt: null, sentence: "Waiting for approval." };
  }
}

/** "3 min ago" for an instant in the past. */
export function describeAge(iso: string, now: number): string {
  const seconds = secondsSince(iso, now);
  return seconds < 60 ? "less than a minute ago" : `${formatDuration(seconds)} ago`;
}

/** Whole seconds between an ISO instant and now (positive when the instant is in the past). */
export function secondsSince(iso: string, now: number): number {
  return Math.round((now - Date.parse(iso)) / 1000);
}

/** "in 23 h 5 min" / "expired 3 min ago", for a deadline. */
export function describeDeadline(iso: string, now: number): string {
  const left = -secondsSince(iso, now);
  if (left <= 0) return `expired ${formatDuration(-left)} ago`;
  return left < 60 ? "in less than a minute" : `in ${formatDuration(left)}`;
}

/** "2 of 2", "1 of 2" — approvals that still count against the ones needed. */
export function describeApprovalCount(request: Pick<SyncRequestDto, "approvalsCount" | "requiredApprovals">): string {
  return `${request.approvalsCount} of ${request.requiredApprovals} approval${request.requiredApprovals === 1 ? "" : "s"}`;
}

/** The DOM id of a request's card or history row, for the `?request=` deep link. */
export function requestAnchorId(id: string): string {
  return `sync-request-${id}`;
}
