"use client";

import { QueryBoundary } from "@/components/ui/query-boundary";
import { SourceFreshness, SourceFreshnessSkeleton } from "@/components/health/source-freshness";
import { ComparisonBoard, ComparisonBoardSkeleton } from "./comparison-board";
import { ExportMenu } from "./export-menu";
import { LeadTimeDistributionCard, LeadTimeDistributionCardSkeleton } from "./lead-time-distribution-card";
import { OverviewFilters, OverviewFiltersSkeleton } from "./overview-filters";
import { TeamTable, TeamTableSkeleton } from "./team-table";
import { useOverviewParams } from "./use-overview-params";
import { WeeklyTrendsCard, WeeklyTrendsCardSkeleton } from "./weekly-trends-card";

/**
 * The Overview's widgets under one set of URL filters. Each widget has its own boundary (skeleton,
 * error with retry) and query key, so a filter change refetches what depends on it while the rest
 * stays on screen, and one failing widget never blanks the page.
 */
export function OverviewDashboard() {
  const { params, setParams } = useOverviewParams();
  return (
    <>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <QueryBoundary name="Filters" compact fallback={<OverviewFiltersSkeleton />}>
          <OverviewFilters params={params} setParams={setParams} />
        </QueryBoundary>
        <ExportMenu table="overview" params={params} />
      </div>
      <QueryBoundary name="Source freshness" compact fallback={<SourceFreshnessSkeleton />}>
        <SourceFreshness banner />
      </QueryBoundary>
      <section aria-labelledby="comparison-heading" className="flex flex-col gap-3">
        <h2 id="comparison-heading" className="text-lg font-semibold text-fg">
          DevOps vs GitOps
        </h2>
        <QueryBoundary name="Comparison" fallback={<ComparisonBoardSkeleton />}>
          <ComparisonBoard params={params} />
        </QueryBoundary>
      </section>
      <section aria-labelledby="trends-heading" className="flex flex-col gap-3">
        <h2 id="trends-heading" className="text-lg font-semibold text-fg">
          Trends
        </h2>
        <QueryBoundary name="Weekly trends" fallback={<WeeklyTrendsCardSkeleton />}>
          <WeeklyTrendsCard params={params} />
        </QueryBoundary>
        <QueryBoundary name="Lead-time distribution" fallback={<LeadTimeDistributionCardSkeleton />}>
          <LeadTimeDistributionCard params={params} />
        </QueryBoundary>
      </section>
      <section aria-labelledby="teams-heading" className="flex flex-col gap-3">
        <div className="flex items-end justify-between gap-4">
          <h2 id="teams-heading" className="text-lg font-semibold text-fg">
            Teams
          </h2>
          <div className="flex gap-2">
            <ExportMenu table="teams" params={params} />
            <ExportMenu table="services" params={params} />
          </div>
        </div>
        <QueryBoundary name="Teams" fallback={<TeamTableSkeleton />}>
          <TeamTable params={params} />
        </QueryBoundary>
      </section>
    </>
  );
}
