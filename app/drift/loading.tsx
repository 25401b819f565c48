import { PageHeader } from "@/components/ui/page-header";
import { DRIFT_PAGE_DESCRIPTION } from "@/components/drift/page-copy";
import { SourceFreshnessSkeleton } from "@/components/health/source-freshness";
import { DriftTargetsTableSkeleton } from "@/components/drift/drift-targets-table";
import { DriftTimelineSkeleton } from "@/components/drift/drift-timeline-card";

/** The drift page while its searchParams resolve: the same frame as the page, widgets as skeletons. */
export default function DriftLoading() {
  return (
    <>
      <PageHeader title="Drift" description={DRIFT_PAGE_DESCRIPTION} />
      <div className="flex flex-col gap-6">
        <SourceFreshnessSkeleton />
        <DriftTargetsTableSkeleton />
        <DriftTimelineSkeleton />
      </div>
    </>
  );
}
