import { Prisma } from "@/lib/db/generated/client";
import type { Db, DbTransaction } from "@/lib/db/client";
import { CHANGE_FAILURE_TOTALS, changeFailureCtes } from "./change-failure";
import { FREQUENCY_TOTALS, deploymentFrequencyCtes } from "./deployment-frequency";
import { DEPLOYMENT_SUCCESS_TOTALS, deploymentSuccessCtes } from "./deployment-success";
import { driftCtes } from "./drift";
import { leadTimeCtes } from "./lead-time";
import { PROVISIONAL_TOTALS, provisionalCtes } from "./provisional";
import { REWORK_TOTALS, reworkCtes } from "./rework";
import { type Cohort, type MetricScope, baseCtes, cohortOf, sameCohort, serviceFilterSql } from "./scope";
import { syncLagCtes } from "./sync-lag";
import { TRACEABILITY_TOTALS, traceabilityCtes } from "./traceability";

type Queryable = Pick<Db | DbTransaction, "$queryRaw">;

/**
 * The values every level (service, team, cohort) reports. Units are in the names; proportions are
 * in [0, 1]. `null` means undefined for the data (no deployments, no measured change, nothing failed),
 * never a stand-in for 0.
 */
export interface MetricValuesRow {
  /** Finished production attempts (SUCCESS + FAILURE) in the window. */
  attemptCount: number;
  /** Successful production deployments in the window. */
  deploymentCount: number;
  deploymentsPerDay: number | null;
  deploymentDaysPerWeekMedian: number | null;
  deploymentDaysPerMonthMedian: number | null;
  leadTimeChangeCount: number;
  leadTimeMedianHours: number | null;
  leadTimeP90Hours: number | null;
  codingTimeMedianHours: number | null;
  reviewTimeMedianHours: number | null;
  waitingTimeMedianHours: number | null;
  failedChangeCount: number;
  changeFailRate: number | null;
  recoveredCount: number;
  recoveryTimeMedianHours: number | null;
  reworkCount: number;
  reworkRate: number | null;
  deploymentSuccessRate: number | null;
  tracedChangeCount: number;
  independentlyApprovedChangeCount: number;
  knownCommitCount: number;
  signedCommitCount: number;
  /** A contributing deployment carries a provisional flag (the window rule is applied by the caller). */
  anyFlagProvisional: boolean;
  /** Successful GitOps deployments known only from history (see day-facts.ts): in the frequency, left out of the success rate. */
  unwitnessedCount: number;
}

export interface ServiceMetricsRow extends MetricValuesRow {
  serviceId: string;
  teamId: string | null;
}

/**
 * One row per scoped service with every metric, each from its own definition module. A service with
 * no finished attempt in scope has counts of 0 and every other value null: nothing was observed, so
 * even deployment frequency is "no data" rather than 0 (a service that only failed has a frequency of 0).
 */
export function serviceMetricsSql(scope: MetricScope): Prisma.Sql {
  if (scope.windowRollup) return storedServiceCohortMetricsSql(scope, scope.windowRollup, [cohortOf(scope)], false);
  return serviceCohortMetricsSql(scope, [cohortOf(scope)], false);
}

/**
 * The per-service rows of `serviceMetricsSql` for several cohorts in one pass over the data: one row
 * per (scoped service, cohort), each exactly what `serviceMetricsSql` gives for that cohort's scope
 * (`ALL`: no methodology). With `withCohort` the rows carry a `cohort` column.
 */
