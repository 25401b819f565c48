import { Prisma } from "@/lib/db/generated/client";
import { type Cohort, cohortRows } from "./scope";

/**
 * Deployment rework rate (DESIGN §3): remediating deployments / successful deployments.
 *
 * CTE `rework`, one row per (service, cohort) with a finished attempt:
 * - `rework_count`: successful deployments flagged `isRework` or `isRollback` (the day facts' `rework_count`).
 * The rate is assembled with `successful_count` from `change_failure`. Rework has no DORA tier.
 * Expects `baseCtes` before it.
 */
export function reworkCtes(cohorts: readonly Cohort[] = ["ALL"]): Prisma.Sql {
  return Prisma.sql`
  rework AS (
    SELECT service_id, cohort, sum(rework_count)::int AS rework_count
    FROM ${cohortRows("day_facts", cohorts)}
    GROUP BY service_id, cohort
  )`;
}
