import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { parseEnv } from "@/lib/env";
import { isConfigRepository } from "@/lib/ingest/catalog";
import { runGithubSync } from "@/lib/ingest/github/run-github-sync";
import { type Integration, SANDBOX_HISTORY_DAYS, registerIntegrations } from "@/lib/ingest/integrations";
import { type GithubSandbox, startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import type { GroundTruth } from "@/lib/sandbox/scenario/ground-truth";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { ingestSnapshot } from "./helpers/ingest-snapshot";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * The real GitHub client, over HTTP, against the sandbox org; the result is compared with what
 * the scenario's generator recorded, never with the product's own reading of the data.
 */
const clock = frozenClock("2026-11-27T12:00:00Z");
const env = parseEnv({});

async function freshIntegration(database: TestDatabase, sandbox: GithubSandbox): Promise<Integration> {
  const [integration] = await registerIntegrations(database.db, env, { sandboxUrl: sandbox.url });
  return integration!;
}

describe("GitHub ingestion of the sandbox org", () => {
  let truth: GroundTruth;
  let sandbox: GithubSandbox;
  let database: TestDatabase;
  let integration: Integration;

  beforeAll(async () => {
    const scenario = generateScenario({ anchor: clock.now() });
    truth = scenario.truth;
    // A budget that a full backfill fits in; running out of it is tested on its own below.
    sandbox = await startGithubSandbox({ org: scenario.org, clock, port: 0, rateLimit: { limit: 100_000, windowSeconds: 3600 } });
    database = await createTestDatabase();
    integration = await freshIntegration(database, sandbox);
    await runGithubSync(database.db, integration, { env, clock, retryBaseMs: 5 });
  }, 600_000);

  afterAll(async () => {
    await sandbox?.stop();
    await database?.close();
  });

  it("has one service per repository, bound by convention, in the team its topic names", async () => {
    const services = await database.db.service.findMany({ include: { bindings: true, team: true } });
    expect(services.map((service) => `${service.slug} ${service.team?.slug}`).sort()).toEqual(truth.services.map((service) => `${service.slug} ${service.teamSlug}`).sort());
    for (const service of services) expect(service.bindings.map((b) => b.matchKey)).toEqual([`github:${truth.org}/${service.slug}`]);
  });

  it("has every deployment attempt the generator made, with its environment, commit, outcome and times", async () => {
    const rows = await database.db.deployment.findMany({ include: { service: true } });
    const byKey = new Map(rows.map((row) => [`${row.source}:${row.externalId}`, row]));
    expect(rows).toHaveLength(truth.deployments.length);
    const outcome = { success: "SUCCESS", failure: "FAILURE", error: "FAILURE", cancelled: "CANCELLED" } as const;
    for (const expected of truth.deployments) {
      const row = byKey.get(`${expected.source === "github_deployment" ? "GITHUB_DEPLOYMENT" : "GITHUB_WORKFLOW"}:${expected.externalId}`);
      expect(row, `deployment ${expected.externalId}`).toBeDefined();
      expect({ service: row!.service?.slug, environment: row!.environment, production: row!.isProduction, sha: row!.commitSha, status: row!.status, finishedAt: row!.finishedAt?.toISOString() }).toEqual({
        service: expected.serviceSlug,
        environment: expected.environment,
        production: expected.production,
        sha: expected.sha,
        status: outcome[expected.outcome],
        finishedAt: new Date(expected.finishedAt).toISOString(),
      });
      expect(row!.methodology).toBe("DEVOPS");
    }
  });

  it("has every merged PR with its landed commit, first commit time, approvals and revert link", async () => {
    const rows = await database.db.pullRequest.findMany({ include: { repository: true, revertsPullRequest: true } });
    const byKey = new Map(rows.map((row) => [`${row.repository.fullName}#${row.number}`, row]));
    const merged = truth.changes.filter((change) => change.kind === "pull_request");
    expect(rows.filter((row) => row.state === "merged")).toHaveLength(merged.length);
    for (const change of merged) {
      const row = byKey.get(`${change.repository}#${change.pullRequestNumber}`)!;
      expect({
        mergeCommitSha: row.mergeCommitSha,
        firstCommitAt: row.firstCommitAt?.toISOString(),
        mergedAt: row.mergedAt?.toISOString(),
        approved: row.approvingReviewers.length > 0,
        reverts: row.revertsPullRequest?.number ?? null,
        hotfix: row.labels.includes("hotfix"),
      }).toEqual({
        mergeCommitSha: change.landedSha,
        firstCommitAt: new Date(change.firstCommitAuthoredAt).toISOString(),
        mergedAt: new Date(change.mergedAt!).toISOString(),
        approved: change.approvedByAnother,
        reverts: change.revertsPullRequestNumber,
        hotfix: change.labels.includes("hotfix"),
      });
    }
  });

  it("has every direct push as a commit on the default branch", async () => {
    const pushes = truth.changes.filter((change) => change.kind === "direct_push");
    expect(pushes.length).toBeGreaterThan(0);
    const shas = new Set((await database.db.commit.findMany({ where: { sha: { in: pushes.map((push) => push.landedSha) } }, select: { sha: true } })).map((row) => row.sha));
    for (const push of pushes) expect(shas.has(push.landedSha), `${push.repository} ${push.landedSha}`).toBe(true);
  });

  it("has every incident, open or resolved", async () => {
    const rows = await database.db.incident.findMany({ include: { repository: true } });
    expect(rows.map((row) => `${row.repository!.fullName}#${row.number} ${row.openedAt.toISOString()} ${row.resolvedAt?.toISOString() ?? "open"}`).sort()).toEqual(
      truth.incidents.map((incident) => `${incident.repository}#${incident.number} ${new Date(incident.openedAt).toISOString()} ${incident.resolvedAt ? new Date(incident.resolvedAt).toISOString() : "open"}`).sort(),
    );
  });

  it("keeps the GitOps config repositories and their commits, with no service or binding for them", async () => {
    const configRepositories = new Set(truth.gitops.apps.map((app) => app.configRepository));
    const rows = await database.db.repository.findMany({ where: { integrationId: integration.id }, include: { commits: { select: { sha: true } }, pullRequests: { select: { id: true } }, deployments: { select: { id: true } } } });
    expect(rows.filter((row) => configRepositories.has(row.fullName)).map((row) => row.fullName).sort()).toEqual([...configRepositories].sort());
    const bindings = await database.db.serviceBinding.findMany({ select: { matchKey: true } });
    const services = await database.db.service.findMany({ select: { slug: true } });
    for (const fullName of configRepositories) {
      expect(bindings.map((binding) => binding.matchKey)).not.toContain(`github:${fullName}`);
      expect(services.map((service) => service.slug)).not.toContain(fullName.split("/")[1]);
      const row = rows.find((candidate) => candidate.fullName === fullName)!;
      // The default branch's history within the backfill window, for rebuilding GitOps deployments later.
      const windowStart = clock.now().getTime() - SANDBOX_HISTORY_DAYS * 86_400_000;
      const expected = truth.gitops.configCommits.filter((commit) => commit.repository === fullName && Date.parse(commit.committedAt) >= windowStart && Date.parse(commit.committedAt) <= clock.now().getTime());
      expect(row.commits.map((commit) => commit.sha).sort()).toEqual(expected.map((commit) => commit.sha).sort());
      expect(row.pullRequests).toEqual([]);
      expect(row.deployments).toEqual([]);
    }
  });

  it("tells a config repository by its topic, or failing that by a -config name whose service exists", () => {
    const known = new Set(["catalog-api"]);
    expect(isConfigRepository({ name: "anything", topics: ["gitops-config", "team-x"] })).toBe(true);
    // Topics unknown (the org list answered 304): the name decides, only next to an existing service.
    expect(isConfigRepository({ name: "catalog-api-config", topics: [] }, known)).toBe(true);
    expect(isConfigRepository({ name: "Catalog-API-config", topics: [] }, known)).toBe(true);
    expect(isConfigRepository({ name: "feature-flags-config", topics: [] }, known)).toBe(false);
    expect(isConfigRepository({ name: "-config", topics: [] }, new Set([""]))).toBe(false);
    expect(isConfigRepository({ name: "catalog-api", topics: ["team-x"] }, known)).toBe(false);
  });

  it("records the run and the integration's freshness", async () => {
    const run = await database.db.ingestRun.findFirstOrThrow({ where: { integrationId: integration.id }, orderBy: { startedAt: "desc" } });
    // Every repository of the org: one per service, plus the GitOps services' config repositories.
    const repositories = truth.services.length + truth.gitops.apps.length;
    expect(run).toMatchObject({ status: "SUCCEEDED", itemsProcessed: repositories, itemsTotal: repositories });
    expect(await database.db.integration.findUniqueOrThrow({ where: { id: integration.id } })).toMatchObject({ health: "HEALTHY", lastError: null, lastSyncedAt: clock.now() });
  });

  it("spends no rate budget on a second sync of the unchanged org: every request is a 304", async () => {
    const before = await ingestSnapshot(database.db);
    sandbox.resetLog();
    await runGithubSync(database.db, integration, { env, clock, retryBaseMs: 5 });
    const statuses = new Set(sandbox.requests.map((request) => request.status));
    expect(sandbox.requests.length).toBeGreaterThan(0);
    expect([...statuses]).toEqual([304]);
    expect(await ingestSnapshot(database.db)).toEqual(before);
  });

  it("reads a listed repository (GITHUB_REPOS, or a webhook's) conditionally too: the second time is all 304s", async () => {
    const only = [truth.services[0]!.repository];
    await runGithubSync(database.db, integration, { env, clock, retryBaseMs: 5, onlyRepositories: only });
    sandbox.resetLog();
    await runGithubSync(database.db, integration, { env, clock, retryBaseMs: 5, onlyRepositories: only });
    expect(sandbox.requests.length).toBeGreaterThan(0);
    expect(new Set(sandbox.requests.map((request) => request.status))).toEqual(new Set([304]));
  });
});
