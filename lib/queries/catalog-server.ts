import "server-only";
import type { QueryClient } from "@tanstack/react-query";
import { getViewerContext } from "@/lib/data/context";
import { getCatalog } from "@/lib/data/catalog/get-catalog";
import { catalogKeys } from "./catalog";

/**
 * Starts the catalog query on the server through the data layer, under the key the browser uses.
 * Not awaited by callers: the pending query is dehydrated and streams to the card.
 */
export function prefetchCatalog(queryClient: QueryClient): Promise<void> {
  return queryClient
    .prefetchQuery({
      queryKey: catalogKeys.all,
      queryFn: async () => await getCatalog(await getViewerContext()),
    })
    .catch(() => {
      // prefetchQuery does not reject today; this keeps a future change from failing the page render.
    });
}
