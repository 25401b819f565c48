import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { computeMetrics } from "@/lib/data/metrics/compute-metrics";
import { listServiceMetrics } from "@/lib/data/metrics/list-service-metrics";
import { getServiceDetail } from "@/lib/data/services/get-service";
import { systemContext } from "@/lib/data/viewer";
import { Prisma } from "@/lib/db/generated/client";
import { parseEnv } from "@/lib/env";
import { runGithubSync } from "@/lib/ingest/github/run-github-sync";
import { registerIntegrations } from "@/lib/ingest/integrations";
import { localDaySql, rawDayFactsSql } from "@/lib/metrics/definitions/day-facts";
import { sourceTouchCheckpoint } from "@/lib/metrics/derive/recompute";
import { maintainDerivedData } from "@/lib/metrics/maintain-derived-data";
import { rebuildRollups, rollupsReady, windowRollupReady } from "@/lib/metrics/rollups";
import { resolveWindow } from "@/lib/data/metrics/compute-metrics";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/start-sandbox";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * The daily rollup (`MetricDayRollup`) against the raw computation it replaces: after a sync of the
 * live sandbox org, after later syncs as its clock moves on (new deployments, flags that settle,
 * reverts and incidents arriving days later), and after a setting changes. Two checks each time:
 * every stored row equals the day facts computed from the raw rows, and every metrics answer
 * (API, services table, service page) is identical whether it reads the rollup or only raw rows.
 * The zone is Europe/Berlin so days are not UTC days and the history crosses a DST change.
 */
const ANCHOR = new Date("2026-11-27T12:00:00Z");
const DAY_MS = 86_400_000;
const clock = frozenClock(ANCHOR);
const TIME_ZONE = "Europe/Berlin";
const env = parseEnv({ ORG_TIMEZONE: TIME_ZONE });

let database: TestDatabase;
let sandbox: RunningSandbox;
let integration: Awaited<ReturnType<typeof registerIntegrations>>[number];

beforeAll(async () => {
  sandbox = await startSandbox({ clock, port: 0, anchor: ANCHOR });
  database = await createTestDatabase();
  integration = (await registerIntegrations(database.db, env, { sandboxUrl: sandbox.githubUrl }))[0]!;
  await runGithubSync(database.db, integration, { env, clock, retryBaseMs: 5 });
}, 600_000);

afterAll(async () => {
  await sandbox?.stop();
  await database?.close();
});

/** Rows of the stored rollup that the raw computation does not give, and the other way round. */
async function storedVersusRaw(): Promise<{ rawRows: number; storedRows: number; missing: number; extra: number }> {
  const today = Prisma.sql`(${localDaySql(Prisma.sql`${clock.now().toISOString()}::timestamptz`, TIME_ZONE)}::timestamp AT TIME ZONE ${TIME_ZONE})`;
  const raw = rawDayFactsSql({ serviceIds: null, finishedIn: Prisma.sql`deployment."finishedAt" < ${today}`, methodology: null, timeZone: TIME_ZONE });
  const [row] = await database.db.$queryRaw<{ rawRows: number; storedRows: number; missing: number; extra: number }[]>`
    WITH raw AS (${raw}),
    stored AS (
      SELECT "serviceId", methodology, day, "attemptCount", "successfulCount", "failedChangeCount", "reworkCount", "anyProvisional",
        "changeCount", "independentlyApprovedCount", "knownCommitCount", "signedCommitCount",
        "leadTimeSeconds", "codingSeconds", "reviewSeconds", "waitingSeconds", "recoverySeconds", "unwitnessedCount"
      FROM "MetricDayRollup")
    SELECT (SELECT count(*) FROM raw)::int AS "rawRows", (SELECT count(*) FROM stored)::int AS "storedRows",
      (SELECT count(*) FROM (SELECT * FROM raw EXCEPT ALL SELECT * FROM stored) x)::int AS missing,
      (SELECT count(*) FROM (SELECT * FROM stored EXCEPT ALL SELECT * FROM raw) y)::int AS extra`;
  return row!;
}

