"use client";

import { useMemo } from "react";
import { AUDIT_URL_PARAMS, type AuditFilters, auditFiltersOf, auditPageParamsSchema } from "@/lib/queries/audit";
import { useUrlParams } from "@/components/services/use-url-params";

/**
 * The Audit page's URL: the filters and the open event, parsed with the schema the server's
 * prefetch used. The filters object is memoised on its serialised values, so opening a row leaves
 * the table's key (and its loaded pages) alone.
 */
export function useAuditParams() {
  const [params, setParams] = useUrlParams(auditPageParamsSchema, AUDIT_URL_PARAMS);
  const serialised = JSON.stringify(auditFiltersOf(params));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the serialised filters on purpose
  const filters: AuditFilters = useMemo(() => auditFiltersOf(params), [serialised]);
  return { params, setParams, filters };
}
