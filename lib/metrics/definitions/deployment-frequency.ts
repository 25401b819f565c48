import { Prisma } from "@/lib/db/generated/client";
import { bucketStartSql } from "@/lib/time/buckets";
import { type MetricScope, fromParam, toParam } from "./scope";

/** Local month start in `timeZone`, the same construction as `bucketStartSql` (which knows day and week only). */
function monthStartSql(column: Prisma.Sql, timeZone: string): Prisma.Sql {
  return Prisma.sql`(date_trunc('month', ${column} AT TIME ZONE ${timeZone}))::date`;
}

/**
 * `percentile_cont(p)` of `total` values of which `total − cardinality(sorted)` are 0 and the rest are
 * the ascending array `sorted`: the median over every week (month) the window touches without
 * materialising the weeks without a deployment, which are the zeros at the front.
 */
function zeroPaddedPercentileSql(sorted: Prisma.Sql, total: Prisma.Sql, p: number): Prisma.Sql {
  // Positions are 0-based over the padded list; arrays are 1-based.
  const at = (position: Prisma.Sql) =>
    Prisma.sql`(CASE WHEN ${position} < ${total} - cardinality(${sorted}) THEN 0::float8 ELSE (${sorted})[(${position} - (${total} - cardinality(${sorted})))::int + 1] END)`;
  const position = Prisma.sql`(${p}::float8 * (${total} - 1))`;
  const lower = Prisma.sql`floor(${position})`;
  const upper = Prisma.sql`ceil(${position})`;
  return Prisma.sql`(${at(lower)} + (${at(upper)} - ${at(lower)}) * (${position} - ${lower}))`;
}

/**
 * Deployment frequency (DESIGN §3): successful production deployments, rollbacks included.
 *
 * CTE `deployment_frequency`, one row per scoped service and cohort (`scoped_keys`):
 * - `deployment_count`: successful deployments finished in `[from, to)` (`FREQUENCY_TOTALS`, one
 *   pass with the other totals).
 * - `deployments_per_day`: `deployment_count` / the window's length in days (fractional for partial days);
 *   0 for a service that did not deploy: a window always has a length, so zero deployments is a measurement.
 * - `deployment_days_per_week_median`: for every ORG_TIMEZONE week (Monday start) the window touches,
 *   the number of distinct local days with a successful deployment (0 for a week without any);
 *   `percentile_cont(0.5)` over those weeks. Weeks cut by the window's edges count as they are.
 * - `deployment_days_per_month_median`: the same over local calendar months, which the medium tier
 *   ("at least once a month") needs.
 * Expects `baseCtes` and `metric_totals` before it.
 */
export const FREQUENCY_TOTALS = Prisma.sql`sum(successful_count)::int AS deployment_count`;

/** CTEs `window_weeks` and `window_months`: every ORG_TIMEZONE week (Monday start) and month the window touches. */
export function windowPeriodsCtes(scope: MetricScope): Prisma.Sql {
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
  )`;
}

export function deploymentFrequencyCtes(scope: MetricScope): Prisma.Sql {
  const weeks = Prisma.sql`(SELECT count(*) FROM window_weeks)::int`;
  const months = Prisma.sql`(SELECT count(*) FROM window_months)::int`;
  return Prisma.sql`
  ${windowPeriodsCtes(scope)},
  deployment_days AS (
    -- A cohort of both methodologies sees a day once even when both deployed on it.
    SELECT service_id, cohort, local_day
    FROM keyed_day_facts
    WHERE successful_count > 0
    GROUP BY service_id, cohort, local_day
  ),
  weekly_deployment_days AS (
    SELECT service_id, cohort, count(*)::float8 AS days
    FROM deployment_days
    GROUP BY service_id, cohort, date_trunc('week', local_day::timestamp)
  ),
  monthly_deployment_days AS (
    SELECT service_id, cohort, count(*)::float8 AS days
    FROM deployment_days
    GROUP BY service_id, cohort, date_trunc('month', local_day::timestamp)
  ),
  period_deployment_days AS (
    -- Per (service, cohort): the deployment-day counts of the weeks and months that have any, ascending.
    SELECT coalesce(weekly.service_id, monthly.service_id) AS service_id, coalesce(weekly.cohort, monthly.cohort) AS cohort, weekly.weekly, monthly.monthly
    FROM (SELECT service_id, cohort, array_agg(days ORDER BY days) AS weekly FROM weekly_deployment_days GROUP BY service_id, cohort) weekly
    FULL JOIN (SELECT service_id, cohort, array_agg(days ORDER BY days) AS monthly FROM monthly_deployment_days GROUP BY service_id, cohort) monthly
      ON monthly.service_id = weekly.service_id AND monthly.cohort = weekly.cohort
  ),
  deployment_frequency AS (
    SELECT
      scoped_keys.service_id,
      scoped_keys.cohort,
      coalesce(metric_totals.deployment_count, 0) AS deployment_count,
      coalesce(metric_totals.deployment_count, 0)::float8
        / (extract(epoch FROM (${toParam(scope)} - ${fromParam(scope)}))::float8 / 86400.0) AS deployments_per_day,
      ${zeroPaddedPercentileSql(Prisma.sql`coalesce(period_deployment_days.weekly, '{}'::float8[])`, weeks, 0.5)} AS deployment_days_per_week_median,
      ${zeroPaddedPercentileSql(Prisma.sql`coalesce(period_deployment_days.monthly, '{}'::float8[])`, months, 0.5)} AS deployment_days_per_month_median
    FROM scoped_keys
    LEFT JOIN metric_totals ON metric_totals.service_id = scoped_keys.service_id AND metric_totals.cohort = scoped_keys.cohort
    LEFT JOIN period_deployment_days ON period_deployment_days.service_id = scoped_keys.service_id AND period_deployment_days.cohort = scoped_keys.cohort
  )`;
}
