import "server-only";
import type { QueryClient } from "@tanstack/react-query";
import { getViewerContext } from "@/lib/data/context";
import { getHealth } from "@/lib/data/health/get-health";
import { healthKeys } from "./health";

/**
 * Starts the health query on the server through the data layer (no HTTP round trip to ourselves).
 * Not awaited by callers: the pending query is dehydrated and streams to the widget.
 */
export function prefetchHealth(queryClient: QueryClient): Promise<void> {
  return queryClient
    .prefetchQuery({
      queryKey: healthKeys.all,
      queryFn: async () => getHealth(await getViewerContext()),
    })
    .catch(() => {
      // prefetchQuery never rejects today; the catch keeps a future change from crashing the render.
    });
}
