import "server-only";
import { cache } from "react";
import type { QueryClient } from "@tanstack/react-query";
import { getViewerContext } from "@/lib/data/context";
import { listServiceMetrics } from "@/lib/data/metrics/list-service-metrics";
import { findServiceHeader, getServiceDetail } from "@/lib/data/services/get-service";
import { listServiceDeployments } from "@/lib/data/services/list-service-deployments";
import { type ServiceDeploymentsParams, type ServiceDetailParams, type ServiceListParams, servicesKeys } from "./services";

/**
 * Server prefetches of the services resource through the data layer (no HTTP round trip to
 * ourselves), under the same keys as the browser's queries. Not awaited by pages: pending queries
 * are dehydrated and stream to their widgets.
 */
const ignore = () => {
  // prefetchQuery never rejects today; the catch keeps a future change from crashing the render.
};

export function prefetchServiceList(queryClient: QueryClient, params: ServiceListParams): Promise<void> {
  return queryClient
    .prefetchQuery({ queryKey: servicesKeys.list(params), queryFn: async () => listServiceMetrics(await getViewerContext(), params) })
    .catch(ignore);
}

export function prefetchServiceDetail(queryClient: QueryClient, slug: string, params: ServiceDetailParams): Promise<void> {
  return queryClient
    .prefetchQuery({ queryKey: servicesKeys.detail(slug, params), queryFn: async () => getServiceDetail(await getViewerContext(), slug, params) })
    .catch(ignore);
}

export function prefetchServiceDeployments(queryClient: QueryClient, slug: string, params: ServiceDeploymentsParams): Promise<void> {
  return queryClient
    .prefetchQuery({
      queryKey: servicesKeys.deployments(slug, params),
      queryFn: async () => listServiceDeployments(await getViewerContext(), slug, params),
    })
    .catch(ignore);
}

/**
 * The service's name and team for the page heading, or null for a 404; awaited, and cheap: one
 * indexed lookup, shared per request by the layout's check, its metadata and the page.
 */
export const getServiceHeading = cache(async (slug: string) => await findServiceHeader(await getViewerContext(), slug));
