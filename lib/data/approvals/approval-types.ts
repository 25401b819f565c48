/**
 * The shapes the approvals resource answers with (DESIGN §6). Types only: the query contract and the
 * components import them without pulling the data layer into the client bundle.
 */

export const SYNC_REQUEST_STATUSES = ["PENDING", "APPROVED", "EXECUTING", "SUCCEEDED", "FAILED", "REJECTED", "EXPIRED", "SUPERSEDED", "CANCELLED"] as const;
export type SyncRequestStatusDto = (typeof SYNC_REQUEST_STATUSES)[number];

/** Statuses of a request that is still in flight: at most one per app. */
export const OPEN_SYNC_REQUEST_STATUSES = ["PENDING", "APPROVED", "EXECUTING"] as const satisfies readonly SyncRequestStatusDto[];

export interface PersonRefDto {
  personId: string;
  display: string;
}

export interface SyncApprovalDto {
  approver: PersonRefDto;
  decision: "APPROVE" | "REJECT";
  comment: string;
  decidedAt: string;
  /** An approval counts only until then. */
  expiresAt: string;
}

/** A commit the requested revision would ship: config-repo commits, and the app commits its images bring. */
export interface SyncChangeDto {
  kind: "config" | "app";
  repository: string;
  sha: string;
  headline: string;
  author: string;
  authorPersonId: string | null;
  url: string | null;
}

export interface SyncResourceResultDto {
  kind: string;
  namespace: string;
  name: string;
  status: string;
  message: string | null;
}

/** Argo CD's operation as last seen by the executing job; the UI follows it while it runs. */
export interface SyncOperationDto {
  phase: string | null;
  message: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** The revision Argo CD reports as synced; must equal the approved one for SUCCEEDED. */
  syncedRevision: string | null;
  resources: SyncResourceResultDto[];
}

export interface GitOpsAppRefDto {
  id: string;
  /** The drift page's id for it (`app-<uuid>`), for the diff link. */
  driftTargetId: string;
  kind: string;
  name: string;
  namespace: string;
  cluster: string;
  serviceSlug: string | null;
  serviceName: string | null;
  syncStatus: string;
  healthStatus: string;
  syncedRevision: string | null;
  desiredRevision: string | null;
  driftState: string;
  repoUrl: string;
  path: string;
}

/** What the signed-in person may do with a request, and if not, why (shown next to the disabled button). */
export interface SyncRequestPermissionsDto {
  approve: boolean;
  reject: boolean;
  cancel: boolean;
  /** Why approve/reject are not offered, e.g. "You requested this sync: another person must approve it." */
  reason: string | null;
}

export interface SyncRequestDto {
  id: string;
  app: GitOpsAppRefDto;
  revision: string;
  reason: string;
  requester: PersonRefDto;
  status: SyncRequestStatusDto;
  isProduction: boolean;
  requiredApprovals: number;
  /** Approvals that still count (not expired). */
  approvalsCount: number;
  approvals: SyncApprovalDto[];
  /** People who authored a change in the revision; by default they may not approve. */
  changeAuthors: PersonRefDto[];
  changes: SyncChangeDto[];
  createdAt: string;
  expiresAt: string;
  executionStartedAt: string | null;
  finishedAt: string | null;
  supersededById: string | null;
  /** Why an APPROVED request is not executing yet (a closed sync window), or why it failed. */
  waitingReason: string | null;
  failureReason: string | null;
  operation: SyncOperationDto | null;
  viewerCan: SyncRequestPermissionsDto;
}

export interface SyncRequestsDto {
  /** Open requests (PENDING, APPROVED, EXECUTING), oldest first. */
  open: SyncRequestDto[];
  /** Finished requests, newest first, one page. */
  history: SyncRequestDto[];
  /** Pass as `cursor` for the next page of history; null at the end. */
  nextCursor: string | null;
}

export interface GatedAppDto extends GitOpsAppRefDto {
  isProduction: boolean;
  requiredApprovals: number;
  /** The open request for this app, if any. */
  openRequestId: string | null;
  /** Whether the signed-in person may request a sync of the desired revision now, and if not, why. */
  canRequest: boolean;
  whyNot: string | null;
  /** Source freshness: approving is refused while stale. */
  stale: boolean;
  lastObservedAt: string | null;
}

export interface GatedAppsDto {
  apps: GatedAppDto[];
  /** Auto-synced apps need no approval; counted so the page can say so. */
  autoSyncCount: number;
}

export interface PendingApprovalsCountDto {
  /** Requests waiting for an approval. */
  pending: number;
  /** Of those, the ones the signed-in person could approve (not their own, not their change). */
  awaitingViewer: number;
}
