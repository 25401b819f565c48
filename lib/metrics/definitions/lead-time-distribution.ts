import { Prisma } from "@/lib/db/generated/client";
import type { Db, DbTransaction } from "@/lib/db/client";
import { leadTimeCtes } from "./lead-time";
import { type MetricScope, baseCtes } from "./scope";

type Queryable = Pick<Db | DbTransaction, "$queryRaw">;

export type DistributionCohort = "DEVOPS" | "GITOPS";

/** One cohort's measured changes: counts per bin and the pooled percentiles. */
export interface CohortLeadTimeDistribution {
  /** Count per bin, aligned with the `lowerBoundsHours` passed in. */
  binCounts: number[];
  /** Measured changes of the cohort's successful deployments in scope (the lead-time metric's changes). */
  changeCount: number;
  /** Services with at least one measured change in the cohort. */
  serviceCount: number;
  /**
   * `percentile_cont(0.5 | 0.9)` over the cohort's changes pooled across services, in hours: a busy
   * service weighs more. Not the cohort value of lead time, which is the median of the per-service
   * medians (DESIGN §3, Cohorts); null when no change was measured.
   */
  pooledMedianHours: number | null;
  pooledP90Hours: number | null;
}

/**
 * Lead times of both cohorts' changes, per bin, over exactly the changes the lead-time metric
 * measures (`measured_changes` of `lead-time.ts`, keyed by cohort), so the histogram, its percentiles
 * and the cohort values describe the same changes.
 *
 * Bins: `lowerBoundsHours` ascending, starting at 0; a change falls in the last bin whose lower bound
 * it reaches (`width_bucket`: a value exactly on a bound opens the next bin). A negative lead time
 * (clock skew between Git and the deployment source) joins the first bin rather than vanishing, as
 * the service page's histogram does. `scope.methodology` must be null.
 */
export function leadTimeDistributionSql(scope: MetricScope, lowerBoundsHours: readonly number[]): Prisma.Sql {
  return Prisma.sql`
  WITH ${baseCtes(scope, ["DEVOPS", "GITOPS"])}, ${leadTimeCtes()},
  binned AS (
    SELECT cohort, greatest(width_bucket(lead_time_seconds / 3600.0, ${[...lowerBoundsHours]}::float8[]), 1) AS bucket, count(*)::int AS count
    FROM measured_changes
    GROUP BY 1, 2
  ),
  pooled AS (
    SELECT
      cohort,
      count(*)::int AS change_count,
      count(DISTINCT service_id)::int AS service_count,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY lead_time_seconds) / 3600.0 AS median_hours,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY lead_time_seconds) / 3600.0 AS p90_hours
    FROM measured_changes
    GROUP BY cohort
  )
  SELECT
    cohort_key.cohort,
    coalesce(pooled.change_count, 0) AS "changeCount",
    coalesce(pooled.service_count, 0) AS "serviceCount",
    pooled.median_hours AS "pooledMedianHours",
    pooled.p90_hours AS "pooledP90Hours",
    coalesce((SELECT array_agg(binned.bucket ORDER BY binned.bucket) FROM binned WHERE binned.cohort = cohort_key.cohort), '{}') AS buckets,
    coalesce((SELECT array_agg(binned.count ORDER BY binned.bucket) FROM binned WHERE binned.cohort = cohort_key.cohort), '{}') AS counts
  FROM unnest(ARRAY['DEVOPS', 'GITOPS']::text[]) AS cohort_key(cohort)
  LEFT JOIN pooled ON pooled.cohort = cohort_key.cohort`;
}

/** See `leadTimeDistributionSql`. */
export async function queryLeadTimeDistribution(
  db: Queryable,
  scope: MetricScope,
  lowerBoundsHours: readonly number[],
): Promise<Record<DistributionCohort, CohortLeadTimeDistribution>> {
  if (lowerBoundsHours.length === 0 || lowerBoundsHours[0] !== 0) throw new Error("lead-time bins must start at 0 hours");
  const rows = await db.$queryRaw<
    { cohort: DistributionCohort; changeCount: number; serviceCount: number; pooledMedianHours: number | null; pooledP90Hours: number | null; buckets: number[]; counts: number[] }[]
  >(leadTimeDistributionSql(scope, lowerBoundsHours));
  const byCohort = (cohort: DistributionCohort): CohortLeadTimeDistribution => {
    const row = rows.find((candidate) => candidate.cohort === cohort);
    if (!row) throw new Error(`lead-time distribution returned no row for ${cohort}`);
    const binCounts = lowerBoundsHours.map(() => 0);
    // width_bucket numbers the bins from 1; the clamp above already put negative lead times in bin 1.
    row.buckets.forEach((bucket, index) => {
      binCounts[bucket - 1] = row.counts[index] ?? 0;
    });
    return { binCounts, changeCount: row.changeCount, serviceCount: row.serviceCount, pooledMedianHours: row.pooledMedianHours, pooledP90Hours: row.pooledP90Hours };
  };
  return { DEVOPS: byCohort("DEVOPS"), GITOPS: byCohort("GITOPS") };
}
