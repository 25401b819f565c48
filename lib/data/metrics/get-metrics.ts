import "server-only";
import { cache } from "react";
import { getDb } from "@/lib/db/client";
import type { ViewerContext } from "@/lib/data/viewer";
import { getEnv } from "@/lib/env";
import { type MetricsDto, type MetricsParams, metricsParamsSchema } from "@/lib/queries/metrics";
import type { CompareParams, ComparisonDto } from "@/lib/queries/compare";
import type { MetricFiltersDto } from "@/lib/queries/metric-filters";
import { compareMetrics } from "./compare-metrics";
import { getMetricFilters } from "./get-metric-filters";
import { type MetricsDeps, type MetricsWithCohortValues, computeMetricsWithCohortValues, resolveWindow } from "./compute-metrics";

export type { MetricsDto, MetricsParams } from "@/lib/queries/metrics";

export function defaultMetricsDeps(): MetricsDeps {
  return { db: getDb(), timeZone: getEnv().ORG_TIMEZONE };
}

/** One map per server request (React `cache`); outside a render every call gets a new one, so nothing is shared. */
const requestSnapshots = cache(() => new Map<string, Promise<MetricsWithCohortValues>>());

/**
 * The Overview renders the window's metrics twice on the server: for its team table (`getMetrics`)
 * and inside its comparison (`getComparison`). Both go through here, keyed by the resolved window
 * and filters, so one request computes each snapshot once. Explicit instants make `{}` and the
 * comparison's `{from, to}` of the same default window one key, and give the same values.
 */
function sharedCompute(ctx: ViewerContext, params: MetricsParams, deps: MetricsDeps): Promise<MetricsWithCohortValues> {
  const window = resolveWindow(params, ctx.clock.now(), deps.timeZone);
  const resolved: MetricsParams = { ...params, days: undefined, from: window.from.toISOString(), to: window.to.toISOString() };
  const key = JSON.stringify([resolved.from, resolved.to, params.team ?? null, params.environment ?? null, params.service ?? null]);
  const snapshots = requestSnapshots();
  let snapshot = snapshots.get(key);
  if (!snapshot) {
    snapshot = computeMetricsWithCohortValues(ctx, resolved, deps);
    snapshots.set(key, snapshot);
  }
  return snapshot;
}

/**
 * DORA metrics for pages and `GET /api/metrics` (see `computeMetrics`, which the CLI calls too):
 * window `[from, to)` (ISO instants; default the 90 days before `ctx.clock`'s now), optionally one
 * team (slug or name) or one service (slug). Needs `metrics:read`.
 */
export async function getMetrics(ctx: ViewerContext, params: MetricsParams, deps: MetricsDeps = defaultMetricsDeps()): Promise<MetricsDto> {
  return (await sharedCompute(ctx, metricsParamsSchema.parse(params), deps)).metrics;
}

/** The DevOps-versus-GitOps comparison for the Overview and `GET /api/metrics/compare` (see `compareMetrics`). */
export async function getComparison(ctx: ViewerContext, params: CompareParams, deps: MetricsDeps = defaultMetricsDeps()): Promise<ComparisonDto> {
  return await compareMetrics(ctx, params, deps, sharedCompute);
}

/** The Overview's filter choices (see `getMetricFilters`). */
export async function getFilterChoices(ctx: ViewerContext, deps: MetricsDeps = defaultMetricsDeps()): Promise<MetricFiltersDto> {
  return await getMetricFilters(ctx, deps.db);
}
