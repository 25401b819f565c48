import type { Metadata } from "next";
import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { getQueryClient } from "@/lib/queries/query-client";
import { AUDIT_URL_PARAMS, auditFiltersOf, auditPageParamsSchema } from "@/lib/queries/audit";
import { prefetchAuditEvents, prefetchAuditFilterOptions, prefetchAuditVerification } from "@/lib/queries/audit-server";
import { parseSearchParams } from "@/lib/queries/services";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { AuditExplainer } from "@/components/audit/audit-explainer";
import { AuditChainBadge, AuditChainBadgeSkeleton } from "@/components/audit/audit-chain-badge";
import { AuditFilters, AuditFiltersSkeleton } from "@/components/audit/audit-filters";
import { AuditEventsTable, AuditEventsTableSkeleton } from "@/components/audit/audit-events-table";
import { AuditExportMenu } from "@/components/audit/audit-export-menu";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The same parse as the client's URL hook, so the prefetched keys are the ones the widgets ask for.
  const { params } = parseSearchParams(auditPageParamsSchema, await searchParams, AUDIT_URL_PARAMS);
  const filters = auditFiltersOf(params);
  const queryClient = getQueryClient();
  // Fired together, not awaited: pending queries stream to their widgets.
  void prefetchAuditVerification(queryClient);
  void prefetchAuditFilterOptions(queryClient);
  void prefetchAuditEvents(queryClient, filters);

  return (
    <HydrationBoundary state={dehydrate(queryClient)} options={{ defaultOptions: { queries: { retry: false } } }}>
      <PageHeader
        title="Audit"
        description="Who changed what, through which pull request, which deployment or sync, with what result: one append-only, hash-chained trail across every source and the dashboard itself."
        actions={
          <QueryBoundary name="Chain verification" compact fallback={<AuditChainBadgeSkeleton />}>
            <AuditChainBadge />
          </QueryBoundary>
        }
      />
      <div className="mt-6 flex flex-col gap-6">
        <Card aria-labelledby="audit-events-heading">
          <CardHeader id="audit-events-heading" title="Events" description="Newest first. Open a row for before/after, request id, client IP and its hashes." actions={<AuditExportMenu />} />
          <QueryBoundary name="Audit filters" compact fallback={<AuditFiltersSkeleton />}>
            <AuditFilters />
          </QueryBoundary>
          <QueryBoundary name="Audit events" fallback={<AuditEventsTableSkeleton />}>
            <AuditEventsTable />
          </QueryBoundary>
        </Card>
        <AuditExplainer />
      </div>
    </HydrationBoundary>
  );
}
