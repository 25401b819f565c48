import "server-only";
import type { QueryClient } from "@tanstack/react-query";
import { getViewerContext } from "@/lib/data/context";
import { getDriftFreshness } from "@/lib/data/drift/get-drift-freshness";
import { getDriftTarget } from "@/lib/data/drift/get-drift-target";
import { listDriftEpisodes } from "@/lib/data/drift/list-drift-episodes";
import { listDriftTargets } from "@/lib/data/drift/list-drift-targets";
import { type DriftEpisodesParams, type DriftTargetsParams, driftKeys } from "./drift";

/**
 * Server prefetches of the drift resource through the data layer (no HTTP round trip to
 * ourselves), under the same keys as the browser's queries. Not awaited by the page: pending
 * queries are dehydrated and stream to their widgets.
 */
const ignore = () => {
  // prefetchQuery never rejects today; the catch keeps a future change from crashing the render.
};

export function prefetchDriftTargets(queryClient: QueryClient, params: DriftTargetsParams): Promise<void> {
  return queryClient.prefetchQuery({ queryKey: driftKeys.targets(params), queryFn: async () => listDriftTargets(await getViewerContext(), params) }).catch(ignore);
}

export function prefetchDriftEpisodes(queryClient: QueryClient, params: DriftEpisodesParams): Promise<void> {
  return queryClient.prefetchQuery({ queryKey: driftKeys.episodes(params), queryFn: async () => listDriftEpisodes(await getViewerContext(), params) }).catch(ignore);
}

export function prefetchDriftTarget(queryClient: QueryClient, id: string): Promise<void> {
  return queryClient.prefetchQuery({ queryKey: driftKeys.target(id), queryFn: async () => getDriftTarget(await getViewerContext(), id) }).catch(ignore);
}

export function prefetchDriftFreshness(queryClient: QueryClient): Promise<void> {
  return queryClient.prefetchQuery({ queryKey: driftKeys.freshness(), queryFn: async () => getDriftFreshness(await getViewerContext()) }).catch(ignore);
}
