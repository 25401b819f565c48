import type { Clock } from "@/lib/clock";
import type { Db, DbTransaction } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { DAY_FACTS_VERSION, localDaySql, rawDayFactsSql } from "@/lib/metrics/definitions/day-facts";
import { serviceFilterSql } from "@/lib/metrics/definitions/scope";
import { METRIC_VALUE_COLUMNS, serviceCohortMetricsSql } from "@/lib/metrics/definitions/service-metrics";
import { applyMetricStatementSettings } from "@/lib/metrics/statement-settings";
import { WINDOW_PRESET_DAYS } from "@/lib/queries/services";
import { addLocalDays, isLocalDayStart, localDayOf, startOfLocalDay } from "@/lib/time/local-days";

/**
 * `MetricDayRollup`: the day facts (`day-facts.ts`) of every full ORG_TIMEZONE day, stored so a
 * window's metrics read one row per service-day instead of every deployment and change.
 *
 * Correctness first: the rollup is read only while `MetricState` ("rollup") carries the fingerprint
 * of the current definitions and zone, checked in the reader's own transaction. Anything that may
 * have changed facts in ways the incremental refresh cannot see (a catalog change moving rows to
 * another service, an integration removed, a definition or setting changed, and person links once
 * they can be edited) invalidates it, and the metrics are computed from the raw rows until the next
 * rebuild. The incremental refresh rewrites, per service, every day from the earliest one a sync can
 * have changed (`rollupTargets` before the derivation, and what the derivation reports it changed);
 * targets are recorded before the derivation runs and cleared by the refresh that consumes them, so
 * a failure in between loses nothing. One advisory lock orders rebuilds and refreshes; an
 * invalidation does not wait for it (an admin's change must not queue behind a rebuild) but bumps an
 * epoch that a rebuild or refresh checks, under a row lock, before it commits.
 */

const STATE_KEY = "rollup";
const EPOCH_KEY = "rollup-epoch";
const PENDING_KEY = "rollup-pending";
const LOCK = Prisma.sql`SELECT pg_advisory_xact_lock(hashtext('pipeline-health:metric-day-rollups')::bigint)::text`;
/** A flag decided on day D can still move when a later event arrives within 7 days (revert, hotfix, rollback) or 24 h (incident): one day of slack. */
const REACH_BACK = Prisma.sql`interval '8 days'`;
const REBUILD_TX = { timeout: 30 * 60_000, maxWait: 60_000 } as const;

type Queryable = Pick<Db | DbTransaction, "$queryRaw">;

export function rollupFingerprint(timeZone: string): string {
  return `day-facts-v${DAY_FACTS_VERSION};zone=${timeZone}`;
}

/**
 * The stored rollup's coverage when it may be read for `timeZone` (every day before the one
 * `coveredUntil` falls in is stored), else null. Call it inside the reading transaction.
 */
export async function rollupsReady(db: Queryable, timeZone: string): Promise<{ coveredUntil: Date } | null> {
  return (await rollupCoverage(db, timeZone, null)).rollups;
}

export interface RollupCoverage {
  /** The day rollup (see `rollupsReady`). */
  rollups: { coveredUntil: Date } | null;
  /** The stored values of `window` (see `windowRollupReady`). */
  windowRollup: { fromDay: string; toDay: string } | null;
}

/** Both readiness checks in one read of `MetricState`, for a reader that can use either. */
export async function rollupCoverage(db: Queryable, timeZone: string, window: { from: Date; to: Date } | null): Promise<RollupCoverage> {
  const days = window && isLocalDayStart(window.from, timeZone) && isLocalDayStart(window.to, timeZone) ? { fromDay: localDayOf(window.from, timeZone), toDay: localDayOf(window.to, timeZone) } : null;
  const keys = [STATE_KEY, ...(days ? [windowKey(days.fromDay, days.toDay)] : [])];
  const rows = await db.$queryRaw<{ key: string; fingerprint: string; builtAt: Date }[]>`SELECT key, fingerprint, "builtAt" FROM "MetricState" WHERE key = ANY(${keys}::text[])`;
  const current = (key: string) => rows.find((row) => row.key === key && row.fingerprint === rollupFingerprint(timeZone)) ?? null;
  const state = current(STATE_KEY);
  return { rollups: state ? { coveredUntil: state.builtAt } : null, windowRollup: days && current(keys[1]!) ? days : null };
}

