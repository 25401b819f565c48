// No `server-only` marker here: the CLI (plain Node, outside Next) runs this same function, so the
// API and `npm run cli -- metrics` cannot disagree. The server entry point is `get-metrics.ts`.
import type { Db, DbTransaction } from "@/lib/db/client";
import { type ViewerContext, assertCan } from "@/lib/data/viewer";
import { AppError } from "@/lib/errors";
import {
  type GroupMetricsRow,
  type MethodologyKey,
  type NamedServiceMetricsRow,
  queryDriftMetricsSnapshot,
  queryMetricsSnapshot,
} from "@/lib/metrics/definitions/group-metrics";
import { isWindowProvisional } from "@/lib/metrics/definitions/provisional";
import type { MetricScope } from "@/lib/metrics/definitions/scope";
import type { DriftMetricValuesRow, MetricValuesRow } from "@/lib/metrics/definitions/service-metrics";
import { rollupCoverage } from "@/lib/metrics/rollups";
import { METRICS_READ_TX, applyMetricStatementSettings } from "@/lib/metrics/statement-settings";
import { tiersOf } from "@/lib/metrics/tiers";
import { addLocalDays, startOfLocalDay } from "@/lib/time/local-days";
import {
  type GroupValuesDto,
  type MetricValuesDto,
  type MetricsDto,
  type MetricsParams,
  type ServiceMetricsDto,
  metricsParamsSchema,
} from "@/lib/queries/metrics";
import { resolveTeamId } from "./resolve-team";

export interface MetricsDeps {
  db: Db;
  /** `ORG_TIMEZONE`: day, week and month buckets. */
  timeZone: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** The window when none is given: the last 90 complete days. */
export const DEFAULT_WINDOW_DAYS = 90;
/** Longer windows are refused: they say nothing a year would not, and cost a week series per service. */
export const MAX_WINDOW_DAYS = 3660;

/**
 * `from`/`to` with the defaults applied, in calendar days of `timeZone` (ORG_TIMEZONE):
 * - neither: the last `days` complete days, `[start of today − days, start of today)`. Whole days, so
 *   the answer is the same all day long and the pages' preset windows are served from the stored
 *   per-window rollup (`lib/metrics/rollups`) instead of being computed again.
 * - only `to`: `from` = `to` − `days` calendar days.
 * - only `from`: `to` = now (asked for the recent past, so up to this instant).
 */
export function resolveWindow(params: MetricsParams, now: Date, timeZone: string, defaultDays: number = DEFAULT_WINDOW_DAYS): { from: Date; to: Date } {
  const days = params.days ?? defaultDays;
  const to = params.to !== undefined ? new Date(params.to) : params.from !== undefined ? now : startOfLocalDay(now, timeZone);
  const from = params.from === undefined ? addLocalDays(to, -days, timeZone) : new Date(params.from);
  if (from.getTime() >= to.getTime()) {
    throw new AppError("UNPROCESSABLE", `from: must be before to (the window is [${from.toISOString()}, ${to.toISOString()}))`);
  }
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
    throw new AppError("UNPROCESSABLE", `from: the window may be at most ${MAX_WINDOW_DAYS} days long`);
  }
  return { from, to };
}

const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/**
 * The drift and sync-lag values of a level that has no row of its own in the drift snapshot (none
 * today: every scoped service and team gets one; kept so a missing row reads "not observable").
 */
const NO_DRIFT: DriftMetricValuesRow = {
  driftObservable: false,
  driftObservedSeconds: 0,
  driftEpisodeCount: 0,
  driftEpisodesPer30Days: null,
  reconciledDriftCount: 0,
  driftMedianHoursToReconcile: null,
  inSyncSeconds: 0,
  timeInSyncRatio: null,
  syncLagDeploymentCount: 0,
  syncLagMedianHours: null,
};

function valuesDto(row: MetricValuesRow, drift: DriftMetricValuesRow, windowProvisional: boolean): MetricValuesDto {
  return {
    deploymentCount: row.deploymentCount,
    attemptCount: row.attemptCount,
    unwitnessedCount: row.unwitnessedCount,
    deploymentsPerDay: row.deploymentsPerDay,
    deploymentDaysPerWeekMedian: row.deploymentDaysPerWeekMedian,
    deploymentDaysPerMonthMedian: row.deploymentDaysPerMonthMedian,
    leadTimeChangeCount: row.leadTimeChangeCount,
    leadTimeMedianHours: row.leadTimeMedianHours,
    leadTimeP90Hours: row.leadTimeP90Hours,
    leadTimeBreakdown: {
      codingMedianHours: row.codingTimeMedianHours,
      reviewMedianHours: row.reviewTimeMedianHours,
      waitingMedianHours: row.waitingTimeMedianHours,
    },
    failedChangeCount: row.failedChangeCount,
    changeFailRate: row.changeFailRate,
    recoveredCount: row.recoveredCount,
    recoveryTimeMedianHours: row.recoveryTimeMedianHours,
    reworkCount: row.reworkCount,
    reworkRate: row.reworkRate,
    deploymentSuccessRate: row.deploymentSuccessRate,
    changeTraceability: {
      changeCount: row.tracedChangeCount,
      approvedChangeCount: row.independentlyApprovedChangeCount,
      approvedChangeShare: share(row.independentlyApprovedChangeCount, row.tracedChangeCount),
      commitCount: row.knownCommitCount,
      signedCommitCount: row.signedCommitCount,
      signedCommitShare: share(row.signedCommitCount, row.knownCommitCount),
    },
    driftObservable: drift.driftObservable,
    driftEpisodeCount: drift.driftEpisodeCount,
    driftEpisodesPer30Days: drift.driftEpisodesPer30Days,
    reconciledDriftCount: drift.reconciledDriftCount,
    driftMedianHoursToReconcile: drift.driftMedianHoursToReconcile,
    timeInSyncRatio: drift.timeInSyncRatio,
    driftObservedHours: drift.driftObservedSeconds / 3600,
    inSyncHours: drift.inSyncSeconds / 3600,
    syncLagDeploymentCount: drift.syncLagDeploymentCount,
    syncLagMedianHours: drift.syncLagMedianHours,
    provisional: windowProvisional || row.anyFlagProvisional,
    tiers: tiersOf(row),
  };
}

