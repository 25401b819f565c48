/**
 * The sandbox's Kubernetes API over plain HTTP: the API server's paths, list and Status shapes,
 * Flux objects that validate against the published Flux models and Deployments against the
 * Kubernetes ones, live images that follow the scenario's drift, and watches that start from a
 * list's resourceVersion, report changes as the clock moves, expire with 410 when too old, and end
 * when the server stops.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HelmRelease } from "@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2";
import { Kustomization } from "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1";
import { GitRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1";
// Installed with the @kubernetes-models packages (their dependency), not a direct devDependency.
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { frozenClock } from "@/lib/clock";
import { type KubernetesSandbox, startKubernetesSandbox } from "@/lib/sandbox/kubernetes/server/start-kubernetes-sandbox";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { clusterObjectOf } from "@/lib/sandbox/scenario/gitops/cluster-objects";
import { IMAGE_REGISTRY } from "@/lib/sandbox/scenario/gitops/controllers";
import type { GitopsDriftEpisode, GitopsTruth } from "@/lib/sandbox/scenario/gitops/model";
import type { GroundTruth } from "@/lib/sandbox/scenario/ground-truth";
import { truthAsOf } from "@/lib/sandbox/scenario/truth-as-of";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const ANCHOR = new Date("2026-06-15T12:00:00Z");
const UNTIL = new Date(ANCHOR.getTime() + 10 * DAY_MS);
const TOKEN = "sandbox-kubernetes-token";
const ms = (iso: string) => Date.parse(iso);
const execFileAsync = promisify(execFile);

const { truth } = generateScenario({ anchor: ANCHOR, until: UNTIL });
const clock = frozenClock(ANCHOR);
let sandbox: KubernetesSandbox;

interface Meta {
  name: string;
  namespace: string;
  uid: string;
  resourceVersion: string;
  annotations?: Record<string, string>;
  managedFields?: ManagedFieldsEntry[];
}
interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  time: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}
interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: Meta;
  spec: Record<string, unknown>;
  status: Record<string, unknown>;
}
interface ApiDeployment extends KubeObject {
  spec: { replicas: number; template: { spec: { containers: { name: string; image: string }[] } } };
  status: { replicas: number; readyReplicas: number; updatedReplicas: number; conditions: { type: string; status: string }[] };
}
interface KubeList<T> {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string };
  items: T[];
}
interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: KubeObject & { code?: number; reason?: string; message?: string };
}

const PATHS = {
  kustomizations: "/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations",
  helmreleases: "/apis/helm.toolkit.fluxcd.io/v2/helmreleases",
  gitrepositories: "/apis/source.toolkit.fluxcd.io/v1/gitrepositories",
  deployments: "/apis/apps/v1/deployments",
} as const;

function request(path: string, init: { token?: string | null; method?: string; signal?: AbortSignal } = {}) {
  const token = init.token === undefined ? TOKEN : init.token;
  return fetch(`${sandbox.url}${path}`, { method: init.method ?? "GET", headers: token === null ? {} : { authorization: `Bearer ${token}` }, signal: init.signal });
}

async function getJson<T>(path: string): Promise<T> {
  const response = await request(path);
  expect(response.status, path).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return (await response.json()) as T;
}

/** A watch over fetch: events as they arrive, one JSON object per line. */
function openWatch(target: { url: string }, path: string) {
  const controller = new AbortController();
  const events: WatchEvent[] = [];
  let ended = false;
  let status = 0;
  const done = (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      const response = await fetch(`${target.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` }, signal: controller.signal });
      status = response.status;
      const reader = response.body!.getReader();
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buffer += decoder.decode(value, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (line) events.push(JSON.parse(line) as WatchEvent);
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      ended = true;
    }
  })();
  const waitFor = async <T>(check: () => T | undefined, timeoutMs = 3_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = check();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`watch ${path}: timed out; got ${JSON.stringify(events.map((event) => [event.type, event.object.metadata?.name]))}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return {
    events,
    status: () => status,
    ended: () => ended,
    done,
    waitFor,
    event: (predicate: (event: WatchEvent) => boolean, timeoutMs?: number) => waitFor(() => events.find(predicate), timeoutMs),
    close: () => controller.abort(),
  };
}

const fluxApps = (cut: GitopsTruth) => cut.apps.filter((app) => app.controller !== "argocd-application");
const imageField = (field: string) => /^spec\.template\.spec\.containers\[name=[^\]]+\]\.image$/.test(field);

/** The image the workload's last deployment set: the applied config commit's (GitOps) or what CI deployed (push). */
function deployedImage(cut: GroundTruth, slug: string): string | null {
  const app = cut.gitops.apps.find((candidate) => candidate.serviceSlug === slug);
  if (app) {
    const applied = cut.gitops.operations.filter((operation) => operation.serviceSlug === slug && operation.changesRevision && operation.result?.phase === "Succeeded").at(-1);
    return applied ? cut.gitops.configCommits.find((commit) => commit.sha === applied.revision)!.image : null;
  }
  const last = cut.deployments.filter((deployment) => deployment.serviceSlug === slug && deployment.production && deployment.outcome === "success").at(-1);
  return last ? `${IMAGE_REGISTRY}/${slug}:${last.sha}` : null;
}

/** The field manager that deploys a workload: its GitOps controller, or CI for a push-based service. */
const OWNER_MANAGER = { "argocd-application": "argocd-controller", "flux-kustomization": "kustomize-controller", "flux-helmrelease": "helm-controller", push: "pipeline" } as const;

/** The person's field manager for a hand edit: `kubectl scale` for a replica count alone, `kubectl edit` otherwise. */
const handManager = (episode: GitopsDriftEpisode) => (episode.resources.some((resource) => imageField(resource.field)) ? "kubectl-edit" : "kubectl-scale");

/** The newest write `managedFields` records: what the product takes for the start of push-based drift. */
const newestWrite = (entries: ManagedFieldsEntry[]) => [...entries].sort((a, b) => ms(b.time) - ms(a.time))[0];

/** Whether an operation of the service runs at the cut (a rollout shows its own image meanwhile). */
const running = (cut: GitopsTruth, slug: string) => cut.operations.some((operation) => operation.serviceSlug === slug && operation.result === null);

beforeAll(async () => {
  sandbox = await startKubernetesSandbox({ truth, clock, port: 0, token: TOKEN });
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
});

describe("API server basics", () => {
  it("answers 401 with a Status without a token or with a wrong one", async () => {
    for (const token of [null, "wrong-token"]) {
      const response = await request(PATHS.deployments, { token });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 });
    }
  });

  it("answers 404 and 405 with Status objects", async () => {
    const unknown = await request("/apis/apps/v1/statefulsets");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ kind: "Status", status: "Failure", reason: "NotFound", code: 404 });
    const missing = await request("/apis/apps/v1/namespaces/nowhere/deployments/nothing");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ kind: "Status", reason: "NotFound", message: 'deployments.apps "nothing" not found', code: 404 });
    const post = await request(PATHS.kustomizations, { method: "POST" });
    expect(post.status).toBe(405);
    expect(await post.json()).toMatchObject({ kind: "Status", reason: "MethodNotAllowed", code: 405 });
  });
});

describe("lists", () => {
  it("lists every Flux object and workload of the truth at the clock's instant, valid against the published models", async () => {
    for (const at of [ANCHOR, new Date(ANCHOR.getTime() + 4 * DAY_MS + 7 * HOUR_MS), new Date(UNTIL.getTime() - HOUR_MS)]) {
      clock.set(at);
      const cut = truthAsOf(truth, at);
      const gitops = cut.gitops;

      const kustomizations = await getJson<KubeList<KubeObject>>(PATHS.kustomizations);
      const helmReleases = await getJson<KubeList<KubeObject>>(PATHS.helmreleases);
      const repositories = await getJson<KubeList<KubeObject>>(PATHS.gitrepositories);
      const deployments = await getJson<KubeList<ApiDeployment>>(PATHS.deployments);
      expect(kustomizations).toMatchObject({ kind: "KustomizationList", apiVersion: "kustomize.toolkit.fluxcd.io/v1" });
      expect(helmReleases).toMatchObject({ kind: "HelmReleaseList", apiVersion: "helm.toolkit.fluxcd.io/v2" });
      expect(repositories).toMatchObject({ kind: "GitRepositoryList", apiVersion: "source.toolkit.fluxcd.io/v1" });
      expect(deployments).toMatchObject({ kind: "DeploymentList", apiVersion: "apps/v1" });
      const rv = deployments.metadata.resourceVersion;
      expect(rv).toMatch(/^\d+$/);
      for (const list of [kustomizations, helmReleases, repositories]) expect(list.metadata.resourceVersion).toBe(rv);

      const names = (list: KubeList<KubeObject>) => list.items.map((item) => `${item.metadata.namespace}/${item.metadata.name}`).sort();
      const flux = fluxApps(gitops);
      expect(names(kustomizations)).toEqual(flux.filter((app) => app.controller === "flux-kustomization").map((app) => `${app.namespace}/${app.name}`).sort());
      expect(names(helmReleases)).toEqual(flux.filter((app) => app.controller === "flux-helmrelease").map((app) => `${app.namespace}/${app.name}`).sort());
      expect(names(repositories)).toEqual(flux.map((app) => `${app.namespace}/${app.serviceSlug}-config`).sort());
      expect(flux.length).toBeGreaterThan(0);

      for (const app of flux) {
        const list = app.controller === "flux-kustomization" ? kustomizations : helmReleases;
        const object = list.items.find((item) => item.metadata.name === app.name)!;
        expect(object).toMatchObject(clusterObjectOf(gitops, app));
        expect(Number(object.metadata.resourceVersion)).toBeLessThanOrEqual(Number(rv));
        const model = app.controller === "flux-kustomization" ? new Kustomization(object as never) : new HelmRelease(object as never);
        expect(() => model.validate(), app.name).not.toThrow();
        if (app.controller === "flux-helmrelease") {
          // helm-controller v2's attempted values digest: the deployed release's once an attempt
          // succeeded, the attempted revision's while one runs or after it failed.
          const last = gitops.operations.filter((operation) => operation.serviceSlug === app.serviceSlug).at(-1);
          const status = object.status as { lastAttemptedConfigDigest?: string; history: { configDigest: string }[]; conditions: { type: string; status: string }[] };
          if (!last) expect(status.lastAttemptedConfigDigest, app.name).toBeUndefined();
          else {
            expect(status.lastAttemptedConfigDigest, app.name).toBe(`sha256:${last.revision}${last.revision.slice(0, 24)}`);
            if (status.conditions.find((condition) => condition.type === "Ready")?.status === "True") expect(status.lastAttemptedConfigDigest).toBe(status.history[0]?.configDigest);
          }
        }
        const plural = app.controller === "flux-kustomization" ? "kustomizations" : "helmreleases";
        const group = PATHS[plural].split("/").slice(0, 4).join("/");
        expect(await getJson(`${group}/namespaces/${app.namespace}/${plural}/${app.name}`)).toEqual(object);

        const repository = repositories.items.find((item) => item.metadata.name === `${app.serviceSlug}-config`)!;
        const head = gitops.configCommits.filter((commit) => commit.serviceSlug === app.serviceSlug).at(-1)!;
        expect((repository.status.artifact as { revision: string }).revision).toBe(`main@sha1:${head.sha}`);
        expect(repository.spec).toMatchObject({ url: `https://github.com/${app.configRepository}.git`, ref: { branch: "main" } });
        expect(() => new GitRepository(repository as never).validate(), repository.metadata.name).not.toThrow();
      }

      // One Deployment per workload that has been deployed: GitOps apps' and push-based services' production ones.
      const workloads = [
        ...gitops.apps.filter((app) => gitops.operations.some((operation) => operation.serviceSlug === app.serviceSlug && operation.changesRevision)).map((app) => ({ slug: app.serviceSlug, ...app.workload })),
        ...gitops.pushWorkloads.filter((entry) => deployedImage(cut, entry.serviceSlug) !== null).map((entry) => ({ slug: entry.serviceSlug, ...entry.workload })),
      ];
      expect(workloads.length).toBeGreaterThan(10);
      expect(names(deployments)).toEqual(workloads.map((workload) => `${workload.namespace}/${workload.name}`).sort());
      for (const workload of workloads) {
        const item = deployments.items.find((candidate) => candidate.metadata.name === workload.name && candidate.metadata.namespace === workload.namespace)!;
        expect(item.metadata.annotations?.["pipeline-health.dev/service"]).toBe(workload.slug);
        expect(item.spec.template.spec.containers[0]!.name).toBe(workload.container);
        expect(() => new Deployment({ apiVersion: "apps/v1", kind: "Deployment", ...item } as never).validate(), workload.name).not.toThrow();
        const got = await getJson<ApiDeployment>(`/apis/apps/v1/namespaces/${workload.namespace}/deployments/${workload.name}`);
        expect(got).toMatchObject({ apiVersion: "apps/v1", kind: "Deployment", ...item });
        // Without drift or a rollout, the Deployment runs what was deployed, at the manifests' replica count.
        const open = gitops.driftEpisodes.some((episode) => episode.serviceSlug === workload.slug && episode.endedAt === null);
        if (!open && !running(gitops, workload.slug)) {
          expect(item.spec.template.spec.containers[0]!.image, workload.name).toBe(deployedImage(cut, workload.slug));
          expect(item.spec.replicas).toBe(3);
        }

        // managedFields as an API server keeps them: the deploying controller (or CI) at its last
        // apply, and the person behind an open hand edit at the edit, which is then the newest write.
        const app = gitops.apps.find((candidate) => candidate.serviceSlug === workload.slug);
        const fields = item.metadata.managedFields ?? [];
        for (const entry of fields) {
          expect(entry, workload.name).toMatchObject({ operation: expect.stringMatching(/^(Update|Apply)$/), apiVersion: "apps/v1", fieldsType: "FieldsV1", fieldsV1: expect.any(Object) });
          expect(entry.time, workload.name).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
          expect(ms(entry.time), workload.name).toBeLessThanOrEqual(at.getTime());
        }
        const owner = fields.find((entry) => entry.manager === OWNER_MANAGER[app?.controller ?? "push"]);
        expect(owner, workload.name).toBeDefined();
        expect(owner!.operation).toBe(app?.controller === "flux-kustomization" ? "Apply" : "Update");
        if (!app) {
          const last = cut.deployments.filter((deployment) => deployment.serviceSlug === workload.slug && deployment.production && deployment.outcome === "success").at(-1)!;
          expect(owner!.time, workload.name).toBe(last.finishedAt);
        }
        const episode = gitops.driftEpisodes.find((candidate) => candidate.serviceSlug === workload.slug && candidate.endedAt === null);
        if (episode && !running(gitops, workload.slug)) {
          expect(fields, workload.name).toHaveLength(2);
          expect(fields, workload.name).toContainEqual(expect.objectContaining({ manager: handManager(episode), operation: "Update", time: episode.startedAt }));
          expect(newestWrite(fields), workload.name).toMatchObject({ manager: handManager(episode), time: episode.startedAt });
        } else {
          expect(fields.map((entry) => entry.manager), workload.name).toEqual([owner!.manager]);
        }
      }
    }
  });

  it("keeps an object's resourceVersion while it does not change", async () => {
    clock.set(ANCHOR);
    const before = await getJson<KubeList<KubeObject>>(PATHS.deployments);
    clock.advance(1_000);
    const after = await getJson<KubeList<KubeObject>>(PATHS.deployments);
    const changed = after.items.filter((item) => JSON.stringify(item) !== JSON.stringify(before.items.find((old) => old.metadata.uid === item.metadata.uid)));
    for (const item of after.items) {
      const old = before.items.find((candidate) => candidate.metadata.uid === item.metadata.uid)!;
      if (!changed.includes(item)) expect(item.metadata.resourceVersion).toBe(old.metadata.resourceVersion);
      else expect(Number(item.metadata.resourceVersion)).toBeGreaterThan(Number(old.metadata.resourceVersion));
    }
  });
});

