import { Prisma } from "@/lib/db/generated/client";

/**
 * Deployment success rate (DESIGN §3): successful / all finished attempts.
 *
 * CTE `deployment_success`, one row per service with a finished attempt in the window:
 * - `attempt_count`: SUCCESS + FAILURE (`finished_attempts` already leaves out CANCELLED, which is not
 *   an attempt, and IN_PROGRESS, which has not finished); a failed attempt followed by a successful
 *   retry is two attempts, one success.
 * - `successful_attempt_count`: SUCCESS.
 * Expects `baseCtes` before it.
 */
export function deploymentSuccessCtes(): Prisma.Sql {
  return Prisma.sql`
  deployment_success AS (
    SELECT
      service_id,
      count(*)::int AS attempt_count,
      count(*) FILTER (WHERE status = 'SUCCESS')::int AS successful_attempt_count
    FROM finished_attempts
    GROUP BY service_id
  )`;
}
