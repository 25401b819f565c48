import "server-only";
import type { QueryClient } from "@tanstack/react-query";
import { getViewerContext } from "@/lib/data/context";
import { listGatedApps, listSyncRequests } from "@/lib/data/approvals/read-sync-requests";
import { approvalsKeys, listSyncRequestsParamsSchema } from "./approvals";

/**
 * Server prefetches of the approvals resource through the data layer, under the browser's keys.
 * Not awaited by the page: pending queries stream to their widgets. The pending-count badge is not
 * prefetched here: it lives in the shell, outside the page's hydration boundary.
 */
const ignore = () => {
  // prefetchQuery never rejects today; the catch keeps a future change from crashing the render.
};

/** The first page: the route's defaults for an empty query string, so the data equals the browser's. */
export function prefetchSyncRequests(queryClient: QueryClient): Promise<void> {
  const params = listSyncRequestsParamsSchema.parse({});
  return queryClient.prefetchQuery({ queryKey: approvalsKeys.list(null), queryFn: async () => listSyncRequests(await getViewerContext(), params) }).catch(ignore);
}

export function prefetchGatedApps(queryClient: QueryClient): Promise<void> {
  return queryClient.prefetchQuery({ queryKey: approvalsKeys.gatedApps, queryFn: async () => listGatedApps(await getViewerContext()) }).catch(ignore);
}