/** Every answer of the metrics data layer for `windows`, in the current state of the rollup. */
async function answers(windows: readonly { from?: string; to?: string }[]) {
  const ctx = systemContext(clock);
  const deps = { db: database.db, timeZone: TIME_ZONE };
  const out = [];
  for (const window of windows) {
    out.push(await computeMetrics(ctx, window, deps));
    out.push(await computeMetrics(ctx, { ...window, team: "payments" }, deps).catch((error: Error) => error.message));
    out.push(await listServiceMetrics(ctx, { ...window, sort: "leadTime", dir: "desc", pageSize: 100 }, deps));
    out.push(await getServiceDetail(ctx, "payments-api", window, deps));
  }
  // The pages' other presets (stored windows too).
  for (const days of [7, 30, 365]) out.push(await listServiceMetrics(ctx, { days, sort: "changeFailRate", pageSize: 100 }, deps));
  return out;
}

const defaultWindow = () => resolveWindow({}, clock.now(), TIME_ZONE);

/**
 * The same answers read three ways: with the stored windows and the day rollup, with the day rollup
 * only (window states removed), and from raw rows only (every state removed); states restored after.
 */
async function readBothWays(windows: readonly { from?: string; to?: string }[]) {
  expect(await rollupsReady(database.db, TIME_ZONE)).not.toBeNull();
  expect(await windowRollupReady(database.db, TIME_ZONE, defaultWindow())).not.toBeNull();
  const withRollup = await answers(windows);
  const states = await database.db.metricState.findMany({ where: { OR: [{ key: "rollup" }, { key: { startsWith: "window:" } }] } });
  expect(states.length).toBe(6);
  try {
    await database.db.metricState.deleteMany({ where: { key: { startsWith: "window:" } } });
    expect(await windowRollupReady(database.db, TIME_ZONE, defaultWindow())).toBeNull();
    const dayRollupOnly = await answers(windows);
    await database.db.metricState.deleteMany({ where: { key: "rollup" } });
    expect(await rollupsReady(database.db, TIME_ZONE)).toBeNull();
    const raw = await answers(windows);
    expect(dayRollupOnly).toEqual(raw);
    return { withRollup, raw };
  } finally {
    await database.db.metricState.deleteMany({ where: { OR: [{ key: "rollup" }, { key: { startsWith: "window:" } }] } });
    await database.db.metricState.createMany({ data: states });
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

function windowsAround(now: Date) {
  const t = now.getTime();
  return [
    {}, // the default: the last 90 complete days (a stored window)
    { from: "2026-09-01T00:00:00+02:00", to: "2026-11-01T00:00:00+01:00" }, // whole Berlin days, across the DST change
    { from: iso(t - 200 * DAY_MS), to: iso(t) }, // the whole history
    { from: iso(t - 30 * DAY_MS - 5 * 3_600_000), to: iso(t + 3 * DAY_MS) }, // ends in the future
    { from: iso(t - 5 * DAY_MS - 9 * 3_600_000), to: iso(t - 5 * DAY_MS - 3 * 3_600_000) }, // six hours of one day
    { from: iso(t - 40 * DAY_MS - 3_600_000), to: iso(t - 39 * DAY_MS + 3_600_000) }, // across one midnight, no whole day
  ];
}

describe("metric day rollups", () => {
  it("after the first sync: built, equal to the raw computation, and every answer identical either way", async () => {
    const compared = await storedVersusRaw();
    expect(compared.rawRows).toBeGreaterThan(300);
    expect(compared).toEqual({ rawRows: compared.rawRows, storedRows: compared.rawRows, missing: 0, extra: 0 });
    const { withRollup, raw } = await readBothWays(windowsAround(clock.now()));
    expect(withRollup).toEqual(raw);
    // Not vacuous: the default window has deployments, lead times and failed changes to compare.
    const first = withRollup[0] as Awaited<ReturnType<typeof computeMetrics>>;
    expect(first.cohorts.devops.deploymentCount).toBeGreaterThan(50);
    expect(first.cohorts.devops.leadTimeChangeCount).toBeGreaterThan(50);
    expect(first.cohorts.devops.failedChangeCount).toBeGreaterThan(0);
  }, 300_000);

  it("stays equal as the org goes on: later syncs refresh only what can have changed", async () => {
    const before = await database.db.metricDayRollup.count();
    for (const days of [1, 3, 9]) {
      clock.advance(days * DAY_MS);
      await runGithubSync(database.db, integration, { env, clock, retryBaseMs: 5 });
      const compared = await storedVersusRaw();
      expect(compared, `after ${days} more days`).toEqual({ rawRows: compared.rawRows, storedRows: compared.rawRows, missing: 0, extra: 0 });
    }
    expect(await database.db.metricDayRollup.count()).toBeGreaterThan(before);
    // Only today's windows are stored, one row per service and cohort.
    const services = await database.db.service.count();
    expect(await database.db.metricWindowRollup.count()).toBe(5 * 3 * services);
    expect(await windowRollupReady(database.db, TIME_ZONE, defaultWindow())).not.toBeNull();
    // A late event the same day: an incident opened an hour after a deployment of three days ago
    // (already in the stored days and windows) makes it a failed change; the next incremental run
    // must rewrite those days and the windows holding them, and no more (no rebuild).
    const threeDaysAgo = new Date(clock.now().getTime() - 3 * DAY_MS);
    const victim = await database.db.deployment.findFirstOrThrow({
      where: { service: { slug: "payments-api" }, isProduction: true, status: "SUCCESS", isRollback: false, isFailedChange: false, finishedAt: { lt: threeDaysAgo } },
      orderBy: { finishedAt: "desc" },
    });
    const touchedSince = await sourceTouchCheckpoint(database.db);
    await database.db.incident.create({
      data: {
        integrationId: integration.id, externalId: "late-incident", title: "Late incident", serviceId: victim.serviceId,
        openedAt: new Date(victim.finishedAt!.getTime() + 3_600_000), resolvedAt: new Date(victim.finishedAt!.getTime() + 5 * 3_600_000),
        sourceUpdatedAt: clock.now(),
      },
    });
    const again = await maintainDerivedData(database.db, clock, { timeZone: TIME_ZONE, productionEnvironments: env.PRODUCTION_ENVIRONMENTS, touchedSince });
    expect(again.mode).toBe("incremental");
    expect(again.rollup.mode).toBe("refresh");
    expect(await database.db.deployment.findUniqueOrThrow({ where: { id: victim.id } })).toMatchObject({ isFailedChange: true, failedChangeRule: "incident" });
    const compared = await storedVersusRaw();
    expect(compared).toEqual({ rawRows: compared.rawRows, storedRows: compared.rawRows, missing: 0, extra: 0 });
    const { withRollup, raw } = await readBothWays(windowsAround(clock.now()));
    expect(withRollup).toEqual(raw);
  }, 600_000);

  it("follows what the derivation changed on a settled day, even when no source row was touched since the sync began", async () => {
    // An incident linked by hand to a deployment of five weeks ago, recorded before the checkpoint:
    // only the derivation (which reports the flags it changed) can tell the rollup about that day.
    const fiveWeeksAgo = new Date(clock.now().getTime() - 35 * DAY_MS);
    const victim = await database.db.deployment.findFirstOrThrow({
      where: { service: { slug: "payments-api" }, isProduction: true, status: "SUCCESS", isRollback: false, isFailedChange: false, provisional: false, finishedAt: { lt: fiveWeeksAgo } },
      orderBy: { finishedAt: "desc" },
    });
    await database.db.incident.create({
      data: {
        integrationId: integration.id, externalId: "linked-old-incident", title: "Linked old incident", serviceId: victim.serviceId,
        openedAt: new Date(victim.finishedAt!.getTime() + 2 * 3_600_000), resolvedAt: new Date(victim.finishedAt!.getTime() + 7 * 3_600_000),
        deploymentId: victim.id, attribution: "LINKED", sourceUpdatedAt: clock.now(),
      },
    });
    const touchedSince = await sourceTouchCheckpoint(database.db);
    const run = await maintainDerivedData(database.db, clock, { timeZone: TIME_ZONE, productionEnvironments: env.PRODUCTION_ENVIRONMENTS, touchedSince });
    expect(run.rollup.mode).toBe("refresh");
    expect(await database.db.deployment.findUniqueOrThrow({ where: { id: victim.id } })).toMatchObject({ isFailedChange: true, failedChangeRule: "incident" });
    expect(run.derive.changedSince.get(victim.serviceId!)?.getTime()).toBeLessThanOrEqual(victim.finishedAt!.getTime());
    const compared = await storedVersusRaw();
    expect(compared).toEqual({ rawRows: compared.rawRows, storedRows: compared.rawRows, missing: 0, extra: 0 });
    // Nothing left pending once the refresh committed.
    expect(await database.db.metricState.findUnique({ where: { key: "rollup-pending" } })).toBeNull();
  }, 300_000);

  it("uses one instant for a rebuild that runs across midnight", async () => {
    // A clock that moves an hour on every read, starting 30 minutes before a Berlin midnight.
    let instant = new Date("2026-12-20T22:30:00Z").getTime();
    const ticking = { now: () => new Date((instant += 3_600_000) - 3_600_000) };
    await rebuildRollups(database.db, ticking, TIME_ZONE);
    const state = await database.db.metricState.findUniqueOrThrow({ where: { key: "rollup" } });
    expect(state.builtAt.toISOString()).toBe("2026-12-20T22:30:00.000Z");
    // The day in progress at that instant (20 December, Berlin) is not stored.
    expect(await database.db.metricDayRollup.count({ where: { day: { gte: new Date("2026-12-20T00:00:00Z") } } })).toBe(0);
    await rebuildRollups(database.db, clock, TIME_ZONE);
  }, 300_000);

  it("a changed setting classifies stored deployments again, derives everything in full and rebuilds the rollup", async () => {
    const wider = "^(prod(uction)?|staging)$";
    const production = () => database.db.deployment.count({ where: { isProduction: true } });
    const productionBefore = await production();
    const full = await maintainDerivedData(database.db, clock, { timeZone: TIME_ZONE, productionEnvironments: wider });
    expect(full.mode).toBe("full");
    expect(full.rollup.mode).toBe("rebuild");
    expect(await production()).toBeGreaterThan(productionBefore);
    const audit = await database.db.auditEvent.findFirst({ where: { action: "catalog.environments.reclassified" }, orderBy: { seq: "desc" } });
    expect(audit?.targetDisplay).toBe(wider);
    let compared = await storedVersusRaw();
    expect(compared).toEqual({ rawRows: compared.rawRows, storedRows: compared.rawRows, missing: 0, extra: 0 });
    // And back: the same rows, derived again.
    const back = await maintainDerivedData(database.db, clock, { timeZone: TIME_ZONE, productionEnvironments: env.PRODUCTION_ENVIRONMENTS });
    expect(back.mode).toBe("full");
    expect(await production()).toBe(productionBefore);
    compared = await storedVersusRaw();
    expect(compared).toEqual({ rawRows: compared.rawRows, storedRows: compared.rawRows, missing: 0, extra: 0 });
  }, 600_000);

  it("a new day without a sync reads the day rollup until the next refresh stores the new windows", async () => {
    clock.advance(DAY_MS);
    expect(await windowRollupReady(database.db, TIME_ZONE, defaultWindow())).toBeNull();
    const refreshed = await maintainDerivedData(database.db, clock, { timeZone: TIME_ZONE, productionEnvironments: env.PRODUCTION_ENVIRONMENTS });
    expect(refreshed.rollup.mode).toBe("refresh");
    expect(await windowRollupReady(database.db, TIME_ZONE, defaultWindow())).not.toBeNull();
    const { withRollup, raw } = await readBothWays(windowsAround(clock.now()));
    expect(withRollup).toEqual(raw);
  }, 300_000);

  it("is not read for another zone, and a rebuild for that zone is read again", async () => {
    expect(await rollupsReady(database.db, "UTC")).toBeNull();
    await rebuildRollups(database.db, clock, "UTC");
    expect(await rollupsReady(database.db, "UTC")).not.toBeNull();
    expect(await rollupsReady(database.db, TIME_ZONE)).toBeNull();
    await rebuildRollups(database.db, clock, TIME_ZONE);
    expect(await storedVersusRaw()).toMatchObject({ missing: 0, extra: 0 });
  }, 300_000);
});