describe("live drift in Deployments", () => {
  const imageEpisodes = (managedBy: (episode: GitopsDriftEpisode) => boolean) =>
    truth.gitops.driftEpisodes.filter((episode) => managedBy(episode) && episode.resources.some((resource) => imageField(resource.field)) && ms(episode.startedAt) < UNTIL.getTime() - HOUR_MS).slice(-6);

  it("shows the drifted image during an open episode and the deployed image once it ends", async () => {
    const push = imageEpisodes((episode) => episode.managedBy === "push");
    const gitopsEpisodes = imageEpisodes((episode) => episode.managedBy !== "push");
    expect(push.length).toBeGreaterThan(0);
    expect(gitopsEpisodes.length).toBeGreaterThan(0);
    const checked = new Set<string>();
    for (const episode of [...push, ...gitopsEpisodes]) {
      const resource = episode.resources.find((candidate) => imageField(candidate.field))!;
      const path = `/apis/apps/v1/namespaces/${resource.namespace}/deployments/${resource.name}`;
      const during = new Date(ms(episode.startedAt) + 1_000);
      clock.set(during);
      if (running(truthAsOf(truth, during).gitops, episode.serviceSlug)) continue;
      const drifted = await getJson<ApiDeployment>(path);
      expect(drifted.spec.template.spec.containers[0]!.image, episode.id).toBe(resource.liveValue);
      checked.add(episode.managedBy === "push" ? "push" : "gitops");
      // The edit is in managedFields from its start (kubectl-edit owns the image now), so a drift
      // already open when first seen still gets its real start; the owner keeps the rest.
      const fields = drifted.metadata.managedFields ?? [];
      expect(newestWrite(fields), episode.id).toMatchObject({ manager: "kubectl-edit", operation: "Update", time: episode.startedAt });
      const container = `k:{"name":"${drifted.spec.template.spec.containers[0]!.name}"}`;
      const containerFields = (entry: ManagedFieldsEntry | undefined) => ((((entry?.fieldsV1["f:spec"] as Record<string, Record<string, Record<string, Record<string, Record<string, unknown>>>>>)?.["f:template"] ?? {})["f:spec"] ?? {})["f:containers"] ?? {})[container];
      expect(containerFields(fields.find((entry) => entry.manager === "kubectl-edit")), episode.id).toHaveProperty(["f:image"]);
      const owner = fields.find((entry) => entry.manager === OWNER_MANAGER[episode.managedBy])!;
      expect(owner, episode.id).toBeDefined();
      expect(ms(owner.time)).toBeLessThan(ms(episode.startedAt));
      expect(containerFields(owner), episode.id).not.toHaveProperty(["f:image"]);
      expect(drifted.metadata.annotations?.["pipeline-health.dev/service"]).toBe(episode.serviceSlug);

      // Just before, it ran what was deployed: the episode's desired value.
      const before = new Date(ms(episode.startedAt) - 1_000);
      clock.set(before);
      const beforeCut = truthAsOf(truth, before);
      if (!running(beforeCut.gitops, episode.serviceSlug)) {
        const clean = await getJson<ApiDeployment>(path);
        expect(clean.spec.template.spec.containers[0]!.image, episode.id).toBe(resource.desiredValue);
        expect(clean.spec.template.spec.containers[0]!.image).toBe(deployedImage(beforeCut, episode.serviceSlug));
      }

      if (episode.endedAt !== null && ms(episode.endedAt) < UNTIL.getTime()) {
        const after = new Date(ms(episode.endedAt) + 1_000);
        clock.set(after);
        const afterCut = truthAsOf(truth, after);
        if (running(afterCut.gitops, episode.serviceSlug) || afterCut.gitops.driftEpisodes.some((other) => other.serviceSlug === episode.serviceSlug && other.endedAt === null)) continue;
        const healed = await getJson<ApiDeployment>(path);
        expect(healed.spec.template.spec.containers[0]!.image, episode.id).toBe(deployedImage(afterCut, episode.serviceSlug));
        // Whoever put it back (the controller, or CI's next deployment) wrote last, at the end; the edit's entry is gone.
        expect(healed.metadata.managedFields, episode.id).toEqual([expect.objectContaining({ manager: OWNER_MANAGER[episode.managedBy], time: episode.endedAt })]);
      }
    }
    expect([...checked].sort()).toEqual(["gitops", "push"]);
  });

  it("shows a replica count changed by hand", async () => {
    const episode = truth.gitops.driftEpisodes.find((candidate) => candidate.resources.some((resource) => resource.field === "spec.replicas") && ms(candidate.startedAt) < UNTIL.getTime() - HOUR_MS)!;
    expect(episode).toBeDefined();
    const resource = episode.resources.find((candidate) => candidate.field === "spec.replicas")!;
    clock.set(new Date(ms(episode.startedAt) + 1_000));
    const drifted = await getJson<ApiDeployment>(`/apis/apps/v1/namespaces/${resource.namespace}/deployments/${resource.name}`);
    expect(drifted.spec.replicas).toBe(Number(resource.liveValue));
    // `kubectl scale` writes through the scale subresource and owns the replica count from the edit on.
    expect(drifted.metadata.managedFields).toContainEqual({ manager: "kubectl-scale", operation: "Update", apiVersion: "apps/v1", time: episode.startedAt, fieldsType: "FieldsV1", fieldsV1: { "f:spec": { "f:replicas": {} } }, subresource: "scale" });
    const owner = drifted.metadata.managedFields!.find((entry) => entry.manager !== "kubectl-scale")!;
    expect(owner.fieldsV1["f:spec"]).not.toHaveProperty(["f:replicas"]);
  });
});

