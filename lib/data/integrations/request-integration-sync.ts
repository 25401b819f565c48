import "server-only";
import { appendAudit } from "@/lib/audit/append-audit";
import { type ViewerContext, actorOf, assertCan } from "@/lib/data/viewer";
import { AppError } from "@/lib/errors";
import type { SyncEnqueueStatus } from "./enqueue-sync-once";
import { type IntegrationDeps, defaultIntegrationDeps } from "./integration-deps";

export type SyncRequestResultDto = {
  integration: { id: string; name: string };
  /** `queued`: a new job; otherwise the job already waiting or running covers this request. */
  status: SyncEnqueueStatus;
  message: string;
};

export function describeSyncStatus(name: string, status: SyncEnqueueStatus): string {
  switch (status) {
    case "queued":
      return `A sync of ${name} is queued; the worker starts it shortly.`;
    case "already-queued":
      return `A sync of ${name} is already queued; no second one was added.`;
    case "already-running":
      return `A sync of ${name} is already running; no second one was added.`;
    default: {
      const never: never = status;
      throw new Error(`Unknown sync status ${String(never)}`);
    }
  }
}

/**
 * "Sync now" for any enabled integration, whatever its origin: queues `source.sync` for it unless
 * a job is already waiting or running, and records the request in the audit trail either way.
 */
export async function requestIntegrationSync(ctx: ViewerContext, integrationId: string, deps: IntegrationDeps = defaultIntegrationDeps()): Promise<SyncRequestResultDto> {
  assertCan(ctx, "settings:manage");
  const integration = await deps.db.integration.findUnique({ where: { id: integrationId }, select: { id: true, name: true, kind: true, origin: true, enabled: true } });
  if (!integration) throw new AppError("NOT_FOUND", "No such integration.");
  if (!integration.enabled) {
    // Stored integrations are disabled only while being removed; configured ones when their variables are gone.
    if (integration.origin === "DATABASE") throw new AppError("CONFLICT", `${integration.name} is being removed; it is no longer synced.`);
    throw new AppError("CONFLICT", `${integration.name} is disabled: its configuration is no longer in the environment. Configure it again and restart to sync it.`);
  }
  const status = await deps.enqueue(integration.id);
  await appendAudit(deps.db, {
    occurredAt: ctx.clock.now(),
    actor: actorOf(ctx),
    action: "integration.sync.requested",
    target: { type: "integration", id: integration.id, display: integration.name },
    outcome: "success",
    after: { status },
    source: "dashboard",
    requestId: ctx.requestId,
    clientIp: ctx.clientIp,
  });
  return { integration: { id: integration.id, name: integration.name }, status, message: describeSyncStatus(integration.name, status) };
}
