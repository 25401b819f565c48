import "server-only";
import { getDb } from "@/lib/db/client";
import type { ViewerContext } from "@/lib/data/viewer";
import { getEnv } from "@/lib/env";
import type { MetricsDto, MetricsParams } from "@/lib/queries/metrics";
import type { CompareParams, ComparisonDto } from "@/lib/queries/compare";
import type { MetricFiltersDto } from "@/lib/queries/metric-filters";
import { compareMetrics } from "./compare-metrics";
import { getMetricFilters } from "./get-metric-filters";
import { type MetricsDeps, computeMetrics } from "./compute-metrics";

export type { MetricsDto, MetricsParams } from "@/lib/queries/metrics";

export function defaultMetricsDeps(): MetricsDeps {
  return { db: getDb(), timeZone: getEnv().ORG_TIMEZONE };
}

/**
 * DORA metrics for pages and `GET /api/metrics` (see `computeMetrics`, which the CLI calls too):
 * window `[from, to)` (ISO instants; default the 90 days before `ctx.clock`'s now), optionally one
 * team (slug or name) or one service (slug). Needs `metrics:read`.
 */
export async function getMetrics(ctx: ViewerContext, params: MetricsParams, deps: MetricsDeps = defaultMetricsDeps()): Promise<MetricsDto> {
  return await computeMetrics(ctx, params, deps);
}

/** The DevOps-versus-GitOps comparison for the Overview and `GET /api/metrics/compare` (see `compareMetrics`). */
export async function getComparison(ctx: ViewerContext, params: CompareParams, deps: MetricsDeps = defaultMetricsDeps()): Promise<ComparisonDto> {
  return await compareMetrics(ctx, params, deps);
}

/** The Overview's filter choices (see `getMetricFilters`). */
export async function getFilterChoices(ctx: ViewerContext, deps: MetricsDeps = defaultMetricsDeps()): Promise<MetricFiltersDto> {
  return await getMetricFilters(ctx, deps.db);
}
