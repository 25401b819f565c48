import "server-only";
import { type Db, getDb } from "@/lib/db/client";
import { type ViewerContext, assertCan, can } from "@/lib/data/viewer";

export type IntegrationDto = {
  id: string;
  kind: "GITHUB" | "ARGOCD" | "FLUX_KUBERNETES";
  name: string;
  /** ENV and SANDBOX integrations are defined by configuration and read-only in Settings. */
  origin: "ENV" | "DATABASE" | "SANDBOX";
  readOnly: boolean;
  baseUrl: string;
  health: "UNKNOWN" | "HEALTHY" | "DEGRADED" | "FAILING";
  lastSyncedAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  observedSince: string | null;
  /** The run in progress, with how far it got (repositories done of total). */
  currentRun: { startedAt: string; itemsProcessed: number; itemsTotal: number | null } | null;
  lastRun: { status: "SUCCEEDED" | "FAILED" | "RESCHEDULED"; finishedAt: string | null; error: string | null; rescheduledFor: string | null } | null;
  counts: { repositories: number; pullRequests: number; deployments: number; incidents: number };
};

/** `GET /api/integrations`: the integrations, and whether this viewer may add, sync or remove them. */
export type IntegrationsDto = { canManage: boolean; integrations: IntegrationDto[] };

/** The integrations as Settings shows them; `canManage` lets the UI explain rather than fail. */
export async function getIntegrations(ctx: ViewerContext, db: Db = getDb()): Promise<IntegrationsDto> {
  const integrations = await listIntegrations(ctx, db);
  return { canManage: can(ctx.viewer, "settings:manage"), integrations };
}

/** Every integration with its freshness, its current run's progress and how much data it holds. */
export async function listIntegrations(ctx: ViewerContext, db: Db = getDb()): Promise<IntegrationDto[]> {
  assertCan(ctx, "system:read");
  const integrations = await db.integration.findMany({
    orderBy: [{ kind: "asc" }, { name: "asc" }],
    include: { _count: { select: { repositories: true, pullRequests: true, deployments: true, incidents: true } } },
  });
  const runs = await Promise.all(
    integrations.map((integration) =>
      Promise.all([
        db.ingestRun.findFirst({ where: { integrationId: integration.id, status: "RUNNING" }, orderBy: { startedAt: "desc" } }),
        db.ingestRun.findFirst({ where: { integrationId: integration.id, status: { not: "RUNNING" } }, orderBy: { startedAt: "desc" } }),
      ]),
    ),
  );
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return integrations.map((integration, index) => {
    const [current, last] = runs[index]!;
    return {
      id: integration.id,
      kind: integration.kind,
      name: integration.name,
      origin: integration.origin,
      readOnly: integration.origin !== "DATABASE",
      baseUrl: integration.baseUrl,
      health: integration.health,
      lastSyncedAt: iso(integration.lastSyncedAt),
      lastError: integration.lastError,
      lastErrorAt: iso(integration.lastErrorAt),
      observedSince: iso(integration.observedSince),
      currentRun: current ? { startedAt: current.startedAt.toISOString(), itemsProcessed: current.itemsProcessed, itemsTotal: current.itemsTotal } : null,
      lastRun:
        last && last.status !== "RUNNING"
          ? { status: last.status, finishedAt: iso(last.finishedAt), error: last.error, rescheduledFor: iso(last.rescheduledFor) }
          : null,
      counts: {
        repositories: integration._count.repositories,
        pullRequests: integration._count.pullRequests,
        deployments: integration._count.deployments,
        incidents: integration._count.incidents,
      },
    };
  });
}