export function serviceCohortMetricsSql(scope: MetricScope, cohorts: readonly Cohort[], withCohort = true): Prisma.Sql {
  return Prisma.sql`
  WITH
  ${baseCtes(scope, cohorts)},
  ${metricTotalsCte()},
  ${deploymentFrequencyCtes(scope)},
  ${leadTimeCtes()},
  ${changeFailureCtes()},
  ${reworkCtes()},
  ${deploymentSuccessCtes()},
  ${traceabilityCtes()},
  ${provisionalCtes()}
  SELECT
    ${withCohort ? Prisma.sql`scoped_keys.cohort,` : Prisma.empty}
    scoped_keys.service_id::text AS "serviceId",
    scoped_keys.team_id::text AS "teamId",
    coalesce(deployment_success.attempt_count, 0) AS "attemptCount",
    deployment_frequency.deployment_count AS "deploymentCount",
    CASE WHEN deployment_success.attempt_count > 0 THEN deployment_frequency.deployments_per_day END AS "deploymentsPerDay",
    CASE WHEN deployment_success.attempt_count > 0 THEN deployment_frequency.deployment_days_per_week_median END AS "deploymentDaysPerWeekMedian",
    CASE WHEN deployment_success.attempt_count > 0 THEN deployment_frequency.deployment_days_per_month_median END AS "deploymentDaysPerMonthMedian",
    coalesce(lead_time.lead_time_change_count, 0) AS "leadTimeChangeCount",
    lead_time.lead_time_median_hours AS "leadTimeMedianHours",
    lead_time.lead_time_p90_hours AS "leadTimeP90Hours",
    lead_time.coding_median_hours AS "codingTimeMedianHours",
    lead_time.review_median_hours AS "reviewTimeMedianHours",
    lead_time.waiting_median_hours AS "waitingTimeMedianHours",
    coalesce(change_failure.failed_change_count, 0) AS "failedChangeCount",
    change_failure.failed_change_count::float8 / nullif(change_failure.successful_count, 0) AS "changeFailRate",
    coalesce(recovery_time.recovered_count, 0) AS "recoveredCount",
    recovery_time.recovery_time_median_hours AS "recoveryTimeMedianHours",
    coalesce(rework.rework_count, 0) AS "reworkCount",
    rework.rework_count::float8 / nullif(change_failure.successful_count, 0) AS "reworkRate",
    (deployment_success.successful_attempt_count - deployment_success.unwitnessed_count)::float8
      / nullif(deployment_success.attempt_count - deployment_success.unwitnessed_count, 0) AS "deploymentSuccessRate",
    coalesce(change_traceability.change_count, 0) AS "tracedChangeCount",
    coalesce(change_traceability.independently_approved_count, 0) AS "independentlyApprovedChangeCount",
    coalesce(change_traceability.known_commit_count, 0) AS "knownCommitCount",
    coalesce(change_traceability.signed_commit_count, 0) AS "signedCommitCount",
    coalesce(provisional_flags.any_provisional, false) AS "anyFlagProvisional",
    coalesce(deployment_success.unwitnessed_count, 0) AS "unwitnessedCount"
  FROM scoped_keys
  JOIN deployment_frequency ON deployment_frequency.service_id = scoped_keys.service_id ${sameCohort("deployment_frequency", "scoped_keys", cohorts)}
  LEFT JOIN deployment_success ON deployment_success.service_id = scoped_keys.service_id ${sameCohort("deployment_success", "scoped_keys", cohorts)}
  LEFT JOIN lead_time ON lead_time.service_id = scoped_keys.service_id ${sameCohort("lead_time", "scoped_keys", cohorts)}
  LEFT JOIN change_failure ON change_failure.service_id = scoped_keys.service_id ${sameCohort("change_failure", "scoped_keys", cohorts)}
  LEFT JOIN recovery_time ON recovery_time.service_id = scoped_keys.service_id ${sameCohort("recovery_time", "scoped_keys", cohorts)}
  LEFT JOIN rework ON rework.service_id = scoped_keys.service_id ${sameCohort("rework", "scoped_keys", cohorts)}
  LEFT JOIN change_traceability ON change_traceability.service_id = scoped_keys.service_id ${sameCohort("change_traceability", "scoped_keys", cohorts)}
  LEFT JOIN provisional_flags ON provisional_flags.service_id = scoped_keys.service_id ${sameCohort("provisional_flags", "scoped_keys", cohorts)}`;
}

/**
 * CTE `metric_totals`: every additive total of every definition (each module owns its expressions),
 * in one pass over `keyed_day_facts`, one row per (service, cohort) with a finished attempt.
 */
