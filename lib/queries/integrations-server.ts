import "server-only";
import type { QueryClient } from "@tanstack/react-query";
import { getViewerContext } from "@/lib/data/context";
import { getIntegrations } from "@/lib/data/integrations/list-integrations";
import { integrationsKeys } from "./integrations";

/**
 * Starts the integrations query on the server through the data layer (no HTTP round trip to ourselves).
 * Not awaited by callers: the pending query is dehydrated and streams to the card.
 */
export function prefetchIntegrations(queryClient: QueryClient): Promise<void> {
  return queryClient
    .prefetchQuery({
      queryKey: integrationsKeys.all,
      queryFn: async () => getIntegrations(await getViewerContext()),
    })
    .catch(() => {
      // prefetchQuery never rejects today; the catch keeps a future change from crashing the render.
    });
}