/**
 * Stops readers from using the rollups until the next rebuild; call inside the transaction that
 * changes the facts. A rebuild or refresh running meanwhile sees the epoch move and leaves them invalid.
 */
export async function invalidateRollups(tx: DbTransaction): Promise<void> {
  await tx.$executeRaw`INSERT INTO "MetricState" (key, fingerprint, "builtAt") VALUES (${EPOCH_KEY}, '1', now())
    ON CONFLICT (key) DO UPDATE SET fingerprint = ("MetricState".fingerprint::bigint + 1)::text, "builtAt" = now()`;
  await tx.$executeRaw`DELETE FROM "MetricState" WHERE key = ${STATE_KEY} OR key LIKE ${`${WINDOW_KEY_PREFIX}%`}`;
}

/** Thrown inside a rebuild or refresh invalidated while it ran: its transaction is rolled back. */
class RollupInvalidatedMeanwhile extends Error {}

async function readEpoch(tx: DbTransaction): Promise<string> {
  const rows = await tx.$queryRaw<{ fingerprint: string }[]>`SELECT fingerprint FROM "MetricState" WHERE key = ${EPOCH_KEY}`;
  return rows[0]?.fingerprint ?? "0";
}

/**
 * The last step of a rebuild or refresh: re-reads the epoch with a row lock (waiting for an
 * invalidation in flight to commit or roll back) and throws when it moved since `epoch` was read
 * before the facts were: what was computed may predate that change.
 */
async function assertNotInvalidatedSince(tx: DbTransaction, epoch: string): Promise<void> {
  await tx.$executeRaw`INSERT INTO "MetricState" (key, fingerprint, "builtAt") VALUES (${EPOCH_KEY}, '0', now()) ON CONFLICT (key) DO NOTHING`;
  const rows = await tx.$queryRaw<{ fingerprint: string }[]>`SELECT fingerprint FROM "MetricState" WHERE key = ${EPOCH_KEY} FOR UPDATE`;
  if ((rows[0]?.fingerprint ?? "0") !== epoch) throw new RollupInvalidatedMeanwhile("the rollups were invalidated while they were being built");
}

/**
 * The stored per-window values (`MetricWindowRollup`) for `[from, to)` when that window is one the
 * pages offer by default (the last N complete local days) and is current, else null. Call it
 * inside the reading transaction.
 */
export async function windowRollupReady(db: Queryable, timeZone: string, window: { from: Date; to: Date }): Promise<{ fromDay: string; toDay: string } | null> {
  return (await rollupCoverage(db, timeZone, window)).windowRollup;
}

const WINDOW_KEY_PREFIX = "window:";
const windowKey = (fromDay: string, toDay: string) => `${WINDOW_KEY_PREFIX}${fromDay}:${toDay}`;

/** The windows stored today: the last N complete local days for every preset N of the pages. */
function storedWindows(now: Date, timeZone: string) {
  const to = startOfLocalDay(now, timeZone);
  return WINDOW_PRESET_DAYS.map((days) => {
    const from = addLocalDays(to, -days, timeZone);
    return { from, to, fromDay: localDayOf(from, timeZone), toDay: localDayOf(to, timeZone) };
  });
}

/**
 * Rewrites the stored per-window values from the day rollup (which must be current for every day
 * before today): the windows of another day are dropped, a window not stored yet (the day changed,
 * or after a rebuild) is computed for every service, and a stored one for `serviceIds` only (the
 * services whose stored days just changed). The values come from `serviceCohortMetricsSql`, the
 * definitions every window uses.
 */
