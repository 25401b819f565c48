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

/**
 * What a per-service row describes: every deployment of the service (`ALL`), or only the deployments
 * of one methodology (a cohort's per-service values). One statement can compute several cohorts at
 * once: every CTE below is keyed by `(service_id, cohort)`, and a deployment contributes to `ALL` and
 * to its own methodology's cohort.
 */
export type Cohort = "ALL" | "DEVOPS" | "GITOPS";

/** The single cohort a scope describes. */
export const cohortOf = (scope: MetricScope): Cohort => scope.methodology ?? "ALL";

/**
 * Rows of the CTE `source` (which must have a `methodology` column) once per cohort they belong to,
 * as a derived table named `source` with an extra `cohort` column. With one cohort it only labels the
 * rows (the scope's methodology filter has already selected them); with several, a deployment's row
 * appears under `ALL` and under its methodology, so the join work before it is done once.
 */
export function cohortRows(source: string, cohorts: readonly Cohort[]): Prisma.Sql {
  const name = Prisma.raw(source);
  if (cohorts.length === 1) return Prisma.sql`(SELECT ${name}.*, ${cohorts[0]}::text AS cohort FROM ${name}) AS ${name}`;
  return Prisma.sql`(
    SELECT ${name}.*, cohort_key.cohort
    FROM ${name}
    CROSS JOIN LATERAL (VALUES ('ALL'::text), (${name}.methodology::text)) AS cohort_key(cohort)
    WHERE cohort_key.cohort = ANY(${[...cohorts]}::text[])
  ) AS ${name}`;
}

/**
 * The cohort part of a join between two `(service_id, cohort)`-keyed relations: nothing with one
 * cohort (the column is the same constant on both sides, and an extra equality only misleads the
 * planner's row estimates into nested loops), `AND left.cohort = right.cohort` with several.
 */
export function sameCohort(left: string, right: string, cohorts: readonly Cohort[]): Prisma.Sql {
  return cohorts.length === 1 ? Prisma.empty : Prisma.sql`AND ${Prisma.raw(left)}.cohort = ${Prisma.raw(right)}.cohort`;
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
 * - `scoped_keys`: one row per requested service and cohort (`cohorts`, default the scope's own):
 *   every (service, cohort) gets a row, with or without deployments.
 * With several cohorts the scope must not set a methodology (each cohort selects its own rows).
 */
export function baseCtes(scope: MetricScope, cohorts: readonly Cohort[] = [cohortOf(scope)]): Prisma.Sql {
  if (cohorts.length > 1 && scope.methodology !== null) throw new Error("baseCtes: several cohorts need a scope without a methodology");
  const methodology = scope.methodology;
  return Prisma.sql`
  scoped_services AS (
    SELECT service.id AS service_id, service."teamId" AS team_id
    FROM "Service" service
    WHERE service.id = ANY(${[...scope.serviceIds]}::uuid[])
  ),
  scoped_keys AS (
    SELECT scoped_services.service_id, scoped_services.team_id, cohort_key.cohort
    FROM scoped_services
    CROSS JOIN unnest(${[...cohorts]}::text[]) AS cohort_key(cohort)
  ),
  finished_attempts AS (
    SELECT
      deployment.id,
      deployment."serviceId" AS service_id,
      deployment."repositoryId" AS repository_id,
      deployment.status,
      deployment.methodology,
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
