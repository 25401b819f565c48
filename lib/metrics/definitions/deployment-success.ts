import { Prisma } from "@/lib/db/generated/client";
import { type Cohort, cohortRows } from "./scope";

/**
 * Deployment success rate (DESIGN §3): successful / all finished attempts.
 *
 * CTE `deployment_success`, one row per (service, cohort) with a finished attempt in the window:
 * - `attempt_count`: SUCCESS + FAILURE (CANCELLED is not an attempt and IN_PROGRESS has not
 *   finished: neither is in the day facts); a failed attempt followed by a successful retry is two
 *   attempts, one success.
 * - `successful_attempt_count`: SUCCESS.
 * Expects `baseCtes` before it.
 */
export function deploymentSuccessCtes(cohorts: readonly Cohort[] = ["ALL"]): Prisma.Sql {
  return Prisma.sql`
  deployment_success AS (
    SELECT
      service_id,
      cohort,
      sum(attempt_count)::int AS attempt_count,
      sum(successful_count)::int AS successful_attempt_count
    FROM ${cohortRows("day_facts", cohorts)}
    GROUP BY service_id, cohort
  )`;
}
