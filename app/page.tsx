import type { Metadata } from "next";
import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { getQueryClient } from "@/lib/queries/query-client";
import { prefetchHealth } from "@/lib/queries/health-server";
import { prefetchMetrics } from "@/lib/queries/metrics-server";
import { PageHeader } from "@/components/ui/page-header";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { GettingStarted, GettingStartedSkeleton } from "@/components/overview/getting-started";
import { CohortComparison, CohortComparisonSkeleton } from "@/components/overview/cohort-comparison";
import { MetricGlossary } from "@/components/overview/metric-glossary";

// The root page shares a segment with the layout, where the title template does not apply.
export const metadata: Metadata = { title: { absolute: "Overview · Pipeline Health" } };

export default function OverviewPage() {
  const queryClient = getQueryClient();
  void prefetchHealth(queryClient);
  void prefetchMetrics(queryClient, {});

  return (
    <>
      <PageHeader
        title="Overview"
        description="How your organisation ships software, DevOps (push-based CI/CD) and GitOps (Argo CD, Flux) side by side: deployment frequency, lead time, change fail rate and recovery time."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <QueryBoundary name="Setup status" fallback={<GettingStartedSkeleton />}>
          <GettingStarted />
        </QueryBoundary>
        <section aria-labelledby="comparison-heading" className="flex flex-col gap-3">
          <h2 id="comparison-heading" className="text-lg font-semibold text-fg">
            DevOps vs GitOps
          </h2>
          <QueryBoundary name="Cohort metrics" fallback={<CohortComparisonSkeleton />}>
            <CohortComparison />
          </QueryBoundary>
        </section>
      </HydrationBoundary>
      <MetricGlossary />
    </>
  );
}
