import { Prisma } from "@/lib/db/generated/client";
import { localDaySql, rawDayFactsSql, serviceFilterSql, storedDayFactsSql } from "./day-facts";

export { serviceFilterSql };

/**
 * What every metric definition is computed over: production deployments of the given services that
 * finished in the window `[from, to)`, optionally of one methodology (a cohort), as day facts
 * (`day-facts.ts`). The base CTEs below are shared by every definition, so "in the window" and
 * "production" mean one thing everywhere.
 */
export interface MetricScope {
  /** Inclusive start of the window (UTC instant). */
  from: Date;
  /** Exclusive end of the window (UTC instant). */
  to: Date;
  /**
   * Services to compute, or null for every service (no list to send and plan: the org-wide query);
   * every service gets a row, with or without deployments.
   */
  serviceIds: readonly string[] | null;
  /** A cohort's methodology, or null for every deployment of the service. */
  methodology: "DEVOPS" | "GITOPS" | null;
  /**
   * Deployments of these environments (by name, production or not); null or absent for every
   * production environment. The stored rollups hold production only, so a scope with environments
   * must not set `rollups` or `windowRollup` (`computeMetrics` clears them).
   */
  environments?: readonly string[] | null;
  /** IANA zone for day, week and month buckets (`ORG_TIMEZONE`). */
  timeZone: string;
  /**
   * Read whole days from `MetricDayRollup`, up to the day `coveredUntil` falls in: only what
   * `rollupsReady` returned (in the same transaction), i.e. a rollup built for this zone and these
   * definitions. Without it everything is computed from the raw rows.
   */
  rollups?: { coveredUntil: Date } | null;
  /**
   * The window's per-service values are stored (`MetricWindowRollup`, whole local days
   * `[fromDay, toDay)` equal to `[from, to)`): only what `windowRollupReady` returned, in the same
   * transaction. The per-service statements then read them instead of computing them.
   */
  windowRollup?: { fromDay: string; toDay: string } | null;
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
 * - `scoped_keys`: one row per requested service and cohort (`cohorts`, default the scope's own):
 *   every (service, cohort) gets a row, with or without deployments.
 * - `day_facts`: the day facts (see `day-facts.ts`) of those services' production deployments whose
 *   attempt finished in `[from, to)`, one row per (service, methodology, local day) with an attempt.
 *   A deployment belongs to the window by its `finishedAt`: that is when it changed (or failed to
 *   change) what runs in production. With `scope.rollups`, the ORG_TIMEZONE days wholly inside the
 *   window that the rollup covers are read from `MetricDayRollup`, and only the cut days at either
 *   edge (and days completed after the rollup's last refresh) from the raw rows; without, every day
 *   comes from the raw rows. Both give the same rows (tested).
 * - `keyed_day_facts`: the day facts once per cohort they count in (`cohortRows`), computed once:
 *   every definition groups these rows by `(service_id, cohort)`.
 * With several cohorts the scope must not set a methodology (each cohort selects its own rows).
 */
export function baseCtes(scope: MetricScope, cohorts: readonly Cohort[] = [cohortOf(scope)]): Prisma.Sql {
  if (cohorts.length > 1 && scope.methodology !== null) throw new Error("baseCtes: several cohorts need a scope without a methodology");
  return Prisma.sql`
  scoped_services AS (
    SELECT service.id AS service_id, service."teamId" AS team_id
    FROM "Service" service
    WHERE ${serviceFilterSql(Prisma.sql`service.id`, scope.serviceIds)}
  ),
  scoped_keys AS (
    SELECT scoped_services.service_id, scoped_services.team_id, cohort_key.cohort
    FROM scoped_services
    CROSS JOIN unnest(${[...cohorts]}::text[]) AS cohort_key(cohort)
  ),
  day_facts AS (${dayFactsOfWindow(scope)}),
  keyed_day_facts AS MATERIALIZED (SELECT * FROM ${cohortRows("day_facts", cohorts)})`;
}

/** The `day_facts` rows of the scope's window (see `baseCtes`). */
function dayFactsOfWindow(scope: MetricScope): Prisma.Sql {
  const finished = Prisma.sql`deployment."finishedAt"`;
  const raw = (finishedIn: Prisma.Sql) =>
    rawDayFactsSql({ serviceIds: scope.serviceIds, finishedIn, methodology: scope.methodology, environments: scope.environments ?? null, timeZone: scope.timeZone });
  if (scope.rollups && scope.environments) throw new Error("dayFactsOfWindow: the rollups hold production only; a scope with environments reads raw rows");
  if (!scope.rollups) return raw(Prisma.sql`${finished} >= ${fromParam(scope)} AND ${finished} < ${toParam(scope)}`);
  const tz = scope.timeZone;
  const localFrom = Prisma.sql`(${fromParam(scope)} AT TIME ZONE ${tz})`;
  // The first local day that starts at or after `from`, and the first day not to read from the rollup:
  // the day `to` falls in, or the first day the rollup does not cover yet if that comes earlier.
  const firstDay = Prisma.sql`(CASE WHEN ${localFrom}::time = '00:00' THEN ${localFrom}::date ELSE ${localFrom}::date + 1 END)`;
  const coveredUntil = Prisma.sql`${scope.rollups.coveredUntil.toISOString()}::timestamptz`;
  const endDay = Prisma.sql`least((${toParam(scope)} AT TIME ZONE ${tz})::date, ${localDaySql(coveredUntil, tz)})`;
  const firstDayStart = Prisma.sql`(${firstDay}::timestamp AT TIME ZONE ${tz})`;
  const endDayStart = Prisma.sql`(${endDay}::timestamp AT TIME ZONE ${tz})`;
  // Raw ranges: [from, first whole day) and [first day not read from the rollup, to). Without a whole
  // day to read (firstDay >= endDay) the two ranges meet and cover [from, to) once.
  const edges = Prisma.sql`(${finished} >= ${fromParam(scope)} AND ${finished} < least(${firstDayStart}, ${toParam(scope)}))
    OR (${finished} >= greatest(${endDayStart}, ${firstDayStart}) AND ${finished} < ${toParam(scope)})`;
  return Prisma.sql`
    ${storedDayFactsSql({ serviceIds: scope.serviceIds, firstDay, endDay, methodology: scope.methodology })}
    UNION ALL
    SELECT * FROM (${raw(edges)}) AS edge_days`;
}