async function refreshWindowRollups(tx: DbTransaction, clock: Clock, timeZone: string, serviceIds: readonly string[]): Promise<number> {
  const windows = storedWindows(clock.now(), timeZone);
  const keys = windows.map((window) => windowKey(window.fromDay, window.toDay));
  await tx.$executeRaw`DELETE FROM "MetricWindowRollup" stored WHERE NOT EXISTS (
    SELECT 1 FROM unnest(${windows.map((w) => w.fromDay)}::date[], ${windows.map((w) => w.toDay)}::date[]) AS current(from_day, to_day)
    WHERE current.from_day = stored."fromDay" AND current.to_day = stored."toDay")`;
  await tx.$executeRaw`DELETE FROM "MetricState" WHERE key LIKE ${`${WINDOW_KEY_PREFIX}%`} AND NOT (key = ANY(${keys}::text[]))`;
  const fingerprint = rollupFingerprint(timeZone);
  const states = new Map(
    (await tx.$queryRaw<{ key: string; fingerprint: string }[]>`SELECT key, fingerprint FROM "MetricState" WHERE key = ANY(${keys}::text[])`).map((row) => [row.key, row.fingerprint]),
  );
  const columns = Prisma.join(METRIC_VALUE_COLUMNS.map((column) => Prisma.raw(`"${column}"`)));
  let rows = 0;
  for (const window of windows) {
    const key = windowKey(window.fromDay, window.toDay);
    const current = states.get(key) === fingerprint;
    // Not stored yet: every service (null), else the changed ones.
    const ids = current ? serviceIds : null;
    if (ids !== null && ids.length === 0) continue;
    await tx.$executeRaw`DELETE FROM "MetricWindowRollup"
      WHERE "fromDay" = ${window.fromDay}::date AND "toDay" = ${window.toDay}::date AND ${serviceFilterSql(Prisma.sql`"serviceId"`, ids)}`;
    const scope = { from: window.from, to: window.to, serviceIds: ids, methodology: null, timeZone, rollups: { coveredUntil: clock.now() } };
    rows += await tx.$executeRaw`INSERT INTO "MetricWindowRollup" ("fromDay", "toDay", "serviceId", cohort, ${columns})
      SELECT ${window.fromDay}::date, ${window.toDay}::date, computed."serviceId"::uuid, computed.cohort, ${columns}
      FROM (${serviceCohortMetricsSql(scope, ["ALL", "DEVOPS", "GITOPS"])}) AS computed`;
    await tx.$executeRaw`INSERT INTO "MetricState" (key, fingerprint, "builtAt") VALUES (${key}, ${fingerprint}, ${clock.now()})
      ON CONFLICT (key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, "builtAt" = EXCLUDED."builtAt"`;
  }
  return rows;
}

async function withRollupSettings(tx: DbTransaction): Promise<void> {
  await tx.$queryRaw(LOCK);
  // A rebuild reads every production deployment once: longer than the client's 60 s statement limit at org size.
  await tx.$executeRawUnsafe("SET LOCAL statement_timeout = '30min'");
  await applyMetricStatementSettings(tx);
}

const INSERT_COLUMNS = Prisma.sql`("serviceId", methodology, day, "attemptCount", "successfulCount", "failedChangeCount", "reworkCount",
  "anyProvisional", "changeCount", "independentlyApprovedCount", "knownCommitCount", "signedCommitCount",
  "leadTimeSeconds", "codingSeconds", "reviewSeconds", "waitingSeconds", "recoverySeconds", "unwitnessedCount")`;

/**
 * Facts of whole days only: a day is stored once it has ended (by the clock), so the day in progress
 * is always read raw and a stored day never misses a deployment that finishes later today.
 */
function completedDays(clock: Clock, timeZone: string): Prisma.Sql {
  return Prisma.sql`deployment."finishedAt" < (${localDaySql(Prisma.sql`${clock.now().toISOString()}::timestamptz`, timeZone)}::timestamp AT TIME ZONE ${timeZone})`;
}

/** One instant for a whole rebuild or refresh: what counts as a completed day must not move under it (midnight). */
function fixedClock(clock: Clock): Clock {
  const at = clock.now();
  return { now: () => at };
}

/**
 * Rebuilds the whole rollup in one transaction (readers keep the previous one until it commits);
 * also consumes the pending targets, which it covers. Returns null when an invalidation came in
 * meanwhile (the rollups stay invalid; the next run rebuilds again).
 */
export async function rebuildRollups(db: Db, clock: Clock, timeZone: string): Promise<{ rows: number } | null> {
  const fixed = fixedClock(clock);
  try {
    return await db.$transaction((tx) => rebuildInTransaction(tx, fixed, timeZone), REBUILD_TX);
  } catch (error) {
    if (error instanceof RollupInvalidatedMeanwhile) return null;
    throw error;
  }
}

