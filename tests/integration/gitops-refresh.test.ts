import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { parseEnv } from "@/lib/env";
import { runArgoCdSync } from "@/lib/ingest/argocd/run-argocd-sync";
import { runGithubSync } from "@/lib/ingest/github/run-github-sync";
import { refreshGitOpsHistory } from "@/lib/ingest/gitops/refresh-gitops-history";
import { type Integration, SANDBOX_ARGOCD_TOKEN, registerIntegrations } from "@/lib/ingest/integrations";
import { type ArgoCdSandbox, startArgoCdSandbox } from "@/lib/sandbox/argocd/server/start-argocd-sandbox";
import { type GithubSandbox, startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import type { GroundTruth } from "@/lib/sandbox/scenario/ground-truth";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * A fresh start: Argo CD is seen before GitHub's first sync has made the services and mirrored the
 * config repositories. The scheduled refresh of the watched source then binds the apps, reads the
 * images of remembered revisions and rebuilds older history, without listing Argo CD again.
 */
const T0 = new Date("2026-11-20T12:00:00Z");
const clock = frozenClock(T0);
const env = parseEnv({});
let truth: GroundTruth;
let github: GithubSandbox;
let argocd: ArgoCdSandbox;
let database: TestDatabase;
let argoIntegration: Integration;
let githubIntegration: Integration;

beforeAll(async () => {
  const scenario = generateScenario({ anchor: T0, until: new Date(T0.getTime() + 86_400_000) });
  truth = scenario.truth;
  github = await startGithubSandbox({ org: scenario.org, clock, port: 0, rateLimit: { limit: 100_000, windowSeconds: 3600 } });
  argocd = await startArgoCdSandbox({ truth, clock, port: 0, token: SANDBOX_ARGOCD_TOKEN });
  database = await createTestDatabase();
  const integrations = await registerIntegrations(database.db, env, { sandboxUrl: github.url, sandboxArgocdUrl: argocd.url });
  githubIntegration = integrations.find((integration) => integration.kind === "GITHUB")!;
  argoIntegration = integrations.find((integration) => integration.kind === "ARGOCD")!;
  const apps = truth.gitops.apps.filter((app) => app.controller === "argocd-application" && ["catalog-api", "web-storefront"].includes(app.serviceSlug));
  await database.db.integration.update({ where: { id: githubIntegration.id }, data: { settings: { org: null, repositories: apps.flatMap((app) => [app.appRepository, app.configRepository]), backfillDays: 200 } } });
  // Argo CD first: nothing to bind to, no config repository to read.
  await runArgoCdSync(database.db, argoIntegration, { env, clock });
}, 300_000);

afterAll(async () => {
  await Promise.all([github?.stop(), argocd?.stop()]);
  await database?.close();
});

describe("the scheduled refresh of a watched GitOps source", () => {
  it("binds, resolves and reconstructs once GitHub's data is there", async () => {
    const unbound = await database.db.gitOpsApp.count({ where: { serviceId: null } });
    expect(unbound).toBe(7);
    expect(await database.db.deployment.count({ where: { reconstructed: true } })).toBe(0);

    await runGithubSync(database.db, (await database.db.integration.findUnique({ where: { id: githubIntegration.id } }))!, { env, clock, retryBaseMs: 5 });
    const result = await refreshGitOpsHistory(database.db, argoIntegration, { env, clock });
    expect(result.appsRederived).toBe(2);
    expect(result.reconstructed).toBeGreaterThan(5);

    const apps = await database.db.gitOpsApp.findMany({ where: { serviceId: { not: null } }, select: { name: true, service: { select: { slug: true } } } });
    expect(apps.map((app) => [app.name, app.service!.slug]).sort()).toEqual([
      ["catalog-api", "catalog-api"],
      ["web-storefront", "web-storefront"],
    ]);
    const observed = await database.db.deployment.findMany({ where: { source: "ARGOCD", reconstructed: false, service: { slug: { in: ["catalog-api", "web-storefront"] } } }, select: { commitSha: true, commitResolution: true, configRevision: true, service: { select: { slug: true } } } });
    expect(observed.length).toBeGreaterThan(5);
    for (const row of observed) {
      const commit = truth.gitops.configCommits.find((candidate) => candidate.sha === row.configRevision)!;
      expect([row.commitResolution, row.commitSha], `${row.service!.slug} ${row.configRevision}`).toEqual(commit.appSha ? ["IMAGE_TAG", commit.appSha] : ["UNRESOLVED", null]);
    }
    // Lead time now follows: the chains have resolved commits of the service's repository.
    expect(await database.db.deploymentChange.count({ where: { deployment: { source: "ARGOCD" } } })).toBeGreaterThan(0);

    // Nothing left to do: a second refresh changes nothing.
    expect(await refreshGitOpsHistory(database.db, argoIntegration, { env, clock })).toEqual({ appsRederived: 0, reconstructed: 0 });
  });
});