describe("watch", () => {
  it("reports a drift start on a Deployment as MODIFIED to a watch started from the list's resourceVersion", async () => {
    const episode = truth.gitops.driftEpisodes.find((candidate) => candidate.managedBy === "push" && ms(candidate.startedAt) > ANCHOR.getTime() && ms(candidate.startedAt) < UNTIL.getTime() - HOUR_MS)!;
    expect(episode).toBeDefined();
    const resource = episode.resources[0]!;
    clock.set(new Date(ms(episode.startedAt) - 5_000));
    const list = await getJson<KubeList<ApiDeployment>>(`/apis/apps/v1/namespaces/${resource.namespace}/deployments`);
    expect(list.items.map((item) => item.metadata.name)).toEqual([resource.name]);
    const watch = openWatch(sandbox, `/apis/apps/v1/namespaces/${resource.namespace}/deployments?watch=true&resourceVersion=${list.metadata.resourceVersion}`);
    try {
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(watch.status()).toBe(200);
      expect(watch.events).toEqual([]);
      clock.advance(10_000);
      const event = await watch.event((candidate) => candidate.type === "MODIFIED" && candidate.object.metadata.name === resource.name);
      const object = event.object as unknown as ApiDeployment;
      expect(object).toMatchObject({ apiVersion: "apps/v1", kind: "Deployment" });
      expect(object.spec.template.spec.containers[0]!.image).toBe(resource.liveValue);
      expect(Number(object.metadata.resourceVersion)).toBeGreaterThan(Number(list.metadata.resourceVersion));
      expect(watch.events.every((candidate) => candidate.object.metadata.namespace === resource.namespace)).toBe(true);
    } finally {
      watch.close();
      await watch.done;
    }
  });

  it("reports a Flux operation as MODIFIED on its Kustomization or HelmRelease across the cluster", async () => {
    const operation = truth.gitops.operations.find((candidate) => candidate.controller !== "argocd-application" && ms(candidate.startedAt) > ANCHOR.getTime() + DAY_MS && candidate.result !== null)!;
    expect(operation).toBeDefined();
    const plural = operation.controller === "flux-kustomization" ? "kustomizations" : "helmreleases";
    clock.set(new Date(ms(operation.startedAt) - 2_000));
    const list = await getJson<KubeList<KubeObject>>(PATHS[plural]);
    const watch = openWatch(sandbox, `${PATHS[plural]}?watch=1&resourceVersion=${list.metadata.resourceVersion}&allowWatchBookmarks=true`);
    try {
      clock.set(new Date(ms(operation.result!.finishedAt) + 1_000));
      const event = await watch.event((candidate) => candidate.type === "MODIFIED" && candidate.object.metadata.name === operation.appName);
      if (plural === "kustomizations") expect(event.object.status.lastAttemptedRevision).toMatch(new RegExp(`@sha1:(${operation.revision})$`));
      const cut = truthAsOf(truth, clock.now()).gitops;
      const app = cut.apps.find((candidate) => candidate.name === operation.appName)!;
      // The last event for the object is the object as it now stands.
      const last = watch.events.filter((candidate) => candidate.object.metadata?.name === operation.appName).at(-1)!;
      expect(last.object).toMatchObject(clusterObjectOf(cut, app));
    } finally {
      watch.close();
      await watch.done;
    }
  });

  it("answers a watch from a resourceVersion older than it remembers with one 410 Expired event and ends it", async () => {
    clock.set(new Date(UNTIL.getTime() - 2 * DAY_MS));
    const list = await getJson<KubeList<KubeObject>>(PATHS.deployments);
    // Three hours later, writes of the first two hours are compacted away.
    clock.advance(3 * HOUR_MS);
    expect((await getJson<KubeList<KubeObject>>(PATHS.deployments)).metadata.resourceVersion).not.toBe(list.metadata.resourceVersion);
    for (const rv of ["200001", list.metadata.resourceVersion]) {
      const watch = openWatch(sandbox, `${PATHS.deployments}?watch=true&resourceVersion=${rv}`);
      await watch.done;
      expect(watch.status()).toBe(200);
      expect(watch.ended()).toBe(true);
      expect(watch.events).toHaveLength(1);
      expect(watch.events[0]!.type).toBe("ERROR");
      expect(watch.events[0]!.object).toMatchObject({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", reason: "Expired", code: 410 });
      expect(watch.events[0]!.object.message).toMatch(new RegExp(`^too old resource version: ${rv} \\(\\d+\\)$`));
    }
  });

  it("starts without a resourceVersion with the current objects as ADDED, and honours timeoutSeconds", async () => {
    clock.set(ANCHOR);
    const list = await getJson<KubeList<KubeObject>>(PATHS.gitrepositories);
    const watch = openWatch(sandbox, `${PATHS.gitrepositories}?watch=true&timeoutSeconds=1`);
    await watch.done;
    expect(watch.events.map((event) => event.type)).toEqual(list.items.map(() => "ADDED"));
    expect(watch.events.map((event) => event.object.metadata.name)).toEqual(list.items.map((item) => item.metadata.name));
  });

  it("ends open watches on stop()", async () => {
    const own = await startKubernetesSandbox({ truth, clock, port: 0, token: TOKEN, pollMs: 50 });
    const list = (await (await fetch(`${own.url}${PATHS.deployments}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as KubeList<KubeObject>;
    const watches = [openWatch(own, `${PATHS.deployments}?watch=true&resourceVersion=${list.metadata.resourceVersion}`), openWatch(own, `${PATHS.kustomizations}?watch=true`)];
    await watches[1]!.waitFor(() => (watches[1]!.events.length > 0 ? true : undefined));
    await own.stop();
    await Promise.all(watches.map((watch) => watch.done));
    expect(watches.every((watch) => watch.ended())).toBe(true);
    await own.stop();
  });

  it("leaves nothing open after stop(): a process that watched and stopped exits on its own", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "k8s-sandbox-"));
    const script = path.join(dir, "child.mts");
    const server = path.resolve("lib/sandbox/kubernetes/server/start-kubernetes-sandbox.ts");
    const scenario = path.resolve("lib/sandbox/scenario/generate-scenario.ts");
    await writeFile(
      script,
      [
        `import { startKubernetesSandbox } from ${JSON.stringify(server)};`,
        `import { generateScenario } from ${JSON.stringify(scenario)};`,
        `const anchor = new Date("2026-06-15T12:00:00Z");`,
        `const { truth } = generateScenario({ anchor, historyDays: 14, until: new Date(anchor.getTime() + 86_400_000) });`,
        `const sandbox = await startKubernetesSandbox({ truth, clock: { now: () => anchor }, port: 0, token: "t" });`,
        `const response = await fetch(sandbox.url + "/apis/apps/v1/deployments?watch=true", { headers: { authorization: "Bearer t" } });`,
        `const reader = response.body!.getReader();`,
        `await reader.read();`,
        `const rest = (async () => { while (!(await reader.read()).done); })();`,
        `await sandbox.stop();`,
        `await rest;`,
        `console.log("stopped");`,
      ].join("\n"),
    );
    try {
      const { stdout } = await execFileAsync(path.resolve("node_modules/.bin/tsx"), [script], { cwd: process.cwd(), timeout: 30_000 });
      expect(stdout.trim()).toBe("stopped");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