async function rebuildInTransaction(tx: DbTransaction, clock: Clock, timeZone: string): Promise<{ rows: number }> {
  await withRollupSettings(tx);
  const epoch = await readEpoch(tx);
  await tx.$executeRaw`DELETE FROM "MetricDayRollup"`;
  const rows = await tx.$executeRaw`INSERT INTO "MetricDayRollup" ${INSERT_COLUMNS}
    ${rawDayFactsSql({ serviceIds: null, finishedIn: completedDays(clock, timeZone), methodology: null, timeZone })}`;
  await tx.$executeRaw`INSERT INTO "MetricState" (key, fingerprint, "builtAt") VALUES (${STATE_KEY}, ${rollupFingerprint(timeZone)}, ${clock.now()})
    ON CONFLICT (key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, "builtAt" = EXCLUDED."builtAt"`;
  // Every stored window is computed again from the new day rows.
  await tx.$executeRaw`DELETE FROM "MetricState" WHERE key LIKE ${`${WINDOW_KEY_PREFIX}%`}`;
  await refreshWindowRollups(tx, clock, timeZone, []);
  await tx.$executeRaw`DELETE FROM "MetricState" WHERE key = ${PENDING_KEY}`;
  await assertNotInvalidatedSince(tx, epoch);
  return { rows };
}

/**
 * Records targets before the derivation that may clear their markers runs, merged with any a failed
 * run left behind; the refresh that consumes them deletes the record in its own transaction.
 */
export async function recordPendingTargets(db: Db, targets: readonly RollupTarget[]): Promise<void> {
  if (targets.length === 0) return;
  await db.$transaction((tx) => recordPendingTargetsIn(tx, targets));
}

/** `recordPendingTargets` inside the caller's transaction (the derivation's, so a change and its target commit together). */
export async function recordPendingTargetsIn(tx: DbTransaction, targets: readonly RollupTarget[]): Promise<void> {
  if (targets.length === 0) return;
  // Insert-then-lock, so two first writers do not both miss the row.
  await tx.$executeRaw`INSERT INTO "MetricState" (key, fingerprint, "builtAt") VALUES (${PENDING_KEY}, '[]', now()) ON CONFLICT (key) DO NOTHING`;
  const rows = await tx.$queryRaw<{ fingerprint: string }[]>`SELECT fingerprint FROM "MetricState" WHERE key = ${PENDING_KEY} FOR UPDATE`;
  const merged = mergeTargets(rows[0] ? parsePending(rows[0].fingerprint) : [], targets);
  await tx.$executeRaw`UPDATE "MetricState" SET fingerprint = ${JSON.stringify(merged)}, "builtAt" = now() WHERE key = ${PENDING_KEY}`;
}

function parsePending(text: string): RollupTarget[] {
  const parsed = JSON.parse(text) as { serviceId: string; since: string | null }[];
  return parsed.map((target) => ({ serviceId: target.serviceId, since: target.since === null ? null : new Date(target.since) }));
}

/** Per service the earliest `since` (null, every day, wins). */
export function mergeTargets(...lists: (readonly RollupTarget[])[]): RollupTarget[] {
  const since = new Map<string, Date | null>();
  for (const list of lists) {
    for (const target of list) {
      const current = since.get(target.serviceId);
      if (current === undefined) since.set(target.serviceId, target.since);
      else if (current !== null) since.set(target.serviceId, target.since === null || target.since < current ? target.since : current);
    }
  }
  return [...since.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([serviceId, value]) => ({ serviceId, since: value }));
}

/** A service whose stored days from `since` on (every day when null) must be computed again. */
export interface RollupTarget {
  serviceId: string;
  since: Date | null;
}

/**
 * What a sync may have changed, read BEFORE the derivation runs (it clears the markers): per service,
 * the earliest of its deployments not derived yet (new, re-pointed, re-classified, in progress),
 * still provisional, or updated by a source since `touchedSince`; its repositories' PRs and its
 * incidents updated since then; each minus the reach of the flag rules (a later rollback, revert,
 * hotfix or incident flags a deployment up to 7 days back). A day that ended without any deployment
 * and is not reached this way cannot have changed.
 */
