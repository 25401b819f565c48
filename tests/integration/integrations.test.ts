import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify-audit";
import { frozenClock } from "@/lib/clock";
import { createGithubIntegration } from "@/lib/data/integrations/create-integration";
import { enqueueSyncOnce } from "@/lib/data/integrations/enqueue-sync-once";
import { enqueueSync } from "@/lib/worker/run-worker";
import type { IntegrationDeps } from "@/lib/data/integrations/integration-deps";
import { previewIntegrationRemoval, removeIntegration } from "@/lib/data/integrations/integration-removal";
import { getIntegrations } from "@/lib/data/integrations/list-integrations";
import { requestIntegrationSync } from "@/lib/data/integrations/request-integration-sync";
import { type ViewerContext, systemContext } from "@/lib/data/viewer";
import { parseEnv } from "@/lib/env";
import { runGithubSync } from "@/lib/ingest/github/run-github-sync";
import { type Integration, registerIntegrations } from "@/lib/ingest/integrations";
import { type GithubSandbox, startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { decryptCredentials } from "@/lib/security/credentials";
import { describeRemoval } from "@/components/settings/format-integration";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * Stored integrations end to end over a real database: the token sealed at rest, a sync against the
 * GitHub sandbox that only accepts the stored token, sync-now deduplicated by the real queue, and a
 * removal whose preview counts are exactly what it deletes, with the audit trail left whole.
 */
const anchor = new Date("2026-11-27T12:00:00Z");
const clock = frozenClock(anchor);
const ENCRYPTION_KEY = "integration-test-key-0123456789abcdef";
const env = parseEnv({ ENCRYPTION_KEY });
const TOKEN = "ghp_storedTokenOnlyThisTestKnows0123456789";

const admin: ViewerContext = {
  viewer: { kind: "user", userId: "6f1e9a52-3c0b-4d8e-9a51-0c2b7f4e1a11", personId: null, role: "ADMIN", display: "Ada Admin" },
  requestId: "req-integrations-admin",
  clientIp: "203.0.113.7",
  clock,
};
const viewer: ViewerContext = { ...admin, viewer: { kind: "user", userId: "0b0e4c1d-8a2f-4c55-9d7e-3e2f1a0c9b12", personId: null, role: "ENGINEER", display: "Eve Engineer" } };
const anonymous: ViewerContext = { ...admin, viewer: { kind: "anonymous" } };

describe("stored integrations", () => {
  let sandbox: GithubSandbox;
  let database: TestDatabase;
  let deps: IntegrationDeps;
  let org: string;
  let sandboxIntegration: Integration;
  const enqueued: string[] = [];

  const stored = async (name: string) => await database.db.integration.findFirstOrThrow({ where: { name } });
  /** Everything a refused change could have written. */
  const snapshot = async () => ({
    integrations: await database.db.integration.findMany({ orderBy: { id: "asc" }, select: { id: true, name: true } }),
    audit: await database.db.auditEvent.count(),
    repositories: await database.db.repository.count(),
    deployments: await database.db.deployment.count(),
  });

  beforeAll(async () => {
    const scenario = generateScenario({ anchor, historyDays: 30 });
    const chosen = new Set(scenario.truth.services.slice(0, 2).map((service) => service.slug));
    org = scenario.truth.org;
    // Only the stored token opens this sandbox, so a sync that succeeds has decrypted it.
    sandbox = await startGithubSandbox({
      org: { ...scenario.org, repositories: scenario.org.repositories.filter((repository) => chosen.has(repository.name)) },
      clock,
      port: 0,
      token: TOKEN,
      rateLimit: { limit: 100_000, windowSeconds: 3600 },
    });
    database = await createTestDatabase();
    deps = { db: database.db, env, enqueue: async (id) => (enqueued.push(id), "queued") };
    [sandboxIntegration] = (await registerIntegrations(database.db, env, { sandboxUrl: sandbox.url })) as [Integration];
    // The accounts behind the contexts: adding a source looks the acting user up.
    for (const ctx of [admin, viewer]) {
      if (ctx.viewer.kind === "user") await database.db.user.create({ data: { id: ctx.viewer.userId, name: ctx.viewer.display, email: `${ctx.viewer.userId}@example.com`, role: ctx.viewer.role } });
    }
  }, 300_000);

  afterAll(async () => {
    await sandbox?.stop();
    await database?.close();
  });

  it("stores the token only encrypted, audits the creation without it, and queues a first sync", async () => {
    const result = await createGithubIntegration(admin, { name: "acme-ghe", baseUrl: `${sandbox.url}/`, token: TOKEN, org, backfillDays: 30 }, deps);
    expect(result).toMatchObject({ integration: { name: "acme-ghe", kind: "GITHUB" }, sync: "queued" });
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    expect(enqueued).toEqual([result.integration.id]);

    const row = await database.db.integration.findUniqueOrThrow({ where: { id: result.integration.id }, select: { origin: true, baseUrl: true, settings: true, credentialsEncrypted: true } });
    expect(row).toMatchObject({ origin: "DATABASE", baseUrl: sandbox.url, settings: { org, repositories: [], backfillDays: 30 } });
    const bytes = Buffer.from(row.credentialsEncrypted!);
    expect(bytes.includes(Buffer.from(TOKEN))).toBe(false);
    expect(decryptCredentials(bytes, ENCRYPTION_KEY)).toEqual({ token: TOKEN });
    // The shared client leaves the column out unless asked for it.
    expect(Object.keys(await stored("acme-ghe"))).not.toContain("credentialsEncrypted");

    const event = await database.db.auditEvent.findFirstOrThrow({ where: { action: "integration.created" } });
    expect(event).toMatchObject({ targetId: result.integration.id, actorDisplay: "Ada Admin", requestId: "req-integrations-admin" });
    expect(JSON.stringify([event.before, event.after, event.metadata])).not.toContain(TOKEN);
  });

  it("refuses a demo account, whose password is public, adding a source, and says how to make a real admin; the system may", async () => {
    const demo = await database.db.user.create({ data: { name: "Avery Admin", email: "Admin@ACME-sandbox.dev", role: "ADMIN" } });
    const demoAdmin: ViewerContext = { ...admin, viewer: { kind: "user", userId: demo.id, personId: null, role: "ADMIN", display: "Avery Admin" } };
    const before = await snapshot();
    const calls = enqueued.length;
    await expect(createGithubIntegration(demoAdmin, { name: "demo-added", token: TOKEN, org }, deps)).rejects.toMatchObject({
      code: "FORBIDDEN",
      message:
        'Demo accounts have public passwords, so they cannot add sources. Create your own admin with `npm run cli -- users add --email you@example.com --name "Your Name" --role admin` and sign in with it.',
    });
    // A session whose account is gone proves nothing about who acts.
    const ghost: ViewerContext = { ...admin, viewer: { kind: "user", userId: "9d7a3e10-5b2c-4f61-8e0a-7c1b2d3e4f50", personId: null, role: "ADMIN", display: "Gone" } };
    await expect(createGithubIntegration(ghost, { name: "ghost-added", token: TOKEN, org }, deps)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await snapshot()).toEqual(before);
    expect(enqueued.length).toBe(calls);

    const bySystem = await createGithubIntegration(systemContext(clock, "req-cli"), { name: "cli-added", token: TOKEN, repositories: [`${org}/nothing`] }, deps);
    expect(bySystem.integration.name).toBe("cli-added");
    enqueued.pop();
  });

  it("refuses reserved and taken names, and an integration with neither org nor repositories", async () => {
    const before = await snapshot();
    await expect(createGithubIntegration(admin, { name: "github", token: TOKEN, org }, deps)).rejects.toThrow(/reserved/);
    await expect(createGithubIntegration(admin, { name: "acme-ghe", token: TOKEN, org }, deps)).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(createGithubIntegration(admin, { name: "empty", token: TOKEN }, deps)).rejects.toThrow(/organisation or at least one repository/);
    await expect(createGithubIntegration(admin, { name: "far", token: TOKEN, org, backfillDays: 4000 }, deps)).rejects.toThrow(/at most 3650/);
    expect(await snapshot()).toEqual(before);
  });

  it("syncs a stored integration with its decrypted token, like any other", async () => {
    const summary = await runGithubSync(database.db, await stored("acme-ghe"), { env, clock, retryBaseMs: 5 });
    expect(summary.repositories).toBe(2);
    const id = (await stored("acme-ghe")).id;
    expect(await database.db.deployment.count({ where: { integrationId: id } })).toBeGreaterThan(0);
    expect(await database.db.commit.count({ where: { integrationId: id } })).toBeGreaterThan(0);
    expect((await stored("acme-ghe")).health).toBe("HEALTHY");
  }, 120_000);

  it("cannot sync with a different ENCRYPTION_KEY, and says which variable to fix", async () => {
    const otherEnv = parseEnv({ ENCRYPTION_KEY: "some-other-key-that-is-long-enough-0000" });
    await expect(runGithubSync(database.db, await stored("acme-ghe"), { env: otherEnv, clock, retryBaseMs: 5 })).rejects.toThrow(/ENCRYPTION_KEY/);
  });

  it("lets viewers read the list with canManage false, and refuses them (and anonymous callers) every change", async () => {
    expect((await getIntegrations(viewer, database.db)).canManage).toBe(false);
    expect((await getIntegrations(admin, database.db)).canManage).toBe(true);
    const id = (await stored("acme-ghe")).id;
    const before = await snapshot();
    const calls = enqueued.length;
    for (const [ctx, code] of [[viewer, "FORBIDDEN"], [anonymous, "UNAUTHENTICATED"]] as const) {
      await expect(createGithubIntegration(ctx, { name: "sneaky", token: TOKEN, org }, deps)).rejects.toMatchObject({ code });
      await expect(requestIntegrationSync(ctx, id, deps)).rejects.toMatchObject({ code });
      await expect(previewIntegrationRemoval(ctx, id, deps)).rejects.toMatchObject({ code });
      await expect(removeIntegration(ctx, id, { confirmName: "acme-ghe" }, deps)).rejects.toMatchObject({ code });
    }
    expect(await snapshot()).toEqual(before);
    expect(enqueued.length).toBe(calls);
  });

  it("queues sync-now once per integration through the real queue, whatever its origin", async () => {
    const boss = new PgBoss({ connectionString: database.url, max: 2, schema: "pgboss", supervise: false, schedule: false });
    await boss.start();
    try {
      const queueDeps: IntegrationDeps = { ...deps, enqueue: async (id) => await enqueueSyncOnce(boss, id) };
      const id = (await stored("acme-ghe")).id;
      expect(await requestIntegrationSync(admin, id, queueDeps)).toMatchObject({ status: "queued", message: expect.stringContaining("queued") });
      expect(await requestIntegrationSync(admin, id, queueDeps)).toMatchObject({ status: "already-queued", message: expect.stringContaining("already queued") });
      expect((await requestIntegrationSync(admin, sandboxIntegration.id, queueDeps)).status).toBe("queued");
      const jobs = await database.db.$queryRaw<{ key: string; n: bigint }[]>`SELECT singleton_key AS key, count(*) AS n FROM pgboss.job WHERE name = 'source.sync' GROUP BY singleton_key`;
      expect(Object.fromEntries(jobs.map((job) => [job.key, Number(job.n)]))).toEqual({ [id]: 1, [sandboxIntegration.id]: 1 });

      // Once the worker has taken the job, a click says it is running and still adds nothing.
      const [taken] = await boss.fetch<{ integrationId: string }>("source.sync", { batchSize: 2 });
      const runningId = taken!.data.integrationId;
      expect((await requestIntegrationSync(admin, runningId, queueDeps)).status).toBe("already-running");
      expect(await database.db.auditEvent.count({ where: { action: "integration.sync.requested" } })).toBe(4);
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  });

  it("refuses to sync an integration whose configuration is gone", async () => {
    await database.db.integration.update({ where: { id: sandboxIntegration.id }, data: { enabled: false } });
    await expect(requestIntegrationSync(admin, sandboxIntegration.id, deps)).rejects.toMatchObject({ code: "CONFLICT" });
    await database.db.integration.update({ where: { id: sandboxIntegration.id }, data: { enabled: true } });
  });

  it("never removes an integration the environment or the sandbox defines", async () => {
    const preview = await previewIntegrationRemoval(admin, sandboxIntegration.id, deps);
    expect(preview).toMatchObject({ removable: false, blockedBy: expect.stringMatching(/sandbox/) });
    const before = await snapshot();
    await expect(removeIntegration(admin, sandboxIntegration.id, { confirmName: "sandbox" }, deps)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await snapshot()).toEqual(before);
  });

  it("deletes nothing when the confirmation is not the name, or while a sync is running", async () => {
    const id = (await stored("acme-ghe")).id;
    const before = await snapshot();
    await expect(removeIntegration(admin, id, { confirmName: "acme" }, deps)).rejects.toMatchObject({ code: "UNPROCESSABLE" });
    const run = await database.db.ingestRun.create({ data: { integrationId: id, job: "github.sync", status: "RUNNING", startedAt: anchor } });
    expect(await previewIntegrationRemoval(admin, id, deps)).toMatchObject({ removable: false, blockedBy: expect.stringMatching(/running/) });
    await expect(removeIntegration(admin, id, { confirmName: "acme-ghe" }, deps)).rejects.toMatchObject({ code: "CONFLICT" });
    await database.db.ingestRun.update({ where: { id: run.id }, data: { status: "FAILED", finishedAt: anchor } });
    expect(await snapshot()).toEqual(before);
  });

  it("does not let a run whose worker is gone block removal forever, while a live worker's run still does", async () => {
    const id = (await stored("acme-ghe")).id;
    const twoHoursAgo = new Date(anchor.getTime() - 2 * 3600_000);
    await database.db.ingestRun.create({ data: { integrationId: id, job: "github.sync", status: "RUNNING", startedAt: twoHoursAgo } });
    // A worker that was running when the run began, and still beats: it may be the one running it.
    const worker = await database.db.workerHeartbeat.create({ data: { workerId: "w-old", hostname: "h", pid: 1, startedAt: new Date(twoHoursAgo.getTime() - 60_000), lastBeatAt: new Date(anchor.getTime() - 10_000) } });
    expect(await previewIntegrationRemoval(admin, id, deps)).toMatchObject({ removable: false, blockedBy: expect.stringMatching(/running/), abandonedRuns: 0 });
    // It stopped beating (crashed); a worker started since (a restart) cannot be running that run.
    await database.db.workerHeartbeat.update({ where: { workerId: worker.workerId }, data: { lastBeatAt: new Date(anchor.getTime() - 3600_000) } });
    await database.db.workerHeartbeat.create({ data: { workerId: "w-new", hostname: "h", pid: 2, startedAt: new Date(anchor.getTime() - 30 * 60_000), lastBeatAt: anchor } });
    expect(await previewIntegrationRemoval(admin, id, deps)).toMatchObject({ removable: true, blockedBy: null, abandonedRuns: 1 });
  });

  it("removes exactly what the preview counted, records the counts, and keeps the audit trail and services", async () => {
    const id = (await stored("acme-ghe")).id;
    await database.db.webhookDelivery.create({ data: { deliveryId: "delivery-1", event: "push", integrationId: id, payload: {}, receivedAt: anchor } });
    // Rows of ANOTHER integration that joins reach: its repository, binding, deployment, incident and
    // deployment change on the same service, and a deployment of it in one of this integration's
    // repositories. None of them is this integration's, so they stay and are not counted.
    const own = await database.db.repository.findFirstOrThrow({ where: { integrationId: id } });
    const sharedService = (await database.db.serviceBinding.findFirstOrThrow({ where: { integrationId: id } })).serviceId;
    const other = sandboxIntegration.id;
    const otherRepository = await database.db.repository.create({ data: { integrationId: other, externalId: "888001", owner: "elsewhere", name: "keeper", fullName: "elsewhere/keeper", defaultBranch: "main" } });
    await database.db.serviceBinding.create({ data: { integrationId: other, serviceId: sharedService, kind: "REPOSITORY", matchKey: "github:elsewhere/keeper", origin: "MANUAL" } });
    const deploymentData = { integrationId: other, source: "GITHUB_DEPLOYMENT", methodology: "DEVOPS", serviceId: sharedService, environment: "production", sourceEnvironment: "production", isProduction: true, commitResolution: "DEPLOYMENT_SHA", commitSha: "c".repeat(40), status: "SUCCESS", startedAt: anchor, finishedAt: anchor, sourceUpdatedAt: anchor } as const;
    const otherDeployment = await database.db.deployment.create({ data: { ...deploymentData, externalId: "888001-1", repositoryId: otherRepository.id } });
    await database.db.deployment.create({ data: { ...deploymentData, externalId: "888001-2", repositoryId: own.id } });
    await database.db.incident.create({ data: { integrationId: other, externalId: "888001-i", repositoryId: otherRepository.id, serviceId: sharedService, number: 1, title: "Other", openedAt: anchor, sourceUpdatedAt: anchor } });
    const ownPullRequest = await database.db.pullRequest.findFirst({ where: { integrationId: id } });
    await database.db.deploymentChange.create({ data: { integrationId: other, deploymentId: otherDeployment.id, kind: "PULL_REQUEST", commitSha: "c".repeat(40), pullRequestId: ownPullRequest?.id ?? null, firstCommitAt: anchor } });
    const othersBefore = {
      repositories: await database.db.repository.count({ where: { integrationId: other } }),
      bindings: await database.db.serviceBinding.count({ where: { integrationId: other } }),
      deployments: await database.db.deployment.count({ where: { integrationId: other } }),
      incidents: await database.db.incident.count({ where: { integrationId: other } }),
      deploymentChanges: await database.db.deploymentChange.count({ where: { integrationId: other } }),
    };
    // A queued sync of the integration (and one of another) in the real queue.
    const boss = new PgBoss({ connectionString: database.url, max: 2, schema: "pgboss", supervise: false, schedule: false });
    await boss.start();
    let queued: { own: string | null; other: string | null };
    try {
      await database.db.$executeRaw`DELETE FROM pgboss.job WHERE name = 'source.sync'`;
      queued = { own: await enqueueSync(boss, id), other: await enqueueSync(boss, other) };
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
    expect(queued.own).not.toBeNull();
    const sandboxRows = await database.db.deployment.count({ where: { integrationId: sandboxIntegration.id } });
    const services = await database.db.service.count();
    const auditBefore = await database.db.auditEvent.count();

    const preview = await previewIntegrationRemoval(admin, id, deps);
    expect(preview.removable).toBe(true);
    expect(preview.abandonedRuns).toBe(1);
    expect(preview.deletes).toMatchObject({
      repositories: 2,
      bindings: 2,
      deployments: await database.db.deployment.count({ where: { integrationId: id } }),
      incidents: await database.db.incident.count({ where: { integrationId: id } }),
      deploymentChanges: await database.db.deploymentChange.count({ where: { integrationId: id } }),
      commits: await database.db.commit.count({ where: { integrationId: id } }),
      webhookDeliveries: 1,
      ingestRuns: 3,
    });
    expect(preview.deletes.deployments).toBeGreaterThan(0);
    expect(preview.keeps.auditEvents).toBeGreaterThan(0);
    expect(preview.keeps.services).toBe(2);

    // The dialog's sentence, from the same numbers.
    const words = describeRemoval(preview);
    expect(words.deletes).toMatch(new RegExp(`^Removes 2 repositories, [\\d,]+ commits, .*${preview.deletes.deployments.toLocaleString("en-US")} deployments.* and 1 webhook delivery\\.$`));
    expect(words.keeps).toBe(`Audit events (${preview.keeps.auditEvents}) and services (2) are kept.`);

    // Small batches: many short transactions, and still exactly the preview's numbers.
    const result = await removeIntegration(admin, id, { confirmName: " acme-ghe " }, deps, { batch: 7 });
    expect(result.deleted).toEqual(preview.deletes);
    expect({
      repositories: await database.db.repository.count({ where: { integrationId: other } }),
      bindings: await database.db.serviceBinding.count({ where: { integrationId: other } }),
      deployments: await database.db.deployment.count({ where: { integrationId: other } }),
      incidents: await database.db.incident.count({ where: { integrationId: other } }),
      deploymentChanges: await database.db.deploymentChange.count({ where: { integrationId: other } }),
    }).toEqual(othersBefore);
    // The other integration's deployment in a removed repository stays, without the repository.
    expect(await database.db.deployment.findFirstOrThrow({ where: { integrationId: other, externalId: "888001-2" } })).toMatchObject({ repositoryId: null, serviceId: sharedService });
    // Its queued sync is cancelled; the other integration's is still waiting.
    const jobs = await database.db.$queryRaw<{ id: string; state: string }[]>`SELECT id::text, state::text FROM pgboss.job WHERE name = 'source.sync'`;
    expect(Object.fromEntries(jobs.map((job) => [job.id, job.state]))).toEqual({ [queued.own!]: "cancelled", [queued.other!]: "created" });

    expect(await database.db.integration.count({ where: { id } })).toBe(0);
    for (const table of ["repository", "commit", "pullRequest", "deployment", "deploymentChange", "incident", "serviceBinding", "ingestRun", "sourceCursor", "webhookDelivery"] as const) {
      // @ts-expect-error -- every one of these delegates has count({ where: { integrationId } })
      expect(await database.db[table].count({ where: { integrationId: id } }), table).toBe(0);
    }
    expect(await database.db.deployment.count({ where: { integrationId: sandboxIntegration.id } })).toBe(sandboxRows);
    expect(await database.db.service.count()).toBe(services);

    expect(await database.db.auditEvent.count()).toBe(auditBefore + 1);
    const event = await database.db.auditEvent.findFirstOrThrow({ where: { action: "integration.removed" } });
    expect(event).toMatchObject({ targetId: id, targetDisplay: "acme-ghe", metadata: { deleted: preview.deletes, abandonedRuns: [expect.objectContaining({ startedAt: new Date(anchor.getTime() - 2 * 3600_000).toISOString() })], cancelledJobs: 1 } });
    expect(await database.db.auditEvent.count({ where: { targetId: id, action: { in: ["integration.created", "integration.sync.requested"] } } })).toBeGreaterThan(0);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
    await expect(previewIntegrationRemoval(admin, id, deps)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
