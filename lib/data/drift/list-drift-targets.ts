// No `server-only` marker: tests call this directly; route handlers and `drift-server.ts` are the server entries.
import { type ViewerContext, assertCan } from "@/lib/data/viewer";
import { DRIFT_STATES, type DriftState, type DriftTargetsDto, type DriftTargetsParams, driftTargetsParamsSchema } from "@/lib/queries/drift";
import { type DriftDeps, appRowDto, appRowInclude, defaultDriftDeps, shownDriftState, targetWheres, workloadRowDto, workloadRowInclude } from "./drift-targets";

/** The table shows at most this many rows; `total` says how many matched. */
export const DRIFT_TARGET_LIMIT = 1000;

/** Most urgent first: what differs from Git now, then what waits to be synced, then the rest. */
const STATE_ORDER: Record<DriftState, number> = {
  LIVE_DRIFT: 0,
  PENDING_CHANGE: 1,
  ROLLOUT_IN_PROGRESS: 2,
  UNKNOWN: 3,
  NOT_OBSERVABLE: 4,
  IN_SYNC: 5,
};

/** `_count._all` of a groupBy row (a batched transaction widens its type to every aggregate shape). */
function countAll(count: unknown): number {
  if (typeof count !== "object" || count === null || !("_all" in count)) return 0;
  return typeof count._all === "number" ? count._all : 0;
}

/**
 * Every GitOps object (Argo CD Application, Flux Kustomization or HelmRelease) and every live
 * workload, one row each (`GET /api/drift`), with its service and team, methodology, sync and
 * health status, drift state as shown (NOT_OBSERVABLE wherever drift cannot be seen), drift age in
 * seconds (now by `ctx.clock` minus `driftStateSince`, for live drift and pending changes only) and
 * its open episode. Filtered in SQL by methodology, state, team (slug or name; unknown: 404) and
 * text; sorted most urgent first, oldest drift first. Needs `metrics:read` (viewer and up).
 */
export async function listDriftTargets(ctx: ViewerContext, rawParams: DriftTargetsParams, deps: DriftDeps = defaultDriftDeps()): Promise<DriftTargetsDto> {
  assertCan(ctx, "metrics:read");
  const params = driftTargetsParamsSchema.parse(rawParams);
  const now = ctx.clock.now();
  const { db } = deps;
  const wheres = await targetWheres(db, params);
  const { unstated } = wheres;

  // One snapshot, so the rows, counts and "observed at all" agree while ingestion writes.
  const [apps, workloads, appTotal, workloadTotal, observedApps, observedWorkloads, appStates, workloadStates, teams] = await db.$transaction(
    [
      db.gitOpsApp.findMany({ where: wheres.app ?? { id: { in: [] } }, include: appRowInclude, take: DRIFT_TARGET_LIMIT }),
      db.workload.findMany({ where: wheres.workload ?? { id: { in: [] } }, include: workloadRowInclude, take: DRIFT_TARGET_LIMIT }),
      db.gitOpsApp.count({ where: wheres.app ?? { id: { in: [] } } }),
      db.workload.count({ where: wheres.workload ?? { id: { in: [] } } }),
      db.gitOpsApp.count(),
      db.workload.count(),
      db.gitOpsApp.groupBy({ by: ["driftObservable", "driftState"], where: unstated.app ?? { id: { in: [] } }, orderBy: { driftState: "asc" }, _count: { _all: true } }),
      db.workload.groupBy({ by: ["driftObservable", "driftState"], where: unstated.workload ?? { id: { in: [] } }, orderBy: { driftState: "asc" }, _count: { _all: true } }),
      db.team.findMany({ orderBy: { name: "asc" }, select: { slug: true, name: true } }),
    ],
    // On the embedded database every transaction waits its turn behind ingestion: a page waits, not fails.
    { isolationLevel: "RepeatableRead", timeout: 30_000, maxWait: 20_000 },
  );

  const rows = [...apps.map((app) => appRowDto(app, now)), ...workloads.map((workload) => workloadRowDto(workload, now))];
  rows.sort(
    (a, b) =>
      STATE_ORDER[a.driftState] - STATE_ORDER[b.driftState] ||
      (b.driftAgeSeconds ?? -1) - (a.driftAgeSeconds ?? -1) ||
      a.name.localeCompare(b.name, "en") ||
      a.namespace.localeCompare(b.namespace, "en") ||
      a.id.localeCompare(b.id),
  );

  const stateCounts = Object.fromEntries(DRIFT_STATES.map((state) => [state, 0])) as Record<DriftState, number>;
  for (const group of [...appStates, ...workloadStates]) stateCounts[shownDriftState(group.driftObservable, group.driftState)] += countAll(group._count);

  return {
    generatedAt: now.toISOString(),
    rows: rows.slice(0, DRIFT_TARGET_LIMIT),
    total: appTotal + workloadTotal,
    limit: DRIFT_TARGET_LIMIT,
    observedTotal: observedApps + observedWorkloads,
    stateCounts,
    teams,
  };
}
