import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { apiFetch } from "./api-fetch";

/**
 * The query contract of the metrics resource: the parameters (parsed once, by the route handler, the
 * CLI and the data layer alike), the wire shape of `GET /api/metrics`, and the query key and options.
 */

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const isoInstant = z.iso.datetime({ offset: true, error: "must be an ISO 8601 instant with a time zone, e.g. 2026-01-31T00:00:00Z" });

export const metricsParamsSchema = z
  .object({
    /** Inclusive start of the window; default `to` − 90 days. */
    from: isoInstant.optional(),
    /** Exclusive end of the window; default the clock's now. */
    to: isoInstant.optional(),
    /** One or more teams, by slug or name, separated by commas (a name with a comma needs the slug). */
    team: z.string().trim().min(1, "must not be empty").max(1000, "must be at most 1000 characters").optional(),
    /**
     * One or more environment names separated by commas, production or not; default every production
     * environment (DESIGN §3). Drift is observed in production only.
     */
    environment: z
      .string()
      .trim()
      .max(1000, "must be at most 1000 characters")
      .refine((text) => text.split(",").every((entry) => entry.trim() !== ""), "must be environment names separated by commas")
      .optional(),
    /** The window's length in whole days ending at `to` (default: the start of today); not together with `from`. Default 90. */
    days: z.coerce.number().int("must be a whole number of days").min(1, "must be at least 1").max(3660, "must be at most 3660").optional(),
    /** A service's slug. */
    service: z.string().trim().regex(SLUG, "must be a service slug (lower-case letters, digits and dashes)").optional(),
  })
  .strict()
  .refine((params) => params.from === undefined || params.to === undefined || Date.parse(params.from) < Date.parse(params.to), {
    message: "must be before `to` (the window is [from, to))",
    path: ["from"],
  })
  .refine((params) => params.days === undefined || params.from === undefined, { message: "give either `days` or `from`, not both", path: ["days"] });

export type MetricsParams = z.infer<typeof metricsParamsSchema>;

const tierSchema = z.enum(["elite", "high", "medium", "low"]).nullable();

export const metricTiersSchema = z.object({
  version: z.string(),
  deploymentFrequency: tierSchema,
  leadTime: tierSchema,
  changeFailRate: tierSchema,
  recoveryTime: tierSchema,
});

/** Values reported for a service, a team and a cohort; units in the names, proportions in [0, 1], null = undefined. */
export const metricValuesDtoSchema = z.object({
  /** Successful production deployments in the window. */
  deploymentCount: z.number().int(),
  /** Finished production attempts (SUCCESS + FAILURE) in the window. */
  attemptCount: z.number().int(),
  /**
   * Successful GitOps deployments no source saw as an attempt: rebuilt from a config repository's
   * history, or from Argo CD's history (successful syncs only) from before the app was observed.
   * Counted in the frequency, left out of the success rate: their failures could not have been seen.
   */
  unwitnessedCount: z.number().int(),
  deploymentsPerDay: z.number().nullable(),
  deploymentDaysPerWeekMedian: z.number().nullable(),
  deploymentDaysPerMonthMedian: z.number().nullable(),
  leadTimeChangeCount: z.number().int(),
  leadTimeMedianHours: z.number().nullable(),
  leadTimeP90Hours: z.number().nullable(),
  leadTimeBreakdown: z.object({
    codingMedianHours: z.number().nullable(),
    reviewMedianHours: z.number().nullable(),
    waitingMedianHours: z.number().nullable(),
  }),
  failedChangeCount: z.number().int(),
  changeFailRate: z.number().nullable(),
  recoveredCount: z.number().int(),
  recoveryTimeMedianHours: z.number().nullable(),
  reworkCount: z.number().int(),
  reworkRate: z.number().nullable(),
  /** Successful / finished attempts, over the attempts a source saw (`unwitnessedCount` left out of both). */
  deploymentSuccessRate: z.number().nullable(),
  changeTraceability: z.object({
    changeCount: z.number().int(),
    approvedChangeCount: z.number().int(),
    approvedChangeShare: z.number().nullable(),
    commitCount: z.number().int(),
    signedCommitCount: z.number().int(),
    signedCommitShare: z.number().nullable(),
  }),
  /**
   * Live drift can be observed (DESIGN §4): a drift-observable GitOps app or push-deployed workload
   * watched during the window; for a team or cohort, for at least one service. When false the drift
   * values below are null ("drift not observable"), never a clean 0.
   */
  driftObservable: z.boolean(),
  /** LIVE_DRIFT episodes that started in the window (drift-observable services only). */
  driftEpisodeCount: z.number().int(),
  /** LIVE_DRIFT episodes started in the window per 30 days of drift-observed time; cohorts and teams: median of services. */
  driftEpisodesPer30Days: z.number().nullable(),
  /** LIVE_DRIFT episodes that ended in the window (drift-observable services only). */
  reconciledDriftCount: z.number().int(),
  /** Median hours from a LIVE_DRIFT episode's start to its end, over episodes that ended in the window; groups: median of services. */
  driftMedianHoursToReconcile: z.number().nullable(),
  /** Share of drift-observed time in the window without live drift, in [0, 1]; groups: pooled over observable services. */
  timeInSyncRatio: z.number().nullable(),
  /** Drift-observed time in the window, in hours (0 when not observable): the denominator of `timeInSyncRatio`. */
  driftObservedHours: z.number(),
  /** Drift-observed time without live drift, in hours: the numerator of `timeInSyncRatio`. */
  inSyncHours: z.number(),
  /** Successful production GitOps deployments finished in the window whose desired-since instant is known. */
  syncLagDeploymentCount: z.number().int(),
  /** Median hours from a revision becoming desired to its GitOps deployment finishing; groups: median of services; null for DevOps. */
  syncLagMedianHours: z.number().nullable(),
  /** A value may still change: a contributing flag is provisional, or the window ends less than 7 days before now. */
  provisional: z.boolean(),
  tiers: metricTiersSchema,
});

