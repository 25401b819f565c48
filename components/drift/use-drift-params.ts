"use client";

import { useMemo } from "react";
import { DRIFT_URL_PARAMS, type DriftEpisodesParams, type DriftTargetsParams, driftPageParamsSchema } from "@/lib/queries/drift";
import { useUrlParams } from "@/components/services/use-url-params";

/**
 * The drift page's URL: filters (table and timeline), the timeline's length and the selected row,
 * parsed with the schema the server's prefetch used. Each widget's params are memoised on their own
 * values, so selecting a row leaves the table's and the timeline's objects (and keys) alone.
 */
export function useDriftParams() {
  const [params, setParams] = useUrlParams(driftPageParamsSchema, DRIFT_URL_PARAMS);
  const { methodology, state, team, q, days } = params;
  const targetsParams: DriftTargetsParams = useMemo(() => ({ methodology, state, team, q }), [methodology, state, team, q]);
  const episodesParams: DriftEpisodesParams = useMemo(() => ({ methodology, state, team, q, days }), [methodology, state, team, q, days]);
  return { params, setParams, targetsParams, episodesParams };
}
