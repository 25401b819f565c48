import "server-only";
import type { QueryClient } from "@tanstack/react-query";
import { getViewerContext } from "@/lib/data/context";
import { getLeadTimeDistribution, getOverviewTrends } from "@/lib/data/metrics/get-overview-charts";
import { defaultMetricsDeps } from "@/lib/data/metrics/get-metrics";
import type { MetricsParams } from "./metrics";
import { overviewChartsKeys } from "./overview-charts";

/**
 * Server prefetches of the Overview's charts through the data layer (no HTTP round trip to
 * ourselves), under the keys the browser's `overviewTrendsQueryOptions` and
 * `leadTimeDistributionQueryOptions` use. Not awaited by pages: pending queries stream to their widgets.
 */
const ignore = () => {
  // prefetchQuery never rejects today; the catch keeps a future change from crashing the render.
};

export function prefetchOverviewTrends(queryClient: QueryClient, params: MetricsParams): Promise<void> {
  return queryClient
    .prefetchQuery({
      queryKey: overviewChartsKeys.trends(params),
      queryFn: async () => getOverviewTrends(await getViewerContext(), params, defaultMetricsDeps()),
    })
    .catch(ignore);
}

export function prefetchLeadTimeDistribution(queryClient: QueryClient, params: MetricsParams): Promise<void> {
  return queryClient
    .prefetchQuery({
      queryKey: overviewChartsKeys.leadTimeDistribution(params),
      queryFn: async () => getLeadTimeDistribution(await getViewerContext(), params, defaultMetricsDeps()),
    })
    .catch(ignore);
}
