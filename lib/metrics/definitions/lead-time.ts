import { Prisma } from "@/lib/db/generated/client";
import { type Cohort, cohortRows } from "./scope";

/**
 * Lead time for changes (DESIGN §3), from the change sets the derivation wrote (`DeploymentChange`).
 *
 * CTE `lead_time`, one row per (service, cohort) with at least one measured change:
 * - the changes are those of successful deployments in scope whose `leadTimeSeconds` is set; a seed
 *   deployment (first of its chain) and an unresolved commit yield none, so they never count as 0.
 * - `lead_time_median_hours` / `lead_time_p90_hours`: `percentile_cont(0.5 | 0.9)` of `leadTimeSeconds`, in hours.
 * - breakdown medians over the same changes, pull-request changes only (a direct push has no PR):
 *   coding = `openedAt − firstCommitAt`, review = `mergedAt − openedAt`, waiting = deployment `finishedAt − mergedAt`.
 *   Each part is floored at 0: a first commit authored after the PR opened (rewritten history) means
 *   no coding time before review, not negative time.
 * Expects `baseCtes` before it.
 */
export function leadTimeCtes(cohorts: readonly Cohort[] = ["ALL"]): Prisma.Sql {
  return Prisma.sql`
  measured_changes AS (
    SELECT
      successful_deployments.service_id,
      successful_deployments.methodology,
      change."leadTimeSeconds"::float8 AS lead_time_seconds,
      CASE WHEN change.kind = 'PULL_REQUEST'
        THEN greatest(extract(epoch FROM (change."openedAt" - change."firstCommitAt"))::float8, 0) END AS coding_seconds,
      CASE WHEN change.kind = 'PULL_REQUEST'
        THEN greatest(extract(epoch FROM (change."mergedAt" - change."openedAt"))::float8, 0) END AS review_seconds,
      CASE WHEN change.kind = 'PULL_REQUEST'
        THEN greatest(extract(epoch FROM (successful_deployments.finished_at - change."mergedAt"))::float8, 0) END AS waiting_seconds
    FROM successful_deployments
    JOIN "DeploymentChange" change ON change."deploymentId" = successful_deployments.id
    WHERE change."leadTimeSeconds" IS NOT NULL
  ),
  lead_time AS (
    -- percentile_cont skips NULL inputs, so a breakdown part is the median of the changes that have it.
    SELECT
      service_id,
      cohort,
      count(*)::int AS lead_time_change_count,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY lead_time_seconds) / 3600.0 AS lead_time_median_hours,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY lead_time_seconds) / 3600.0 AS lead_time_p90_hours,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY coding_seconds) / 3600.0 AS coding_median_hours,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY review_seconds) / 3600.0 AS review_median_hours,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY waiting_seconds) / 3600.0 AS waiting_median_hours
    FROM ${cohortRows("measured_changes", cohorts)}
    GROUP BY service_id, cohort
  )`;
}
