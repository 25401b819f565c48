import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { apiFetch } from "./api-fetch";
// Type-only: erased at build time, so the client bundle never pulls in the data layer.
import type {
  GatedAppDto,
  GatedAppsDto,
  GitOpsAppRefDto,
  PendingApprovalsCountDto,
  PersonRefDto,
  SyncApprovalDto,
  SyncChangeDto,
  SyncOperationDto,
  SyncRequestDto,
  SyncRequestPermissionsDto,
  SyncRequestsDto,
} from "@/lib/data/approvals/approval-types";
import { SYNC_REQUEST_STATUSES } from "@/lib/data/approvals/approval-types";

export type { GatedAppDto, GatedAppsDto, GitOpsAppRefDto, PendingApprovalsCountDto, PersonRefDto, SyncApprovalDto, SyncChangeDto, SyncOperationDto, SyncRequestDto, SyncRequestsDto };
export { OPEN_SYNC_REQUEST_STATUSES, SYNC_REQUEST_STATUSES } from "@/lib/data/approvals/approval-types";

/**
 * The query contract of sync approval (DESIGN §6):
 * - `GET  /api/sync-requests?cursor=`            open requests and a page of history
 * - `POST /api/sync-requests`                     request a sync `{ appId, revision, reason }`
 * - `GET  /api/sync-requests/[id]`                one request, with its approvals, changes and operation
 * - `POST /api/sync-requests/[id]/decision`       `{ decision: "approve" | "reject", comment }`
 * - `POST /api/sync-requests/[id]/cancel`         the requester withdraws an open request
 * - `GET  /api/sync-requests/gated-apps`          apps that wait for a person, with whether one may request
 * - `GET  /api/sync-requests/pending-count`       the navigation badge
 */

export const approvalsKeys = {
  all: ["approvals"] as const,
  list: (cursor: string | null) => ["approvals", "list", cursor] as const,
  detail: (id: string) => ["approvals", "request", id] as const,
  gatedApps: ["approvals", "gated-apps"] as const,
  pendingCount: ["approvals", "pending-count"] as const,
};

/** While a request executes, the UI polls it this often to follow Argo CD's operation live. */
export const APPROVALS_POLL_EXECUTING_MS = 1_000;
/** Otherwise lists refresh this often, so a request approved elsewhere shows up. */
export const APPROVALS_POLL_IDLE_MS = 15_000;

export const REASON_MAX = 1_000;
export const COMMENT_MAX = 1_000;

export const syncRequestIdParamsSchema = z.object({ id: z.uuid("must be a sync request id") });

export const listSyncRequestsParamsSchema = z
  .object({
    /** Opaque history cursor from the previous page. */
    cursor: z.string().trim().max(200).optional(),
    limit: z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(100, "must be at most 100").default(25),
  })
  .strict();
export type ListSyncRequestsParams = z.infer<typeof listSyncRequestsParamsSchema>;

export const createSyncRequestSchema = z
  .object({
    appId: z.uuid("must be a GitOps app id"),
    /** The desired revision the requester reviewed; refused when the app's desired revision moved since. */
    revision: z.string().trim().min(1, "must name the revision to sync").max(200),
    reason: z.string().trim().min(3, "say why this sync is needed (at least 3 characters)").max(REASON_MAX, `must be at most ${REASON_MAX} characters`),
  })
  .strict();
export type CreateSyncRequestInput = z.infer<typeof createSyncRequestSchema>;

export const decideSyncRequestSchema = z
  .object({
    decision: z.enum(["approve", "reject"], "must be approve or reject"),
    comment: z.string().trim().max(COMMENT_MAX, `must be at most ${COMMENT_MAX} characters`).default(""),
  })
  .strict()
  // A rejection tells the requester why; an approval may be silent.
  .refine((value) => value.decision === "approve" || value.comment.length >= 3, { message: "say why you reject it (at least 3 characters)", path: ["comment"] });
export type DecideSyncRequestInput = z.input<typeof decideSyncRequestSchema>;

export const cancelSyncRequestSchema = z.object({}).strict();

const personRef = z.object({ personId: z.string(), display: z.string() }) satisfies z.ZodType<PersonRefDto>;

const appRef = z.object({
  id: z.string(),
  driftTargetId: z.string(),
  kind: z.string(),
  name: z.string(),
  namespace: z.string(),
  cluster: z.string(),
  serviceSlug: z.string().nullable(),
  serviceName: z.string().nullable(),
  syncStatus: z.string(),
  healthStatus: z.string(),
  syncedRevision: z.string().nullable(),
  desiredRevision: z.string().nullable(),
  driftState: z.string(),
  repoUrl: z.string(),
  path: z.string(),
}) satisfies z.ZodType<GitOpsAppRefDto>;

const operation = z.object({
  phase: z.string().nullable(),
  message: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  syncedRevision: z.string().nullable(),
  resources: z.array(z.object({ kind: z.string(), namespace: z.string(), name: z.string(), status: z.string(), message: z.string().nullable() })),
}) satisfies z.ZodType<SyncOperationDto>;