const refSchema = z.object({ slug: z.string(), name: z.string() });

export const serviceMetricsDtoSchema = metricValuesDtoSchema.extend({ slug: z.string(), name: z.string(), team: refSchema.nullable() });
/** A group's values (a team, or a team's deployments of one methodology). */
export const groupValuesDtoSchema = metricValuesDtoSchema.extend({
  /** Services with at least one finished attempt in scope: the ones the medians are taken over. */
  activeServiceCount: z.number().int(),
  /** Services whose drift is observable: the ones the drift values are taken over. */
  driftObservableServiceCount: z.number().int(),
});
export const teamMetricsDtoSchema = groupValuesDtoSchema.extend({
  slug: z.string(),
  name: z.string(),
  /** The team's values over its DevOps and over its GitOps deployments; null when it has no finished attempt of that methodology. */
  byMethodology: z.object({ devops: groupValuesDtoSchema.nullable(), gitops: groupValuesDtoSchema.nullable() }),
});
export const cohortMetricsDtoSchema = metricValuesDtoSchema.extend({
  methodology: z.enum(["devops", "gitops"]),
  /** Services with at least one finished attempt of this methodology in the window. */
  activeServiceCount: z.number().int(),
  /** Services whose drift is observable for this methodology: the ones the drift values are taken over. */
  driftObservableServiceCount: z.number().int(),
});

export const metricsDtoSchema = z.object({
  window: z.object({ from: z.string(), to: z.string() }),
  generatedAt: z.string(),
  timeZone: z.string(),
  provisional: z.boolean(),
  services: z.array(serviceMetricsDtoSchema),
  teams: z.array(teamMetricsDtoSchema),
  cohorts: z.object({ devops: cohortMetricsDtoSchema, gitops: cohortMetricsDtoSchema }),
});

export type MetricTiersDto = z.infer<typeof metricTiersSchema>;
export type MetricValuesDto = z.infer<typeof metricValuesDtoSchema>;
export type ServiceMetricsDto = z.infer<typeof serviceMetricsDtoSchema>;
export type TeamMetricsDto = z.infer<typeof teamMetricsDtoSchema>;
export type GroupValuesDto = z.infer<typeof groupValuesDtoSchema>;
export type CohortMetricsDto = z.infer<typeof cohortMetricsDtoSchema>;
export type MetricsDto = z.infer<typeof metricsDtoSchema>;

export const metricsKeys = {
  all: ["metrics"] as const,
  window: (params: MetricsParams) =>
    ["metrics", { from: params.from ?? null, to: params.to ?? null, days: params.days ?? null, team: params.team ?? null, environment: params.environment ?? null, service: params.service ?? null }] as const,
};

/** The query string of a parameter set (only the parameters that are set), for every metrics endpoint. */
export function metricsSearch(params: MetricsParams): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) search.set(name, String(value));
  return search.toString();
}

/** Browser fetcher for `GET /api/metrics`. */
export async function fetchMetrics(params: MetricsParams, signal?: AbortSignal): Promise<MetricsDto> {
  const query = metricsSearch(params);
  return await apiFetch(`/api/metrics${query ? `?${query}` : ""}`, metricsDtoSchema, { signal, what: "Loading metrics" });
}

export function metricsQueryOptions(params: MetricsParams) {
  return queryOptions({
    queryKey: metricsKeys.window(params),
    queryFn: ({ signal }) => fetchMetrics(params, signal),
  });
}

/** The Overview's URL parameters: the window and the team and environment filters (never `service`). */
export const OVERVIEW_URL_PARAMS = ["days", "from", "to", "team", "environment"] as const;
