import "server-only";
import type { QueryClient } from "@tanstack/react-query";
import { getViewerContext } from "@/lib/data/context";
import { listAuditEvents } from "@/lib/data/audit/list-audit-events";
import { listAuditFilterOptions } from "@/lib/data/audit/list-audit-filter-options";
import { getAuditVerification } from "@/lib/data/audit/get-audit-verification";
import { AUDIT_PAGE_SIZE, type AuditFilters, SERVICE_AUDIT_CARD_SIZE, auditKeys } from "./audit";

/**
 * Server prefetches of the audit resource through the data layer (no HTTP round trip to
 * ourselves), under the same keys as the browser's queries. Not awaited by the page: pending
 * queries are dehydrated and stream to their widgets.
 */
const ignore = () => {
  // prefetchQuery never rejects today; the catch keeps a future change from crashing the render.
};

export function prefetchAuditEvents(queryClient: QueryClient, filters: AuditFilters): Promise<void> {
  return queryClient
    .prefetchInfiniteQuery({
      queryKey: auditKeys.events(filters, AUDIT_PAGE_SIZE),
      queryFn: async () => listAuditEvents(await getViewerContext(), { ...filters, limit: AUDIT_PAGE_SIZE }),
      initialPageParam: null as string | null,
      getNextPageParam: (last: { nextCursor: string | null }) => last.nextCursor,
    })
    .catch(ignore);
}

export function prefetchAuditRecent(queryClient: QueryClient, filters: AuditFilters, limit: number = SERVICE_AUDIT_CARD_SIZE): Promise<void> {
  return queryClient
    .prefetchQuery({ queryKey: auditKeys.recent(filters, limit), queryFn: async () => listAuditEvents(await getViewerContext(), { ...filters, limit }) })
    .catch(ignore);
}

export function prefetchAuditFilterOptions(queryClient: QueryClient): Promise<void> {
  return queryClient.prefetchQuery({ queryKey: auditKeys.filters(), queryFn: async () => listAuditFilterOptions(await getViewerContext()) }).catch(ignore);
}

export function prefetchAuditVerification(queryClient: QueryClient): Promise<void> {
  return queryClient.prefetchQuery({ queryKey: auditKeys.verification(), queryFn: async () => getAuditVerification(await getViewerContext()) }).catch(ignore);
}