export async function rollupTargets(db: Queryable, touchedSince: Date | null): Promise<RollupTarget[]> {
  const touched = touchedSince?.toISOString() ?? null;
  const rows = await db.$queryRaw<{ serviceId: string; since: Date }[]>`
    WITH changed AS (
      SELECT d."serviceId" AS service_id, coalesce(d."finishedAt", d."startedAt") AS at
      FROM "Deployment" d
      WHERE d."serviceId" IS NOT NULL
        AND (d."flagsComputedAt" IS NULL OR d.provisional OR (${touched}::timestamptz IS NOT NULL AND d."updatedAt" >= ${touched}::timestamptz))
      UNION ALL
      -- A remediating deployment a source changed moves the recovery of what it remediated, however old.
      SELECT remediated."serviceId", remediated."finishedAt"
      FROM "Deployment" remediation
      JOIN "Deployment" remediated ON remediated."remediatedById" = remediation.id
      WHERE remediated."serviceId" IS NOT NULL
        AND (remediation."flagsComputedAt" IS NULL OR (${touched}::timestamptz IS NOT NULL AND remediation."updatedAt" >= ${touched}::timestamptz))
      UNION ALL
      SELECT services.service_id, touched_prs.at
      FROM (
        -- Opened is the earliest instant of a PR: a hotfix counts from it, and its changes ship after it.
        SELECT pr."repositoryId", min(pr."openedAt") AS at
        FROM "PullRequest" pr
        WHERE ${touched}::timestamptz IS NOT NULL AND pr."updatedAt" >= ${touched}::timestamptz
        GROUP BY pr."repositoryId"
      ) touched_prs
      CROSS JOIN LATERAL (
        SELECT DISTINCT d."serviceId" AS service_id FROM "Deployment" d
        WHERE d."repositoryId" = touched_prs."repositoryId" AND d."serviceId" IS NOT NULL
      ) services
      UNION ALL
      -- An incident linked to a deployment by hand can be any age: its resolution moves that day.
      SELECT i."serviceId", least(i."openedAt", linked."finishedAt")
      FROM "Incident" i
      LEFT JOIN "Deployment" linked ON linked.id = i."deploymentId"
      WHERE ${touched}::timestamptz IS NOT NULL AND i."updatedAt" >= ${touched}::timestamptz AND i."serviceId" IS NOT NULL
    )
    SELECT service_id::text AS "serviceId", min(at) - ${REACH_BACK} AS since
    FROM changed
    GROUP BY service_id
    ORDER BY service_id`;
  return rows;
}

/**
 * Brings the rollup up to date: rebuilt in full when it is not valid for `timeZone`, otherwise each
 * target's days from the local day of `since` on are deleted and computed again from the raw rows,
 * and days that ended since the last run are added (the earliest day any service may miss is the one
 * the previous refresh left in progress: `MetricState.builtAt`).
 */
export type RefreshResult = { mode: "rebuild" | "refresh"; rows: number } | { mode: "invalidated meanwhile"; rows: 0 };

export async function refreshRollups(db: Db, clock: Clock, timeZone: string, targets: readonly RollupTarget[]): Promise<RefreshResult> {
  const fixed = fixedClock(clock);
  const rebuild = async (): Promise<RefreshResult> => {
    const rebuilt = await rebuildRollups(db, fixed, timeZone);
    return rebuilt ? { mode: "rebuild", ...rebuilt } : { mode: "invalidated meanwhile", rows: 0 };
  };
  if (!(await rollupsReady(db, timeZone))) return await rebuild();
  let refreshed: RefreshResult | null;
  try {
    refreshed = await db.$transaction((tx) => refreshInTransaction(tx, fixed, timeZone, targets), REBUILD_TX);
  } catch (error) {
    if (error instanceof RollupInvalidatedMeanwhile) return { mode: "invalidated meanwhile", rows: 0 };
    throw error;
  }
  // Invalidated while waiting for the lock: rebuild instead (outside that transaction).
  return refreshed ?? (await rebuild());
}

