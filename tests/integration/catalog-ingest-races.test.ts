import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { applyCatalogChange } from "@/lib/data/catalog/change-catalog";
import { executeCatalogChange } from "@/lib/data/catalog/execute-catalog-change";
import type { ViewerContext } from "@/lib/data/viewer";
import { parseEnv } from "@/lib/env";
import { ensureRepositoryServices, lockCatalogForChange, repositoryMatchKey } from "@/lib/ingest/catalog";
import { syncGithub } from "@/lib/ingest/github/sync-github";
import { type GithubIntegrationSettings, type Integration, SANDBOX_GITHUB_TOKEN, registerIntegrations } from "@/lib/ingest/integrations";
import { type GithubSandbox, startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { createGithubClient } from "@/lib/sources/github/client";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * An admin's catalog change landing in the middle of a sync: every row and audit event the sync
 * writes afterwards follows the new binding, and a sync creating convention bindings waits for the
 * change instead of colliding with it.
 */
const anchor = new Date("2026-11-27T12:00:00Z");
const env = parseEnv({});
const clock = frozenClock(anchor);
const admin: ViewerContext = {
  viewer: { kind: "user", userId: "6f1e9a52-3c0b-4d8e-9a51-0c2b7f4e1a21", personId: null, role: "ADMIN", display: "Ada Admin" },
  requestId: "req-catalog-races",
  clientIp: null,
  clock,
};

describe("catalog changes during a sync", () => {
  let sandbox: GithubSandbox;
  let database: TestDatabase;
  let integration: Integration;
  let names: [string, string];

  beforeAll(async () => {
    const scenario = generateScenario({ anchor, historyDays: 30 });
    names = scenario.truth.services.filter((service) => service.deployVia === "github_deployments").slice(0, 2).map((service) => service.slug) as [string, string];
    const org = { ...scenario.org, repositories: scenario.org.repositories.filter((repository) => names.includes(repository.name)) };
    sandbox = await startGithubSandbox({ org, clock, port: 0, rateLimit: { limit: 100_000, windowSeconds: 3600 } });
    database = await createTestDatabase();
    [integration] = (await registerIntegrations(database.db, env, { sandboxUrl: sandbox.url })) as [Integration];
  }, 300_000);

  afterAll(async () => {
    await sandbox?.stop();
    await database?.close();
  });

  it("files the pull requests, deployments and incidents a sync writes after a re-bind under the new service, audit events included", async () => {
    const [moving, keeping] = names;
    const deps = { db: database.db, productionPattern: env.PRODUCTION_ENVIRONMENTS };
    const client = createGithubClient({ baseUrl: integration.baseUrl, token: SANDBOX_GITHUB_TOKEN, clock, retryBaseMs: 5 });
    let rebound: string | null = null;
    // The sync has resolved every repository's service by now; the admin re-binds `moving` just
    // before its pull requests are read.
    client.hook.before("request", async (options) => {
      if (rebound || options.repo !== moving || !String(options.url).includes("/pulls")) return;
      const repository = await database.db.repository.findFirstOrThrow({ where: { name: moving } });
      const target = await database.db.repository.findFirstOrThrow({ where: { name: keeping } });
      const targetService = await database.db.serviceBinding.findFirstOrThrow({ where: { matchKey: repositoryMatchKey(target.fullName) } });
      await applyCatalogChange(admin, { kind: "bind-repository", repositoryId: repository.id, target: { type: "existing", serviceId: targetService.serviceId } }, deps);
      rebound = targetService.serviceId;
    });
    const settings = integration.settings as unknown as GithubIntegrationSettings;
    await syncGithub(
      { db: database.db, client, clock },
      { integrationId: integration.id, org: settings.org, repositories: settings.repositories, backfillDays: 30, environments: { production: new RegExp(env.PRODUCTION_ENVIRONMENTS) } },
    );
    expect(rebound).not.toBeNull();
    const fullName = (await database.db.repository.findFirstOrThrow({ where: { name: moving } })).fullName;

    const merged = await database.db.auditEvent.findMany({ where: { action: "pull_request.merged", targetId: { startsWith: `${fullName}#` } }, select: { serviceId: true } });
    expect(merged.length).toBeGreaterThan(0);
    expect(new Set(merged.map((event) => event.serviceId))).toEqual(new Set([rebound]));
    const deployments = await database.db.auditEvent.findMany({ where: { action: { startsWith: "deployment." }, targetDisplay: { startsWith: `${fullName} →` } }, select: { serviceId: true } });
    expect(deployments.length).toBeGreaterThan(0);
    expect(new Set(deployments.map((event) => event.serviceId))).toEqual(new Set([rebound]));
    const repositoryId = (await database.db.repository.findFirstOrThrow({ where: { name: moving } })).id;
    expect(await database.db.deployment.count({ where: { repositoryId, serviceId: { not: rebound } } })).toBe(0);
  }, 300_000);

  // Two connections contending for the catalog lock: real Postgres only (the embedded one has a single session).
  it.skipIf(!process.env.TEST_DATABASE_URL)("makes a sync creating convention bindings wait for an admin binding the same repository, then follow it", async () => {
    const fullName = "acme-extra/newcomer";
    const repository = await database.db.repository.create({
      data: { integrationId: integration.id, externalId: "777001", owner: fullName.split("/")[0]!, name: "newcomer", fullName, defaultBranch: "main" },
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    // The admin's change: binds the repository to a new service and holds the lock a moment longer.
    const adminChange = database.db.$transaction(
      async (tx) => {
        await lockCatalogForChange(tx);
        const executed = await executeCatalogChange(tx, { kind: "bind-repository", repositoryId: repository.id, target: { type: "new", slug: "newcomer-svc", name: "Newcomer", team: { type: "none" } } }, { productionPattern: env.PRODUCTION_ENVIRONMENTS, now: anchor });
        locked();
        await released;
        return executed;
      },
      { timeout: 20_000 },
    );
    await holding;
    let settled = false;
    const ensured = database.db
      .$transaction((tx) => ensureRepositoryServices(tx, integration.id, [{ fullName, name: "newcomer", topics: [] }]), { timeout: 20_000 })
      .finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(settled).toBe(false);
    release();
    const executed = await adminChange;
    const services = await ensured;
    const bindings = await database.db.serviceBinding.findMany({ where: { matchKey: repositoryMatchKey(fullName) } });
    expect(bindings).toEqual([expect.objectContaining({ origin: "MANUAL", serviceId: executed.effect.kind === "bind-repository" ? executed.effect.to.id : null })]);
    expect(services.get(fullName)).toBe(bindings[0]!.serviceId);
    expect(await database.db.service.count({ where: { slug: "newcomer" } })).toBe(0);
  }, 60_000);
});
