/**
 * Flux and push-workload ingestion against the generator's truth, the way argocd-ingest.test.ts
 * checks Argo CD. The services involved are synced from GitHub (services, app commits, push
 * deployments), the cluster is read once at T0 (what Flux and the Deployments still show), then
 * observed at every instant in (T0, T1] at which the truth says something changed for a Flux app or
 * a push workload, as the follower would see it: every object whose resourceVersion moved is
 * written, with the Flux object that applies a changed Deployment and the Kustomizations reading a
 * changed GitRepository. GitHub is synced again whenever a push deployment finishes, before the
 * cluster is read, so the workload's new image meets the deployment that explains it. Every stored
 * Flux deployment and every live-drift episode must be the truth's, field by field.
 */
import { helmSnapshotRevision } from "@/lib/sources/flux/transform";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { parseEnv } from "@/lib/env";
import { loadEnvironmentRules } from "@/lib/ingest/environment-rules";
import { runGithubSync } from "@/lib/ingest/github/run-github-sync";
import { type Integration, SANDBOX_KUBERNETES_TOKEN, registerIntegrations } from "@/lib/ingest/integrations";
import {
  ClusterState,
  type WriteContext,
  kubernetesClientFor,
  runKubernetesSync,
  writeDeployment,
  writeHelmRelease,
  writeKustomization,
} from "@/lib/ingest/kubernetes/run-kubernetes-sync";
import { maintainDerivedData } from "@/lib/metrics/maintain-derived-data";
import { type GithubSandbox, startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import { type KubernetesSandbox, startKubernetesSandbox } from "@/lib/sandbox/kubernetes/server/start-kubernetes-sandbox";
import type { GitopsDriftEpisode } from "@/lib/sandbox/scenario/gitops/model";
import type { GroundTruth } from "@/lib/sandbox/scenario/ground-truth";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { sandboxKubeconfig, writeKubeconfig } from "@/lib/sandbox/start-sandbox";
import type { KubernetesClient } from "@/lib/sources/kubernetes/client";
import type { RawGitRepository, RawHelmRelease, RawKustomization } from "@/lib/sources/flux/types";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

const DAY_MS = 86_400_000;
// The scenario is anchored as in argocd-ingest.test.ts; the sandboxes serve it cut at the clock,
// so the window may lie before the anchor. The working week up to it (Monday 06:00 to Friday noon)
// holds Flux deployments (a retried one, one whose tag names no commit, HelmRelease upgrades),
// drift Kustomizations correct (image and replica edits) and drift a HelmRelease corrects, and
// push-based workloads edited by hand, three of them replaced by the next deployment.
const ANCHOR = new Date("2026-11-20T12:00:00Z");
const T0 = new Date("2026-11-16T06:00:00Z");
const T1 = ANCHOR;
const clock = frozenClock(T0);
const env = parseEnv({});

let truth: GroundTruth;
let github: GithubSandbox;
let kubernetes: KubernetesSandbox;
let database: TestDatabase;
let kubernetesIntegration: Integration;
let dir: string;
/** Every HelmRelease release the cluster listed (object/lastDeployed → configDigest): what the product can know of its revision. */
const helmDigests = new Map<string, string>();

const inRange = (iso: string | null | undefined) => !!iso && Date.parse(iso) > T0.getTime() && Date.parse(iso) <= T1.getTime();
const fluxApps = () => truth.gitops.apps.filter((app) => app.controller !== "argocd-application");
const fluxSlugs = () => new Set(fluxApps().map((app) => app.serviceSlug));
/** Push-based services with a hand edit in the window: the only ones synced (keeps the test short). */
const pushSlugs = () => new Set(truth.gitops.driftEpisodes.filter((episode) => episode.managedBy === "push" && inRange(episode.startedAt)).map((episode) => episode.serviceSlug));
const pushDeploymentsLive = () => truth.deployments.filter((deployment) => pushSlugs().has(deployment.serviceSlug) && deployment.production && deployment.outcome === "success" && inRange(deployment.finishedAt));

function recordHelmDigests(items: RawHelmRelease[]): void {
  for (const item of items) {
    for (const release of item.status?.history ?? []) {
      // The product names a release by chart version and values digest (helmSnapshotRevision).
      const revision = helmSnapshotRevision(release);
      if (release.lastDeployed && revision) helmDigests.set(`${item.metadata.name}@${Date.parse(release.lastDeployed)}`, revision);
    }
  }
}

/**
 * One look at the cluster at the clock's now, written as the follower writes watch events: what
 * changed since the last look, a Deployment's Flux owner re-judged with it, and each Flux object
 * judged against the Deployments as they stand now.
 */
async function observeCluster(client: KubernetesClient, state: ClusterState, context: WriteContext): Promise<void> {
  const [repositories, deployments, kustomizations, helmReleases] = await Promise.all([
    client.listResources("GitRepository"),
    client.listResources("Deployment"),
    client.listResources("Kustomization"),
    client.listResources("HelmRelease"),
  ]);
  recordHelmDigests(helmReleases.items);
  const changedRepositories = repositories.items.filter((item) => state.put("GitRepository", item));
  const changedDeployments = deployments.items.filter((item) => state.put("Deployment", item));
  const kustomizationsToWrite = new Map<string, RawKustomization>();
  const helmReleasesToWrite = new Map<string, RawHelmRelease>();
  const key = (metadata: { namespace?: string; name: string }) => `${metadata.namespace ?? ""}/${metadata.name}`;
  for (const item of kustomizations.items) if (state.put("Kustomization", item)) kustomizationsToWrite.set(key(item.metadata), item);
  for (const item of helmReleases.items) if (state.put("HelmRelease", item)) helmReleasesToWrite.set(key(item.metadata), item);
  for (const raw of changedDeployments) {
    await writeDeployment(database.db, raw, context);
    const entry = state.deployments.get(key(raw.metadata));
    const owner = entry ? state.ownerOf(entry.view) : null;
    if (owner?.kind === "Kustomization") kustomizationsToWrite.set(key(owner.raw.metadata), owner.raw);
    else if (owner?.kind === "HelmRelease") helmReleasesToWrite.set(key(owner.raw.metadata), owner.raw);
  }
  for (const repository of changedRepositories as RawGitRepository[]) for (const raw of state.kustomizationsOf(repository)) kustomizationsToWrite.set(key(raw.metadata), raw);
  for (const raw of kustomizationsToWrite.values()) await writeKustomization(database.db, state, raw, context);
  for (const raw of helmReleasesToWrite.values()) await writeHelmRelease(database.db, state, raw, context);
}

beforeAll(async () => {
  const scenario = generateScenario({ anchor: ANCHOR, until: new Date(Math.max(ANCHOR.getTime(), T1.getTime() + DAY_MS)) });
  truth = scenario.truth;
  dir = await mkdtemp(path.join(tmpdir(), "ph-kubernetes-truth-"));
  const kubeconfigPath = path.join(dir, "kubeconfig");
  github = await startGithubSandbox({ org: scenario.org, clock, port: 0, rateLimit: { limit: 100_000, windowSeconds: 3600 } });
  kubernetes = await startKubernetesSandbox({ truth, clock, port: 0, token: SANDBOX_KUBERNETES_TOKEN });
  await writeKubeconfig(kubeconfigPath, sandboxKubeconfig({ server: kubernetes.url, token: SANDBOX_KUBERNETES_TOKEN }));
  database = await createTestDatabase();
  const integrations = await registerIntegrations(database.db, env, { sandboxUrl: github.url, sandboxKubeconfigPath: kubeconfigPath });
  const githubIntegration = integrations.find((integration) => integration.kind === "GITHUB")!;
  kubernetesIntegration = integrations.find((integration) => integration.kind === "FLUX_KUBERNETES")!;
  // The Flux services' app repositories (services, the commits image tags name) and the push
  // services edited in the window (their production deployments say what should run).
  const pushServices = truth.services.filter((service) => pushSlugs().has(service.slug));
  const repositories = [...new Set([...fluxApps().map((app) => app.appRepository), ...pushServices.map((service) => service.repository)])];
  await database.db.integration.update({ where: { id: githubIntegration.id }, data: { settings: { org: null, repositories, backfillDays: 60 } } });
  const syncGithub = async () => runGithubSync(database.db, (await database.db.integration.findUnique({ where: { id: githubIntegration.id } }))!, { env, clock, retryBaseMs: 5 });
  await syncGithub();
  await runKubernetesSync(database.db, kubernetesIntegration, { env, clock });

  const flux = fluxSlugs();
  const push = pushSlugs();
  const instants = new Set<number>();
  const add = (iso: string | null | undefined) => {
    if (inRange(iso)) instants.add(Date.parse(iso!));
  };
  for (const operation of truth.gitops.operations.filter((entry) => flux.has(entry.serviceSlug))) {
    add(operation.startedAt);
    add(operation.result?.finishedAt);
  }
  for (const commit of truth.gitops.configCommits.filter((entry) => flux.has(entry.serviceSlug))) add(commit.committedAt);
  for (const transition of truth.gitops.healthTransitions.filter((entry) => flux.has(entry.serviceSlug))) add(transition.at);
  for (const episode of truth.gitops.driftEpisodes.filter((entry) => flux.has(entry.serviceSlug) || push.has(entry.serviceSlug))) {
    add(episode.startedAt);
    add(episode.endedAt);
  }
  const githubInstants = new Set(pushDeploymentsLive().map((deployment) => Date.parse(deployment.finishedAt)));
  for (const at of githubInstants) instants.add(at);

  const client = kubernetesClientFor(kubernetesIntegration);
  const context: WriteContext = { integrationId: kubernetesIntegration.id, clock, rules: await loadEnvironmentRules(database.db, env.PRODUCTION_ENVIRONMENTS) };
  // What the T0 pass saw, so each step writes only what moved since.
  const state = new ClusterState();
  await observeCluster(client, state, context);
  for (const instant of [...instants].sort((a, b) => a - b)) {
    clock.set(new Date(instant));
    if (githubInstants.has(instant)) await syncGithub();
    await observeCluster(client, state, context);
  }
  clock.set(T1);
  await maintainDerivedData(database.db, clock, { timeZone: env.ORG_TIMEZONE, productionEnvironments: env.PRODUCTION_ENVIRONMENTS });
}, 600_000);

afterAll(async () => {
  await Promise.all([github?.stop(), kubernetes?.stop()]);
  await database?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const REASON = { "self-heal": "AUTO_HEAL", sync: "SYNC", reconcile: "AUTO_HEAL", "new-deployment": "NEW_DEPLOYMENT" } as const;

interface StoredEpisode {
  startedAt: Date;
  endedAt: Date | null;
  endReason: string | null;
  endedByRef: string | null;
  methodology: string;
  resources: unknown;
  service: { slug: string } | null;
}

/**
 * Every difference between the truth's episodes and the stored ones (start, end, how it ended, the
 * field edited and its live value), and every stored episode begun while watching that the truth
 * does not have; collected so one run shows them all.
 */
function problems(expected: GitopsDriftEpisode[], episodes: StoredEpisode[], methodology: string): string[] {
  const out: string[] = [];
  for (const episode of expected) {
    const stored = episodes.find((candidate) => candidate.service?.slug === episode.serviceSlug && candidate.startedAt.getTime() === Date.parse(episode.startedAt));
    if (!stored) {
      out.push(`${episode.id} (${episode.startedAt}) not stored`);
      continue;
    }
    const ended = inRange(episode.endedAt) ? new Date(episode.endedAt!).toISOString() : null;
    const resources = Array.isArray(stored.resources) ? (stored.resources as { field?: string; liveValue?: string }[]) : [];
    const edited = episode.resources[0]!;
    const actual = {
      methodology: stored.methodology,
      endedAt: stored.endedAt?.toISOString() ?? null,
      endReason: ended ? stored.endReason : null,
      // Push episodes name the deployment that replaced the edit (GitHub's id); a Flux reconcile's id is the product's own.
      endedByRef: ended && episode.managedBy === "push" ? stored.endedByRef : null,
      edit: resources.some((resource) => resource.field === edited.field && (resource.liveValue === undefined || resource.liveValue === edited.liveValue)),
    };
    const wanted = {
      methodology,
      endedAt: ended,
      endReason: ended ? REASON[episode.endedBy!] : null,
      endedByRef: ended && episode.managedBy === "push" ? episode.endedByRef : null,
      edit: true,
    };
    if (JSON.stringify(actual) !== JSON.stringify(wanted)) out.push(`${episode.id} (${episode.startedAt}): ${JSON.stringify(actual)} ≠ truth ${JSON.stringify(wanted)}`);
  }
  for (const stored of episodes.filter((episode) => episode.startedAt > T0)) {
    if (!truth.gitops.driftEpisodes.some((episode) => episode.observable && episode.serviceSlug === stored.service?.slug && Date.parse(episode.startedAt) === stored.startedAt.getTime())) {
      out.push(`${stored.service?.slug} episode at ${stored.startedAt.toISOString()} is not in the truth`);
    }
  }
  return out;
}

describe("Flux and push-workload ingestion against the sandbox's truth", () => {
  it("stores every Flux deployment the truth made while observed, and each stored one is the truth's (times, status, revision, app commit)", async () => {
    const flux = fluxSlugs();
    const controllerOf = new Map(fluxApps().map((app) => [app.serviceSlug, app.controller]));
    const stored = await database.db.deployment.findMany({
      where: { source: "FLUX" },
      select: { startedAt: true, finishedAt: true, status: true, configRevision: true, commitSha: true, commitResolution: true, methodology: true, isProduction: true, service: { select: { slug: true } }, gitOpsApp: { select: { name: true } } },
      orderBy: { startedAt: "asc" },
    });
    const truthDeployments = truth.gitops.deployments.filter((deployment) => flux.has(deployment.serviceSlug) && Date.parse(deployment.finishedAt) <= T1.getTime());
    const key = (slug: string, startedAt: number) => `${slug}@${startedAt}`;
    const byKey = new Map(truthDeployments.map((deployment) => [key(deployment.serviceSlug, Date.parse(deployment.startedAt)), deployment]));
    const byFinish = new Map(truthDeployments.map((deployment) => [key(deployment.serviceSlug, Date.parse(deployment.finishedAt)), deployment]));
    // Collected rather than failing at the first, so one run shows every difference.
    const problems: string[] = [];
    const check = (label: string, actual: unknown, wanted: unknown) => {
      if (JSON.stringify(actual) !== JSON.stringify(wanted)) problems.push(`${label}: ${JSON.stringify(actual)} ≠ truth ${JSON.stringify(wanted)}`);
    };
    for (const row of stored) {
      const slug = row.service!.slug;
      const label = `${slug} deployment at ${row.startedAt.toISOString()}`;
      let expected = byKey.get(key(slug, row.startedAt.getTime()));
      // A release that finished before T0 is known only from the HelmRelease's history (or a
      // Kustomization's last apply), which says when it finished, not when it began: the product
      // records it as starting then. Such rows are matched on their finish.
      if (!expected && row.startedAt <= T0 && row.finishedAt?.getTime() === row.startedAt.getTime()) expected = byFinish.get(key(slug, row.startedAt.getTime()));
      if (!expected) {
        problems.push(`${label} (finished ${row.finishedAt?.toISOString()}, ${row.status}, ${row.configRevision}) is not in the truth`);
        continue;
      }
      check(`${label} methodology/production`, [row.methodology, row.isProduction], ["GITOPS", true]);
      check(`${label} finishedAt`, row.finishedAt?.toISOString(), new Date(expected.finishedAt).toISOString());
      check(`${label} status`, row.status, expected.status === "success" ? "SUCCESS" : "FAILURE");
      if (controllerOf.get(slug) === "flux-kustomization") {
        check(`${label} revision`, row.configRevision, expected.configSha);
      } else {
        // A HelmRelease names a release by its config digest (a hash of the values and chart),
        // not by a Git commit: the product can only know the digest the release history listed.
        // Which config commit it came from is out of its reach, so the digest is compared here.
        check(`${label} revision`, row.configRevision, helmDigests.get(`${row.gitOpsApp!.name}@${Date.parse(expected.finishedAt)}`) ?? "a release the cluster listed");
      }
      // The image of what was applied is read from the live Deployment when the apply is seen
      // finishing. History seen only at T0 (HelmRelease releases that finished before) has no such
      // evidence, and a digest cannot be read in the config repository: unresolved, never guessed.
      const seenApplied = row.startedAt > T0 || (row.finishedAt !== null && row.finishedAt > T0);
      const commit = [row.commitResolution, row.commitSha];
      if (expected.appSha === null || row.status !== "SUCCESS") check(`${label} app commit`, commit, ["UNRESOLVED", null]);
      else if (seenApplied) check(`${label} app commit`, commit, ["IMAGE_TAG", expected.appSha]);
      else if (commit[0] !== "UNRESOLVED") check(`${label} app commit`, commit, ["IMAGE_TAG", expected.appSha]);
    }
    // Everything that started while we were watching is there, retries of one revision as one.
    const watched = truthDeployments.filter((deployment) => inRange(deployment.startedAt));
    expect(watched.length).toBeGreaterThanOrEqual(2);
    // Not vacuous for the cases that differ: HelmRelease upgrades and a retried revision.
    expect(watched.filter((deployment) => controllerOf.get(deployment.serviceSlug) === "flux-helmrelease").length).toBeGreaterThanOrEqual(1);
    expect(watched.filter((deployment) => deployment.attempts.length > 1).length).toBeGreaterThanOrEqual(1);
    const storedKeys = new Set(stored.map((row) => key(row.service!.slug, row.startedAt.getTime())));
    for (const deployment of watched) {
      if (!storedKeys.has(key(deployment.serviceSlug, Date.parse(deployment.startedAt)))) problems.push(`${deployment.serviceSlug} ${deployment.startedAt} (${deployment.status}, ${deployment.attempts.length} attempts) not stored`);
    }
    expect(problems).toEqual([]);
  });

  it("records every observable Flux drift with its start, end and how it ended; a HelmRelease without drift detection has none", async () => {
    const flux = fluxSlugs();
    const episodes = await database.db.driftEpisode.findMany({
      where: { kind: "LIVE_DRIFT", gitOpsAppId: { not: null } },
      select: { startedAt: true, endedAt: true, endReason: true, endedByRef: true, methodology: true, resources: true, service: { select: { slug: true } } },
    });
    // A hand edit made while Git is ahead of the cluster is hidden under the pending change (DESIGN
    // §4 counts that time as sync lag), as for Argo CD.
    const pendingAt = (slug: string, at: number) =>
      truth.gitops.pendingChanges.some((pending) => pending.serviceSlug === slug && Date.parse(pending.appearedAt) <= at && (pending.deployedAt === null || Date.parse(pending.deployedAt) > at));
    const expected = truth.gitops.driftEpisodes.filter((episode) => flux.has(episode.serviceSlug) && episode.observable && inRange(episode.startedAt) && !pendingAt(episode.serviceSlug, Date.parse(episode.startedAt)));
    expect(expected.length).toBeGreaterThanOrEqual(1);
    expect(problems(expected, episodes, "GITOPS")).toEqual([]);
    const blind = fluxApps().filter((app) => !app.driftObservable);
    expect(blind.map((app) => app.name)).toEqual(["experiments-api"]);
    for (const app of blind) {
      const row = await database.db.gitOpsApp.findFirst({ where: { integrationId: kubernetesIntegration.id, name: app.name } });
      expect(row, app.name).toMatchObject({ kind: "FLUX_HELMRELEASE", driftObservable: false, driftState: "NOT_OBSERVABLE" });
      expect(await database.db.driftEpisode.count({ where: { gitOpsAppId: row!.id } }), app.name).toBe(0);
    }
  });

  it("records every hand edit of a push-based workload with its start, and its end at the finish of the deployment that replaced it", async () => {
    const push = pushSlugs();
    const episodes = await database.db.driftEpisode.findMany({
      where: { kind: "LIVE_DRIFT", workloadId: { not: null } },
      select: { startedAt: true, endedAt: true, endReason: true, endedByRef: true, methodology: true, resources: true, service: { select: { slug: true } } },
    });
    const expected = truth.gitops.driftEpisodes.filter((episode) => episode.managedBy === "push" && push.has(episode.serviceSlug) && inRange(episode.startedAt));
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(expected.filter((episode) => inRange(episode.endedAt)).length).toBeGreaterThanOrEqual(2);
    expect(problems(expected, episodes, "DEVOPS")).toEqual([]);
  });

  it("leaves running only what the truth still runs at T1, and shows live drift exactly where the truth has it open", async () => {
    const flux = fluxSlugs();
    const runningAt = (iso: string | null | undefined) => !iso || Date.parse(iso) > T1.getTime();
    const truthRunning = truth.gitops.operations
      .filter((operation) => flux.has(operation.serviceSlug) && Date.parse(operation.startedAt) <= T1.getTime() && runningAt(operation.result?.finishedAt))
      .map((operation) => `${operation.serviceSlug}@${new Date(operation.startedAt).toISOString()}`);
    const stored = await database.db.gitOpsOperation.findMany({ where: { integrationId: kubernetesIntegration.id, status: "IN_PROGRESS" }, select: { startedAt: true, gitOpsApp: { select: { service: { select: { slug: true } } } } } });
    expect(stored.map((operation) => `${operation.gitOpsApp.service?.slug}@${operation.startedAt.toISOString()}`).sort()).toEqual(truthRunning.sort());
    const openAt = (slug: string) => truth.gitops.driftEpisodes.some((episode) => episode.serviceSlug === slug && episode.observable && Date.parse(episode.startedAt) <= T1.getTime() && runningAt(episode.endedAt));
    const apps = await database.db.gitOpsApp.findMany({ where: { integrationId: kubernetesIntegration.id }, select: { name: true, driftState: true, service: { select: { slug: true } } } });
    expect(apps.length).toBe(fluxApps().length);
    for (const app of apps) if (app.driftState !== "NOT_OBSERVABLE") expect([app.name, app.driftState === "LIVE_DRIFT"]).toEqual([app.name, openAt(app.service!.slug)]);
    const workloads = await database.db.workload.findMany({ where: { integrationId: kubernetesIntegration.id, managedBy: "push", service: { slug: { in: [...pushSlugs()] } } }, select: { name: true, driftState: true, service: { select: { slug: true } } } });
    expect(workloads.length).toBe(pushSlugs().size);
    for (const workload of workloads) expect([workload.name, workload.driftState === "LIVE_DRIFT"]).toEqual([workload.name, openAt(workload.service!.slug)]);
  });

  it("is idempotent: reading the same cluster again writes nothing and appends no audit event", async () => {
    const count = async () => [
      await database.db.deployment.count(),
      await database.db.gitOpsOperation.count(),
      await database.db.driftEpisode.count(),
      await database.db.driftEpisode.count({ where: { endedAt: null } }),
      await database.db.workload.count(),
      await database.db.auditEvent.count(),
    ];
    const before = await count();
    await runKubernetesSync(database.db, kubernetesIntegration, { env, clock });
    expect(await count()).toEqual(before);
  }, 120_000);
});
