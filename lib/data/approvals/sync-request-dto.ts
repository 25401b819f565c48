import type { Prisma } from "@/lib/db/generated/client";
import type { Viewer } from "@/lib/data/viewer";
import { can } from "@/lib/data/viewer";
import type { GitOpsAppRefDto, SyncChangeDto, SyncOperationDto, SyncRequestDto, SyncRequestPermissionsDto, SyncRequestStatusDto } from "./approval-types";

export const gitOpsAppRefSelect = {
  id: true,
  kind: true,
  name: true,
  namespace: true,
  cluster: true,
  syncStatus: true,
  healthStatus: true,
  syncedRevision: true,
  desiredRevision: true,
  driftState: true,
  repoUrl: true,
  path: true,
  service: { select: { slug: true, name: true } },
} as const satisfies Prisma.GitOpsAppSelect;

export const syncRequestInclude = {
  gitOpsApp: { select: gitOpsAppRefSelect },
  requester: { select: { id: true, displayName: true } },
  approvals: { include: { approver: { select: { id: true, displayName: true } } }, orderBy: { createdAt: "asc" } },
} as const satisfies Prisma.SyncRequestInclude;

export type SyncRequestRow = Prisma.SyncRequestGetPayload<{ include: typeof syncRequestInclude }>;
type AppRefRow = Prisma.GitOpsAppGetPayload<{ select: typeof gitOpsAppRefSelect }>;

export function toAppRef(app: AppRefRow): GitOpsAppRefDto {
  return {
    id: app.id,
    driftTargetId: `app-${app.id}`,
    kind: app.kind,
    name: app.name,
    namespace: app.namespace,
    cluster: app.cluster,
    serviceSlug: app.service?.slug ?? null,
    serviceName: app.service?.name ?? null,
    syncStatus: app.syncStatus,
    healthStatus: app.healthStatus,
    syncedRevision: app.syncedRevision,
    desiredRevision: app.desiredRevision,
    driftState: app.driftState,
    repoUrl: app.repoUrl,
    path: app.path,
  };
}

function asChanges(value: Prisma.JsonValue): SyncChangeDto[] {
  return Array.isArray(value) ? (value as unknown as SyncChangeDto[]) : [];
}

function asOperation(value: Prisma.JsonValue | null): SyncOperationDto | null {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as unknown as SyncOperationDto) : null;
}

/** Approvals that still count: an approval expires on its own clock, not only with its request. */
export function countingApprovals(row: Pick<SyncRequestRow, "approvals">, now: Date): number {
  return row.approvals.filter((approval) => approval.decision === "APPROVE" && approval.expiresAt > now).length;
}

/** Why the database's four-eyes rule refuses a person (see `pipeline_health_four_eyes_refusal`). */
export type FourEyesRefusal = "requester" | "author" | "unknown-authors";

export const FOUR_EYES_MESSAGES: Record<FourEyesRefusal, string> = {
  requester: "Four eyes: you requested this sync, so another person must decide on it.",
  author: "Four eyes: you authored a change in this revision, so another person must approve it.",
  "unknown-authors": "Four eyes: the change set could not be read in full, so its authors cannot be excluded; it can be approved once it is known (request again when GitHub has the commits).",
};

/**
 * Whether this viewer may decide on the request, and why not, from the same rule the decision and
 * the database's trigger apply (`refusal`, read through `pipeline_health_four_eyes_refusal`), so the
 * page can explain a disabled button.
 */
export function viewerPermissions(row: SyncRequestRow, viewer: Viewer, stale: string | null, refusal: FourEyesRefusal | null): SyncRequestPermissionsDto {
  const personId = viewer.kind === "user" ? viewer.personId : null;
  const open = row.status === "PENDING";
  const cancel = (row.status === "PENDING" || row.status === "APPROVED") && personId !== null && personId === row.requesterPersonId;
  let reason: string | null = null;
  if (!can(viewer, "sync:approve")) reason = "Only approvers decide on sync requests.";
  else if (!open) reason = row.status === "APPROVED" || row.status === "EXECUTING" ? "This request has all the approvals it needs." : "This request is closed.";
  else if (personId === null) reason = "Your account is not linked to a person, so four eyes cannot be checked.";
  else if (refusal === "requester") reason = FOUR_EYES_MESSAGES.requester;
  else if (row.approvals.some((approval) => approval.approverPersonId === personId)) reason = "You have already decided on this request.";
  else if (stale) reason = stale;
  const mayDecide = reason === null;
  const approveRefusal = refusal === "author" || refusal === "unknown-authors" ? FOUR_EYES_MESSAGES[refusal] : null;
  return {
    approve: mayDecide && approveRefusal === null,
    // An author may still stop a change: rejecting needs no second pair of eyes.
    reject: mayDecide,
    cancel,
    reason: reason ?? approveRefusal,
  };
}

export function toSyncRequestDto(row: SyncRequestRow, viewer: Viewer, now: Date, stale: string | null, refusal: FourEyesRefusal | null): SyncRequestDto {
  const authorNames = new Map<string, string>();
  for (const change of asChanges(row.changes)) if (change.authorPersonId) authorNames.set(change.authorPersonId, change.author);
  return {
    id: row.id,
    app: toAppRef(row.gitOpsApp),
    revision: row.revision,
    reason: row.reason,
    requester: { personId: row.requester.id, display: row.requester.displayName },
    status: row.status as SyncRequestStatusDto,
    isProduction: row.isProduction,
    requiredApprovals: row.requiredApprovals,
    approvalsCount: countingApprovals(row, now),
    approvals: row.approvals.map((approval) => ({
      approver: { personId: approval.approver.id, display: approval.approver.displayName },
      decision: approval.decision,
      comment: approval.comment,
      decidedAt: approval.createdAt.toISOString(),
      expiresAt: approval.expiresAt.toISOString(),
    })),
    changeAuthors: row.changeAuthorPersonIds.map((personId) => ({ personId, display: authorNames.get(personId) ?? personId })),
    changes: asChanges(row.changes),
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    executionStartedAt: row.executionStartedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    supersededById: row.supersededById,
    waitingReason: row.waitingReason,
    failureReason: row.failureReason,
    operation: asOperation(row.operation),
    viewerCan: viewerPermissions(row, viewer, stale, refusal),
  };
}
