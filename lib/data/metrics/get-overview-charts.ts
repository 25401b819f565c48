// No `server-only` marker: tests call these directly, like `computeMetrics`. The server entries are
// the route handlers and `lib/queries/overview-charts-server.ts`, which pass `defaultMetricsDeps()`.
import { type ViewerContext, assertCan } from "@/lib/data/viewer";
import { LEAD_TIME_BINS } from "@/lib/data/services/get-service";
import { AppError } from "@/lib/errors";
import type { DriftGroupMetricsRow, GroupMetricsRow } from "@/lib/metrics/definitions/group-metrics";
import { queryLeadTimeDistribution } from "@/lib/metrics/definitions/lead-time-distribution";
import { isWindowProvisional } from "@/lib/metrics/definitions/provisional";
import { MAX_TREND_WEEKS, queryWeeklyCohortValues, queryWindowWeeks } from "@/lib/metrics/definitions/weekly-trends";
import { METRICS_READ_TX, applyMetricStatementSettings } from "@/lib/metrics/statement-settings";
import { type MetricsParams, metricsParamsSchema } from "@/lib/queries/metrics";
import {
  type LeadTimeCohortSummaryDto,
  type LeadTimeDistributionDto,
  type OverviewTrendsDto,
  THIN_WEEK,
  type TrendCohortWeekDto,
  isThinWeek,
} from "@/lib/queries/overview-charts";
import { type MetricsDeps, resolveMetricScope, scopeObservesDrift, scopeRollups } from "./compute-metrics";

const READ_TX = METRICS_READ_TX;

const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

function cohortWeekDto(row: GroupMetricsRow, drift: DriftGroupMetricsRow | null, weekProvisional: boolean): TrendCohortWeekDto {
  return {
    deploymentsPerDay: row.deploymentsPerDay,
    leadTimeMedianHours: row.leadTimeMedianHours,
    changeFailRate: row.changeFailRate,
    recoveryTimeMedianHours: row.recoveryTimeMedianHours,
    reworkRate: row.reworkRate,
    deploymentSuccessRate: row.deploymentSuccessRate,
    syncLagMedianHours: drift?.syncLagMedianHours ?? null,
    driftEpisodesPer30Days: drift?.driftEpisodesPer30Days ?? null,
    driftMedianHoursToReconcile: drift?.driftMedianHoursToReconcile ?? null,
    timeInSyncRatio: drift?.timeInSyncRatio ?? null,
    approvedChangeShare: share(row.independentlyApprovedChangeCount, row.tracedChangeCount),
    deploymentCount: row.deploymentCount,
    attemptCount: row.attemptCount,
    activeServiceCount: row.activeServiceCount,
    leadTimeChangeCount: row.leadTimeChangeCount,
    failedChangeCount: row.failedChangeCount,
    recoveredCount: row.recoveredCount,
    changeCount: row.tracedChangeCount,
    syncLagDeploymentCount: drift?.syncLagDeploymentCount ?? 0,
    driftObservableServiceCount: drift?.driftObservableServiceCount ?? 0,
    provisional: weekProvisional || row.anyFlagProvisional,
    thin: isThinWeek(row),
  };
}

/**
 * Weekly trends for the Overview (`GET /api/metrics/trends`): for every ORG_TIMEZONE week the window
 * `[from, to)` touches (clipped to it, `partial` when cut), both cohorts' values of every metric,
 * each computed by the metric's one SQL definition with the week as the window, so a week equals
 * `computeMetrics` over that week (weekly-trends.ts). Same parameters and defaults as
 * `GET /api/metrics`; a window touching more than `MAX_TREND_WEEKS` weeks is a 422. Needs `metrics:read`.
 */
