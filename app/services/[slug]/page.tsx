import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { getQueryClient } from "@/lib/queries/query-client";
import { SERVICE_DETAIL_URL_PARAMS, parseSearchParams, serviceDeploymentsParamsSchema } from "@/lib/queries/services";
import { getServiceHeading, prefetchServiceDeployments, prefetchServiceDetail } from "@/lib/queries/services-server";
import { PageHeader } from "@/components/ui/page-header";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { ServiceFilters } from "@/components/services/service-filters";
import { ServiceMetricsCard, ServiceMetricsSkeleton } from "@/components/services/service-metrics-card";
import { DeploymentTimelineCard, DeploymentTimelineSkeleton } from "@/components/services/deployment-timeline";
import { LeadTimeCard, LeadTimeSkeleton } from "@/components/services/lead-time-card";
import { DeploymentsCard, DeploymentsSkeleton } from "@/components/services/deployments-card";
import { IncidentsCard, IncidentsSkeleton } from "@/components/services/incidents-card";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  return { title: slug };
}

export default async function ServicePage({ params, searchParams }: Props) {
  const { slug } = await params;
  // Awaited on purpose: an unknown slug must answer 404 before anything streams.
  const heading = await getServiceHeading(slug);
  if (!heading) notFound();

  const { params: filters } = parseSearchParams(serviceDeploymentsParamsSchema, await searchParams, SERVICE_DETAIL_URL_PARAMS);
  const windowParams = { from: filters.from, to: filters.to, days: filters.days };
  const queryClient = getQueryClient();
  void prefetchServiceDetail(queryClient, heading.slug, windowParams);
  void prefetchServiceDeployments(queryClient, heading.slug, filters);

  return (
    <>
      <nav aria-label="Breadcrumb" className="-mb-5 text-sm">
        <Link href="/services" className="text-accent underline underline-offset-2">
          Services
        </Link>
        <span aria-hidden="true" className="px-1.5 text-subtle">
          /
        </span>
        <span aria-current="page" className="text-muted">
          {heading.name}
        </span>
      </nav>
      <PageHeader
        title={heading.name}
        description={heading.team ? `Team ${heading.team.name} · production delivery of ${heading.slug}` : `No team · production delivery of ${heading.slug}`}
      />
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
      </HydrationBoundary>
    </>
  );
}
