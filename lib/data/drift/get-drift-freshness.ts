// No `server-only` marker: tests call this directly; route handlers and `drift-server.ts` are the server entries.
import { type ViewerContext, assertCan } from "@/lib/data/viewer";
import { DRIFT_STALE_AFTER_SECONDS, type DriftFreshnessDto } from "@/lib/queries/drift";
import { type DriftDeps, defaultDriftDeps, secondsSince } from "./drift-targets";

/**
 * The sources drift is read from, in the order the freshness line names them: Argo CD and Flux /
 * Kubernetes observe the cluster; GitHub says which image a push-based workload should run.
 */
const SOURCES = [
  { kind: "ARGOCD", label: "Argo CD" },
  { kind: "FLUX_KUBERNETES", label: "Flux / Kubernetes" },
  { kind: "GITHUB", label: "GitHub" },
] as const;

/**
 * How fresh the drift data is (`GET /api/drift/freshness`): per source kind, each integration's
 * health, last sync (with its age in seconds by `ctx.clock`) and last error, flagged stale when it
 * has an error, never synced, or synced more than 15 minutes ago. A kind with no integration has
 * an empty list ("not configured"). Needs `metrics:read` (viewer and up).
 */
export async function getDriftFreshness(ctx: ViewerContext, deps: DriftDeps = defaultDriftDeps()): Promise<DriftFreshnessDto> {
  assertCan(ctx, "metrics:read");
  const now = ctx.clock.now();
  const integrations = await deps.db.integration.findMany({
    where: { enabled: true },
    orderBy: [{ kind: "asc" }, { name: "asc" }],
    select: { id: true, kind: true, name: true, health: true, lastSyncedAt: true, lastError: true, lastErrorAt: true },
  });
  return {
    generatedAt: now.toISOString(),
    staleAfterSeconds: DRIFT_STALE_AFTER_SECONDS,
    sources: SOURCES.map((source) => ({
      kind: source.kind,
      label: source.label,
      integrations: integrations
        .filter((integration) => integration.kind === source.kind)
        .map((integration) => {
          const syncedAgoSeconds = integration.lastSyncedAt ? secondsSince(integration.lastSyncedAt, now) : null;
          return {
            id: integration.id,
            name: integration.name,
            health: integration.health,
            lastSyncedAt: integration.lastSyncedAt?.toISOString() ?? null,
            syncedAgoSeconds,
            lastError: integration.lastError,
            lastErrorAt: integration.lastErrorAt?.toISOString() ?? null,
            stale: integration.lastError !== null || syncedAgoSeconds === null || syncedAgoSeconds > DRIFT_STALE_AFTER_SECONDS,
          };
        }),
    })),
  };
}
