import { Prisma } from "@/lib/db/generated/client";
import type { Db, DbTransaction } from "@/lib/db/client";
import { windowPeriodsCtes } from "./deployment-frequency";
import { type DriftGroupMetricsRow, type GroupMetricsRow, queryDriftMetricsSnapshot, queryMetricsSnapshot } from "./group-metrics";
import { type MetricScope, fromParam, toParam } from "./scope";

type Queryable = Pick<Db | DbTransaction, "$queryRaw">;

/**
 * Weekly trends of the cohort values (DESIGN §3): each ORG_TIMEZONE week the window touches is a
 * window of its own, and every metric of that week is what the one definition of the metric gives
 * for that window. There is no second, week-keyed definition: each week is evaluated with the same
 * per-scope snapshot statements as `GET /api/metrics` (`queryMetricsSnapshot`,
 * `queryDriftMetricsSnapshot`), so a week's value is exactly `computeMetrics` over that week.
 */

/**
 * Longer windows are refused rather than bucketed more coarsely: a month bucket would be a different
 * window shape than the weeks the page promises, and 60 weeks already hold every preset (a year
 * touches 53 or 54). Each week costs two statements: on the sandbox org about 23 ms a week on
 * Postgres and 40 ms on the embedded database (the default 90 days: 0.3 s and 0.55 s; a year: 1.1 s
 * and 1.6 s), so 60 weeks also bound the request, and the embedded database's one shared session,
 * to about two seconds.
 */
export const MAX_TREND_WEEKS = 60;

/** One week of the window, clipped to it. */
export interface WindowWeek {
  /** The local Monday the week starts on (`YYYY-MM-DD` in ORG_TIMEZONE). */
  weekStart: string;
  /** Inclusive start: the week's local midnight, or the window's `from` when later. */
  from: Date;
  /** Exclusive end: the next week's local midnight, or the window's `to` when earlier. */
  to: Date;
  /** The window cuts the week: fewer days were observed than a whole week has. */
  partial: boolean;
}

/**
 * Every ORG_TIMEZONE week (Monday start) the window `[from, to)` touches, in order, with its bounds
 * clipped to the window. The weeks come from `windowPeriodsCtes`, the deployment-frequency
 * definition's own list, so the trends and "deployment days per week" count the same weeks; the
 * local midnights are converted back to instants in the zone (DST-aware, a week may be 167 or 169 h).
 */
export function windowWeeksSql(scope: MetricScope): Prisma.Sql {
  const tz = scope.timeZone;
  const weekStartInstant = Prisma.sql`(window_weeks.week_start::timestamp AT TIME ZONE ${tz})`;
  const weekEndInstant = Prisma.sql`((window_weeks.week_start + 7)::timestamp AT TIME ZONE ${tz})`;
  return Prisma.sql`
  WITH ${windowPeriodsCtes(scope)}
  SELECT
    to_char(window_weeks.week_start, 'YYYY-MM-DD') AS "weekStart",
    greatest(${fromParam(scope)}, ${weekStartInstant}) AS "from",
    least(${toParam(scope)}, ${weekEndInstant}) AS "to",
    (${weekStartInstant} < ${fromParam(scope)} OR ${weekEndInstant} > ${toParam(scope)}) AS partial
  FROM window_weeks
  ORDER BY window_weeks.week_start`;
}

/** See `windowWeeksSql`. */
export async function queryWindowWeeks(db: Queryable, scope: MetricScope): Promise<WindowWeek[]> {
  return await db.$queryRaw<WindowWeek[]>(windowWeeksSql(scope));
}

/** Both cohorts' values of one week, as the snapshot statements give them for that week as the window. */
export interface WeeklyCohortValues {
  week: WindowWeek;
  devops: GroupMetricsRow;
  gitops: GroupMetricsRow;
  /** Null when the scope cannot observe drift (only non-production environments chosen). */
  driftDevops: DriftGroupMetricsRow | null;
  driftGitops: DriftGroupMetricsRow | null;
}

export interface WeeklyTrendOptions {
  /**
   * The stored rollups a week's scope may read (the caller's rule, checked in the same transaction:
   * `scopeRollups`); each week asks for its own, since a preset-sized week may have stored values.
   */
  rollupsOf: (weekScope: MetricScope) => Promise<Pick<MetricScope, "rollups" | "windowRollup">>;
  /** Whether the scope observes drift at all (`scopeObservesDrift`): the same for every week. */
  observesDrift: boolean;
}

/**
 * The cohort values of every week in `weeks`, each week evaluated as a window of its own with the
 * shared snapshot statements. Run it inside ONE RepeatableRead transaction (with
 * `applyMetricStatementSettings`) so every week reads the same snapshot and the weeks add up to the
 * window even while a sync writes. `now` is the clock's (open drift episodes, observed time).
 * `scope.methodology` must be null: both cohorts come from each statement.
 */
export async function queryWeeklyCohortValues(
  tx: Queryable,
  scope: MetricScope,
  weeks: readonly WindowWeek[],
  now: Date,
  options: WeeklyTrendOptions,
): Promise<WeeklyCohortValues[]> {
  const result: WeeklyCohortValues[] = [];
  // One week after another: a transaction is one connection, so nothing would run in parallel anyway.
  for (const week of weeks) {
    const weekScope: MetricScope = { ...scope, from: week.from, to: week.to, rollups: null, windowRollup: null };
    const values = await queryMetricsSnapshot(tx, { ...weekScope, ...(await options.rollupsOf(weekScope)) });
    const drift = options.observesDrift ? await queryDriftMetricsSnapshot(tx, weekScope, now) : null;
    result.push({ week, devops: values.devops, gitops: values.gitops, driftDevops: drift?.devops ?? null, driftGitops: drift?.gitops ?? null });
  }
  return result;
}
