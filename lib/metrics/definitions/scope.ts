import { Prisma } from "@/lib/db/generated/client";

/**
 * What every metric definition is computed over: production deployments of the given services that
 * finished in the window `[from, to)`, optionally of one methodology (a cohort). The base CTEs below
 * are shared by every definition, so "in the window" and "production" mean one thing everywhere.
 */
export interface MetricScope {
  /** Inclusive start of the window (UTC instant). */
  from: Date;
  /** Exclusive end of the window (UTC instant). */
  to: Date;
  /** Services to compute; every service gets a row, with or without deployments. */
  serviceIds: readonly string[];
  /** A cohort's methodology, or null for every deployment of the service. */
  methodology: "DEVOPS" | "GITOPS" | null;
  /** IANA zone for day, week and month buckets (`ORG_TIMEZONE`). */
  timeZone: string;
}

export const fromParam = (scope: MetricScope): Prisma.Sql => Prisma.sql`${scope.from.toISOString()}::timestamptz`;
export const toParam = (scope: MetricScope): Prisma.Sql => Prisma.sql`${scope.to.toISOString()}::timestamptz`;

/**
 * Base CTEs:
 * - `scoped_services`: one row per requested service.
 * - `finished_attempts`: production deployments of those services whose attempt finished in
 *   `[from, to)` with SUCCESS or FAILURE. CANCELLED is not an attempt and IN_PROGRESS has not finished,
 *   so neither is ever counted. A deployment belongs to the window by its `finishedAt`: that is when
 *   it changed (or failed to change) what runs in production.
 * - `successful_deployments`: the SUCCESS rows of those, i.e. the deployments of deployment frequency.
 */
export function baseCtes(scope: MetricScope): Prisma.Sql {
  const methodology = scope.methodology;
  return Prisma.sql`
  scoped_services AS (
    SELECT service.id AS service_id, service."teamId" AS team_id
    FROM "Service" service
    WHERE service.id = ANY(${[...scope.serviceIds]}::uuid[])
  ),
  finished_attempts AS (
    SELECT
      deployment.id,
      deployment."serviceId" AS service_id,
      deployment."repositoryId" AS repository_id,
      deployment.status,
      deployment."finishedAt" AS finished_at,
      deployment."isFailedChange" AS is_failed_change,
      deployment."isRework" AS is_rework,
      deployment."isRollback" AS is_rollback,
      deployment."remediatedById" AS remediated_by_id,
      deployment.provisional
    FROM "Deployment" deployment
    JOIN scoped_services ON scoped_services.service_id = deployment."serviceId"
    WHERE deployment."isProduction"
      AND deployment.status IN ('SUCCESS', 'FAILURE')
      AND deployment."finishedAt" >= ${fromParam(scope)}
      AND deployment."finishedAt" < ${toParam(scope)}
      AND (${methodology}::text IS NULL OR deployment.methodology::text = ${methodology}::text)
  ),
  successful_deployments AS (
    SELECT * FROM finished_attempts WHERE status = 'SUCCESS'
  )`;
}