export function metricTotalsCte(): Prisma.Sql {
  return Prisma.sql`
  metric_totals AS (
    SELECT
      service_id,
      cohort,
      ${FREQUENCY_TOTALS},
      ${DEPLOYMENT_SUCCESS_TOTALS},
      ${CHANGE_FAILURE_TOTALS},
      ${REWORK_TOTALS},
      ${TRACEABILITY_TOTALS},
      ${PROVISIONAL_TOTALS}
    FROM keyed_day_facts
    GROUP BY service_id, cohort
  )`;
}

/** The `MetricValuesRow` columns, in order: the stored per-window rollup has exactly these. */
export const METRIC_VALUE_COLUMNS = [
  "attemptCount", "deploymentCount", "deploymentsPerDay", "deploymentDaysPerWeekMedian", "deploymentDaysPerMonthMedian",
  "leadTimeChangeCount", "leadTimeMedianHours", "leadTimeP90Hours", "codingTimeMedianHours", "reviewTimeMedianHours",
  "waitingTimeMedianHours", "failedChangeCount", "changeFailRate", "recoveredCount", "recoveryTimeMedianHours",
  "reworkCount", "reworkRate", "deploymentSuccessRate", "tracedChangeCount", "independentlyApprovedChangeCount",
  "knownCommitCount", "signedCommitCount", "anyFlagProvisional", "unwitnessedCount",
] as const satisfies readonly (keyof MetricValuesRow)[];

/** Counts and flags: a service without a stored row has 0 / false there, and null everywhere else. */
const ZERO_WHEN_ABSENT = new Set<string>([
  "attemptCount", "deploymentCount", "leadTimeChangeCount", "failedChangeCount", "recoveredCount", "reworkCount",
  "tracedChangeCount", "independentlyApprovedChangeCount", "knownCommitCount", "signedCommitCount", "unwitnessedCount",
]);

/**
 * The rows of `serviceCohortMetricsSql` for a window stored in `MetricWindowRollup` (whole local days
 * `[fromDay, toDay)`, checked current by the caller in the same transaction): the stored values, the
 * team as it is now, and for a service without a stored row (created since) the values of a service
 * without attempts, which is what the definitions give it.
 */
export function storedServiceCohortMetricsSql(scope: MetricScope, window: { fromDay: string; toDay: string }, cohorts: readonly Cohort[], withCohort = true): Prisma.Sql {
  const values = METRIC_VALUE_COLUMNS.map((column) => {
    const stored = Prisma.raw(`stored."${column}"`);
    if (column === "anyFlagProvisional") return Prisma.sql`coalesce(${stored}, false) AS "anyFlagProvisional"`;
    return ZERO_WHEN_ABSENT.has(column) ? Prisma.sql`coalesce(${stored}, 0) AS ${Prisma.raw(`"${column}"`)}` : Prisma.sql`${stored} AS ${Prisma.raw(`"${column}"`)}`;
  });
  return Prisma.sql`
  SELECT
    ${withCohort ? Prisma.sql`scoped_keys.cohort,` : Prisma.empty}
    scoped_keys.service_id::text AS "serviceId",
    scoped_keys.team_id::text AS "teamId",
    ${Prisma.join(values, ",\n    ")}
  FROM (
    SELECT service.id AS service_id, service."teamId" AS team_id, cohort_key.cohort
    FROM "Service" service
    CROSS JOIN unnest(${[...cohorts]}::text[]) AS cohort_key(cohort)
    WHERE ${serviceFilterSql(Prisma.sql`service.id`, scope.serviceIds)}
  ) scoped_keys
  LEFT JOIN "MetricWindowRollup" stored
    ON stored."fromDay" = ${window.fromDay}::date AND stored."toDay" = ${window.toDay}::date
    AND stored."serviceId" = scoped_keys.service_id AND stored.cohort = scoped_keys.cohort`;
}

/** Per-service metrics for a scope (see `serviceMetricsSql`). */
export async function queryServiceMetrics(db: Queryable, scope: MetricScope): Promise<ServiceMetricsRow[]> {
  return await db.$queryRaw<ServiceMetricsRow[]>(serviceMetricsSql(scope));
}

