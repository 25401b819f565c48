/**
 * The cluster side of the sandbox scenario (config repositories, Argo CD and Flux, live drift):
 * deterministic, prefix-stable like the GitHub side, leaving the GitHub side byte for byte as it
 * was, and consistent with itself in the ways the product's ingestion will rely on.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { HelmRelease } from "@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2";
import { Kustomization } from "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { clusterObjectOf } from "@/lib/sandbox/scenario/gitops/cluster-objects";
import type { GitopsTruth } from "@/lib/sandbox/scenario/gitops/model";
import { truthAsOf } from "@/lib/sandbox/scenario/truth-as-of";

const DAY_MS = 86_400_000;
const ANCHOR = new Date("2026-11-27T12:00:00Z");
const UNTIL = new Date(ANCHOR.getTime() + 60 * DAY_MS);
const ms = (iso: string) => Date.parse(iso);

/**
 * sha256 of the whole scenario (maps and sets spelt out) with `truth.gitops` and the org's config
 * repositories removed, taken before the cluster side existed: the app repositories, their commits,
 * PRs, deployments and the truth the metrics tests compare with. A deliberate change to the GitHub
 * side must update these.
 */
const GITHUB_SIDE_SHA256 = {
  anchor: "aac5827c6528a01270532968a0b5b68bc04ff051be20ba93de3e898c38101d39",
  until60: "2260abf152b6a270c776103b544ecb05d6d8a928b053ee31ac8db8fc7a251e9e",
};

/**
 * sha256 of the org's config repositories alone (served since the sandbox GitHub carries them):
 * pinned so a change to what the product reads from them (history, file contents) is deliberate.
 */
const CONFIG_REPOSITORIES_SHA256 = {
  anchor: "4c2acdf682c3a5aadd983c294e94e0b3ae1d4fbb0bf3bf567f49552579fa6e4e",
  until60: "90fbc6bfeb7c93e5fd61b2a297f00bcf82d908082a81ae3c461f3c3b56440aca",
};

const isConfigRepo = (repo: { topics: string[] }) => repo.topics.includes("gitops-config");

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (item instanceof Map ? { __map: [...item.entries()] } : item instanceof Set ? { __set: [...item] } : item));
}

function githubSideHash(scenario: ReturnType<typeof generateScenario>): string {
  const { gitops: _gitops, ...truth } = scenario.truth;
  const org = { ...scenario.org, repositories: scenario.org.repositories.filter((repo) => !isConfigRepo(repo)) };
  return createHash("sha256").update(stableJson({ org, truth })).digest("hex");
}

function configRepositoriesHash(scenario: ReturnType<typeof generateScenario>): string {
  return createHash("sha256").update(stableJson(scenario.org.repositories.filter(isConfigRepo))).digest("hex");
}

const atAnchor = generateScenario({ anchor: ANCHOR });
const full = generateScenario({ anchor: ANCHOR, until: UNTIL });
const gitops = full.truth.gitops;

describe("the GitHub side", () => {
  it("is byte for byte what it was before the cluster side, at the anchor and 60 days past it", () => {
    expect(githubSideHash(atAnchor)).toBe(GITHUB_SIDE_SHA256.anchor);
    expect(githubSideHash(full)).toBe(GITHUB_SIDE_SHA256.until60);
  });

  it("serves the config repositories after the app repositories, one per GitOps app, with the truth's history", () => {
    const apps = full.truth.services.length;
    expect(full.org.repositories.slice(0, apps).some(isConfigRepo)).toBe(false);
    const configs = full.org.repositories.slice(apps);
    expect(configs.every(isConfigRepo)).toBe(true);
    expect(configs.map((repo) => repo.fullName).sort()).toEqual(gitops.apps.map((app) => app.configRepository).sort());
    for (const repo of configs) {
      const app = gitops.apps.find((candidate) => candidate.configRepository === repo.fullName)!;
      const service = full.truth.services.find((candidate) => candidate.slug === app.serviceSlug)!;
      expect(repo.topics).toEqual(["gitops-config", `team-${service.teamSlug}`]);
      const commits = gitops.configCommits.filter((commit) => commit.repository === repo.fullName);
      expect([...repo.commits.keys()]).toEqual(commits.map((commit) => commit.sha));
      expect(repo.branches.get(app.configBranch)).toBe(commits.at(-1)!.sha);
      for (const commit of commits) expect(repo.commits.get(commit.sha)!.files).toEqual([expect.objectContaining({ filename: app.file, content: commit.content })]);
    }
    expect(configRepositoriesHash(atAnchor)).toBe(CONFIG_REPOSITORIES_SHA256.anchor);
    expect(configRepositoriesHash(full)).toBe(CONFIG_REPOSITORIES_SHA256.until60);
  });
});

