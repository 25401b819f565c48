import { Prisma } from "@/lib/db/generated/client";
import { bucketStartSql } from "@/lib/time/buckets";
import { type Cohort, type MetricScope, cohortOf, cohortRows, fromParam, sameCohort, toParam } from "./scope";

/** Local month start in `timeZone`, the same construction as `bucketStartSql` (which knows day and week only). */
function monthStartSql(column: Prisma.Sql, timeZone: string): Prisma.Sql {
  return Prisma.sql`(date_trunc('month', ${column} AT TIME ZONE ${timeZone}))::date`;
}

/**
 * Deployment frequency (DESIGN §3): successful production deployments, rollbacks included.
 *
 * CTE `deployment_frequency`, one row per scoped service and cohort (`scoped_keys`):
 * - `deployment_count`: successful deployments finished in `[from, to)`.
 * - `deployments_per_day`: `deployment_count` / the window's length in days (fractional for partial days);
 *   0 for a service that did not deploy: a window always has a length, so zero deployments is a measurement.
 * - `deployment_days_per_week_median`: for every ORG_TIMEZONE week (Monday start) the window touches,
 *   the number of distinct local days with a successful deployment (0 for a week without any);
 *   `percentile_cont(0.5)` over those weeks. Weeks cut by the window's edges count as they are.
 * - `deployment_days_per_month_median`: the same over local calendar months, which the medium tier
 *   ("at least once a month") needs.
 * Expects `baseCtes` before it.
 */
export function deploymentFrequencyCtes(scope: MetricScope, cohorts: readonly Cohort[] = [cohortOf(scope)]): Prisma.Sql {
  const tz = scope.timeZone;
  // The last instant inside [from, to), so a window ending exactly at a week start does not touch that week.
  const lastInstant = Prisma.sql`(${toParam(scope)} - interval '1 millisecond')`;
  return Prisma.sql`
  window_weeks AS (
    SELECT generate_series(
      ${bucketStartSql(fromParam(scope), "week", tz)}::timestamp,
      ${bucketStartSql(lastInstant, "week", tz)}::timestamp,
      interval '1 week'
    )::date AS week_start
  ),
  window_months AS (
    SELECT generate_series(
      ${monthStartSql(fromParam(scope), tz)}::timestamp,
      ${monthStartSql(lastInstant, tz)}::timestamp,
      interval '1 month'
    )::date AS month_start
  ),
  deployment_days AS (
    -- A cohort of both methodologies sees a day once even when both deployed on it.
    SELECT DISTINCT
      service_id,
      cohort,
      local_day,
      date_trunc('week', local_day::timestamp)::date AS week_start,
      date_trunc('month', local_day::timestamp)::date AS month_start
    FROM ${cohortRows("day_facts", cohorts)}
    WHERE successful_count > 0
  ),
  weekly_deployment_days AS (
    SELECT scoped_keys.service_id, scoped_keys.cohort, window_weeks.week_start, count(deployment_days.local_day)::float8 AS deployment_days
    FROM scoped_keys
    CROSS JOIN window_weeks
    LEFT JOIN deployment_days
      ON deployment_days.service_id = scoped_keys.service_id ${sameCohort("deployment_days", "scoped_keys", cohorts)}
      AND deployment_days.week_start = window_weeks.week_start
    GROUP BY scoped_keys.service_id, scoped_keys.cohort, window_weeks.week_start
  ),
  monthly_deployment_days AS (
    SELECT scoped_keys.service_id, scoped_keys.cohort, window_months.month_start, count(deployment_days.local_day)::float8 AS deployment_days
    FROM scoped_keys
    CROSS JOIN window_months
    LEFT JOIN deployment_days
      ON deployment_days.service_id = scoped_keys.service_id ${sameCohort("deployment_days", "scoped_keys", cohorts)}
      AND deployment_days.month_start = window_months.month_start
    GROUP BY scoped_keys.service_id, scoped_keys.cohort, window_months.month_start
  ),
  weekly_median AS (
    SELECT service_id, cohort, percentile_cont(0.5) WITHIN GROUP (ORDER BY deployment_days) AS deployment_days_per_week_median
    FROM weekly_deployment_days
    GROUP BY service_id, cohort
  ),
  monthly_median AS (
    SELECT service_id, cohort, percentile_cont(0.5) WITHIN GROUP (ORDER BY deployment_days) AS deployment_days_per_month_median
    FROM monthly_deployment_days
    GROUP BY service_id, cohort
  ),
  deployment_frequency AS (
    SELECT
      scoped_keys.service_id,
      scoped_keys.cohort,
      coalesce(counts.deployment_count, 0) AS deployment_count,
      coalesce(counts.deployment_count, 0)::float8
        / (extract(epoch FROM (${toParam(scope)} - ${fromParam(scope)}))::float8 / 86400.0) AS deployments_per_day,
      weekly_median.deployment_days_per_week_median,
      monthly_median.deployment_days_per_month_median
    FROM scoped_keys
    JOIN weekly_median ON weekly_median.service_id = scoped_keys.service_id ${sameCohort("weekly_median", "scoped_keys", cohorts)}
    JOIN monthly_median ON monthly_median.service_id = scoped_keys.service_id ${sameCohort("monthly_median", "scoped_keys", cohorts)}
    LEFT JOIN (
      SELECT service_id, cohort, sum(successful_count)::int AS deployment_count
      FROM ${cohortRows("day_facts", cohorts)}
      GROUP BY service_id, cohort
    ) counts ON counts.service_id = scoped_keys.service_id ${sameCohort("counts", "scoped_keys", cohorts)}
  )`;
}
