"use client";

import { useMemo } from "react";
import { SERVICE_DETAIL_URL_PARAMS, type ServiceDetailParams, serviceDeploymentsParamsSchema } from "@/lib/queries/services";
import { useUrlParams } from "./use-url-params";

/**
 * The service page's URL filters: the window (every widget) and the environment (timeline and
 * deployments only), split so a change of environment leaves the metrics query's key alone.
 */
export function useServiceParams() {
  const [params, setParams] = useUrlParams(serviceDeploymentsParamsSchema, SERVICE_DETAIL_URL_PARAMS);
  const windowParams: ServiceDetailParams = useMemo(() => ({ from: params.from, to: params.to, days: params.days }), [params.from, params.to, params.days]);
  return { params, windowParams, setParams };
}