export const syncRequestSchema = z.object({
  id: z.string(),
  app: appRef,
  revision: z.string(),
  reason: z.string(),
  requester: personRef,
  status: z.enum(SYNC_REQUEST_STATUSES),
  isProduction: z.boolean(),
  requiredApprovals: z.number(),
  approvalsCount: z.number(),
  approvals: z.array(
    z.object({ approver: personRef, decision: z.enum(["APPROVE", "REJECT"]), comment: z.string(), decidedAt: z.string(), expiresAt: z.string() }) satisfies z.ZodType<SyncApprovalDto>,
  ),
  changeAuthors: z.array(personRef),
  changes: z.array(
    z.object({
      kind: z.enum(["config", "app"]),
      repository: z.string(),
      sha: z.string(),
      headline: z.string(),
      author: z.string(),
      authorPersonId: z.string().nullable(),
      url: z.string().nullable(),
    }) satisfies z.ZodType<SyncChangeDto>,
  ),
  createdAt: z.string(),
  expiresAt: z.string(),
  executionStartedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  supersededById: z.string().nullable(),
  waitingReason: z.string().nullable(),
  failureReason: z.string().nullable(),
  operation: operation.nullable(),
  viewerCan: z.object({ approve: z.boolean(), reject: z.boolean(), cancel: z.boolean(), reason: z.string().nullable() }) satisfies z.ZodType<SyncRequestPermissionsDto>,
}) satisfies z.ZodType<SyncRequestDto>;

export const syncRequestsSchema = z.object({ open: z.array(syncRequestSchema), history: z.array(syncRequestSchema), nextCursor: z.string().nullable() }) satisfies z.ZodType<SyncRequestsDto>;

export const gatedAppsSchema = z.object({
  apps: z.array(
    appRef.extend({
      isProduction: z.boolean(),
      requiredApprovals: z.number(),
      openRequestId: z.string().nullable(),
      canRequest: z.boolean(),
      whyNot: z.string().nullable(),
      stale: z.boolean(),
      lastObservedAt: z.string().nullable(),
    }) satisfies z.ZodType<GatedAppDto>,
  ),
  autoSyncCount: z.number(),
}) satisfies z.ZodType<GatedAppsDto>;

export const pendingCountSchema = z.object({ pending: z.number(), awaitingViewer: z.number() }) satisfies z.ZodType<PendingApprovalsCountDto>;

/** A request is still moving while executing (poll fast) or waiting for approvals/window (poll slowly). */
export function isLive(request: Pick<SyncRequestDto, "status">): boolean {
  return request.status === "EXECUTING" || request.status === "APPROVED";
}

export const syncRequestsQuery = (cursor: string | null = null) =>
  queryOptions({
    queryKey: approvalsKeys.list(cursor),
    queryFn: ({ signal }) => apiFetch(`/api/sync-requests${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`, syncRequestsSchema, { signal, what: "Loading sync requests" }),
    refetchInterval: (query) => (query.state.data?.open.some(isLive) ? APPROVALS_POLL_EXECUTING_MS : APPROVALS_POLL_IDLE_MS),
  });

export const syncRequestQuery = (id: string) =>
  queryOptions({
    queryKey: approvalsKeys.detail(id),
    queryFn: ({ signal }) => apiFetch(`/api/sync-requests/${id}`, syncRequestSchema, { signal, what: "Loading the sync request" }),
    refetchInterval: (query) => (query.state.data && isLive(query.state.data) ? APPROVALS_POLL_EXECUTING_MS : false),
  });

export const gatedAppsQuery = () =>
  queryOptions({
    queryKey: approvalsKeys.gatedApps,
    queryFn: ({ signal }) => apiFetch("/api/sync-requests/gated-apps", gatedAppsSchema, { signal, what: "Loading GitOps apps" }),
    refetchInterval: APPROVALS_POLL_IDLE_MS,
  });

export const pendingCountQuery = () =>
  queryOptions({
    queryKey: approvalsKeys.pendingCount,
    queryFn: ({ signal }) => apiFetch("/api/sync-requests/pending-count", pendingCountSchema, { signal, what: "Loading pending approvals" }),
    refetchInterval: 30_000,
  });

export async function createSyncRequest(input: CreateSyncRequestInput): Promise<SyncRequestDto> {
  return await apiFetch("/api/sync-requests", syncRequestSchema, { method: "POST", body: input, what: "Requesting the sync" });
}

export async function decideSyncRequest(id: string, input: DecideSyncRequestInput): Promise<SyncRequestDto> {
  return await apiFetch(`/api/sync-requests/${id}/decision`, syncRequestSchema, { method: "POST", body: input, what: "Recording your decision" });
}

export async function cancelSyncRequest(id: string): Promise<SyncRequestDto> {
  return await apiFetch(`/api/sync-requests/${id}/cancel`, syncRequestSchema, { method: "POST", body: {}, what: "Withdrawing the request" });
}
