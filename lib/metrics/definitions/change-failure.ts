import { Prisma } from "@/lib/db/generated/client";

/**
 * Change fail rate and failed deployment recovery time (DESIGN §3), from the derived flags as the
 * day facts carry them (`day-facts.ts`).
 *
 * Every CTE is keyed by `(service_id, cohort)` (see `cohortRows`).
 *
 * Totals (`CHANGE_FAILURE_TOTALS`, one pass with the others), read through CTE `change_failure`,
 * one row per (service, cohort) with a finished attempt:
 * - `successful_count`, `failed_change_count` (successful deployments flagged `isFailedChange`);
 *   the rate is `failed_change_count / successful_count`, computed where the values are assembled so
 *   that cohorts can pool the counts. A failed attempt never went live: it is not a failed change.
 *
 * CTE `recovery_time`, one row per (service, cohort) with a recovered failed change in the window:
 * - `recovered_count`, and `recovery_time_median_hours`: `percentile_cont(0.5)` of the recovery times
 *   (the day facts' `recovery_seconds`: remediation, else all attributed incidents resolved), in hours.
 *   A failed change not yet recovered has no recovery time (left out of the median, not counted as 0).
 * Expects `baseCtes` before it.
 */
export const CHANGE_FAILURE_TOTALS = Prisma.sql`sum(successful_count)::int AS successful_count, sum(failed_change_count)::int AS failed_change_count`;

export function changeFailureCtes(): Prisma.Sql {
  return Prisma.sql`
  change_failure AS (SELECT service_id, cohort, successful_count, failed_change_count FROM metric_totals),
  recovery_time AS (
    SELECT
      keyed_day_facts.service_id,
      keyed_day_facts.cohort,
      count(*)::int AS recovered_count,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY recovery.seconds) / 3600.0 AS recovery_time_median_hours
    FROM keyed_day_facts
    CROSS JOIN LATERAL unnest(keyed_day_facts.recovery_seconds) AS recovery(seconds)
    GROUP BY keyed_day_facts.service_id, keyed_day_facts.cohort
  )`;
}
