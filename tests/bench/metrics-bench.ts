/**
 * Metrics query benchmark: seeds a large org straight into a throwaway Postgres database (SQL
 * `INSERT … SELECT generate_series`, no sources involved), then times `computeMetrics` for a 90-day
 * window over every service against a bare count of the window's production deployments, and the
 * Overview's comparison and weekly trends. Prints figures and the plan of the slowest statement;
 * asserts nothing.
 *
 *   TEST_DATABASE_URL=postgresql://… npm run bench:metrics [-- scale [runs]]
 *
 * `scale` (default 1) multiplies the deployments per service: 1 ≈ one million production deployments
 * over 2,000 services in 40 teams and two years.
 */
import os from "node:os";
import pg from "pg";
import { frozenClock } from "@/lib/clock";
import { compareMetrics } from "@/lib/data/metrics/compare-metrics";
import { computeMetrics, resolveWindow } from "@/lib/data/metrics/compute-metrics";
import { getOverviewTrends } from "@/lib/data/metrics/get-overview-charts";
import { systemContext } from "@/lib/data/viewer";
import { createPrismaClient } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { migrate } from "@/lib/db/migrate";
import { createThrowawayDatabase } from "@/lib/db/throwaway-database";
import { metricsSnapshotSql } from "@/lib/metrics/definitions/group-metrics";
import { applyMetricStatementSettings } from "@/lib/metrics/statement-settings";
import { refreshRollups, rebuildRollups, rollupTargets, rollupsReady, windowRollupReady } from "@/lib/metrics/rollups";
import type { MetricScope } from "@/lib/metrics/definitions/scope";

const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl) {
  console.error("Set TEST_DATABASE_URL to a local Postgres server (a throwaway database is created on it); the benchmark measures real Postgres, not the embedded one.");
  process.exit(2);
}

const scale = Number(process.argv[2] ?? 1);
const runs = Number(process.argv[3] ?? 20);
if (!(scale > 0) || !Number.isInteger(runs) || runs < 1) {
  console.error("usage: metrics-bench.ts [scale > 0] [runs ≥ 1]");
  process.exit(2);
}

const SERVICES = 2000;
const TEAMS = 40;
const HISTORY_DAYS = 730;
/** Mean production deployments per service at scale 1 (2,000 × 500 = one million). */
const MEAN_PER_SERVICE = Math.round(500 * scale);
const NOW = new Date("2026-11-27T12:00:00Z");
const DAY_MS = 86_400_000;
const clock = frozenClock(NOW);

