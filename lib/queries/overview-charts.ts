import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { apiFetch } from "./api-fetch";
import { type MetricsParams, metricsKeys, metricsSearch } from "./metrics";

/**
 * The query contracts of the Overview's charts: weekly trends of the cohort values
 * (`GET /api/metrics/trends`) and the lead-time distribution of both cohorts
 * (`GET /api/metrics/lead-time-distribution`). Both take the parameters of `GET /api/metrics`
 * (`metricsParamsSchema`), so they describe the same deployments as the cohort cards.
 */

/**
 * A cohort's week is thin below these: the thresholds under which the comparison says "not enough
 * data" (DESIGN §3, Comparison), so the chart mutes exactly what the comparison would not judge.
 */
export const THIN_WEEK = { minServices: 5, minDeployments: 20 } as const;

/** Whether a cohort's week has too few services or deployments to read much into (see `THIN_WEEK`). */
export function isThinWeek(counts: { activeServiceCount: number; deploymentCount: number }): boolean {
  return counts.activeServiceCount < THIN_WEEK.minServices || counts.deploymentCount < THIN_WEEK.minDeployments;
}

/**
 * The metrics a trend can show, by the name of their value in `MetricValuesDto` (units in the names;
 * proportions in [0, 1]; null = no data, never 0).
 */
export const TREND_METRIC_KEYS = [
  "deploymentsPerDay",
  "leadTimeMedianHours",
  "changeFailRate",
  "recoveryTimeMedianHours",
  "reworkRate",
  "deploymentSuccessRate",
  "syncLagMedianHours",
  "driftEpisodesPer30Days",
  "driftMedianHoursToReconcile",
  "timeInSyncRatio",
  "approvedChangeShare",
] as const;

export type TrendMetricKey = (typeof TREND_METRIC_KEYS)[number];

export const trendCohortWeekDtoSchema = z.object({
  /** Successful production deployments per day of the (clipped) week; median of services. */
  deploymentsPerDay: z.number().nullable(),
  /** Median of the services' lead-time medians, hours. */
  leadTimeMedianHours: z.number().nullable(),
  /** Pooled: failed changes / successful deployments. */
  changeFailRate: z.number().nullable(),
  /** Median of the services' recovery-time medians, hours (failed changes deployed in the week). */
  recoveryTimeMedianHours: z.number().nullable(),
  /** Pooled: remediating deployments / successful deployments. */
  reworkRate: z.number().nullable(),
  /** Pooled: successful / finished attempts. */
  deploymentSuccessRate: z.number().nullable(),
  /** Median of the services' sync-lag medians, hours; always null for DevOps. */
  syncLagMedianHours: z.number().nullable(),
  /** Median of the services' live-drift episodes per 30 days of observed time. */
  driftEpisodesPer30Days: z.number().nullable(),
  /** Median of the services' median hours to reconcile live drift. */
  driftMedianHoursToReconcile: z.number().nullable(),
  /** Pooled: in-sync time / observed time of the drift-observable services. */
  timeInSyncRatio: z.number().nullable(),
  /** Pooled: changes approved by someone other than their author / changes shipped. */
  approvedChangeShare: z.number().nullable(),
  /** Successful production deployments in the week. */
  deploymentCount: z.number().int(),
  /** Finished production attempts (SUCCESS + FAILURE) in the week. */
  attemptCount: z.number().int(),
  /** Services with at least one finished attempt of this cohort in the week: the ones the medians are over. */
  activeServiceCount: z.number().int(),
  leadTimeChangeCount: z.number().int(),
  failedChangeCount: z.number().int(),
  recoveredCount: z.number().int(),
  /** Changes shipped (the denominator of the approved-change share). */
  changeCount: z.number().int(),
  syncLagDeploymentCount: z.number().int(),
  /** Services whose drift is observable for this cohort: the ones the drift values are over. */
  driftObservableServiceCount: z.number().int(),
  /** A value may still change: a contributing flag is provisional, or the week ends less than 7 days before now. */
  provisional: z.boolean(),
  /** Fewer active services or deployments than `THIN_WEEK`: shown, but muted. */
  thin: z.boolean(),
});

export const trendWeekDtoSchema = z.object({
  /** The local Monday the week starts on, `YYYY-MM-DD` in ORG_TIMEZONE. */
  weekStart: z.string(),
  /** The week's bounds clipped to the window, ISO instants; the week's values are over `[from, to)`. */
  from: z.string(),
  to: z.string(),
  /** The window cuts this week: it covers fewer days than a whole week. */
  partial: z.boolean(),
  devops: trendCohortWeekDtoSchema,
  gitops: trendCohortWeekDtoSchema,
});

