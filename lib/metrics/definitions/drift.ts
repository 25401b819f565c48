import { Prisma } from "@/lib/db/generated/client";
import { type Cohort, type MetricScope, fromParam, serviceFilterSql, toParam } from "./scope";

/**
 * Live drift (DESIGN §4): how often a service's cluster departs from what should run, how long it
 * takes to come back, and the share of observed time it was in sync. Only LIVE_DRIFT episodes count:
 * a pending change is sync lag (`sync-lag.ts`) and a rollout in progress is neither. Episodes without
 * a service are left out (nothing to attribute them to).
 *
 * Read from the raw tables (`DriftEpisode`, `GitOpsApp`, `Workload`, `Integration`), not through the
 * day facts and their rollups (`day-facts.ts`): there are a few rows per service per day, and the
 * open episodes and the observed time depend on the clock's now, which a stored day cannot know.
 *
 * Drift-observed period of a (service, cohort): drift can only be counted where someone watched.
 * - GITOPS: the service's GitOps apps with `driftObservable` (a HelmRelease with drift detection off
 *   is not); DEVOPS: its workloads with `driftObservable` that a CI pipeline deploys
 *   (`managedBy = 'push'`; a workload a GitOps object manages is watched through that object, and
 *   counting it here would put a GitOps-only service in the DevOps cohort as clean); ALL: both.
 * - Watched since the earliest `observedSince` of those objects (the object's, else its
 *   integration's); an object with neither has not been watched yet and observes nothing.
 * - The period is `[max(from, that instant), min(to, now))`; its length is 0 when it is empty.
 * A (service, cohort) with no such object is "drift not observable": every drift value is null, so it
 * is left out of team and cohort values instead of counting as clean.
 *
 * CTE `drift`, one row per observable (service, cohort) of `cohorts`:
 * - `observed_seconds`: the period's length.
 * - `episode_count`: LIVE_DRIFT episodes that started in `[from, to)`; per 30 days of observed time
 *   it is `driftEpisodesPer30Days` (null when nothing was observed).
 * - `reconciled_count` / `reconcile_median_hours`: the episodes that ended in `[from, to)`, and
 *   `percentile_cont(0.5)` of their `endedAt − startedAt` in hours (null when none ended).
 * - `drift_seconds`: the time inside the period covered by at least one episode (open episodes run
 *   to the period's end, i.e. to min(to, now)). Overlapping episodes (two apps of one service drifting
 *   at once) are merged first, so the service is out of sync once, not twice: time in sync is
 *   `1 − drift_seconds / observed_seconds` and never negative.
 */
export function driftCtes(scope: MetricScope, now: Date, cohorts: readonly Cohort[]): Prisma.Sql {
  const from = fromParam(scope);
  const to = toParam(scope);
  const observedUntil = Prisma.sql`least(${to}, ${now.toISOString()}::timestamptz)`;
  const cohortList = Prisma.sql`${[...cohorts]}::text[]`;
  const inWindow = (column: string) => Prisma.sql`${Prisma.raw(column)} >= ${from} AND ${Prisma.raw(column)} < ${to}`;
  return Prisma.sql`
  drift_observable AS (
    SELECT observed.service_id, cohort_key.cohort, min(observed.observed_since) AS observed_since
    FROM (
      SELECT app."serviceId" AS service_id, 'GITOPS'::text AS methodology,
        coalesce(app."observedSince", integration."observedSince") AS observed_since
      FROM "GitOpsApp" app
      JOIN "Integration" integration ON integration.id = app."integrationId"
      WHERE app."driftObservable" AND app."serviceId" IS NOT NULL
        AND ${serviceFilterSql(Prisma.sql`app."serviceId"`, scope.serviceIds)}
      UNION ALL
      SELECT workload."serviceId", 'DEVOPS'::text,
        coalesce(workload."observedSince", integration."observedSince")
      FROM "Workload" workload
      JOIN "Integration" integration ON integration.id = workload."integrationId"
      WHERE workload."driftObservable" AND workload."managedBy" = 'push' AND workload."serviceId" IS NOT NULL
        AND ${serviceFilterSql(Prisma.sql`workload."serviceId"`, scope.serviceIds)}
    ) observed
    CROSS JOIN LATERAL (VALUES ('ALL'::text), (observed.methodology)) AS cohort_key(cohort)
    WHERE cohort_key.cohort = ANY(${cohortList}) AND observed.observed_since IS NOT NULL
    GROUP BY observed.service_id, cohort_key.cohort
  ),
  drift_periods AS (
    SELECT service_id, cohort, period_start, greatest(period_start, period_end) AS period_end
    FROM drift_observable
    CROSS JOIN LATERAL (SELECT greatest(${from}, observed_since) AS period_start, ${observedUntil} AS period_end) period
  ),
  drift_live_episodes AS (
    -- Every LIVE_DRIFT episode that can matter: one that started before the window's end and had not
    -- ended before its start (started in it, ended in it, or open across it).
    SELECT episode."serviceId" AS service_id, cohort_key.cohort, episode."startedAt" AS started_at, episode."endedAt" AS ended_at
    FROM "DriftEpisode" episode
    CROSS JOIN LATERAL (VALUES ('ALL'::text), (episode.methodology::text)) AS cohort_key(cohort)
    WHERE episode.kind = 'LIVE_DRIFT'
      AND episode."serviceId" IS NOT NULL
      AND ${serviceFilterSql(Prisma.sql`episode."serviceId"`, scope.serviceIds)}
      AND episode."startedAt" < ${to}
      AND (episode."endedAt" IS NULL OR episode."endedAt" >= ${from})
      AND cohort_key.cohort = ANY(${cohortList})
  ),
  drift_episode_totals AS (
    SELECT
      service_id,
      cohort,
      count(*) FILTER (WHERE ${inWindow("started_at")})::int AS episode_count,
      count(*) FILTER (WHERE ${inWindow("ended_at")})::int AS reconciled_count,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (ended_at - started_at))::float8)
        FILTER (WHERE ${inWindow("ended_at")}) / 3600.0 AS reconcile_median_hours,
      -- An end before the start (clock skew between sources) is an empty episode, not an error.
      range_agg(tstzrange(started_at, greatest(started_at, coalesce(ended_at, 'infinity'::timestamptz)), '[)')) AS drift_ranges
    FROM drift_live_episodes
    GROUP BY service_id, cohort
  ),
  drift AS (
    SELECT
      periods.service_id,
      periods.cohort,
      extract(epoch FROM (periods.period_end - periods.period_start))::float8 AS observed_seconds,
      coalesce(totals.episode_count, 0) AS episode_count,
      coalesce(totals.reconciled_count, 0) AS reconciled_count,
      totals.reconcile_median_hours,
      coalesce((
        SELECT sum(extract(epoch FROM (upper(piece) - lower(piece))))::float8
        FROM unnest(totals.drift_ranges * tstzmultirange(tstzrange(periods.period_start, periods.period_end, '[)'))) AS piece
      ), 0) AS drift_seconds
    FROM drift_periods periods
    LEFT JOIN drift_episode_totals totals ON totals.service_id = periods.service_id AND totals.cohort = periods.cohort
  )`;
}
