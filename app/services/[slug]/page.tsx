import { notFound } from "next/navigation";
import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { getQueryClient } from "@/lib/queries/query-client";
import { SERVICE_DETAIL_URL_PARAMS, parseSearchParams, serviceDeploymentsParamsSchema } from "@/lib/queries/services";
import { getServiceHeading, prefetchServiceDeployments, prefetchServiceDetail } from "@/lib/queries/services-server";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { ServiceFilters } from "@/components/services/service-filters";
import { ServiceMetricsCard, ServiceMetricsSkeleton } from "@/components/services/service-metrics-card";
import { DeploymentTimelineCard, DeploymentTimelineSkeleton } from "@/components/services/deployment-timeline";
import { LeadTimeCard, LeadTimeSkeleton } from "@/components/services/lead-time-card";
import { DeploymentsCard, DeploymentsSkeleton } from "@/components/services/deployments-card";
import { IncidentsCard, IncidentsSkeleton } from "@/components/services/incidents-card";
import { ServiceAuditCard, ServiceAuditSkeleton } from "@/components/audit/service-audit-card";
import { prefetchAuditRecent } from "@/lib/queries/audit-server";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ServicePage({ params, searchParams }: Props) {
  const { slug } = await params;
  // The layout has answered 404 already; this lookup is the same request's cached one (or, after a
  // filter change re-renders only the page, one indexed read) and keeps prefetches off unknown slugs.
  const heading = await getServiceHeading(slug);
  if (!heading) notFound();

  const { params: filters } = parseSearchParams(serviceDeploymentsParamsSchema, await searchParams, SERVICE_DETAIL_URL_PARAMS);
  const windowParams = { from: filters.from, to: filters.to, days: filters.days };
  const queryClient = getQueryClient();
  void prefetchServiceDetail(queryClient, heading.slug, windowParams);
  void prefetchServiceDeployments(queryClient, heading.slug, filters);
  void prefetchAuditRecent(queryClient, { service: [heading.slug] });

  return (
    <HydrationBoundary state={dehydrate(queryClient)} options={{ defaultOptions: { queries: { retry: false } } }}>
      <ServiceFilters slug={heading.slug} />
      <QueryBoundary name="Service metrics" fallback={<ServiceMetricsSkeleton />}>
        <ServiceMetricsCard slug={heading.slug} />
      </QueryBoundary>
      <QueryBoundary name="Deployment timeline" fallback={<DeploymentTimelineSkeleton />}>
        <DeploymentTimelineCard slug={heading.slug} />
      </QueryBoundary>
      <QueryBoundary name="Lead time" fallback={<LeadTimeSkeleton />}>
        <LeadTimeCard slug={heading.slug} />
      </QueryBoundary>
      <QueryBoundary name="Deployments" fallback={<DeploymentsSkeleton />}>
        <DeploymentsCard slug={heading.slug} />
      </QueryBoundary>
      <QueryBoundary name="Incidents" fallback={<IncidentsSkeleton />}>
        <IncidentsCard slug={heading.slug} />
      </QueryBoundary>
      <QueryBoundary name="Audit timeline" fallback={<ServiceAuditSkeleton />}>
        <ServiceAuditCard slug={heading.slug} />
      </QueryBoundary>
    </HydrationBoundary>
  );
}
