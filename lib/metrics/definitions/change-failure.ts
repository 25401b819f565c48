import { Prisma } from "@/lib/db/generated/client";
import { type Cohort, cohortRows } from "./scope";

/**
 * Change fail rate and failed deployment recovery time (DESIGN §3), from the derived flags.
 *
 * Every CTE is keyed by `(service_id, cohort)` (see `cohortRows`).
 *
 * CTE `change_failure`, one row per (service, cohort) with a successful deployment:
 * - `successful_count`, `failed_change_count` (successful deployments flagged `isFailedChange`);
 *   the rate is `failed_change_count / successful_count`, computed where the values are assembled so
 *   that cohorts can pool the counts. A failed attempt never went live: it is not a failed change.
 *
 * CTE `recovery_time`, one row per (service, cohort) with a failed change in the window:
 * - for each failed change D: recovered at the `finishedAt` of its remediating deployment
 *   (`remediatedById`, when that deployment succeeded); otherwise at the latest `resolvedAt` of the
 *   incidents attributed to D (`Incident.deploymentId`), and only when all of them are resolved.
 *   A failed change not yet recovered has no recovery time (it is left out of the median, not counted as 0).
 * - `recovery_time_median_hours`: `percentile_cont(0.5)` of (recovered at − D.finishedAt), in hours.
 * Expects `baseCtes` before it.
 */
export function changeFailureCtes(cohorts: readonly Cohort[] = ["ALL"]): Prisma.Sql {
  return Prisma.sql`
  change_failure AS (
    SELECT
      service_id,
      cohort,
      count(*)::int AS successful_count,
      count(*) FILTER (WHERE is_failed_change)::int AS failed_change_count
    FROM ${cohortRows("successful_deployments", cohorts)}
    GROUP BY service_id, cohort
  ),
  failed_change_recovery AS (
    SELECT
      failed.service_id,
      failed.methodology,
      failed.finished_at,
      coalesce(remediation."finishedAt", incident_resolution.resolved_at) AS recovered_at
    FROM successful_deployments failed
    LEFT JOIN "Deployment" remediation
      ON remediation.id = failed.remediated_by_id AND remediation.status = 'SUCCESS'
    LEFT JOIN LATERAL (
      -- Every attributed incident must be resolved; an empty set gives NULL (bool_and of nothing).
      SELECT CASE WHEN bool_and(incident."resolvedAt" IS NOT NULL) THEN max(incident."resolvedAt") END AS resolved_at
      FROM "Incident" incident
      WHERE incident."deploymentId" = failed.id
    ) incident_resolution ON true
    WHERE failed.is_failed_change
  ),
  recovery_time AS (
    SELECT
      service_id,
      cohort,
      count(recovered_at)::int AS recovered_count,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (recovered_at - finished_at))::float8) / 3600.0
        AS recovery_time_median_hours
    FROM ${cohortRows("failed_change_recovery", cohorts)}
    GROUP BY service_id, cohort
  )`;
}
