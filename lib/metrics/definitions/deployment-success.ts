import { Prisma } from "@/lib/db/generated/client";
import { type Cohort, cohortRows } from "./scope";

/**
 * Deployment success rate (DESIGN §3): successful / all finished attempts.
 *
 * CTE `deployment_success`, one row per (service, cohort) with a finished attempt in the window:
 * - `attempt_count`: SUCCESS + FAILURE (`finished_attempts` already leaves out CANCELLED, which is not
 *   an attempt, and IN_PROGRESS, which has not finished); a failed attempt followed by a successful
 *   retry is two attempts, one success.
 * - `successful_attempt_count`: SUCCESS.
 * Expects `baseCtes` before it.
 */
export function deploymentSuccessCtes(cohorts: readonly Cohort[] = ["ALL"]): Prisma.Sql {
  return Prisma.sql`
  deployment_success AS (
    SELECT
      service_id,
      cohort,
      count(*)::int AS attempt_count,
      count(*) FILTER (WHERE status = 'SUCCESS')::int AS successful_attempt_count
    FROM ${cohortRows("finished_attempts", cohorts)}
    GROUP BY service_id, cohort
  )`;
}