describe("the cluster side", () => {
  it("is deterministic", () => {
    expect(generateScenario({ anchor: ANCHOR }).truth.gitops).toEqual(atAnchor.truth.gitops);
  }, 60_000);

  it("is prefix-stable: cutting a longer run gives the run generated to that instant", () => {
    const running = gitops.operations.find((operation) => ms(operation.startedAt) > ANCHOR.getTime() + 10 * DAY_MS && operation.changesRevision)!;
    const drifting = gitops.driftEpisodes.find((episode) => ms(episode.startedAt) > ANCHOR.getTime() + 20 * DAY_MS && episode.endedAt !== null)!;
    const retrying = gitops.deployments.find((deployment) => deployment.attempts.length > 1 && ms(deployment.startedAt) > ANCHOR.getTime())!;
    const instants = [
      ANCHOR,
      new Date(ms(running.startedAt) + 5_000),
      new Date(ms(drifting.startedAt) + 1_000),
      new Date(ms(retrying.attempts[0]!.finishedAt) + 1_000),
      new Date(ANCHOR.getTime() + 45 * DAY_MS + 3_600_000),
    ];
    expect(truthAsOf(full.truth, ANCHOR).gitops).toEqual(atAnchor.truth.gitops);
    for (const instant of instants.slice(1)) {
      const cut = truthAsOf(full.truth, instant).gitops;
      expect(cut, instant.toISOString()).toEqual(generateScenario({ anchor: ANCHOR, until: instant }).truth.gitops);
    }
    const mid = truthAsOf(full.truth, instants[1]!).gitops;
    expect(mid.operations.find((operation) => operation.id === running.id)?.result).toBeNull();
  }, 120_000);

  it("covers the whole history for every GitOps service and keeps going past the anchor", () => {
    const gitopsServices = full.truth.services.filter((service) => service.deployVia === "gitops").map((service) => service.slug);
    expect(gitops.apps.map((app) => app.serviceSlug).sort()).toEqual([...gitopsServices].sort());
    const kinds = gitops.apps.map((app) => app.controller);
    expect(kinds.filter((kind) => kind === "argocd-application")).toHaveLength(7);
    expect(kinds.filter((kind) => kind === "flux-helmrelease")).toHaveLength(2);
    const start = ANCHOR.getTime() - 200 * DAY_MS;
    for (const slug of gitopsServices) {
      const deployments = gitops.deployments.filter((deployment) => deployment.serviceSlug === slug && deployment.status === "success");
      expect(ms(deployments[0]!.finishedAt), slug).toBeLessThan(start + 2 * DAY_MS);
      expect(deployments.some((deployment) => ms(deployment.finishedAt) > ANCHOR.getTime() + 30 * DAY_MS), slug).toBe(true);
    }
  });

  it("has the cases the product must handle", () => {
    const triggers = new Set(gitops.operations.map((operation) => `${operation.trigger}:${operation.result?.phase}`));
    for (const expected of ["auto:Failed", "retry:Succeeded", "self-heal:Succeeded", "rollback:Succeeded", "interval:Succeeded", "auto:Error"]) expect(triggers).toContain(expected);
    expect(gitops.operations.some((operation) => operation.partialResources !== null)).toBe(true);
    expect(gitops.operations.some((operation) => operation.trigger === "manual" && !operation.changesRevision)).toBe(true);
    expect(gitops.configCommits.some((commit) => commit.kind === "revert")).toBe(true);
    expect(gitops.deployments.some((deployment) => deployment.appSha === null)).toBe(true);
    expect(gitops.deployments.some((deployment) => deployment.controller !== "argocd-application" && deployment.attempts.length > 1)).toBe(true);
    const endings = new Set(gitops.driftEpisodes.map((episode) => `${episode.managedBy === "push" ? "push" : "gitops"}:${episode.endedBy}`));
    for (const expected of ["gitops:self-heal", "gitops:sync", "gitops:reconcile", "push:new-deployment"]) expect(endings).toContain(expected);
    const openAtAnchor = atAnchor.truth.gitops.driftEpisodes.filter((episode) => episode.endedAt === null);
    expect(openAtAnchor.some((episode) => episode.managedBy !== "push")).toBe(true);
    expect(gitops.driftEpisodes.some((episode) => !episode.observable)).toBe(true);
  });

  it("syncs only revisions that existed, and resolves each deployment's commit from its image tag", () => {
    const commits = new Map(gitops.configCommits.map((commit) => [commit.sha, commit]));
    const appShas = new Set(full.truth.changes.map((change) => change.landedSha));
    for (const operation of gitops.operations) {
      const commit = commits.get(operation.revision);
      expect(commit?.serviceSlug, operation.id).toBe(operation.serviceSlug);
      expect(ms(commit!.committedAt)).toBeLessThanOrEqual(ms(operation.startedAt));
    }
    for (const commit of gitops.configCommits) {
      expect(commit.content).toContain(commit.imageTag);
      expect(commit.image).toBe(`registry.acme-sandbox.dev/${commit.serviceSlug}:${commit.imageTag}`);
      if (commit.appSha !== null) expect(appShas.has(commit.appSha)).toBe(true);
      expect(commit.appSha === null ? !/^[0-9a-f]{40}$/.test(commit.imageTag) : commit.imageTag === commit.appSha).toBe(true);
    }
    for (const deployment of gitops.deployments) {
      const commit = commits.get(deployment.configSha)!;
      expect(deployment.appSha).toBe(/^[0-9a-f]{40}$/.test(commit.imageTag) ? commit.imageTag : null);
    }
  });

  it("follows Git within minutes on auto-sync apps, and only by a person's hand on manual ones", () => {
    const deploymentsById = new Map(gitops.deployments.map((deployment) => [deployment.id, deployment]));
    for (const app of gitops.apps) {
      const pending = gitops.pendingChanges.filter((change) => change.serviceSlug === app.serviceSlug && change.deployedAt !== null);
      const operations = gitops.operations.filter((operation) => operation.serviceSlug === app.serviceSlug);
      if (app.autoSync) {
        const lags = pending.map((change) => ms(change.deployedAt!) - ms(change.appearedAt)).sort((a, b) => a - b);
        expect(lags[Math.floor(lags.length * 0.9)]!, app.name).toBeLessThan(15 * 60_000);
        // Those slower waited on a failed attempt and its retry.
        for (const change of pending.filter((candidate) => ms(candidate.deployedAt!) - ms(candidate.appearedAt) > 15 * 60_000)) {
          const between = operations.filter((operation) => operation.startedAt >= change.appearedAt && operation.startedAt <= change.deployedAt!);
          expect(between.some((operation) => operation.result?.phase !== "Succeeded") || deploymentsById.get(change.deployedById!)!.attempts.length > 1, change.configSha).toBe(true);
        }
      } else {
        for (const operation of operations.filter((candidate) => candidate.changesRevision)) {
          expect(operation.initiatedBy.automated, operation.id).toBe(false);
          expect(operation.initiatedBy.username).toMatch(/^[a-z]+-[a-z]+$/);
        }
      }
    }
  });

  it("never overlaps drift episodes on one resource, and self-heal ends them before the next sync", () => {
    const byService = new Map<string, typeof gitops.driftEpisodes>();
    for (const episode of gitops.driftEpisodes) byService.set(episode.serviceSlug, [...(byService.get(episode.serviceSlug) ?? []), episode]);
    for (const [slug, episodes] of byService) {
      for (let i = 1; i < episodes.length; i++) expect(ms(episodes[i]!.startedAt), slug).toBeGreaterThanOrEqual(ms(episodes[i - 1]!.endedAt!));
      const app = gitops.apps.find((candidate) => candidate.serviceSlug === slug);
      if (!app?.selfHeal) continue;
      for (const episode of episodes.filter((candidate) => candidate.endedAt !== null)) {
        const nextSync = gitops.operations.find((operation) => operation.serviceSlug === slug && operation.startedAt >= episode.startedAt && operation.result !== null);
        expect(ms(episode.endedAt!)).toBeLessThanOrEqual(ms(nextSync!.result!.finishedAt));
        expect(ms(episode.endedAt!) - ms(episode.startedAt)).toBeLessThan(10 * 60_000);
      }
    }
  });

  it("builds Argo CD Applications, Flux Kustomizations and HelmReleases that the published models accept", () => {
    const check = (truth: GitopsTruth) => {
      for (const app of truth.apps) {
        const object = clusterObjectOf(truth, app);
        const model = app.controller === "argocd-application" ? new Application(object as never) : app.controller === "flux-kustomization" ? new Kustomization(object as never) : new HelmRelease(object as never);
        expect(() => model.validate(), app.name).not.toThrow();
      }
    };
    check(atAnchor.truth.gitops);
    // Mid-operation too: a running operationState.
    const running = gitops.operations.find((operation) => operation.controller === "argocd-application" && ms(operation.startedAt) > ANCHOR.getTime())!;
    check(truthAsOf(full.truth, new Date(ms(running.startedAt) + 1_000)).gitops);
  });
});
