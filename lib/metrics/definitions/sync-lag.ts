import { Prisma } from "@/lib/db/generated/client";
import { environmentFilterSql } from "./day-facts";
import { type Cohort, type MetricScope, fromParam, serviceFilterSql, toParam } from "./scope";

/**
 * Sync lag (DESIGN §3, GitOps only): from a new desired revision appearing in Git (`desiredAt`) to
 * its deployment finishing in the cluster.
 *
 * Over successful production GitOps deployments (reconstructed ones included: the config repository's
 * history dates both ends) that finished in `[from, to)` and know their `desiredAt`; a deployment
 * without it has no measurable lag and is left out, never counted as 0. A failed or cancelled attempt
 * never finished the change. A `desiredAt` after `finishedAt` (clock skew between Git and the
 * cluster) is a lag of 0, not a negative one.
 *
 * Read from `Deployment` directly rather than the day facts and their rollups (`day-facts.ts`): the
 * rows are few (a few GitOps deployments per service per day) and the facts carry no `desiredAt`.
 *
 * CTE `sync_lag`, one row per (service, cohort) of `cohorts` with at least one such deployment:
 * `deployment_count` and `median_hours` (`percentile_cont(0.5)`). Only ALL and GITOPS ever have
 * rows: the DevOps cohort has no sync lag (null, not applicable).
 */
export function syncLagCtes(scope: MetricScope, cohorts: readonly Cohort[]): Prisma.Sql {
  return Prisma.sql`
  sync_lag AS (
    SELECT
      deployment."serviceId" AS service_id,
      cohort_key.cohort,
      count(*)::int AS deployment_count,
      percentile_cont(0.5) WITHIN GROUP (
        ORDER BY greatest(extract(epoch FROM (deployment."finishedAt" - deployment."desiredAt"))::float8, 0)
      ) / 3600.0 AS median_hours
    FROM "Deployment" deployment
    CROSS JOIN LATERAL (VALUES ('ALL'::text), ('GITOPS'::text)) AS cohort_key(cohort)
    WHERE deployment.methodology = 'GITOPS'
      AND ${environmentFilterSql(Prisma.sql`deployment`, scope.environments ?? null)}
      AND deployment.status = 'SUCCESS'
      AND deployment."desiredAt" IS NOT NULL
      AND deployment."serviceId" IS NOT NULL
      AND ${serviceFilterSql(Prisma.sql`deployment."serviceId"`, scope.serviceIds)}
      AND deployment."finishedAt" >= ${fromParam(scope)}
      AND deployment."finishedAt" < ${toParam(scope)}
      AND cohort_key.cohort = ANY(${[...cohorts]}::text[])
    GROUP BY deployment."serviceId", cohort_key.cohort
  )`;
}