/** Comma-separated names; empty entries are dropped. */
const listOf = (text: string): string[] => [...new Set(text.split(",").map((entry) => entry.trim()).filter((entry) => entry !== ""))];

/**
 * Ids of the services the parameters select, or null for every service (no filter: nothing to look
 * up or send). Unknown names are a 404 that says which.
 */
async function resolveServiceIds(db: Db, params: MetricsParams): Promise<string[] | null> {
  if (params.team === undefined && params.service === undefined) return null;
  const teamIds = params.team === undefined ? undefined : await resolveTeamIds(db, params.team);
  if (params.service !== undefined && !(await db.service.findUnique({ where: { slug: params.service }, select: { id: true } }))) {
    throw new AppError("NOT_FOUND", `service: no service has the slug ${JSON.stringify(params.service)}`);
  }
  const rows = await db.service.findMany({
    where: { ...(teamIds === undefined ? {} : { teamId: { in: teamIds } }), ...(params.service === undefined ? {} : { slug: params.service }) },
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

/** The teams a `team` parameter names: the whole text when it is one team's name (a name may hold a comma), else each comma-separated entry. */
async function resolveTeamIds(db: Db, team: string): Promise<string[]> {
  const whole = await db.team.findMany({ where: { OR: [{ slug: team }, { name: team }] }, select: { id: true } });
  if (whole.length === 1) return [whole[0]!.id];
  return await Promise.all(listOf(team).map((entry) => resolveTeamId(db, entry)));
}

/**
 * The environments an `environment` parameter names, or null (every production environment). An
 * unknown name is a 404 listing the known ones, so a typo never reads as "no deployments".
 */
async function resolveEnvironments(db: Db, environment: string | undefined): Promise<string[] | null> {
  if (environment === undefined) return null;
  const wanted = listOf(environment);
  const known = await db.$queryRaw<{ environment: string }[]>`
    SELECT DISTINCT environment FROM "Deployment" WHERE environment = ANY(${wanted}::text[])`;
  const missing = wanted.filter((name) => !known.some((row) => row.environment === name));
  if (missing.length) throw new AppError("NOT_FOUND", `environment: no deployment has the environment ${missing.map((name) => JSON.stringify(name)).join(", ")}`);
  return wanted;
}

/**
 * The scope the parameters select (window with defaults, services, environments), before any
 * rollup: every statement over the same parameters (metrics, comparison, trends, distributions)
 * starts from it, so they always describe the same deployments.
 */
export async function resolveMetricScope(db: Db, params: MetricsParams, now: Date, timeZone: string): Promise<MetricScope> {
  const window = resolveWindow(params, now, timeZone);
  const [serviceIds, environments] = await Promise.all([resolveServiceIds(db, params), resolveEnvironments(db, params.environment)]);
  return { ...window, serviceIds, environments, methodology: null, timeZone };
}

/**
 * The stored rollups a scope may read (none when it names environments: they hold production only).
 * `windowValues: false` for a statement that needs the day facts themselves (a histogram), not the
 * stored per-window values.
 */
export async function scopeRollups(
  tx: DbTransaction,
  scope: MetricScope,
  options: { windowValues?: boolean } = {},
): Promise<Pick<MetricScope, "rollups" | "windowRollup">> {
  if (scope.environments) return { rollups: null, windowRollup: null };
  const { windowRollup, rollups } = await rollupCoverage(tx, scope.timeZone, options.windowValues === false ? null : scope);
  return { windowRollup, rollups: windowRollup ? null : rollups };
}

/** Drift is observed in production only: a scope of non-production environments has none to report. */
export async function scopeObservesDrift(db: Db | DbTransaction, scope: MetricScope): Promise<boolean> {
  if (!scope.environments) return true;
  const rows = await db.$queryRaw<{ production: boolean }[]>`
    SELECT bool_or("isProduction") AS production FROM "Deployment" WHERE environment = ANY(${[...scope.environments]}::text[])`;
  return rows[0]?.production === true;
}

/** The per-service values each methodology's cohort aggregates, by methodology: what a comparison resamples. */
export type ServiceCohortValues = Record<MethodologyKey, ServiceMetricsDto[]>;

/**
 * DORA metrics for a window `[from, to)` of production deployments, with live drift and sync lag,
 * per service, per team and per methodology cohort (DESIGN §3, §4). Every number comes from the SQL definitions in
 * `lib/metrics/definitions`; this function only selects the scope and shapes the answer. Pages, the
 * API and the CLI all call it. Readable by every signed-in role and the system.
 */
export async function computeMetrics(ctx: ViewerContext, rawParams: MetricsParams, deps: MetricsDeps): Promise<MetricsDto> {
  return (await computeMetricsWithCohortValues(ctx, rawParams, deps)).metrics;
}

/** What `computeMetricsWithCohortValues` returns; a caller may share one computation between answers. */
export type MetricsWithCohortValues = { metrics: MetricsDto; serviceCohorts: ServiceCohortValues };
export type ComputeMetricsWithCohortValues = (ctx: ViewerContext, params: MetricsParams, deps: MetricsDeps) => Promise<MetricsWithCohortValues>;

/** `computeMetrics`, plus each cohort's per-service values from the same snapshot (see `ServiceCohortValues`). */
export async function computeMetricsWithCohortValues(
  ctx: ViewerContext,
  rawParams: MetricsParams,
  deps: MetricsDeps,
): Promise<MetricsWithCohortValues> {
  assertCan(ctx, "metrics:read");
  const params = metricsParamsSchema.parse(rawParams);
  const now = ctx.clock.now();
  const scope = await resolveMetricScope(deps.db, params, now, deps.timeZone);
  const window = { from: scope.from, to: scope.to };
  const windowProvisional = isWindowProvisional(window.to, now);

  // Services, teams and both cohorts come from one statement (one snapshot, so they add up even while
  // a sync writes; the per-service values are computed once for all of them). The transaction only
  // scopes the settings: JIT compilation costs more than it saves on this statement, and the
  // per-service sorts of an org-sized window spill to disk with the default 4 MB (`npm run bench:metrics`).
  const [snapshot, drift] = await deps.db.$transaction(
    async (tx) => {
      await applyMetricStatementSettings(tx);
      // The pages' default windows are stored per service; any other window is computed, its whole days from the day rollup.
      const values = await queryMetricsSnapshot(tx, { ...scope, ...(await scopeRollups(tx, scope)) });
      // Drift and sync lag are always read from their raw tables (small, and they depend on now), in
      // the same snapshot as the values above.
      return [values, (await scopeObservesDrift(tx, scope)) ? await queryDriftMetricsSnapshot(tx, scope, now) : null] as const;
    },
    METRICS_READ_TX,
  );

  const group = (row: GroupMetricsRow, driftRow: (DriftMetricValuesRow & { driftObservableServiceCount: number }) | undefined): GroupValuesDto => ({
    ...valuesDto(row, driftRow ?? NO_DRIFT, windowProvisional),
    activeServiceCount: row.activeServiceCount,
    driftObservableServiceCount: driftRow?.driftObservableServiceCount ?? 0,
  });
  const service = (row: NamedServiceMetricsRow, driftRow: DriftMetricValuesRow | undefined): ServiceMetricsDto => ({
    slug: row.slug,
    name: row.name,
    team: row.teamSlug !== null && row.teamName !== null ? { slug: row.teamSlug, name: row.teamName } : null,
    ...valuesDto(row, driftRow ?? NO_DRIFT, windowProvisional),
  });
  const teamOf = (methodology: MethodologyKey, teamId: string): GroupValuesDto | null => {
    const row = snapshot.teamCohorts[methodology].find((candidate) => candidate.teamId === teamId);
    return row ? group(row, drift?.teamCohorts[methodology].get(teamId)) : null;
  };
  const cohortServices = (methodology: MethodologyKey): ServiceMetricsDto[] =>
    snapshot.serviceCohorts[methodology].map((row) => service(row, drift?.serviceCohorts[methodology].get(row.serviceId)));

  const metrics: MetricsDto = {
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    generatedAt: now.toISOString(),
    timeZone: deps.timeZone,
    provisional: windowProvisional || snapshot.services.some((row) => row.anyFlagProvisional),
    services: snapshot.services.map((row) => service(row, drift?.services.get(row.serviceId))),
    teams: snapshot.teams.flatMap((row) =>
      row.teamSlug !== null && row.teamName !== null && row.teamId !== null
        ? [{
            slug: row.teamSlug,
            name: row.teamName,
            ...group(row, drift?.teams.get(row.teamId)),
            byMethodology: { devops: teamOf("devops", row.teamId), gitops: teamOf("gitops", row.teamId) },
          }]
        : [],
    ),
    cohorts: {
      devops: { methodology: "devops", ...group(snapshot.devops, drift?.devops) },
      gitops: { methodology: "gitops", ...group(snapshot.gitops, drift?.gitops) },
    },
  };
  return { metrics, serviceCohorts: { devops: cohortServices("devops"), gitops: cohortServices("gitops") } };
}
