import "server-only";
import type { QueryClient } from "@tanstack/react-query";
import { getViewerContext } from "@/lib/data/context";
import { getMetrics } from "@/lib/data/metrics/get-metrics";
import { type MetricsParams, metricsKeys } from "./metrics";

/**
 * Starts the metrics query on the server through the data layer, under the key the browser's
 * `metricsQueryOptions(params)` uses. Not awaited by callers: the pending query streams to its widget.
 */
export function prefetchMetrics(queryClient: QueryClient, params: MetricsParams): Promise<void> {
  return queryClient
    .prefetchQuery({
      queryKey: metricsKeys.window(params),
      queryFn: async () => getMetrics(await getViewerContext(), params),
    })
    .catch(() => {
      // prefetchQuery never rejects today; the catch keeps a future change from crashing the render.
    });
}
