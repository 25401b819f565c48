import { Prisma } from "@/lib/db/generated/client";
import type { Db, DbTransaction } from "@/lib/db/client";
import type { MetricValuesRow } from "./service-metrics";
import { serviceMetricsSql } from "./service-metrics";
import type { MetricScope } from "./scope";

type Queryable = Pick<Db | DbTransaction, "$queryRaw">;

export interface GroupMetricsRow extends MetricValuesRow {
  /** The team's id when grouped by team; null for a cohort (and for services without a team). */
  teamId: string | null;
  /** Services with at least one finished attempt in scope: the ones the medians are taken over. */
  activeServiceCount: number;
}

/**
 * Aggregation of per-service values into a team or a methodology cohort (DESIGN §3, Cohorts):
 * - deployment frequency, lead time (median, p90 and breakdown) and recovery time: `percentile_cont(0.5)`
 *   of the per-service values. Services without a finished attempt have null values there, and
 *   `percentile_cont` skips nulls, so only services with at least one deployment in scope count.
 * - change fail rate, rework rate, success rate and traceability: pooled proportions, i.e. sums of the
 *   per-service numerators over sums of denominators (a busy service weighs more than a quiet one).
 * For a cohort, `scope.methodology` restricts the per-service values to that methodology's deployments.
 */
export function groupMetricsSql(scope: MetricScope, groupBy: "team" | "all"): Prisma.Sql {
  const key = groupBy === "team" ? Prisma.sql`"teamId"` : Prisma.sql`NULL::text`;
  const grouping = groupBy === "team" ? Prisma.sql`WHERE "teamId" IS NOT NULL GROUP BY "teamId"` : Prisma.empty;
  return Prisma.sql`
  WITH per_service AS (${serviceMetricsSql(scope)})
  SELECT
    ${key} AS "teamId",
    count(*) FILTER (WHERE "attemptCount" > 0)::int AS "activeServiceCount",
    coalesce(sum("attemptCount"), 0)::int AS "attemptCount",
    coalesce(sum("deploymentCount"), 0)::int AS "deploymentCount",
    percentile_cont(0.5) WITHIN GROUP (ORDER BY "deploymentsPerDay") AS "deploymentsPerDay",
    percentile_cont(0.5) WITHIN GROUP (ORDER BY "deploymentDaysPerWeekMedian") AS "deploymentDaysPerWeekMedian",
    percentile_cont(0.5) WITHIN GROUP (ORDER BY "deploymentDaysPerMonthMedian") AS "deploymentDaysPerMonthMedian",
    coalesce(sum("leadTimeChangeCount"), 0)::int AS "leadTimeChangeCount",
    percentile_cont(0.5) WITHIN GROUP (ORDER BY "leadTimeMedianHours") AS "leadTimeMedianHours",
    percentile_cont(0.5) WITHIN GROUP (ORDER BY "leadTimeP90Hours") AS "leadTimeP90Hours",
    percentile_cont(0.5) WITHIN GROUP (ORDER BY "codingTimeMedianHours") AS "codingTimeMedianHours",
    percentile_cont(0.5) WITHIN GROUP (ORDER BY "reviewTimeMedianHours") AS "reviewTimeMedianHours",
    percentile_cont(0.5) WITHIN GROUP (ORDER BY "waitingTimeMedianHours") AS "waitingTimeMedianHours",
    coalesce(sum("failedChangeCount"), 0)::int AS "failedChangeCount",
    sum("failedChangeCount")::float8 / nullif(sum("deploymentCount"), 0) AS "changeFailRate",
    coalesce(sum("recoveredCount"), 0)::int AS "recoveredCount",
    percentile_cont(0.5) WITHIN GROUP (ORDER BY "recoveryTimeMedianHours") AS "recoveryTimeMedianHours",
    coalesce(sum("reworkCount"), 0)::int AS "reworkCount",
    sum("reworkCount")::float8 / nullif(sum("deploymentCount"), 0) AS "reworkRate",
    sum("deploymentCount")::float8 / nullif(sum("attemptCount"), 0) AS "deploymentSuccessRate",
    coalesce(sum("tracedChangeCount"), 0)::int AS "tracedChangeCount",
    coalesce(sum("independentlyApprovedChangeCount"), 0)::int AS "independentlyApprovedChangeCount",
    coalesce(sum("knownCommitCount"), 0)::int AS "knownCommitCount",
    coalesce(sum("signedCommitCount"), 0)::int AS "signedCommitCount",
    coalesce(bool_or("anyFlagProvisional"), false) AS "anyFlagProvisional"
  FROM per_service
  ${grouping}`;
}

/** One row per team with at least one scoped service. */
export async function queryTeamMetrics(db: Queryable, scope: MetricScope): Promise<GroupMetricsRow[]> {
  return await db.$queryRaw<GroupMetricsRow[]>(groupMetricsSql(scope, "team"));
}

/** Exactly one row: the whole scope, for a methodology cohort pass `scope.methodology`. */
export async function queryCohortMetrics(db: Queryable, scope: MetricScope): Promise<GroupMetricsRow> {
  const [row] = await db.$queryRaw<GroupMetricsRow[]>(groupMetricsSql(scope, "all"));
  if (!row) throw new Error("cohort aggregate returned no row");
  return row;
}