/**
 * The drift and sync-lag values of a level (service, team, cohort): see `drift.ts` and `sync-lag.ts`.
 * They are computed from the raw tables in a statement of their own, not with the values above: those
 * can come from the stored per-window rollup (`MetricWindowRollup`, whose columns are
 * `METRIC_VALUE_COLUMNS`), while these depend on the clock's now (open episodes, observed time).
 */
export interface DriftMetricValuesRow {
  /** Drift can be observed (see `drift.ts`); for a team or cohort: for at least one of its services. */
  driftObservable: boolean;
  /** Length of the drift-observed period(s) in the window; 0 when not observable. */
  driftObservedSeconds: number;
  /** LIVE_DRIFT episodes that started in the window (observable services only). */
  driftEpisodeCount: number;
  driftEpisodesPer30Days: number | null;
  /** LIVE_DRIFT episodes that ended in the window (observable services only). */
  reconciledDriftCount: number;
  driftMedianHoursToReconcile: number | null;
  /** Observed time without live drift; 0 when not observable. */
  inSyncSeconds: number;
  timeInSyncRatio: number | null;
  /** Successful production GitOps deployments in the window with a known `desiredAt`. */
  syncLagDeploymentCount: number;
  syncLagMedianHours: number | null;
}

export interface ServiceDriftMetricsRow extends DriftMetricValuesRow {
  cohort: Cohort;
  serviceId: string;
  teamId: string | null;
}

/**
 * One row per scoped service and cohort of `cohorts` with its drift and sync-lag values. A service
 * that is not drift-observable for the cohort has null drift values and zero counts (left out of
 * every median and pooled share); a service without a measured GitOps deployment has a null sync lag.
 * `now` is the clock's: observed time and open episodes end at `min(to, now)`.
 */
export function serviceDriftMetricsSql(scope: MetricScope, now: Date, cohorts: readonly Cohort[]): Prisma.Sql {
  return Prisma.sql`
  WITH
  ${driftCtes(scope, now, cohorts)},
  ${syncLagCtes(scope, cohorts)}
  SELECT
    cohort_key.cohort,
    service.id::text AS "serviceId",
    service."teamId"::text AS "teamId",
    drift.service_id IS NOT NULL AS "driftObservable",
    coalesce(drift.observed_seconds, 0) AS "driftObservedSeconds",
    coalesce(drift.episode_count, 0) AS "driftEpisodeCount",
    drift.episode_count / nullif(drift.observed_seconds, 0) * (30 * 86400) AS "driftEpisodesPer30Days",
    coalesce(drift.reconciled_count, 0) AS "reconciledDriftCount",
    drift.reconcile_median_hours AS "driftMedianHoursToReconcile",
    coalesce(drift.observed_seconds - drift.drift_seconds, 0) AS "inSyncSeconds",
    1 - drift.drift_seconds / nullif(drift.observed_seconds, 0) AS "timeInSyncRatio",
    coalesce(sync_lag.deployment_count, 0) AS "syncLagDeploymentCount",
    sync_lag.median_hours AS "syncLagMedianHours"
  FROM "Service" service
  CROSS JOIN unnest(${[...cohorts]}::text[]) AS cohort_key(cohort)
  LEFT JOIN drift ON drift.service_id = service.id AND drift.cohort = cohort_key.cohort
  LEFT JOIN sync_lag ON sync_lag.service_id = service.id AND sync_lag.cohort = cohort_key.cohort
  WHERE ${serviceFilterSql(Prisma.sql`service.id`, scope.serviceIds)}`;
}

/** Per-service drift and sync-lag values (see `serviceDriftMetricsSql`). */
export async function queryServiceDriftMetrics(db: Queryable, scope: MetricScope, now: Date, cohorts: readonly Cohort[]): Promise<ServiceDriftMetricsRow[]> {
  return await db.$queryRaw<ServiceDriftMetricsRow[]>(serviceDriftMetricsSql(scope, now, cohorts));
}
