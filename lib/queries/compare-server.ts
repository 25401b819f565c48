import "server-only";
import type { QueryClient } from "@tanstack/react-query";
import { getViewerContext } from "@/lib/data/context";
import { getComparison, getFilterChoices } from "@/lib/data/metrics/get-metrics";
import { type CompareParams, compareKeys } from "./compare";
import { metricFiltersKeys } from "./metric-filters";

/**
 * Server prefetches of the Overview's comparison and filter choices through the data layer, under
 * the browser's keys. Not awaited by the page: pending queries stream to their widgets.
 */
const ignore = () => {
  // prefetchQuery never rejects today; the catch keeps a future change from crashing the render.
};

export function prefetchComparison(queryClient: QueryClient, params: CompareParams): Promise<void> {
  return queryClient.prefetchQuery({ queryKey: compareKeys.window(params), queryFn: async () => getComparison(await getViewerContext(), params) }).catch(ignore);
}

export function prefetchMetricFilters(queryClient: QueryClient): Promise<void> {
  return queryClient.prefetchQuery({ queryKey: metricFiltersKeys.all, queryFn: async () => getFilterChoices(await getViewerContext()) }).catch(ignore);
}
