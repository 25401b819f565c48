/**
 * Ingestion benchmark: backfills the sandbox org from scratch into a real Postgres, then syncs the
 * unchanged org again. Prints figures; asserts nothing.
 *
 *   TEST_DATABASE_URL=postgresql://… npm run bench:ingest [-- historyDays]
 */
import { frozenClock } from "@/lib/clock";
import { parseEnv } from "@/lib/env";
import { runGithubSync } from "@/lib/ingest/github/run-github-sync";
import { registerIntegrations } from "@/lib/ingest/integrations";
import { startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { createTestDatabase } from "../integration/helpers/test-database";

if (!process.env.TEST_DATABASE_URL) {
  console.error("Set TEST_DATABASE_URL to a local Postgres server (a throwaway database is created on it); the benchmark measures real Postgres, not the embedded one.");
  process.exit(2);
}

const historyDays = Number(process.argv[2] ?? 200);
const clock = frozenClock("2026-11-27T12:00:00Z");
const generated = performance.now();
const { org, truth } = generateScenario({ anchor: clock.now(), historyDays });
const generationMs = performance.now() - generated;
const sandbox = await startGithubSandbox({ org, clock, port: 0, rateLimit: { limit: 1_000_000, windowSeconds: 3600 } });
const database = await createTestDatabase();
const env = parseEnv({});
const [integration] = await registerIntegrations(database.db, env, { sandboxUrl: sandbox.url });

const first = performance.now();
await runGithubSync(database.db, integration!, { env, clock });
const firstSeconds = (performance.now() - first) / 1000;
const firstRequests = sandbox.requests.length;
const deployments = await database.db.deployment.count();
const [pulls, commits] = await Promise.all([database.db.pullRequest.count(), database.db.commit.count()]);

sandbox.resetLog();
const second = performance.now();
await runGithubSync(database.db, integration!, { env, clock });
const secondSeconds = (performance.now() - second) / 1000;
const notModified = sandbox.requests.filter((request) => request.status === 304).length;

console.log(`conditions: node ${process.version}, Postgres at TEST_DATABASE_URL, sandbox on loopback, ${historyDays} days of history, no faults`);
console.log(`scenario: ${org.repositories.length} repositories, ${truth.deployments.length} deployments, ${truth.changes.length} changes (generated in ${Math.round(generationMs)} ms)`);
console.log(`backfill: ${deployments} deployments, ${pulls} pull requests, ${commits} commits in ${firstSeconds.toFixed(1)} s`);
console.log(`          ${(deployments / firstSeconds).toFixed(1)} deployments/s, ${firstRequests} GitHub requests = ${(firstRequests / deployments).toFixed(2)} requests per deployment`);
console.log(`unchanged re-sync: ${sandbox.requests.length} requests in ${secondSeconds.toFixed(1)} s, ${notModified} answered 304 (${((100 * notModified) / Math.max(1, sandbox.requests.length)).toFixed(0)} %), rate budget spent: ${sandbox.requests.length - notModified}`);
await sandbox.stop();
await database.close();
