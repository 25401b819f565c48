import { Prisma } from "@/lib/db/generated/client";
import { type Cohort, cohortRows } from "./scope";

/**
 * Deployment rework rate (DESIGN §3): remediating deployments / successful deployments.
 *
 * CTE `rework`, one row per (service, cohort) with a successful deployment:
 * - `rework_count`: successful deployments flagged `isRework` or `isRollback` (a rollback is always
 *   remediation, so it counts even if only its rollback flag is set).
 * The rate is assembled with `successful_count` from `change_failure`. Rework has no DORA tier.
 * Expects `baseCtes` before it.
 */
export function reworkCtes(cohorts: readonly Cohort[] = ["ALL"]): Prisma.Sql {
  return Prisma.sql`
  rework AS (
    SELECT service_id, cohort, count(*) FILTER (WHERE is_rework OR is_rollback)::int AS rework_count
    FROM ${cohortRows("successful_deployments", cohorts)}
    GROUP BY service_id, cohort
  )`;
}
