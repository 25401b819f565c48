import type { DbTransaction } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { Env } from "@/lib/env";
import { DRIFT_STALE_AFTER_SECONDS } from "@/lib/queries/drift";

/** The key the execution job puts in Argo CD's `operation.info`; a retry looks for it before calling again. */
export const SYNC_REQUEST_INFO_KEY = "pipeline-health.request";

export interface ApprovalPolicy {
  productionApprovals: number;
  ttlMs: number;
  authorsMayApprove: boolean;
}

export function approvalPolicy(env: Pick<Env, "SYNC_APPROVALS_PRODUCTION" | "SYNC_APPROVAL_TTL_HOURS" | "SYNC_AUTHORS_MAY_APPROVE">): ApprovalPolicy {
  return { productionApprovals: env.SYNC_APPROVALS_PRODUCTION, ttlMs: env.SYNC_APPROVAL_TTL_HOURS * 3_600_000, authorsMayApprove: env.SYNC_AUTHORS_MAY_APPROVE };
}

export interface FreshnessInput {
  enabled: boolean;
  health: string;
  lastSyncedAt: Date | null;
  lastError: string | null;
  name: string;
}

/**
 * Why acting on an app's data now would be unsafe, or null. Fails closed (DESIGN §6): an integration
 * that errs, is switched off, or has not synced within the freshness limit the drift page uses.
 */
export function staleReason(integration: FreshnessInput, now: Date): string | null {
  if (!integration.enabled) return `The ${integration.name} integration is switched off, so this app's state is not current.`;
  if (integration.lastError !== null || integration.health === "FAILING") {
    return `The ${integration.name} integration is failing${integration.lastError ? ` (${integration.lastError.slice(0, 160)})` : ""}; approving and syncing wait until it recovers.`;
  }
  if (integration.lastSyncedAt === null) return `The ${integration.name} integration has not synced yet.`;
  const ageSeconds = (now.getTime() - integration.lastSyncedAt.getTime()) / 1000;
  if (ageSeconds > DRIFT_STALE_AFTER_SECONDS) {
    return `This app's data is ${Math.round(ageSeconds / 60)} minutes old (limit ${DRIFT_STALE_AFTER_SECONDS / 60}); approving and syncing wait for a fresh sync of ${integration.name}.`;
  }
  return null;
}

/** Only apps that wait for a person can be approved (DESIGN §6). Null when this one can. */
export function notGatedReason(app: { kind: string; autoSync: boolean; suspended: boolean; driftObservable?: boolean; driftState?: string }): string | null {
  // What removal leaves behind (see observeRemoved): the app is no longer in Argo CD.
  if (app.driftObservable === false && app.driftState === "NOT_OBSERVABLE" && app.kind === "ARGOCD_APPLICATION") return "This app is no longer seen in Argo CD.";
  if (app.kind !== "ARGOCD_APPLICATION") {
    // Flux objects are reconciled by their controller; pinning a revision needs the §6 suspend/resume dance.
    return "Approval is available for Argo CD applications; Flux objects reconcile on their own schedule.";
  }
  if (app.autoSync) return "This app syncs automatically: it needs no approval.";
  return null;
}

/** Serialises everything done to one app's requests (request, decide, supersede, the execution's claim). */
export async function lockApp(tx: DbTransaction, appId: string): Promise<void> {
  await tx.$executeRaw(Prisma.sql`SELECT pg_advisory_xact_lock(hashtextextended(${`sync-request:${appId}`}, 0))`);
}

export type FourEyesRefusalCode = "requester" | "author" | "unknown-authors";

/**
 * The four-eyes rule as the database states it (`pipeline_health_four_eyes_refusal`, the function its
 * trigger runs): per request, why this person may not take `decision` on it, or nothing.
 */
export async function fourEyesRefusals(db: Pick<DbTransaction, "$queryRaw">, personId: string | null, requestIds: string[], decision: "APPROVE" | "REJECT" = "APPROVE"): Promise<Map<string, FourEyesRefusalCode>> {
  if (personId === null || requestIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ id: string; refusal: FourEyesRefusalCode | null }[]>(Prisma.sql`
    SELECT id::text AS id, pipeline_health_four_eyes_refusal(id, ${personId}::uuid, ${decision}::"ApprovalDecision") AS refusal
    FROM "SyncRequest" WHERE id = ANY(${requestIds}::uuid[])`);
  return new Map(rows.filter((row) => row.refusal !== null).map((row) => [row.id, row.refusal!]));
}