async function refreshInTransaction(tx: DbTransaction, clock: Clock, timeZone: string, targets: readonly RollupTarget[]): Promise<RefreshResult | null> {
  await withRollupSettings(tx);
  const epoch = await readEpoch(tx);
  const coverage = await rollupsReady(tx, timeZone);
  if (!coverage) return null;
  const pending = await tx.$queryRaw<{ fingerprint: string }[]>`SELECT fingerprint FROM "MetricState" WHERE key = ${PENDING_KEY} FOR UPDATE`;
  // Every service gets the days completed since the last run; targets (and pending ones) get theirs from `since`.
  const ids = (await tx.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM "Service"`).map((row) => row.id);
  const known = new Set(ids);
  const merged = mergeTargets(
    ids.map((serviceId) => ({ serviceId, since: coverage.coveredUntil })),
    targets.filter((target) => known.has(target.serviceId)),
    pending[0] ? parsePending(pending[0].fingerprint).filter((target) => known.has(target.serviceId)) : [],
  );
  const serviceIds = merged.map((target) => target.serviceId);
  const sinces = merged.map((target) => target.since?.toISOString() ?? null);
  await tx.$executeRaw`CREATE TEMP TABLE rollup_refresh (service_id uuid PRIMARY KEY, first_day date) ON COMMIT DROP`;
  await tx.$executeRaw`INSERT INTO rollup_refresh
    SELECT t.id, CASE WHEN t.since IS NULL THEN NULL ELSE ${localDaySql(Prisma.sql`t.since`, timeZone)} END
    FROM unnest(${serviceIds}::uuid[], ${sinces}::timestamptz[]) AS t(id, since)`;
  const from = Prisma.sql`deployment."finishedAt" >= coalesce(
    (SELECT target.first_day::timestamp AT TIME ZONE ${timeZone} FROM rollup_refresh target WHERE target.service_id = deployment."serviceId"),
    '-infinity'::timestamptz)`;
  // The days again, beside the stored ones: most refreshed days come out the same (a provisional
  // flag that did not change), and only services with a different day need their windows again.
  await tx.$executeRaw`CREATE TEMP TABLE rollup_days ON COMMIT DROP AS
    ${rawDayFactsSql({ serviceIds, finishedIn: Prisma.sql`${from} AND ${completedDays(clock, timeZone)}`, methodology: null, timeZone })}`;
  const differing = await tx.$queryRaw<{ serviceId: string }[]>`
    WITH stored AS (
      SELECT rollup."serviceId", rollup.methodology, rollup.day, rollup."attemptCount", rollup."successfulCount", rollup."failedChangeCount",
        rollup."reworkCount", rollup."anyProvisional", rollup."changeCount", rollup."independentlyApprovedCount", rollup."knownCommitCount",
        rollup."signedCommitCount", rollup."leadTimeSeconds", rollup."codingSeconds", rollup."reviewSeconds", rollup."waitingSeconds", rollup."recoverySeconds",
        rollup."unwitnessedCount"
      FROM "MetricDayRollup" rollup JOIN rollup_refresh target ON target.service_id = rollup."serviceId"
      WHERE target.first_day IS NULL OR rollup.day >= target.first_day
    ),
    fresh AS (SELECT * FROM rollup_days)
    SELECT DISTINCT "serviceId"::text AS "serviceId" FROM (
      (SELECT * FROM stored EXCEPT ALL SELECT * FROM fresh)
      UNION ALL
      (SELECT * FROM fresh EXCEPT ALL SELECT * FROM stored)
    ) changed`;
  await tx.$executeRaw`DELETE FROM "MetricDayRollup" rollup USING rollup_refresh target
    WHERE rollup."serviceId" = target.service_id AND (target.first_day IS NULL OR rollup.day >= target.first_day)`;
  const rows = await tx.$executeRaw`INSERT INTO "MetricDayRollup" ${INSERT_COLUMNS} SELECT * FROM rollup_days`;
  await tx.$executeRaw`UPDATE "MetricState" SET "builtAt" = ${clock.now()} WHERE key = ${STATE_KEY}`;
  // Stored windows end at the start of today: they hold no day that is not stored, so only the
  // services whose stored days differ now need theirs again (all of them when the day turned).
  await refreshWindowRollups(tx, clock, timeZone, differing.map((row) => row.serviceId));
  await tx.$executeRaw`DELETE FROM "MetricState" WHERE key = ${PENDING_KEY}`;
  await assertNotInvalidatedSince(tx, epoch);
  return { mode: "refresh", rows };
}
