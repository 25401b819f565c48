import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify-audit";
import { frozenClock } from "@/lib/clock";
import { applyCatalogChange, previewCatalogChange } from "@/lib/data/catalog/change-catalog";
import { getCatalog } from "@/lib/data/catalog/get-catalog";
import type { ViewerContext } from "@/lib/data/viewer";
import { parseEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { runGithubSync } from "@/lib/ingest/github/run-github-sync";
import { syncGithub } from "@/lib/ingest/github/sync-github";
import { type GithubIntegrationSettings, type Integration, SANDBOX_GITHUB_TOKEN, registerIntegrations } from "@/lib/ingest/integrations";
import { createGithubClient } from "@/lib/sources/github/client";
import type { CatalogApplyInput, CatalogChangeInput } from "@/lib/queries/catalog";
import { type GithubSandbox, startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * The service catalog over a real ingest of the sandbox org: convention bindings, what is unmapped,
 * and changes whose preview (run, then rolled back) reports exactly what applying them then does.
 * The org's history is read in two steps (ten days before the anchor, then at it), so a later
 * ingest brings new deployments that must follow the admin's bindings and environment rules.
 */
const anchor = new Date("2026-11-27T12:00:00Z");
const firstSyncAt = new Date(anchor.getTime() - 10 * 24 * 3600_000);
const env = parseEnv({});
const clock = frozenClock(firstSyncAt);

const ADMIN_ID = "6f1e9a52-3c0b-4d8e-9a51-0c2b7f4e1a01";
const admin: ViewerContext = {
  viewer: { kind: "user", userId: ADMIN_ID, personId: null, role: "ADMIN", display: "Ada Admin" },
  requestId: "req-catalog-admin",
  clientIp: "203.0.113.5",
  clock,
};
const signedInViewer: ViewerContext = { ...admin, viewer: { kind: "user", userId: "0b0e4c1d-8a2f-4c55-9d7e-3e2f1a0c9b02", personId: null, role: "VIEWER", display: "Val Viewer" } };
const anonymous: ViewerContext = { ...admin, viewer: { kind: "anonymous" } as ViewerContext["viewer"] };

describe("service catalog", () => {
  let sandbox: GithubSandbox;
  let database: TestDatabase;
  let integration: Integration;
  let deps: { db: TestDatabase["db"]; productionPattern: string };

  const sync = async () => await runGithubSync(database.db, integration, { env, clock, retryBaseMs: 5 });
  const repo = async (name: string) => await database.db.repository.findFirstOrThrow({ where: { name } });
  const serviceOfRepository = async (name: string) =>
    (await database.db.serviceBinding.findFirstOrThrow({ where: { matchKey: `github:${(await repo(name)).fullName.toLowerCase()}` }, include: { service: true } })).service;
  /** Everything a refused change could have written. */
  const writable = async () => ({
    services: await database.db.service.findMany({ orderBy: { id: "asc" } }),
    teams: await database.db.team.count(),
    bindings: await database.db.serviceBinding.findMany({ orderBy: { id: "asc" } }),
    rules: await database.db.environmentRule.count(),
    audit: await database.db.auditEvent.count(),
    deployments: await database.db.deployment.findMany({ select: { id: true, serviceId: true, environment: true, isProduction: true }, orderBy: { id: "asc" } }),
  });
  const apply = async (change: CatalogApplyInput) => await applyCatalogChange(admin, change, deps);
  const preview = async (change: CatalogChangeInput) => await previewCatalogChange(admin, change, deps);

  let names: { deployments: [string, string, string]; workflow: string };

  beforeAll(async () => {
    const scenario = generateScenario({ anchor, historyDays: 30 });
    const pick = (via: string, count: number) => scenario.truth.services.filter((service) => service.deployVia === via).slice(0, count).map((service) => service.slug);
    const viaDeployments = pick("github_deployments", 3);
    const viaWorkflow = pick("actions_workflow", 1);
    names = { deployments: viaDeployments as [string, string, string], workflow: viaWorkflow[0]! };
    const chosen = new Set([...viaDeployments, ...viaWorkflow]);
    const org = { ...scenario.org, repositories: scenario.org.repositories.filter((repository) => chosen.has(repository.name)) };
    sandbox = await startGithubSandbox({ org, clock, port: 0, rateLimit: { limit: 100_000, windowSeconds: 3600 } });
    database = await createTestDatabase();
    deps = { db: database.db, productionPattern: env.PRODUCTION_ENVIRONMENTS };
    [integration] = (await registerIntegrations(database.db, env, { sandboxUrl: sandbox.url })) as [Integration];
    await sync();

    // A repository the integration knows but does not sync (as with GITHUB_REPOS), with rows that have no service.
    const stray = await database.db.repository.create({
      data: { integrationId: integration.id, externalId: "999001", owner: scenario.truth.org, name: "legacy-batch", fullName: `${scenario.truth.org}/legacy-batch`, defaultBranch: "main", archived: true },
    });
    await database.db.deployment.create({
      data: {
        integrationId: integration.id, source: "GITHUB_DEPLOYMENT", externalId: "999001-1", methodology: "DEVOPS", repositoryId: stray.id, environment: "production", sourceEnvironment: "production",
        isProduction: true, commitResolution: "DEPLOYMENT_SHA", commitSha: "a".repeat(40), status: "SUCCESS", startedAt: firstSyncAt, finishedAt: firstSyncAt, sourceUpdatedAt: firstSyncAt,
      },
    });
    await database.db.incident.create({ data: { integrationId: integration.id, externalId: "999001-i", repositoryId: stray.id, number: 1, title: "Batch stuck", openedAt: firstSyncAt, sourceUpdatedAt: firstSyncAt } });
  }, 300_000);

  afterAll(async () => {
    await sandbox?.stop();
    await database?.close();
  });

  it("has one service per synced repository, bound by convention, and every GitHub deployment knows its repository", async () => {
    const catalog = await getCatalog(admin, deps);
    const synced = [...names.deployments, names.workflow].sort();
    expect(catalog.services.map((service) => service.slug).sort()).toEqual(synced);
    for (const service of catalog.services) {
      expect(service.bindings).toEqual([expect.objectContaining({ kind: "REPOSITORY", origin: "convention", display: expect.stringMatching(new RegExp(`/${service.slug}$`)) })]);
      expect(service.deploymentCount).toBeGreaterThan(0);
    }
    expect(await database.db.deployment.count({ where: { repositoryId: null } })).toBe(0);
    for (const repository of catalog.repositories.filter((r) => r.service)) {
      expect(repository.deploymentCount).toBe(catalog.services.find((service) => service.id === repository.service!.id)!.deploymentCount);
    }
    expect(catalog.canManage).toBe(true);
  });

  it("lists as unmapped the repository without a binding, and environment names no rule classifies, with how each is classified now", async () => {
    const catalog = await getCatalog(admin, deps);
    expect(catalog.unmapped.repositories.map((repository) => repository.fullName)).toEqual([expect.stringMatching(/\/legacy-batch$/)]);
    expect(catalog.unmapped.repositories[0]).toMatchObject({ service: null, bindingOrigin: null, deploymentCount: 1, incidentCount: 1 });

    const counts = await database.db.deployment.groupBy({ by: ["environment"], _count: { _all: true } });
    const byName = Object.fromEntries(counts.map((row) => [row.environment, row._count._all]));
    expect(Object.keys(byName).sort()).toEqual(["production", "staging"]);
    expect(catalog.unmapped.environments.map((environment) => [environment.name, environment.classification.by, environment.classification.isProduction, environment.deploymentCount]).sort()).toEqual([
      ["production", "production-pattern", true, byName.production],
      ["staging", "default", false, byName.staging],
    ]);
    expect(catalog.rules).toEqual([]);
  });

  it("refuses every change to an anonymous visitor and to a viewer, and writes nothing, not even for a preview", async () => {
    const before = await writable();
    const stray = await repo("legacy-batch");
    const changes: CatalogChangeInput[] = [
      { kind: "bind-repository", repositoryId: stray.id, target: { type: "new", slug: "legacy-batch", name: "Legacy batch", team: { type: "none" } } },
      { kind: "classify-environment", name: "staging", isProduction: true },
    ];
    for (const change of changes) {
      for (const run of [previewCatalogChange, applyCatalogChange]) {
        await expect(run(anonymous, change, deps)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
        await expect(run(signedInViewer, change, deps)).rejects.toMatchObject({ code: "FORBIDDEN" });
      }
    }
    await expect(applyCatalogChange(signedInViewer, changes[0]!, deps)).rejects.toBeInstanceOf(AppError);
    expect(await writable()).toEqual(before);
    // Reading stays open to viewers, who are told they cannot change anything.
    expect((await getCatalog(signedInViewer, deps)).canManage).toBe(false);
  });

  it("previews binding a repository to another service with exactly the numbers applying it then reports and does", async () => {
    const [moving, keeping] = names.deployments;
    const from = await serviceOfRepository(moving);
    const to = await serviceOfRepository(keeping);
    const movingRepository = await repo(moving);
    const expected = {
      deployments: await database.db.deployment.count({ where: { repositoryId: movingRepository.id } }),
      incidents: await database.db.incident.count({ where: { repositoryId: movingRepository.id } }),
    };
    expect(expected.deployments).toBeGreaterThan(0);
    const change: CatalogChangeInput = { kind: "bind-repository", repositoryId: movingRepository.id, target: { type: "existing", serviceId: to.id } };

    const before = await writable();
    const previewed = await preview(change);
    expect(await writable()).toEqual(before);
    expect(previewed.changed).toBe(true);
    expect(previewed.effect).toMatchObject({
      kind: "bind-repository",
      from: { slug: from.slug },
      fromOrigin: "convention",
      to: { slug: to.slug },
      moved: [{ from: { slug: from.slug }, ...expected }],
      emptiedService: { slug: from.slug, deploymentsLeft: 0 },
    });
    expect(previewed.summary.join(" ")).toContain(`move from service ${from.slug} to ${to.slug}`);
    expect(previewed.summary.join(" ")).toContain(`Service ${from.slug} is left without bindings`);

    const applied = await apply(change);
    expect(applied).toEqual(previewed);
    expect(await database.db.deployment.count({ where: { repositoryId: movingRepository.id, serviceId: to.id } })).toBe(expected.deployments);
    expect(await database.db.incident.count({ where: { repositoryId: movingRepository.id, serviceId: to.id } })).toBe(expected.incidents);
    expect(await database.db.deployment.count({ where: { serviceId: from.id } })).toBe(0);
    // The emptied service stays: its audit events reference it and cannot be deleted.
    expect(await database.db.service.findUnique({ where: { id: from.id } })).not.toBeNull();
    expect(await database.db.serviceBinding.findFirstOrThrow({ where: { matchKey: `github:${movingRepository.fullName.toLowerCase()}` } })).toMatchObject({ serviceId: to.id, origin: "MANUAL" });

    const event = await database.db.auditEvent.findFirstOrThrow({ where: { action: "catalog.binding.changed" } });
    expect(event).toMatchObject({
      actorKind: "PERSON",
      actorId: ADMIN_ID,
      actorDisplay: "Ada Admin",
      targetType: "repository",
      targetId: movingRepository.id,
      serviceId: to.id,
      outcome: "success",
      source: "dashboard",
      requestId: "req-catalog-admin",
      before: { service: from.slug, origin: "convention" },
      after: { service: to.slug, origin: "manual" },
    });
  });

  it("writes nothing, not even an audit event, for a change that changes nothing", async () => {
    const [moving, keeping] = names.deployments;
    const to = await serviceOfRepository(keeping);
    const before = await writable();
    const result = await apply({ kind: "bind-repository", repositoryId: (await repo(moving)).id, target: { type: "existing", serviceId: to.id } });
    expect(result).toMatchObject({ changed: false, summary: [expect.stringContaining("nothing changes")] });
    expect(await writable()).toEqual(before);
  });

  it("binds an unmapped repository to a new service in a new team, assigning its rows that had none", async () => {
    const stray = await repo("legacy-batch");
    const change: CatalogChangeInput = {
      kind: "bind-repository",
      repositoryId: stray.id,
      target: { type: "new", slug: "batch", name: "Batch jobs", team: { type: "new", slug: "data", name: "Data" } },
    };
    const previewed = await preview(change);
    expect(await database.db.service.findUnique({ where: { slug: "batch" } })).toBeNull();
    expect(await database.db.team.findUnique({ where: { slug: "data" } })).toBeNull();
    const applied = await apply({ ...change, expectedFingerprint: previewed.fingerprint });
    // Created rows get new ids; everything said about them is the same, and so is the fingerprint.
    expect(applied.summary).toEqual(previewed.summary);
    expect(applied.fingerprint).toBe(previewed.fingerprint);
    expect(applied.effect).toMatchObject({ from: null, createdService: { team: { slug: "data" } }, createdTeam: { slug: "data" }, moved: [{ from: null, deployments: 1, incidents: 1 }] });
    const service = await database.db.service.findUniqueOrThrow({ where: { slug: "batch" }, include: { team: true } });
    expect(service.team?.slug).toBe("data");
    expect(await database.db.deployment.count({ where: { repositoryId: stray.id, serviceId: service.id } })).toBe(1);
    expect((await getCatalog(admin, deps)).unmapped.repositories).toEqual([]);
  });

  it("moves a service to another team, creating the team, and says which team it leaves empty", async () => {
    const service = await serviceOfRepository(names.workflow);
    const team = await database.db.team.findUniqueOrThrow({ where: { id: service.teamId! }, include: { _count: { select: { services: true } } } });
    const change: CatalogChangeInput = { kind: "move-service", serviceId: service.id, team: { type: "new", slug: "release-eng", name: "Release Engineering" } };
    const previewed = await preview(change);
    const applied = await apply(change);
    expect(applied.summary).toEqual(previewed.summary);
    expect(applied.effect).toMatchObject({ kind: "move-service", from: { slug: team.slug }, to: { slug: "release-eng" }, deployments: await database.db.deployment.count({ where: { serviceId: service.id } }) });
    expect((applied.effect as { emptiedTeam: unknown }).emptiedTeam).toEqual(team._count.services === 1 ? expect.objectContaining({ slug: team.slug }) : null);
    expect((await database.db.service.findUniqueOrThrow({ where: { id: service.id }, include: { team: true } })).team?.slug).toBe("release-eng");
    expect(await database.db.auditEvent.count({ where: { action: "catalog.service.team_changed", targetId: service.id } })).toBe(1);
  });

  it("classifies an environment name as production, flipping exactly the deployments the preview counted", async () => {
    const staging = await database.db.deployment.count({ where: { environment: "staging" } });
    expect(await database.db.deployment.count({ where: { environment: "staging", isProduction: true } })).toBe(0);
    const change: CatalogChangeInput = { kind: "classify-environment", name: "staging", isProduction: true };
    const previewed = await preview(change);
    expect(await database.db.deployment.count({ where: { isProduction: true, environment: "staging" } })).toBe(0);
    expect(previewed.effect).toMatchObject({ kind: "classify-environment", before: null, reclassified: [{ sourceName: "staging", from: { environment: "staging", isProduction: false }, to: { environment: "staging", isProduction: true }, deployments: staging }] });
    expect(previewed.summary).toContain(`${staging} deployments named “staging” become production.`);

    const applied = await apply(change);
    expect(applied.summary).toEqual(previewed.summary);
    expect((applied.effect as { reclassified: unknown }).reclassified).toEqual((previewed.effect as { reclassified: unknown }).reclassified);
    expect(await database.db.deployment.count({ where: { environment: "staging", isProduction: true } })).toBe(staging);
    const catalog = await getCatalog(admin, deps);
    expect(catalog.unmapped.environments.map((environment) => environment.name)).toEqual(["production"]);
    expect(catalog.rules).toEqual([expect.objectContaining({ name: "staging", isProduction: true, environment: "", deploymentCount: staging, valid: true })]);
    expect(await database.db.auditEvent.findFirstOrThrow({ where: { action: "catalog.environment_rule.saved" } })).toMatchObject({ before: null, after: expect.objectContaining({ isProduction: true }) });
  });

  it("keeps manual bindings and applies admin rules when a later ingest brings new deployments", async () => {
    const [moving, keeping] = names.deployments;
    const movingRepository = await repo(moving);
    const target = await serviceOfRepository(keeping);
    const before = { staging: await database.db.deployment.count({ where: { sourceEnvironment: "staging" } }), moving: await database.db.deployment.count({ where: { repositoryId: movingRepository.id } }) };

    clock.set(anchor);
    await sync();

    expect(await database.db.serviceBinding.findFirstOrThrow({ where: { matchKey: `github:${movingRepository.fullName.toLowerCase()}` } })).toMatchObject({ serviceId: target.id, origin: "MANUAL" });
    const movingNow = await database.db.deployment.findMany({ where: { repositoryId: movingRepository.id }, select: { serviceId: true } });
    expect(movingNow.length).toBeGreaterThan(before.moving);
    expect(new Set(movingNow.map((row) => row.serviceId))).toEqual(new Set([target.id]));
    expect(await database.db.incident.count({ where: { repositoryId: movingRepository.id, serviceId: { not: target.id } } })).toBe(0);

    const staging = await database.db.deployment.findMany({ where: { sourceEnvironment: "staging" }, select: { environment: true, isProduction: true } });
    expect(staging.length).toBeGreaterThan(before.staging);
    expect(staging.every((row) => row.isProduction && row.environment === "staging")).toBe(true);
    // No second service was made for the re-bound repository.
    expect(await database.db.service.count({ where: { slug: moving } })).toBe(1);
    expect((await getCatalog(admin, deps)).services.find((service) => service.slug === moving)!.bindings).toEqual([]);
  }, 300_000);

  it("renames an environment by rule and restores the source's name when the rule is removed", async () => {
    const staging = await database.db.deployment.count({ where: { sourceEnvironment: "staging" } });
    const renamed = await apply({ kind: "classify-environment", name: "staging", isProduction: false, environment: "preprod" });
    expect(renamed.effect).toMatchObject({
      before: { isProduction: true, environment: "" },
      after: { isProduction: false, environment: "preprod" },
      reclassified: [{ sourceName: "staging", from: { environment: "staging", isProduction: true }, to: { environment: "preprod", isProduction: false }, deployments: staging }],
    });
    expect(renamed.summary).toContain(`${staging} deployments named “staging” stop counting as production and are recorded as “preprod” instead of “staging”.`);
    expect(await database.db.deployment.count({ where: { environment: "preprod", isProduction: false } })).toBe(staging);
    expect(await database.db.deployment.count({ where: { environment: "staging" } })).toBe(0);

    const rule = await database.db.environmentRule.findFirstOrThrow();
    const removal: CatalogChangeInput = { kind: "remove-environment-rule", ruleId: rule.id };
    const previewed = await preview(removal);
    expect(await database.db.environmentRule.count()).toBe(1);
    const removed = await apply(removal);
    expect(removed).toEqual(previewed);
    expect(removed.effect).toMatchObject({ reclassified: [{ sourceName: "staging", from: { environment: "preprod" }, to: { environment: "staging", isProduction: false }, deployments: staging }] });
    expect(await database.db.deployment.count({ where: { environment: "staging", isProduction: false } })).toBe(staging);
    expect(await database.db.environmentRule.count()).toBe(0);
    expect(await database.db.auditEvent.count({ where: { action: "catalog.environment_rule.removed", targetId: rule.id } })).toBe(1);
    // Catalog events joined the same hash chain as ingestion's, without forking it.
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });

  it("refuses to save when the catalog changed since the preview (409, nothing written), and saves what a new preview shows", async () => {
    const change: CatalogChangeInput = { kind: "classify-environment", name: "staging", isProduction: true };
    const previewed = await preview(change);
    expect(previewed.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect((await preview(change)).fingerprint).toBe(previewed.fingerprint);

    // A sync brings one more staging deployment between the preview and Save.
    const [first] = names.deployments;
    const repository = await repo(first);
    const service = await serviceOfRepository(first);
    const late = await database.db.deployment.create({
      data: {
        integrationId: integration.id, source: "GITHUB_DEPLOYMENT", externalId: "late-1", methodology: "DEVOPS", repositoryId: repository.id, serviceId: service.id, environment: "staging", sourceEnvironment: "staging",
        isProduction: false, commitResolution: "DEPLOYMENT_SHA", commitSha: "b".repeat(40), status: "SUCCESS", startedAt: anchor, finishedAt: anchor, sourceUpdatedAt: anchor,
      },
    });
    const before = await writable();
    await expect(apply({ ...change, expectedFingerprint: previewed.fingerprint })).rejects.toMatchObject({ code: "CONFLICT", message: "The catalog changed since the preview; preview again." });
    expect(await writable()).toEqual(before);

    const again = await preview(change);
    expect(again.fingerprint).not.toBe(previewed.fingerprint);
    const applied = await apply({ ...change, expectedFingerprint: again.fingerprint });
    expect({ summary: applied.summary, fingerprint: applied.fingerprint }).toEqual({ summary: again.summary, fingerprint: again.fingerprint });
    expect(await database.db.deployment.count({ where: { environment: "staging", isProduction: false } })).toBe(0);
    await database.db.deployment.delete({ where: { id: late.id } });
    // Leave the rules as the later tests expect them.
    await apply({ kind: "remove-environment-rule", ruleId: (await database.db.environmentRule.findFirstOrThrow()).id });
  });

  it("answers a change naming something that does not exist, or a slug in use, with an error and no writes", async () => {
    const before = await writable();
    await expect(apply({ kind: "remove-environment-rule", ruleId: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const [first] = names.deployments;
    await expect(apply({ kind: "bind-repository", repositoryId: (await repo(first)).id, target: { type: "new", slug: "batch", name: "Again", team: { type: "none" } } })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await writable()).toEqual(before);
  });

  it("writes under the rules that hold when it writes, even if they changed after the sync loaded its own", async () => {
    await apply({ kind: "classify-environment", name: "staging", isProduction: true });
    // Forget the workflow runs' cursors, so this sync reads and writes every run again.
    await database.db.sourceCursor.deleteMany({ where: { integrationId: integration.id, scope: { contains: ":runs" } } });
    const settings = integration.settings as unknown as GithubIntegrationSettings;
    const summary = await syncGithub(
      { db: database.db, client: createGithubClient({ baseUrl: integration.baseUrl, token: SANDBOX_GITHUB_TOKEN, clock, retryBaseMs: 5 }), clock },
      // Rules as loaded before the admin's change: the production pattern alone.
      { integrationId: integration.id, org: settings.org, repositories: settings.repositories, backfillDays: settings.backfillDays, environments: { production: new RegExp(env.PRODUCTION_ENVIRONMENTS) } },
    );
    expect(summary.upserted.deployments).toBeGreaterThan(0);
    const rewritten = await database.db.deployment.findMany({ where: { source: "GITHUB_WORKFLOW", sourceEnvironment: "staging" }, select: { isProduction: true } });
    expect(rewritten.length).toBeGreaterThan(0);
    expect(rewritten.every((row) => row.isProduction)).toBe(true);
  }, 300_000);
});
