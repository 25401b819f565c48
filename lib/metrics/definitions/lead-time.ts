import { Prisma } from "@/lib/db/generated/client";

/**
 * Lead time for changes (DESIGN §3), over the measured changes of the day facts in scope (the changes
 * of successful deployments whose `leadTimeSeconds` is set: see `day-facts.ts` for the parts).
 *
 * CTE `measured_changes`: one row per measured change and cohort (the day facts' aligned arrays unnested).
 * CTE `lead_time`, one row per (service, cohort) with at least one measured change:
 * - `lead_time_median_hours` / `lead_time_p90_hours`: `percentile_cont(0.5 | 0.9)` of the lead times, in hours.
 * - breakdown medians (coding, review, waiting) over the same changes; percentile_cont skips NULL
 *   inputs, so a part is the median of the changes that have it (PR changes).
 * Expects `baseCtes` before it.
 */
export function leadTimeCtes(): Prisma.Sql {
  return Prisma.sql`
  measured_changes AS (
    SELECT keyed_day_facts.service_id, keyed_day_facts.cohort, change.lead_time_seconds, change.coding_seconds, change.review_seconds, change.waiting_seconds
    FROM keyed_day_facts
    CROSS JOIN LATERAL unnest(keyed_day_facts.lead_time_seconds, keyed_day_facts.coding_seconds, keyed_day_facts.review_seconds, keyed_day_facts.waiting_seconds)
      AS change(lead_time_seconds, coding_seconds, review_seconds, waiting_seconds)
  ),
  lead_time AS (
    SELECT
      service_id,
      cohort,
      count(*)::int AS lead_time_change_count,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY lead_time_seconds) / 3600.0 AS lead_time_median_hours,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY lead_time_seconds) / 3600.0 AS lead_time_p90_hours,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY coding_seconds) / 3600.0 AS coding_median_hours,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY review_seconds) / 3600.0 AS review_median_hours,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY waiting_seconds) / 3600.0 AS waiting_median_hours
    FROM measured_changes
    GROUP BY service_id, cohort
  )`;
}