export const overviewTrendsDtoSchema = z.object({
  window: z.object({ from: z.string(), to: z.string() }),
  generatedAt: z.string(),
  timeZone: z.string(),
  thinWeek: z.object({ minServices: z.number().int(), minDeployments: z.number().int() }),
  /** Every week the window touches, oldest first. */
  weeks: z.array(trendWeekDtoSchema),
});

export const leadTimeBinDtoSchema = z.object({
  /** Display label, e.g. "1–4 h". */
  bin: z.string(),
  /** Inclusive lower bound in hours; the next bin's bound is the exclusive upper bound (null: open). */
  minHours: z.number(),
  maxHours: z.number().nullable(),
  devops: z.number().int(),
  gitops: z.number().int(),
});

export const leadTimeCohortSummaryDtoSchema = z.object({
  /** Measured changes of the cohort's successful deployments in the window (the histogram's total). */
  changeCount: z.number().int(),
  /** Services with at least one measured change. */
  serviceCount: z.number().int(),
  /**
   * Percentiles over the cohort's changes pooled across services, hours: NOT the cohort value of lead
   * time (the median of per-service medians), since a busy service weighs more here.
   */
  pooledMedianHours: z.number().nullable(),
  pooledP90Hours: z.number().nullable(),
});

export const leadTimeDistributionDtoSchema = z.object({
  window: z.object({ from: z.string(), to: z.string() }),
  generatedAt: z.string(),
  timeZone: z.string(),
  /** The service page's bins, ascending. */
  bins: z.array(leadTimeBinDtoSchema),
  cohorts: z.object({ devops: leadTimeCohortSummaryDtoSchema, gitops: leadTimeCohortSummaryDtoSchema }),
});

export type TrendCohortWeekDto = z.infer<typeof trendCohortWeekDtoSchema>;
export type TrendWeekDto = z.infer<typeof trendWeekDtoSchema>;
export type OverviewTrendsDto = z.infer<typeof overviewTrendsDtoSchema>;
export type LeadTimeDistributionBinDto = z.infer<typeof leadTimeBinDtoSchema>;
export type LeadTimeCohortSummaryDto = z.infer<typeof leadTimeCohortSummaryDtoSchema>;
export type LeadTimeDistributionDto = z.infer<typeof leadTimeDistributionDtoSchema>;

/**
 * The parameters as a key part: the metrics resource's own, so a filter added there reaches these
 * keys too and equal filters always share a cache entry.
 */
const filterKey = (params: MetricsParams) => metricsKeys.window(params)[1];

export const overviewChartsKeys = {
  all: ["overview-charts"] as const,
  trends: (params: MetricsParams) => ["overview-charts", "trends", filterKey(params)] as const,
  leadTimeDistribution: (params: MetricsParams) => ["overview-charts", "lead-time-distribution", filterKey(params)] as const,
};

function searchOf(params: MetricsParams): string {
  const query = metricsSearch(params);
  return query ? `?${query}` : "";
}

/** Browser fetcher for `GET /api/metrics/trends`. */
export async function fetchOverviewTrends(params: MetricsParams, signal?: AbortSignal): Promise<OverviewTrendsDto> {
  return await apiFetch(`/api/metrics/trends${searchOf(params)}`, overviewTrendsDtoSchema, { signal, what: "Loading weekly trends" });
}

/** Browser fetcher for `GET /api/metrics/lead-time-distribution`. */
export async function fetchLeadTimeDistribution(params: MetricsParams, signal?: AbortSignal): Promise<LeadTimeDistributionDto> {
  return await apiFetch(`/api/metrics/lead-time-distribution${searchOf(params)}`, leadTimeDistributionDtoSchema, {
    signal,
    what: "Loading the lead-time distribution",
  });
}

export function overviewTrendsQueryOptions(params: MetricsParams) {
  return queryOptions({ queryKey: overviewChartsKeys.trends(params), queryFn: ({ signal }) => fetchOverviewTrends(params, signal) });
}

export function leadTimeDistributionQueryOptions(params: MetricsParams) {
  return queryOptions({
    queryKey: overviewChartsKeys.leadTimeDistribution(params),
    queryFn: ({ signal }) => fetchLeadTimeDistribution(params, signal),
  });
}
