"use client";

import { type MetricsParams, OVERVIEW_URL_PARAMS, metricsParamsSchema } from "@/lib/queries/metrics";
import { useUrlParams } from "@/components/services/use-url-params";

/**
 * The Overview's filters in the URL (window, teams, environments), parsed with the schema the
 * page's server prefetch used, so the first client render asks for the keys the server filled.
 */
export function useOverviewParams() {
  const [params, setParams] = useUrlParams(metricsParamsSchema, OVERVIEW_URL_PARAMS);
  return { params: params as MetricsParams, setParams };
}