const database = await createThrowawayDatabase(serverUrl, "ph_bench");
const seed = new pg.Client({ connectionString: database.url });
const step = async (label: string, sql: string, params: unknown[] = []) => {
  const started = performance.now();
  const result = await seed.query(sql, params);
  console.log(`  ${label}: ${result.rowCount ?? 0} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
};

try {
  await migrate(database.url);
  await seed.connect();
  const seedStarted = performance.now();
  console.log(`seeding ${SERVICES} services in ${TEAMS} teams, ${HISTORY_DAYS} days, ~${MEAN_PER_SERVICE} production deployments per service (scale ${scale})`);

  // Bulk load: no per-row foreign-key triggers, no WAL flush per statement, and every secondary index
  // of the seeded tables dropped first and rebuilt afterwards from its own definition (faster than
  // maintaining random-uuid B-trees row by row; the schema at the end is exactly the migrated one).
  await seed.query("SET session_replication_role = replica; SET synchronous_commit = off; SET maintenance_work_mem = '512MB'; SET work_mem = '64MB'");
  const seededTables = ["Deployment", "DeploymentChange", "PullRequest", "Commit", "Incident"];
  const indexes = await seed.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [seededTables],
  );
  for (const index of indexes.rows) await seed.query(`DROP INDEX "${index.indexname}"`);

  await step(
    "integration, teams",
    `WITH integration AS (
       INSERT INTO "Integration" (id, kind, name, origin, "baseUrl", "updatedAt")
       VALUES ('00000000-0000-0000-0000-000000000001', 'GITHUB', 'bench', 'DATABASE', 'http://127.0.0.1', now()) RETURNING id)
     INSERT INTO "Team" (id, slug, name, "updatedAt")
     SELECT md5('team:' || t)::uuid, 'team-' || t, 'Team ' || t, now() FROM generate_series(1, ${TEAMS}) t`,
  );
  // Services: half push-based, half GitOps; a skewed rate (a few busy services, many quiet ones).
  await step(
    "services, repositories",
    `WITH services AS (
       INSERT INTO "Service" (id, slug, name, "teamId", "updatedAt")
       SELECT md5('service:' || s)::uuid, 'svc-' || s, 'Service ' || s, md5('team:' || (1 + s % ${TEAMS}))::uuid, now()
       FROM generate_series(1, ${SERVICES}) s RETURNING id)
     INSERT INTO "Repository" (id, "integrationId", "externalId", owner, name, "fullName", "defaultBranch", "updatedAt")
     SELECT md5('repo:' || s)::uuid, '00000000-0000-0000-0000-000000000001', 'repo-' || s, 'bench', 'svc-' || s, 'bench/svc-' || s, 'main', now()
     FROM generate_series(1, ${SERVICES}) s`,
  );
  await seed.query(
    `CREATE TEMP TABLE bench_service AS
     SELECT s AS idx, md5('service:' || s)::uuid AS id, md5('repo:' || s)::uuid AS repo_id,
            s % 2 = 0 AS gitops,
            greatest(3, round(${MEAN_PER_SERVICE} * (0.25 + 1.5 * power((abs(hashint4(s)) % 1000) / 1000.0, 2)) / 0.75))::int AS n
     FROM generate_series(1, ${SERVICES}) s`,
  );
  // u(s, k, salt): a deterministic uniform [0, 1) per deployment, so neighbours can be reasoned about.
  await seed.query(
    `CREATE FUNCTION pg_temp.u(s int, k int, salt int) RETURNS float8 IMMUTABLE LANGUAGE sql AS
     $$ SELECT (hashint8((s::bigint << 24) + (k::bigint << 4) + salt) & 2147483647)::float8 / 2147483648.0 $$`,
  );
  // Status: 2 % cancelled, 6 % failed attempts, else success; the latest attempt of 5 % of services is in progress.
  // Failed change: 10 % of successes; the next deployment remediates it (a rollback 40 % of the time).
  await step(
    "production deployments",
    `INSERT INTO "Deployment" (id, "integrationId", source, "externalId", methodology, "serviceId", "repositoryId", environment,
       "isProduction", "commitSha", "commitResolution", status, "startedAt", "finishedAt", "previousDeploymentId",
       "isRollback", "isRework", "isFailedChange", "remediatedById", provisional, "flagsComputedAt", "sourceUpdatedAt", "updatedAt")
     SELECT md5('d:' || s.idx || ':' || k)::uuid, '00000000-0000-0000-0000-000000000001',
       (CASE WHEN s.gitops THEN 'ARGOCD' ELSE 'GITHUB_WORKFLOW' END)::"DeploymentSource", s.idx || ':' || k,
       (CASE WHEN s.gitops THEN 'GITOPS' ELSE 'DEVOPS' END)::"Methodology", s.id, s.repo_id, 'production', true,
       md5('sha:' || s.idx || ':' || k) || substr(md5('sha2:' || s.idx || ':' || k), 1, 8),
       (CASE WHEN s.gitops THEN 'IMAGE_TAG' ELSE 'DEPLOYMENT_SHA' END)::"CommitResolution",
       st.status::"DeploymentStatus", t.finished - interval '6 minutes',
       CASE WHEN st.status = 'IN_PROGRESS' THEN NULL ELSE t.finished END,
       CASE WHEN k > 1 THEN md5('d:' || s.idx || ':' || (k - 1))::uuid END,
       st.status = 'SUCCESS' AND prev.failed AND pg_temp.u(s.idx, k - 1, 3) < 0.4,
       st.status = 'SUCCESS' AND prev.failed,
       st.failed,
       CASE WHEN st.failed AND k < s.n THEN md5('d:' || s.idx || ':' || (k + 1))::uuid END,
       st.status = 'SUCCESS' AND t.finished > $1::timestamptz - interval '7 days',
       $1::timestamptz, t.finished, $1::timestamptz
     FROM bench_service s
     CROSS JOIN LATERAL generate_series(1, s.n) k
     CROSS JOIN LATERAL (SELECT $1::timestamptz - interval '${HISTORY_DAYS} days'
       + (k - 1 + 0.9 * pg_temp.u(s.idx, k, 0)) * interval '${HISTORY_DAYS} days' / s.n AS finished) t
     CROSS JOIN LATERAL (SELECT x.status, x.status = 'SUCCESS' AND pg_temp.u(s.idx, k, 2) < 0.10 AS failed FROM (SELECT
       CASE WHEN k = s.n AND s.idx % 20 = 0 THEN 'IN_PROGRESS'
            WHEN pg_temp.u(s.idx, k, 1) < 0.02 THEN 'CANCELLED'
            WHEN pg_temp.u(s.idx, k, 1) < 0.08 THEN 'FAILURE' ELSE 'SUCCESS' END AS status) x) st
     CROSS JOIN LATERAL (SELECT k > 1 AND pg_temp.u(s.idx, k - 1, 1) >= 0.08 AND pg_temp.u(s.idx, k - 1, 2) < 0.10 AS failed) prev`,
    [NOW.toISOString()],
  );
  // Staging: one in five production rows again in a non-production environment, so `isProduction` filters something.
  await step(
    "staging deployments",
    `INSERT INTO "Deployment" (id, "integrationId", source, "externalId", methodology, "serviceId", "repositoryId", environment,
       "isProduction", "commitSha", "commitResolution", status, "startedAt", "finishedAt", "flagsComputedAt", "sourceUpdatedAt", "updatedAt")
     SELECT md5('stg:' || d.id)::uuid, d."integrationId", d.source, 'stg:' || d."externalId", d.methodology, d."serviceId", d."repositoryId",
       'staging', false, d."commitSha", d."commitResolution", d.status, d."startedAt" - interval '1 hour', d."finishedAt" - interval '1 hour',
       d."flagsComputedAt", d."sourceUpdatedAt", d."updatedAt"
     FROM "Deployment" d WHERE d."isProduction" AND hashtext(d."externalId") % 5 = 0`,
  );
  // Change sets: successful non-rollback production deployments ship 1–3 changes (mean 1.6), 85 % through a PR;
  // lead time from an hour to a few weeks, skewed short.
  await step(
    "deployment changes",
    `INSERT INTO "DeploymentChange" (id, "integrationId", "deploymentId", kind, "commitSha", "pullRequestId", "firstCommitAt", "openedAt",
       "mergedAt", "leadTimeSeconds")
     SELECT md5('c:' || d.id || ':' || j)::uuid, d."integrationId", d.id, (CASE WHEN pr THEN 'PULL_REQUEST' ELSE 'DIRECT_PUSH' END)::"ChangeKind",
       md5('csha:' || d.id || ':' || j) || substr(md5('csha2:' || d.id || ':' || j), 1, 8),
       CASE WHEN pr THEN md5('pr:' || d.id || ':' || j)::uuid END,
       d."finishedAt" - lead * interval '1 second',
       CASE WHEN pr THEN d."finishedAt" - lead * 0.6 * interval '1 second' END,
       CASE WHEN pr THEN d."finishedAt" - lead * 0.3 * interval '1 second' END,
       CASE WHEN d."previousDeploymentId" IS NULL THEN NULL ELSE lead END
     FROM "Deployment" d
     CROSS JOIN LATERAL generate_series(1, 1 + (hashtext(d.id::text) & 1023 < 460)::int + (hashtext(d.id::text) & 1023 < 150)::int) j
     CROSS JOIN LATERAL (SELECT (3600 + 2000000 * power((hashtext(d.id::text || j) & 65535) / 65536.0, 3))::int AS lead,
       (hashtext(d.id::text || 'pr' || j) & 1023) < 870 AS pr) x
     WHERE d."isProduction" AND d.status = 'SUCCESS' AND NOT d."isRollback"`,
  );
  // Pull requests behind those changes (90 % approved by someone else) and every change's commit (95 % signed).
  await step(
    "pull requests",
    `INSERT INTO "PullRequest" (id, "integrationId", "repositoryId", "externalId", number, title, state, "authorLogin", "baseBranch",
       "openedAt", "mergedAt", "mergeCommitSha", "firstCommitAt", labels, "approvingReviewers", "sourceUpdatedAt", "updatedAt")
     SELECT c."pullRequestId", c."integrationId", d."repositoryId", c."pullRequestId"::text, row_number() OVER (PARTITION BY d."repositoryId")::int,
       'Change', 'closed', 'dev-' || (hashtext(c.id::text) & 63), 'main', c."openedAt", c."mergedAt", c."commitSha", c."firstCommitAt",
       '{}', CASE WHEN hashtext(c.id::text || 'r') & 1023 < 920 THEN ARRAY['reviewer-' || (hashtext(c.id::text || 'x') & 63)] ELSE '{}' END,
       c."mergedAt", c."mergedAt"
     FROM "DeploymentChange" c JOIN "Deployment" d ON d.id = c."deploymentId"
     WHERE c."pullRequestId" IS NOT NULL`,
  );
  await step(
    "commits",
    `INSERT INTO "Commit" (id, "integrationId", "repositoryId", sha, "parentShas", "authoredAt", "committedAt", "authorLogin", "messageHeadline", "signatureVerified")
     SELECT md5('commit:' || c.id)::uuid, c."integrationId", d."repositoryId", c."commitSha", '{}', c."firstCommitAt", coalesce(c."mergedAt", c."firstCommitAt"),
       'dev-' || (hashtext(c.id::text) & 63), 'Change', hashtext(c.id::text || 's') & 1023 < 970
     FROM "DeploymentChange" c JOIN "Deployment" d ON d.id = c."deploymentId"`,
  );
  // Incidents: a quarter of the failed changes, attributed, resolved within a day (open when recent).
  await step(
    "incidents",
    `INSERT INTO "Incident" (id, "integrationId", "externalId", "repositoryId", number, title, "serviceId", "openedAt", "resolvedAt",
       "deploymentId", attribution, "sourceUpdatedAt", "updatedAt")
     SELECT md5('inc:' || d.id)::uuid, d."integrationId", 'inc:' || d."externalId", d."repositoryId", row_number() OVER (PARTITION BY d."repositoryId")::int,
       'Incident', d."serviceId", d."finishedAt" + interval '2 hours',
       CASE WHEN d."finishedAt" > $1::timestamptz - interval '2 days' THEN NULL ELSE d."finishedAt" + interval '9 hours' END,
       d.id, 'LINKED', d."finishedAt", d."finishedAt"
     FROM "Deployment" d WHERE d."isFailedChange" AND hashtext(d.id::text || 'i') & 3 = 0`,
    [NOW.toISOString()],
  );
  const rebuilt = performance.now();
  for (const index of indexes.rows) await seed.query(index.indexdef);
  console.log(`  ${indexes.rows.length} secondary indexes rebuilt in ${((performance.now() - rebuilt) / 1000).toFixed(1)} s`);
  await seed.query("SET session_replication_role = DEFAULT; RESET synchronous_commit; RESET maintenance_work_mem; RESET work_mem");
  const analyzed = performance.now();
  await seed.query("VACUUM ANALYZE");
  console.log(`  VACUUM ANALYZE in ${((performance.now() - analyzed) / 1000).toFixed(1)} s`);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const db = createPrismaClient(database.url, { poolMax: 4 });

  // The daily rollup, as the first sync after an upgrade builds it, then a refresh as every later sync
  // runs it (here: nearly every service has provisional deployments in its last 7 days, so each gets
  // its last 15 days computed again, about the worst case for an org this active; the stored windows
  // are recomputed only for services whose days came out different, none here).
  const rollupStarted = performance.now();
  const built = await rebuildRollups(db, clock, "UTC");
  if (!built) throw new Error("the rollup build was invalidated meanwhile");
  const rebuildSeconds = (performance.now() - rollupStarted) / 1000;
  await seed.query(`VACUUM ANALYZE "MetricDayRollup"`);
  const refreshStarted = performance.now();
  const targets = await rollupTargets(db, null);
  const refreshed = await refreshRollups(db, clock, "UTC", targets);
  const refreshSeconds = (performance.now() - refreshStarted) / 1000;
  console.log(`  rollup: rebuilt ${built.rows} service-days in ${rebuildSeconds.toFixed(1)} s; a sync's refresh (${targets.length} services) rewrote ${refreshed.rows} in ${refreshSeconds.toFixed(1)} s`);

  // ── measurement ──
  // Two 90-day windows: the product's default (the last 90 complete days, served from the stored
  // per-window values) and the same length cut mid-day at both ends (a custom window: whole days from
  // the day rollup, the two cut days from raw rows). Each against a bare count of its own deployments.
  const deps = { db, timeZone: "UTC" };
  const ctx = systemContext(clock);
  const defaultWindow = resolveWindow({}, NOW, "UTC");
  const windows = [
    { label: "default window (last 90 complete days)", params: {}, ...defaultWindow },
    { label: "custom window (90 days cut mid-day)", params: { from: new Date(NOW.getTime() - 90 * DAY_MS).toISOString(), to: NOW.toISOString() }, from: new Date(NOW.getTime() - 90 * DAY_MS), to: NOW },
  ];
  const countSql = `SELECT count(*) FROM "Deployment" WHERE "isProduction" AND "finishedAt" >= $1 AND "finishedAt" < $2`;
  const time = async (fn: () => Promise<unknown>): Promise<number> => {
    const started = performance.now();
    await fn();
    return performance.now() - started;
  };
  const quantile = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    const position = p * (sorted.length - 1);
    const lower = Math.floor(position);
    return sorted[lower]! + (sorted[Math.ceil(position)]! - sorted[lower]!) * (position - lower);
  };
  const measurements = [];
  for (const window of windows) {
    // Warm-up: caches, plans, the pool's connections.
    await computeMetrics(ctx, window.params, deps);
    await seed.query(countSql, [window.from, window.to]);
    const metricTimes: number[] = [];
    const countTimes: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      metricTimes.push(await time(() => computeMetrics(ctx, window.params, deps)));
      countTimes.push(await time(() => seed.query(countSql, [window.from, window.to])));
    }
    const inWindow = await seed.query<{ successes: string }>(
      `SELECT count(*) AS successes FROM "Deployment" WHERE "isProduction" AND status = 'SUCCESS' AND "finishedAt" >= $1 AND "finishedAt" < $2`,
      [window.from, window.to],
    );
    measurements.push({ ...window, metricTimes, countTimes, successes: inWindow.rows[0]!.successes });
  }

  // The Overview's heavier answers for the default window: the comparison (current, previous and,
  // when shorter, the compared period, plus 10,000 bootstrap resamples per metric) and the weekly
  // trends (each week a window of its own), against computeMetrics of the same window.
  const overviewRuns = Math.min(runs, 5);
  const overviewTimes = { compare: [] as number[], trends: [] as number[], teamScope: [] as number[] };
  await compareMetrics(ctx, {}, deps);
  for (let run = 0; run < overviewRuns; run += 1) {
    overviewTimes.compare.push(await time(() => compareMetrics(ctx, {}, deps)));
    overviewTimes.trends.push(await time(() => getOverviewTrends(ctx, {}, deps)));
    overviewTimes.teamScope.push(await time(() => compareMetrics(ctx, { team: "team-1" }, deps)));
  }
  const sampleSizes = (await compareMetrics(ctx, {}, deps)).metrics.find((metric) => metric.id === "deploymentFrequency")!.samples;

  const scope: MetricScope = { from: windows[1]!.from, to: windows[1]!.to, serviceIds: null, methodology: null, timeZone: "UTC" };
  const coverage = await rollupsReady(db, "UTC");
  const stored = await windowRollupReady(db, "UTC", defaultWindow);
  if (!coverage || !stored) throw new Error("the rollups were just built but are not ready");
  // The custom window's statement as computeMetrics runs it, and the same definitions over raw rows
  // only (what any window costs before the first rollup build, or after a catalog change until the
  // next sync rebuilds it).
  const statements = [
    { label: "default window from the stored values", sql: metricsSnapshotSql({ ...scope, ...defaultWindow, windowRollup: stored }) },
    { label: "custom window with the day rollup (computeMetrics' statement)", sql: metricsSnapshotSql({ ...scope, rollups: coverage }) },
    { label: "custom window from raw rows only", sql: metricsSnapshotSql(scope) },
  ];

  // Each statement alone, with computeMetrics' settings (JIT compilation costs more than it saves here).
  const withSettings = <T>(fn: (tx: Prisma.TransactionClient) => Promise<T>) =>
    db.$transaction(
      async (tx) => {
        await applyMetricStatementSettings(tx);
        return await fn(tx);
      },
      { timeout: 600_000 },
    );
  const statementTimes = [];
  // Median of 5 runs each (the first of them warms the plan cache for the stored one).
  for (const statement of statements) {
    const times = [];
    for (let run = 0; run < 5; run += 1) times.push(await time(() => withSettings((tx) => tx.$queryRaw(statement.sql))));
    statementTimes.push({ ...statement, ms: quantile(times, 0.5) });
  }
  // The plan of computeMetrics' statement, with the settings computeMetrics uses.
  const slowest = statementTimes[1]!;
  const explained = await withSettings((tx) => tx.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${slowest.sql}`));
  const [storedRows] = await db.$queryRaw<{ rows: number }[]>`SELECT count(*)::int AS rows FROM "MetricWindowRollup" WHERE "fromDay" = ${stored.fromDay}::date AND "toDay" = ${stored.toDay}::date`;
  const [rollupRows] = await db.$queryRaw<{ rows: number }[]>`SELECT count(*)::int AS rows FROM "MetricDayRollup" WHERE day >= ${defaultWindow.from.toISOString().slice(0, 10)}::date AND day < ${defaultWindow.to.toISOString().slice(0, 10)}::date`;

  const counts = await seed.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM "Service") AS services, (SELECT count(*) FROM "Team") AS teams,
       (SELECT count(*) FROM "Deployment" WHERE "isProduction") AS production, (SELECT count(*) FROM "Deployment") AS deployments,
       (SELECT count(*) FROM "Deployment" WHERE "isFailedChange") AS failed, (SELECT count(*) FROM "Deployment" WHERE "isRework") AS rework,
       (SELECT count(*) FROM "Deployment" WHERE provisional) AS provisional,
       (SELECT count(*) FROM "DeploymentChange") AS changes, (SELECT count(*) FROM "PullRequest") AS pulls,
       (SELECT count(*) FROM "Commit") AS commits, (SELECT count(*) FROM "Incident") AS incidents,
       pg_size_pretty(pg_database_size(current_database())) AS size, current_setting('server_version') AS version,
       current_setting('shared_buffers') AS shared_buffers, current_setting('work_mem') AS work_mem, current_setting('jit') AS jit`,
  );
  const c = counts.rows[0]!;
  const p = (values: number[], q: number) => quantile(values, q).toFixed(1);
  console.log("");
  console.log(`conditions: Postgres ${c.version} (shared_buffers ${c.shared_buffers}, work_mem ${c.work_mem}, jit ${c.jit}), node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`);
  console.log(`data: ${c.services} services, ${c.teams} teams; ${c.production} production deployments (${c.deployments} in all), ${c.failed} failed changes, ${c.rework} rework, ${c.provisional} provisional; ${c.changes} deployment changes, ${c.pulls} PRs, ${c.commits} commits, ${c.incidents} incidents; database ${c.size}`);
  console.log(`seed: ${seedSeconds.toFixed(0)} s${scale === 1 ? "" : ` (scale ${scale}: ${scale < 1 ? "reduced" : "enlarged"} from one million production deployments)`}`);
  console.log(`the default window's whole days are ${rollupRows!.rows} day-rollup rows; its per-service values are ${storedRows!.rows} stored rows (${c.services} services × 3 cohorts)`);
  for (const m of measurements) {
    console.log(`${m.label} [${m.from.toISOString()}, ${m.to.toISOString()}), ${m.successes} successful production deployments:`);
    console.log(`  computeMetrics, ${runs} runs after a warm-up: p50 ${p(m.metricTimes, 0.5)} ms, p95 ${p(m.metricTimes, 0.95)} ms`);
    console.log(`  bare count(*) of the window's production deployments: p50 ${p(m.countTimes, 0.5)} ms, p95 ${p(m.countTimes, 0.95)} ms`);
    console.log(`  ratio computeMetrics / count (p50): ${(quantile(m.metricTimes, 0.5) / quantile(m.countTimes, 0.5)).toFixed(2)}×`);
  }
  const defaultP50 = quantile(measurements[0]!.metricTimes, 0.5);
  console.log(
    `Overview, default window, ${overviewRuns} runs after a warm-up (${sampleSizes.devops.length} DevOps and ${sampleSizes.gitops.length} GitOps services resampled): ` +
      `compareMetrics p50 ${p(overviewTimes.compare, 0.5)} ms (${(quantile(overviewTimes.compare, 0.5) / defaultP50).toFixed(1)}× computeMetrics), ` +
      `one team's comparison p50 ${p(overviewTimes.teamScope, 0.5)} ms, weekly trends p50 ${p(overviewTimes.trends, 0.5)} ms (${(quantile(overviewTimes.trends, 0.5) / defaultP50).toFixed(1)}× computeMetrics)`,
  );
  console.log(`statements alone, median of 5 (jit off, work_mem 128MB): ${statementTimes.map((s) => `${s.label} ${s.ms.toFixed(0)} ms`).join(", ")}`);
  console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of ${slowest.label}, jit off, work_mem 128MB:`);
  // The scope's 2,000 service ids are inlined in the plan: shorten such lines.
  console.log(explained.map((row) => (row["QUERY PLAN"].length > 400 ? `${row["QUERY PLAN"].slice(0, 400)}…` : row["QUERY PLAN"])).join("\n"));
  await db.$disconnect();
} finally {
  await seed.end().catch(() => {});
  // BENCH_KEEP_DATABASE=1 leaves the seeded database for a closer look (its URL is printed).
  if (process.env.BENCH_KEEP_DATABASE === "1") console.log(`kept: ${database.url}`);
  else await database.drop();
}