export async function getOverviewTrends(ctx: ViewerContext, rawParams: MetricsParams, deps: MetricsDeps): Promise<OverviewTrendsDto> {
  assertCan(ctx, "metrics:read");
  const params = metricsParamsSchema.parse(rawParams);
  const now = ctx.clock.now();
  const scope = await resolveMetricScope(deps.db, params, now, deps.timeZone);

  const rows = await deps.db.$transaction(async (tx) => {
    await applyMetricStatementSettings(tx);
    const weeks = await queryWindowWeeks(tx, scope);
    if (weeks.length > MAX_TREND_WEEKS) {
      throw new AppError(
        "UNPROCESSABLE",
        `from: weekly trends cover at most ${MAX_TREND_WEEKS} weeks, and [${scope.from.toISOString()}, ${scope.to.toISOString()}) touches ${weeks.length}; choose a shorter window`,
      );
    }
    // Every week reads the same snapshot (this transaction), so the weeks add up to the window even while a sync writes.
    return await queryWeeklyCohortValues(tx, scope, weeks, now, {
      rollupsOf: (weekScope) => scopeRollups(tx, weekScope),
      observesDrift: await scopeObservesDrift(tx, scope),
    });
  }, READ_TX);

  return {
    window: { from: scope.from.toISOString(), to: scope.to.toISOString() },
    generatedAt: now.toISOString(),
    timeZone: deps.timeZone,
    thinWeek: { ...THIN_WEEK },
    weeks: rows.map(({ week, devops, gitops, driftDevops, driftGitops }) => {
      const weekProvisional = isWindowProvisional(week.to, now);
      return {
        weekStart: week.weekStart,
        from: week.from.toISOString(),
        to: week.to.toISOString(),
        partial: week.partial,
        devops: cohortWeekDto(devops, driftDevops, weekProvisional),
        gitops: cohortWeekDto(gitops, driftGitops, weekProvisional),
      };
    }),
  };
}

/**
 * The lead-time distribution of both cohorts for the Overview (`GET /api/metrics/lead-time-distribution`):
 * per cohort, the measured changes of its successful deployments in the window per lead-time bin (the
 * service page's `LEAD_TIME_BINS`), their count, and p50/p90 over those changes pooled across services
 * (unlike the cohort value of lead time, a median of per-service medians). Same parameters and
 * defaults as `GET /api/metrics`. Needs `metrics:read`.
 */
export async function getLeadTimeDistribution(ctx: ViewerContext, rawParams: MetricsParams, deps: MetricsDeps): Promise<LeadTimeDistributionDto> {
  assertCan(ctx, "metrics:read");
  const params = metricsParamsSchema.parse(rawParams);
  const now = ctx.clock.now();
  const scope = await resolveMetricScope(deps.db, params, now, deps.timeZone);
  const bounds = LEAD_TIME_BINS.map((bin) => bin.minHours);

  const distribution = await deps.db.$transaction(async (tx) => {
    await applyMetricStatementSettings(tx);
    // Per-window values are of no use to a histogram: the day facts, from the day rollup where it may be read.
    return await queryLeadTimeDistribution(tx, { ...scope, ...(await scopeRollups(tx, scope, { windowValues: false })) }, bounds);
  }, READ_TX);

  const summary = (cohort: "DEVOPS" | "GITOPS"): LeadTimeCohortSummaryDto => ({
    changeCount: distribution[cohort].changeCount,
    serviceCount: distribution[cohort].serviceCount,
    pooledMedianHours: distribution[cohort].pooledMedianHours,
    pooledP90Hours: distribution[cohort].pooledP90Hours,
  });

  return {
    window: { from: scope.from.toISOString(), to: scope.to.toISOString() },
    generatedAt: now.toISOString(),
    timeZone: deps.timeZone,
    bins: LEAD_TIME_BINS.map((bin, index) => ({
      bin: bin.bin,
      minHours: bin.minHours,
      maxHours: LEAD_TIME_BINS[index + 1]?.minHours ?? null,
      devops: distribution.DEVOPS.binCounts[index] ?? 0,
      gitops: distribution.GITOPS.binCounts[index] ?? 0,
    })),
    cohorts: { devops: summary("DEVOPS"), gitops: summary("GITOPS") },
  };
}
