import type { Metadata } from "next";
import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { getQueryClient } from "@/lib/queries/query-client";
import { DRIFT_URL_PARAMS, driftPageParamsSchema, driftWidgetParams } from "@/lib/queries/drift";
import { prefetchDriftEpisodes, prefetchDriftFreshness, prefetchDriftTarget, prefetchDriftTargets } from "@/lib/queries/drift-server";
import { parseSearchParams } from "@/lib/queries/services";
import { PageHeader } from "@/components/ui/page-header";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { DRIFT_PAGE_DESCRIPTION } from "@/components/drift/page-copy";
import { SourceFreshness, SourceFreshnessSkeleton } from "@/components/health/source-freshness";
import { DriftTargetsTable, DriftTargetsTableSkeleton } from "@/components/drift/drift-targets-table";
import { DriftDetailPanel, DriftDetailPanelSkeleton } from "@/components/drift/drift-detail-panel";
import { DriftTimelineCard, DriftTimelineSkeleton } from "@/components/drift/drift-timeline-card";
import { DriftExplainer } from "@/components/drift/drift-explainer";

export const metadata: Metadata = { title: "Drift" };

export default async function DriftPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The same parse as the client's URL hook, so the prefetched keys are the ones the widgets ask for.
  const { params } = parseSearchParams(driftPageParamsSchema, await searchParams, DRIFT_URL_PARAMS);
  const widgets = driftWidgetParams(params);
  const queryClient = getQueryClient();
  // Fired together, not awaited: pending queries stream to their widgets.
  void prefetchDriftFreshness(queryClient);
  void prefetchDriftTargets(queryClient, widgets.targets);
  void prefetchDriftEpisodes(queryClient, widgets.episodes);
  if (params.target) void prefetchDriftTarget(queryClient, params.target);

  return (
    <>
      <PageHeader title="Drift" description={DRIFT_PAGE_DESCRIPTION} />
      <HydrationBoundary state={dehydrate(queryClient)} options={{ defaultOptions: { queries: { retry: false } } }}>
        <div className="flex flex-col gap-6">
          <QueryBoundary name="Source freshness" compact fallback={<SourceFreshnessSkeleton />}>
            <SourceFreshness />
          </QueryBoundary>
          <QueryBoundary name="Drift targets" fallback={<DriftTargetsTableSkeleton />}>
            <DriftTargetsTable />
          </QueryBoundary>
          <QueryBoundary name="Drift details" fallback={<DriftDetailPanelSkeleton />}>
            <DriftDetailPanel />
          </QueryBoundary>
          <QueryBoundary name="Episode timeline" fallback={<DriftTimelineSkeleton />}>
            <DriftTimelineCard />
          </QueryBoundary>
          <DriftExplainer />
        </div>
      </HydrationBoundary>
    </>
  );
}
