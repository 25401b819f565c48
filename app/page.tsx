import type { Metadata } from "next";
import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { getQueryClient } from "@/lib/queries/query-client";
import { prefetchComparison, prefetchMetricFilters } from "@/lib/queries/compare-server";
import { prefetchDriftFreshness } from "@/lib/queries/drift-server";
import { prefetchHealth } from "@/lib/queries/health-server";
import { OVERVIEW_URL_PARAMS, metricsParamsSchema } from "@/lib/queries/metrics";
import { prefetchMetrics } from "@/lib/queries/metrics-server";
import { prefetchLeadTimeDistribution, prefetchOverviewTrends } from "@/lib/queries/overview-charts-server";
import { parseSearchParams } from "@/lib/queries/services";
import { PageHeader } from "@/components/ui/page-header";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { GettingStarted, GettingStartedSkeleton } from "@/components/overview/getting-started";
import { MetricGlossary } from "@/components/overview/metric-glossary";
import { OverviewDashboard } from "@/components/overview/overview-dashboard";

// The root page shares a segment with the layout, where the title template does not apply.
export const metadata: Metadata = { title: { absolute: "Overview · Pipeline Health" } };

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The same parse as the client's URL hook, so the prefetched keys are the ones the widgets ask for.
  const { params } = parseSearchParams(metricsParamsSchema, await searchParams, OVERVIEW_URL_PARAMS);
  const queryClient = getQueryClient();
  // Started together and not awaited: each widget streams in when its own data is ready.
  void prefetchHealth(queryClient);
  void prefetchMetricFilters(queryClient);
  void prefetchDriftFreshness(queryClient);
  void prefetchComparison(queryClient, params);
  void prefetchMetrics(queryClient, params);
  // The setup card asks for the unfiltered default window: a filter that matches nothing is not "no data yet".
  if (Object.keys(params).length > 0) void prefetchMetrics(queryClient, {});
  void prefetchOverviewTrends(queryClient, params);
  void prefetchLeadTimeDistribution(queryClient, params);

  return (
    <>
      <PageHeader
        title="Overview"
        description="How your organisation ships software, DevOps (push-based CI/CD) and GitOps (Argo CD, Flux) side by side: the DORA metrics, deployment success, sync lag, drift and change traceability, and how sure each difference is."
      />
      <HydrationBoundary state={dehydrate(queryClient)} options={{ defaultOptions: { queries: { retry: false } } }}>
        <QueryBoundary name="Setup status" fallback={<GettingStartedSkeleton />}>
          <GettingStarted />
        </QueryBoundary>
        <OverviewDashboard />
      </HydrationBoundary>
      <MetricGlossary />
    </>
  );
}
