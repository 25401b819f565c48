import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { apiFetch } from "./api-fetch";
import { type MetricsParams, cohortMetricsDtoSchema, metricsKeys, metricsParamsSchema, metricsSearch } from "./metrics";

/**
 * The query contract of `GET /api/metrics/compare`: DevOps and GitOps side by side for every metric
 * (value, tier, change against the previous window, effect between cohorts with its bootstrap
 * interval, one sentence). The Overview page, the API and `npm run cli -- metrics --json` all carry
 * this one shape, computed by one function (`lib/data/metrics/compare-metrics.ts`).
 */

export const compareParamsSchema = metricsParamsSchema;
export type CompareParams = MetricsParams;

export const COMPARED_METRIC_IDS = [
  "deploymentFrequency",
  "leadTime",
  "changeFailRate",
  "recoveryTime",
  "reworkRate",
  "successRate",
  "syncLag",
  "driftEpisodesPer30Days",
  "driftMedianHoursToReconcile",
  "timeInSyncRatio",
  "approvedChangeShare",
  "signedCommitShare",
] as const;
export const comparedMetricIdSchema = z.enum(COMPARED_METRIC_IDS);
export type ComparedMetricId = z.infer<typeof comparedMetricIdSchema>;

const tierSchema = z.enum(["elite", "high", "medium", "low"]).nullable();

/** One cohort's value of one metric, in the metric's unit (hours, per day, share in [0, 1], per 30 days). */
export const cohortValueDtoSchema = z.object({
  value: z.number().nullable(),
  tier: tierSchema,
  /** The same metric over the previous window of the same length (same filters). */
  previous: z.number().nullable(),
  /**
   * `value` against `previous`: a ratio (value / previous) for medians and rates per time, a
   * difference in percentage points for shares; null when either is missing (or previous is 0 for a ratio).
   */
  change: z.number().nullable(),
  /** Services contributing a value (for a pooled share: a non-zero denominator). */
  serviceCount: z.number().int(),
  provisional: z.boolean(),
});

/** A per-service input of the bootstrap, published so anyone can check the interval. */
export const serviceSampleDtoSchema = z.object({
  slug: z.string(),
  /** A median metric's per-service value. */
  value: z.number().optional(),
  /** A pooled share's per-service parts. */
  numerator: z.number().optional(),
  denominator: z.number().optional(),
});

export const effectDtoSchema = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("compared"),
    kind: z.enum(["ratio", "difference"]),
    /** Ratio GitOps / DevOps, or difference GitOps − DevOps in percentage points, over the comparison period. */
    estimate: z.number(),
    /** Bootstrap 95 % percentile interval; null when unbounded or undefined (the sentence says why). */
    interval: z.object({ low: z.number(), high: z.number() }).nullable(),
    /** Which cohort the estimate favours, when the interval excludes "no difference" (1× or 0 pp). */
    verdict: z.enum(["gitops-better", "devops-better", "no-clear-difference", "unknown"]),
    /** The cohorts' values over the comparison period (equal to the cards' values when it is the whole window). */
    devopsValue: z.number(),
    gitopsValue: z.number(),
  }),
  z.object({
    status: z.literal("not-enough-data"),
    kind: z.enum(["ratio", "difference"]),
  }),
  z.object({
    status: z.literal("not-applicable"),
    kind: z.enum(["ratio", "difference"]),
  }),
]);

export const comparedMetricDtoSchema = z.object({
  id: comparedMetricIdSchema,
  label: z.string(),
  unit: z.enum(["per-day", "hours", "share", "per-30-days"]),
  higherIsBetter: z.boolean(),
  devops: cohortValueDtoSchema,
  gitops: cohortValueDtoSchema,
  effect: effectDtoSchema,
  /** The comparison in one sentence a person can quote, with its numbers and period. */
  sentence: z.string(),
  samples: z.object({ devops: z.array(serviceSampleDtoSchema), gitops: z.array(serviceSampleDtoSchema) }),
});

export const comparisonDtoSchema = z.object({
  window: z.object({ from: z.string(), to: z.string() }),
  previousWindow: z.object({ from: z.string(), to: z.string() }),
  /** The part of the window both cohorts are observed in (null: none); effects are computed over it only. */
  comparisonPeriod: z.object({ from: z.string(), to: z.string(), wholeWindow: z.boolean() }).nullable(),
  /** First finished production attempt of each cohort in scope, ever (null: none). */
  observedSince: z.object({ devops: z.string().nullable(), gitops: z.string().nullable() }),
  generatedAt: z.string(),
  timeZone: z.string(),
  provisional: z.boolean(),
  method: z.object({
    resamples: z.number().int(),
    seed: z.number().int(),
    prng: z.string(),
    level: z.number(),
    minServices: z.number().int(),
    minDeployments: z.number().int(),
  }),
  cohorts: z.object({ devops: cohortMetricsDtoSchema, gitops: cohortMetricsDtoSchema }),
  metrics: z.array(comparedMetricDtoSchema),
});

export type CohortValueDto = z.infer<typeof cohortValueDtoSchema>;
export type ServiceSampleDto = z.infer<typeof serviceSampleDtoSchema>;
export type EffectDto = z.infer<typeof effectDtoSchema>;
export type ComparedMetricDto = z.infer<typeof comparedMetricDtoSchema>;
export type ComparisonDto = z.infer<typeof comparisonDtoSchema>;

export const compareKeys = {
  all: ["compare"] as const,
  // The metrics resource's parameter part, so a parameter added there is part of this key too.
  window: (params: CompareParams) => ["compare", metricsKeys.window(params)[1]] as const,
};

/** Browser fetcher for `GET /api/metrics/compare`. */
export async function fetchComparison(params: CompareParams, signal?: AbortSignal): Promise<ComparisonDto> {
  const query = metricsSearch(params);
  return await apiFetch(`/api/metrics/compare${query ? `?${query}` : ""}`, comparisonDtoSchema, { signal, what: "Loading the comparison" });
}

export function comparisonQueryOptions(params: CompareParams) {
  return queryOptions({
    queryKey: compareKeys.window(params),
    queryFn: ({ signal }) => fetchComparison(params, signal),
  });
}
