"use client";

import { useUrlParams } from "@/components/services/use-url-params";
import { APPROVALS_URL_PARAMS, approvalsPageParamsSchema } from "./approvals-params";

/**
 * The approvals page's URL: `request` (a deep link from the audit trail, highlighted and scrolled
 * to) and `app` (opens the request dialog for that app, e.g. from the drift page).
 */
export function useApprovalsParams() {
  return useUrlParams(approvalsPageParamsSchema, APPROVALS_URL_PARAMS);
}
