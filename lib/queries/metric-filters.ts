import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { apiFetch } from "./api-fetch";

/**
 * The choices of the Overview's filters (`GET /api/metrics/filters`): every team, and every
 * environment a deployment was seen in, production ones first. Separate from the metrics so changing
 * a filter never refetches its own options.
 */
export const metricFiltersDtoSchema = z.object({
  teams: z.array(z.object({ slug: z.string(), name: z.string(), serviceCount: z.number().int() })),
  environments: z.array(z.object({ name: z.string(), isProduction: z.boolean(), deploymentCount: z.number().int() })),
});

export type MetricFiltersDto = z.infer<typeof metricFiltersDtoSchema>;

export const metricFiltersKeys = { all: ["metric-filters"] as const };

export async function fetchMetricFilters(signal?: AbortSignal): Promise<MetricFiltersDto> {
  return await apiFetch("/api/metrics/filters", metricFiltersDtoSchema, { signal, what: "Loading the filters" });
}

export function metricFiltersQueryOptions() {
  return queryOptions({ queryKey: metricFiltersKeys.all, queryFn: ({ signal }) => fetchMetricFilters(signal), staleTime: 5 * 60_000 });
}
