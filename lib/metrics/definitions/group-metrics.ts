import { Prisma } from "@/lib/db/generated/client";
import type { Db, DbTransaction } from "@/lib/db/client";
import type { DriftMetricValuesRow, MetricValuesRow, ServiceDriftMetricsRow } from "./service-metrics";
import type { ServiceMetricsRow } from "./service-metrics";
import {
  METRIC_VALUE_COLUMNS,
  serviceCohortMetricsSql,
  serviceDriftMetricsSql,
  serviceMetricsSql,
  storedServiceCohortMetricsSql,
} from "./service-metrics";
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
  return Prisma.sql`
  WITH per_service AS (${serviceMetricsSql(scope)})
  ${groupAggregateSql(groupBy, Prisma.empty)}`;
}

/** The aggregation of `groupMetricsSql` over the CTE `per_service`, restricted by `filter` (`AND …`). */
function groupAggregateSql(groupBy: "team" | "all", filter: Prisma.Sql): Prisma.Sql {
  const key = groupBy === "team" ? Prisma.sql`"teamId"` : Prisma.sql`NULL::text`;
  const grouping =
    groupBy === "team" ? Prisma.sql`WHERE "teamId" IS NOT NULL ${filter} GROUP BY "teamId"` : Prisma.sql`WHERE true ${filter}`;
  return Prisma.sql`
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
    (sum("deploymentCount") - sum("unwitnessedCount"))::float8 / nullif(sum("attemptCount") - sum("unwitnessedCount"), 0) AS "deploymentSuccessRate",
    coalesce(sum("tracedChangeCount"), 0)::int AS "tracedChangeCount",
    coalesce(sum("independentlyApprovedChangeCount"), 0)::int AS "independentlyApprovedChangeCount",
    coalesce(sum("knownCommitCount"), 0)::int AS "knownCommitCount",
    coalesce(sum("signedCommitCount"), 0)::int AS "signedCommitCount",
    coalesce(bool_or("anyFlagProvisional"), false) AS "anyFlagProvisional",
    coalesce(sum("unwitnessedCount"), 0)::int AS "unwitnessedCount"
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

/** Names travel with the values, so the org-wide answer needs no second query. */
export interface NamedServiceMetricsRow extends ServiceMetricsRow {
  slug: string;
  name: string;
  teamSlug: string | null;
  teamName: string | null;
}

export interface NamedGroupMetricsRow extends GroupMetricsRow {
  teamSlug: string | null;
  teamName: string | null;
}

/** Values of one methodology: the DevOps or GitOps part of a level. */
export type MethodologyKey = "devops" | "gitops";

export interface MetricsSnapshot {
  /** Ordered by slug. */
  services: NamedServiceMetricsRow[];
  /** Ordered by team slug. */
  teams: NamedGroupMetricsRow[];
  devops: GroupMetricsRow;
  gitops: GroupMetricsRow;
  /**
   * Per methodology, the per-service values its cohort aggregates (services with a finished attempt
   * of that methodology only), ordered by slug: what the comparison's bootstrap resamples.
   */
  serviceCohorts: Record<MethodologyKey, NamedServiceMetricsRow[]>;
  /** Per methodology, each team's values over that methodology's deployments (teams with such an attempt only), by team slug. */
  teamCohorts: Record<MethodologyKey, NamedGroupMetricsRow[]>;
}

/**
 * Per service, per team and both methodology cohorts in ONE statement (hence one snapshot), with the
 * same values as `queryServiceMetrics`, `queryTeamMetrics` and `queryCohortMetrics` for each: the
 * per-service values are computed once for the cohorts ALL, DEVOPS and GITOPS (`serviceCohortMetricsSql`,
 * one pass over the deployments and their changes) and the teams and cohorts aggregate those rows.
 * `scope.methodology` must be null.
 */
export function metricsSnapshotSql(scope: MetricScope): Prisma.Sql {
  const group = (level: string, groupBy: "team" | "all", cohort: string) =>
    Prisma.sql`SELECT ${level}::text AS level, NULL::text AS cohort, NULL::text AS "serviceId", NULL::text AS slug, NULL::text AS name,
      team.slug AS "teamSlug", team.name AS "teamName", grouped.*
    FROM (${groupAggregateSql(groupBy, Prisma.sql`AND cohort = ${cohort}::text`)}) grouped
    LEFT JOIN "Team" team ON team.id = grouped."teamId"::uuid`;
  return Prisma.sql`
  WITH per_service AS MATERIALIZED (${
    scope.windowRollup
      ? storedServiceCohortMetricsSql(scope, scope.windowRollup, ["ALL", "DEVOPS", "GITOPS"])
      : serviceCohortMetricsSql(scope, ["ALL", "DEVOPS", "GITOPS"])
  })
  SELECT 'service'::text AS level, per_service.cohort, "serviceId", service.slug, service.name, team.slug AS "teamSlug", team.name AS "teamName",
    per_service."teamId", NULL::int AS "activeServiceCount",
    ${Prisma.join(METRIC_VALUE_COLUMNS.map((column) => Prisma.raw(`per_service."${column}"`)))}
  FROM per_service
  JOIN "Service" service ON service.id = per_service."serviceId"::uuid
  LEFT JOIN "Team" team ON team.id = service."teamId"
  WHERE cohort = 'ALL' OR ("attemptCount" > 0 AND cohort IN ('DEVOPS', 'GITOPS'))
  UNION ALL ${group("team", "team", "ALL")}
  UNION ALL ${group("team:devops", "team", "DEVOPS")}
  UNION ALL ${group("team:gitops", "team", "GITOPS")}
  UNION ALL ${group("devops", "all", "DEVOPS")}
  UNION ALL ${group("gitops", "all", "GITOPS")}`;
}

type SnapshotRow = ServiceMetricsRow & {
  level: "service" | "team" | "team:devops" | "team:gitops" | "devops" | "gitops";
  /** Service rows: ALL, DEVOPS or GITOPS. */
  cohort: string | null;
  activeServiceCount: number | null;
  slug: string | null;
  name: string | null;
  teamSlug: string | null;
  teamName: string | null;
};

/** See `metricsSnapshotSql`. */
export async function queryMetricsSnapshot(db: Queryable, scope: MetricScope): Promise<MetricsSnapshot> {
  const rows = await db.$queryRaw<SnapshotRow[]>(metricsSnapshotSql(scope));
  const services: NamedServiceMetricsRow[] = [];
  const teams: NamedGroupMetricsRow[] = [];
  const serviceCohorts: Record<MethodologyKey, NamedServiceMetricsRow[]> = { devops: [], gitops: [] };
  const teamCohorts: Record<MethodologyKey, NamedGroupMetricsRow[]> = { devops: [], gitops: [] };
  let devops: NamedGroupMetricsRow | undefined;
  let gitops: NamedGroupMetricsRow | undefined;
  for (const { level, cohort, activeServiceCount, serviceId, slug, name, ...values } of rows) {
    if (level === "service") {
      const row = { serviceId, slug: slug!, name: name!, ...values };
      if (cohort === "ALL") services.push(row);
      else serviceCohorts[cohort === "DEVOPS" ? "devops" : "gitops"].push(row);
    } else {
      const row = { ...values, activeServiceCount: activeServiceCount ?? 0 };
      if (level === "team") teams.push(row);
      else if (level === "team:devops" || level === "team:gitops") {
        if (row.activeServiceCount > 0) teamCohorts[level === "team:devops" ? "devops" : "gitops"].push(row);
      } else if (level === "devops") devops = row;
      else gitops = row;
    }
  }
  if (!devops || !gitops) throw new Error("cohort aggregate returned no row");
  // Slugs are ASCII (the catalog's rule), so code-unit order is the database's byte order.
  const bySlug = (a: string | null, b: string | null) => ((a ?? "") < (b ?? "") ? -1 : (a ?? "") > (b ?? "") ? 1 : 0);
  for (const list of [services, serviceCohorts.devops, serviceCohorts.gitops]) list.sort((a, b) => bySlug(a.slug, b.slug));
  for (const list of [teams, teamCohorts.devops, teamCohorts.gitops]) list.sort((a, b) => bySlug(a.teamSlug, b.teamSlug));
  return { services, teams, devops, gitops, serviceCohorts, teamCohorts };
}

export interface DriftGroupMetricsRow extends DriftMetricValuesRow {
  /** The team's id when grouped by team; null for a cohort. */
  teamId: string | null;
  /** Services whose drift is observable: the ones the drift values are taken over. */
  driftObservableServiceCount: number;
}

export interface DriftMetricsSnapshot {
  /** Cohort ALL of every scoped service, by service id. */
  services: Map<string, ServiceDriftMetricsRow>;
  /** By team id. */
  teams: Map<string, DriftGroupMetricsRow>;
  devops: DriftGroupMetricsRow;
  gitops: DriftGroupMetricsRow;
  /** Per methodology, by service id: services drift-observable or with a measured sync lag for it only. */
  serviceCohorts: Record<MethodologyKey, Map<string, ServiceDriftMetricsRow>>;
  /** Per methodology, by team id. */
  teamCohorts: Record<MethodologyKey, Map<string, DriftGroupMetricsRow>>;
}

/**
 * Drift and sync lag per service, per team and per methodology cohort in one statement, from the
 * per-service rows of `serviceDriftMetricsSql` (DESIGN §3 and §4, Cohorts):
 * - episodes per 30 days, median hours to reconcile and sync lag: `percentile_cont(0.5)` of the
 *   per-service values (null ones, i.e. not observable or nothing measured, are skipped);
 * - time in sync: pooled, the sum of in-sync time over the sum of observed time of the observable
 *   services (a service watched longer weighs more).
 * Teams group the services' ALL rows; a cohort groups its own methodology's rows.
 */
export function driftMetricsSnapshotSql(scope: MetricScope, now: Date): Prisma.Sql {
  const aggregate = (level: string, cohort: string, groupBy: "team" | "all") => Prisma.sql`
  SELECT
    ${level}::text AS level,
    NULL::text AS cohort,
    NULL::text AS "serviceId",
    ${groupBy === "team" ? Prisma.sql`"teamId"` : Prisma.sql`NULL::text`} AS "teamId",
    count(*) FILTER (WHERE "driftObservable")::int AS "driftObservableServiceCount",
    coalesce(bool_or("driftObservable"), false) AS "driftObservable",
    coalesce(sum("driftObservedSeconds"), 0)::float8 AS "driftObservedSeconds",
    coalesce(sum("driftEpisodeCount"), 0)::int AS "driftEpisodeCount",
    percentile_cont(0.5) WITHIN GROUP (ORDER BY "driftEpisodesPer30Days") AS "driftEpisodesPer30Days",
    coalesce(sum("reconciledDriftCount"), 0)::int AS "reconciledDriftCount",
    percentile_cont(0.5) WITHIN GROUP (ORDER BY "driftMedianHoursToReconcile") AS "driftMedianHoursToReconcile",
    coalesce(sum("inSyncSeconds"), 0)::float8 AS "inSyncSeconds",
    sum("inSyncSeconds")::float8 / nullif(sum("driftObservedSeconds"), 0) AS "timeInSyncRatio",
    coalesce(sum("syncLagDeploymentCount"), 0)::int AS "syncLagDeploymentCount",
    percentile_cont(0.5) WITHIN GROUP (ORDER BY "syncLagMedianHours") AS "syncLagMedianHours"
  FROM per_service
  WHERE cohort = ${cohort}::text ${groupBy === "team" ? Prisma.sql`AND "teamId" IS NOT NULL GROUP BY "teamId"` : Prisma.empty}`;
  return Prisma.sql`
  WITH per_service AS MATERIALIZED (${serviceDriftMetricsSql(scope, now, ["ALL", "DEVOPS", "GITOPS"])})
  SELECT 'service'::text AS level, cohort, "serviceId", "teamId", NULL::int AS "driftObservableServiceCount",
    "driftObservable", "driftObservedSeconds", "driftEpisodeCount", "driftEpisodesPer30Days", "reconciledDriftCount",
    "driftMedianHoursToReconcile", "inSyncSeconds", "timeInSyncRatio", "syncLagDeploymentCount", "syncLagMedianHours"
  FROM per_service
  WHERE cohort = 'ALL' OR (cohort IN ('DEVOPS', 'GITOPS') AND ("driftObservable" OR "syncLagMedianHours" IS NOT NULL))
  UNION ALL ${aggregate("team", "ALL", "team")}
  UNION ALL ${aggregate("team:devops", "DEVOPS", "team")}
  UNION ALL ${aggregate("team:gitops", "GITOPS", "team")}
  UNION ALL ${aggregate("devops", "DEVOPS", "all")}
  UNION ALL ${aggregate("gitops", "GITOPS", "all")}`;
}

type DriftSnapshotRow = DriftMetricValuesRow & {
  level: "service" | "team" | "team:devops" | "team:gitops" | "devops" | "gitops";
  cohort: string | null;
  serviceId: string | null;
  teamId: string | null;
  driftObservableServiceCount: number | null;
};

/** See `driftMetricsSnapshotSql`; `now` is the clock's. */
export async function queryDriftMetricsSnapshot(db: Queryable, scope: MetricScope, now: Date): Promise<DriftMetricsSnapshot> {
  const rows = await db.$queryRaw<DriftSnapshotRow[]>(driftMetricsSnapshotSql(scope, now));
  const services = new Map<string, ServiceDriftMetricsRow>();
  const teams = new Map<string, DriftGroupMetricsRow>();
  const serviceCohorts: Record<MethodologyKey, Map<string, ServiceDriftMetricsRow>> = { devops: new Map(), gitops: new Map() };
  const teamCohorts: Record<MethodologyKey, Map<string, DriftGroupMetricsRow>> = { devops: new Map(), gitops: new Map() };
  let devops: DriftGroupMetricsRow | undefined;
  let gitops: DriftGroupMetricsRow | undefined;
  for (const { level, cohort, serviceId, driftObservableServiceCount, ...values } of rows) {
    if (level === "service") {
      if (cohort === "ALL") services.set(serviceId!, { ...values, serviceId: serviceId!, cohort: "ALL" });
      else serviceCohorts[cohort === "DEVOPS" ? "devops" : "gitops"].set(serviceId!, { ...values, serviceId: serviceId!, cohort: cohort === "DEVOPS" ? "DEVOPS" : "GITOPS" });
    } else {
      const row = { ...values, driftObservableServiceCount: driftObservableServiceCount ?? 0 };
      if (level === "team") teams.set(row.teamId!, row);
      else if (level === "team:devops") teamCohorts.devops.set(row.teamId!, row);
      else if (level === "team:gitops") teamCohorts.gitops.set(row.teamId!, row);
      else if (level === "devops") devops = row;
      else gitops = row;
    }
  }
  if (!devops || !gitops) throw new Error("drift cohort aggregate returned no row");
  return { services, teams, devops, gitops, serviceCohorts, teamCohorts };
}
