import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { parseEnv } from "@/lib/env";
import { upsertDeployments } from "@/lib/ingest/github/upsert-github";
import { runGithubSync } from "@/lib/ingest/github/run-github-sync";
import { registerIntegrations } from "@/lib/ingest/integrations";
import type { DeploymentRecord } from "@/lib/ingest/records";
import { type FaultPlan, type GithubSandbox, startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import type { SandboxOrg } from "@/lib/sandbox/github/model";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { GithubRateLimitedError } from "@/lib/sources/github/errors";
import { ingestSnapshot } from "./helpers/ingest-snapshot";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * However a run is disturbed (faults, a crash, a spent rate limit), the runs that follow end with
 * exactly the data of an undisturbed run. A short history keeps each run quick.
 */
const anchor = new Date("2026-11-27T12:00:00Z");
const env = parseEnv({});
const BIG_BUDGET = { limit: 100_000, windowSeconds: 3600 };

describe("GitHub ingestion under trouble", () => {
  let org: SandboxOrg;
  let clean: Awaited<ReturnType<typeof ingestSnapshot>>;
  const opened: { sandbox: GithubSandbox; database: TestDatabase }[] = [];

  async function setUp(options: { faults?: FaultPlan; rateLimit?: { limit: number; windowSeconds: number }; clock: ReturnType<typeof frozenClock> }) {
    const sandbox = await startGithubSandbox({ org, clock: options.clock, port: 0, faults: options.faults, rateLimit: options.rateLimit ?? BIG_BUDGET });
    const database = await createTestDatabase();
    opened.push({ sandbox, database });
    const [integration] = await registerIntegrations(database.db, env, { sandboxUrl: sandbox.url });
    return { sandbox, database, integration: integration! };
  }

  beforeAll(async () => {
    const scenario = generateScenario({ anchor, historyDays: 30 });
    // Eight repositories keep each run short: Deployments, workflow-deployed and GitOps ones alike.
    const pick = (via: string, count: number) => scenario.truth.services.filter((service) => service.deployVia === via).slice(0, count).map((service) => service.slug);
    const chosen = new Set([...pick("github_deployments", 4), ...pick("actions_workflow", 2), ...pick("gitops", 2)]);
    org = { ...scenario.org, repositories: scenario.org.repositories.filter((repository) => chosen.has(repository.name)) };
    const clock = frozenClock(anchor);
    const { database, integration } = await setUp({ clock });
    await runGithubSync(database.db, integration, { env, clock, retryBaseMs: 5 });
    clean = await ingestSnapshot(database.db);
    expect(clean.deployments!.length).toBeGreaterThan(20);
  }, 300_000);

  afterAll(async () => {
    for (const { sandbox, database } of opened) {
      await sandbox.stop();
      await database.close();
    }
  });

  it("ends with the clean run's data when a share of requests get 429, secondary limits, 5xx, slowness and dropped connections", async () => {
    const clock = frozenClock(anchor);
    const { sandbox, database, integration } = await setUp({
      clock,
      faults: { rateLimited429: 0.015, secondaryRateLimit403: 0.015, serverError5xx: 0.05, slow: 0.02, slowMs: 30, dropConnection: 0.02, seed: "trouble" },
    });
    let rescheduled = 0;
    for (let attempt = 0; ; attempt++) {
      expect(attempt, "runs needed").toBeLessThan(400);
      try {
        await runGithubSync(database.db, integration, { env, clock, retryBaseMs: 5 });
        break;
      } catch (error) {
        if (!(error instanceof GithubRateLimitedError)) throw error;
        rescheduled += 1;
      }
    }
    const faults = new Set(sandbox.requests.map((request) => request.fault?.replace(/-50\d$/, "-5xx")).filter(Boolean));
    expect([...faults].sort()).toEqual(["dropped-connection", "rate-limited-429", "secondary-rate-limit-403", "server-error-5xx"]);
    expect(sandbox.requests.some((request) => (request.delayedMs ?? 0) > 0)).toBe(true);
    expect(rescheduled).toBeGreaterThan(0);
    expect(await database.db.ingestRun.count({ where: { status: "RESCHEDULED", rescheduledFor: { not: null } } })).toBe(rescheduled);
    expect(await ingestSnapshot(database.db)).toEqual(clean);
  }, 600_000);

  it("ends with the same data when a run dies midway and the next run resumes", async () => {
    const clock = frozenClock(anchor);
    const { database, integration } = await setUp({ clock });
    await expect(
      runGithubSync(database.db, integration, {
        env,
        clock,
        retryBaseMs: 5,
        onProgress: ({ done }) => {
          if (done === 4) throw new Error("worker killed");
        },
      }),
    ).rejects.toThrow("worker killed");
    expect(await database.db.ingestRun.findFirstOrThrow({ where: { integrationId: integration.id } })).toMatchObject({ status: "FAILED", error: "worker killed", itemsProcessed: 4 });
    expect((await ingestSnapshot(database.db)).deployments!.length).toBeLessThan(clean.deployments!.length);
    const resumed = await runGithubSync(database.db, integration, { env, clock, retryBaseMs: 5 });
    expect(await database.db.ingestRun.findUniqueOrThrow({ where: { id: resumed.runId } })).toMatchObject({ status: "SUCCEEDED", itemsProcessed: resumed.repositories });
    expect(await ingestSnapshot(database.db)).toEqual(clean);
  }, 300_000);

  it("stops at a spent rate limit with the reset time, and resumes after it", async () => {
    const clock = frozenClock(anchor);
    const { database, integration } = await setUp({ clock, rateLimit: { limit: 250, windowSeconds: 3600 } });
    let waits = 0;
    for (;;) {
      try {
        await runGithubSync(database.db, integration, { env, clock, retryBaseMs: 5 });
        break;
      } catch (error) {
        if (!(error instanceof GithubRateLimitedError)) throw error;
        expect(error.kind).toBe("primary");
        expect(error.retryAt.getTime()).toBeGreaterThan(clock.now().getTime());
        expect(await database.db.ingestRun.findFirstOrThrow({ where: { integrationId: integration.id }, orderBy: { startedAt: "desc" } })).toMatchObject({ status: "RESCHEDULED", rescheduledFor: error.retryAt });
        // The worker would queue the job for this instant; here time simply moves there.
        clock.set(error.retryAt);
        waits += 1;
        expect(waits).toBeLessThan(50);
      }
    }
    expect(waits).toBeGreaterThan(0);
    expect(await ingestSnapshot(database.db)).toEqual(clean);
  }, 600_000);

  it("never lets an older event overwrite a newer state", async () => {
    const { database } = opened[0]!;
    const [integrationRow] = await database.db.integration.findMany();
    const deployment = await database.db.deployment.findFirstOrThrow({ where: { status: "SUCCESS" } });
    const newer: DeploymentRecord = {
      source: deployment.source as DeploymentRecord["source"],
      externalId: deployment.externalId,
      environment: deployment.environment,
      isProduction: deployment.isProduction,
      commitSha: deployment.commitSha!,
      status: "SUCCESS",
      startedAt: deployment.startedAt,
      finishedAt: deployment.finishedAt,
      initiatedBy: deployment.initiatedBy,
      sourceUpdatedAt: deployment.sourceUpdatedAt,
    };
    // A late webhook-era copy from before the deployment finished.
    const older: DeploymentRecord = { ...newer, status: "IN_PROGRESS", finishedAt: null, sourceUpdatedAt: new Date(deployment.sourceUpdatedAt.getTime() - 60_000) };
    await database.db.$transaction((tx) => upsertDeployments(tx, integrationRow!.id, deployment.serviceId!, [older]));
    expect(await database.db.deployment.findUniqueOrThrow({ where: { id: deployment.id } })).toMatchObject({ status: "SUCCESS", finishedAt: deployment.finishedAt });
  });
});
