import { Prisma } from "@/lib/db/generated/client";

/**
 * Deployment success rate (DESIGN §3): successful / all finished attempts, over the attempts a source
 * saw: GitOps deployments known only from history (`unwitnessed_count`, see day-facts.ts) are left
 * out of both, since their failed attempts could not have been seen.
 *
 * Totals (`DEPLOYMENT_SUCCESS_TOTALS`, aggregated with the others in one pass by `metricTotalsCte`),
 * read through CTE `deployment_success`, one row per (service, cohort) with a finished attempt in the window:
 * - `attempt_count`: SUCCESS + FAILURE (CANCELLED is not an attempt and IN_PROGRESS has not
 *   finished: neither is in the day facts); a failed attempt followed by a successful retry is two
 *   attempts, one success.
 * - `successful_attempt_count`: SUCCESS.
 * Expects `baseCtes` before it.
 */
export const DEPLOYMENT_SUCCESS_TOTALS = Prisma.sql`sum(attempt_count)::int AS attempt_count, sum(successful_count)::int AS successful_attempt_count,
  sum(unwitnessed_count)::int AS unwitnessed_count`;

export function deploymentSuccessCtes(): Prisma.Sql {
  return Prisma.sql`
  deployment_success AS (SELECT service_id, cohort, attempt_count, successful_attempt_count, unwitnessed_count FROM metric_totals)`;
}
