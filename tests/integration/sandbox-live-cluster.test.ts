/**
 * The sandbox cluster reacts: a hand edit of a Deployment through the Kubernetes API (PATCH, PUT)
 * shows in lists and watches at once, as live drift in Argo CD for an app's Deployment, and is
 * undone by the owner the way the scenario's controllers do (Argo CD self-heal; a Flux
 * HelmRelease with drift detection says Drifted=True until its next reconcile), while a push-based
 * service's Deployment stays edited. A sync requested through Argo CD's API runs as an operation
 * (Running, then Succeeded), enters the history and moves the Deployment in the Kubernetes API.
 * Both servers share one live overlay, as `startSandbox` wires them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// Installed with the @kubernetes-models packages (their dependency), not a direct devDependency.
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { frozenClock, systemClock } from "@/lib/clock";
import { SANDBOX_ARGOCD_TOKEN } from "@/lib/ingest/integrations";
import { type ArgoCdSandbox, startArgoCdSandbox } from "@/lib/sandbox/argocd/server/start-argocd-sandbox";
import { gatedAppName } from "@/lib/sandbox/argocd/server/sync-windows";
import { type KubernetesSandbox, startKubernetesSandbox } from "@/lib/sandbox/kubernetes/server/start-kubernetes-sandbox";
import { type LiveCluster, SELF_HEAL_DELAY_SECONDS, SELF_HEAL_DURATION_SECONDS, SYNC_DURATION_SECONDS, createLiveCluster } from "@/lib/sandbox/live-cluster/live-edits";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import type { GitopsApp } from "@/lib/sandbox/scenario/gitops/model";
import type { GroundTruth } from "@/lib/sandbox/scenario/ground-truth";
import { IMAGE_REGISTRY } from "@/lib/sandbox/scenario/gitops/controllers";
import { truthAsOf } from "@/lib/sandbox/scenario/truth-as-of";

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const ANCHOR = new Date("2026-06-15T12:00:00Z");
const UNTIL = new Date(ANCHOR.getTime() + 10 * DAY_MS);
const KUBE_TOKEN = "sandbox-kubernetes-token";
const ms = (iso: string) => Date.parse(iso);
const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

const { truth } = generateScenario({ anchor: ANCHOR, until: UNTIL });
/** Each part of the file starts at its own instant, in order, so the clock only moves forward. */
const START = new Date(ANCHOR.getTime() + 2 * DAY_MS + 90 * MINUTE_MS);
const clock = frozenClock(START);
let live: LiveCluster;
let kube: KubernetesSandbox;
let argo: ArgoCdSandbox;

interface ApiDeployment {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion: string; generation: number; managedFields?: { manager: string; operation: string; time: string }[] };
  spec: { replicas: number; template: { spec: { containers: { name: string; image: string; ports?: unknown[] }[] } } };
}
interface KubeList<T> {
  metadata: { resourceVersion: string };
  items: T[];
}
interface WatchEvent {
  type: string;
  object: ApiDeployment & { status?: { conditions?: { type: string; status: string; message?: string; lastTransitionTime?: string }[] } };
}
interface ApiApplication {
  metadata: { name: string; resourceVersion: string };
  operation?: { sync: { revision: string }; info?: { name: string; value: string }[]; initiatedBy: { username?: string } };
  status: {
    sync: { status: string; revision: string };
    health: { status: string };
    reconciledAt?: string;
    resources: { kind: string; name: string; status: string }[];
    history?: { id: number; revision: string; deployedAt: string; initiatedBy: { username?: string } }[];
    summary: { images: string[] };
    operationState?: {
      phase: string;
      startedAt: string;
      finishedAt?: string;
      operation: { sync: { revision: string; autoHealAttemptsCount?: number }; initiatedBy: { automated?: boolean; username?: string }; info?: { name: string; value: string }[] };
      syncResult?: { revision: string };
    };
  };
}

function kubeRequest(path: string, init: { method?: string; contentType?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${KUBE_TOKEN}` };
  if (init.contentType) headers["content-type"] = init.contentType;
  return fetch(`${kube.url}${path}`, { method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body) });
}
function argoRequest(path: string, init: { method?: string; body?: unknown } = {}) {
  return fetch(`${argo.url}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${SANDBOX_ARGOCD_TOKEN}`, ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}
async function json<T>(response: Response | Promise<Response>, status = 200): Promise<T> {
  const answered = await response;
  const body = (await answered.json()) as T;
  expect(answered.status, JSON.stringify(body)).toBe(status);
  return body;
}
const deploymentPath = (namespace: string, name: string) => `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`;
const getApp = (name: string) => json<ApiApplication>(argoRequest(`/api/v1/applications/${name}`));
const imageOf = (deployment: ApiDeployment) => deployment.spec.template.spec.containers[0]!.image;

/** A response that stays open, one JSON object per line. */
function openStream<T>(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const events: T[] = [];
  const done = (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      const response = await fetch(url, { headers, signal: controller.signal });
      const reader = response.body!.getReader();
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buffer += decoder.decode(value, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (line) events.push(JSON.parse(line) as T);
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  const find = async (predicate: (event: T) => boolean, what: string, timeoutMs = 5_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.find(predicate);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${events.length} events`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return { events, find, close: async () => {
    controller.abort();
    await done;
  } };
}
const kubeWatch = (path: string) => openStream<WatchEvent>(`${kube.url}${path}`, { authorization: `Bearer ${KUBE_TOKEN}` });
const argoStream = (name: string) => openStream<{ result: { type: string; application: ApiApplication } }>(`${argo.url}/api/v1/stream/applications?name=${name}`, { authorization: `Bearer ${SANDBOX_ARGOCD_TOKEN}` });

/**
 * Whether nothing of the service happens in the scenario in [from, to]: no operation, commit,
 * health change, drift or push deployment, none running or open at `from`, so what a test sees
 * there is the runtime writes' doing alone.
 */
function quiet(cut: GroundTruth, slug: string, from: Date, to: Date): boolean {
  const within = (iso: string | null | undefined) => iso != null && ms(iso) >= from.getTime() - 1_000 && ms(iso) <= to.getTime();
  const g = truth.gitops;
  const mine = <T extends { serviceSlug: string }>(list: T[]) => list.filter((entry) => entry.serviceSlug === slug);
  if (mine(g.operations).some((operation) => within(operation.startedAt) || within(operation.result?.finishedAt))) return false;
  if (mine(g.configCommits).some((commit) => within(commit.committedAt))) return false;
  if (mine(g.healthTransitions).some((transition) => within(transition.at))) return false;
  if (mine(g.driftEpisodes).some((episode) => within(episode.startedAt) || within(episode.endedAt))) return false;
  if (mine(truth.deployments).some((deployment) => within(deployment.finishedAt) || within(deployment.startedAt))) return false;
  if (mine(cut.gitops.operations).some((operation) => operation.result === null)) return false;
  if (mine(cut.gitops.driftEpisodes).some((episode) => episode.endedAt === null)) return false;
  return true;
}

/** The first app (by name) matching `accept` that exists, is quiet for `minutes` from `at` and has a deployed revision. */
function pickApp(at: Date, minutes: number, accept: (app: GitopsApp) => boolean): GitopsApp {
  const cut = truthAsOf(truth, at);
  const found = [...cut.gitops.apps]
    .sort((a, b) => a.name.localeCompare(b.name))
    .find((app) => accept(app) && quiet(cut, app.serviceSlug, at, new Date(at.getTime() + minutes * MINUTE_MS)) && cut.gitops.operations.some((operation) => operation.serviceSlug === app.serviceSlug && operation.changesRevision && operation.result?.phase === "Succeeded"));
  if (!found) throw new Error(`no quiet app at ${at.toISOString()}`);
  return found;
}

function headOf(at: Date, app: GitopsApp) {
  return truthAsOf(truth, at).gitops.configCommits.filter((commit) => commit.serviceSlug === app.serviceSlug).at(-1)!;
}

beforeAll(async () => {
  live = createLiveCluster({ truth, clock });
  kube = await startKubernetesSandbox({ truth, clock, port: 0, token: KUBE_TOKEN, pollMs: 50, live });
  argo = await startArgoCdSandbox({ truth, clock, port: 0, token: SANDBOX_ARGOCD_TOKEN, pollMs: 50, live });
}, 60_000);

afterAll(async () => {
  await Promise.all([kube?.stop(), argo?.stop()]);
});

describe("a hand edit of a push-based service's Deployment", () => {
  it("is answered with the new object and a new resourceVersion, reaches an open watch as MODIFIED, and stays", async () => {
    clock.set(START);
    const cut = truthAsOf(truth, START);
    const entry = truth.gitops.pushWorkloads.find((candidate) => quiet(cut, candidate.serviceSlug, START, new Date(START.getTime() + 30 * MINUTE_MS)) && cut.deployments.some((deployment) => deployment.serviceSlug === candidate.serviceSlug && deployment.production && deployment.outcome === "success"))!;
    expect(entry).toBeDefined();
    const { namespace, name, container } = entry.workload;
    const list = await json<KubeList<ApiDeployment>>(kubeRequest(`/apis/apps/v1/namespaces/${namespace}/deployments`));
    const before = list.items.find((item) => item.metadata.name === name)!;
    const watch = kubeWatch(`/apis/apps/v1/namespaces/${namespace}/deployments?watch=true&resourceVersion=${list.metadata.resourceVersion}`);
    try {
      const image = `${imageOf(before).split(":")[0]}:hand-edit-1`;
      // kubectl set image sends a strategic merge patch naming the container.
      const patched = await json<ApiDeployment>(
        kubeRequest(`${deploymentPath(namespace, name)}?fieldManager=kubectl-set`, { method: "PATCH", contentType: "application/strategic-merge-patch+json", body: { spec: { template: { spec: { containers: [{ name: container, image }] } } } } }),
      );
      expect(imageOf(patched)).toBe(image);
      // Containers merged by name: the rest of the container is kept.
      expect(patched.spec.template.spec.containers[0]!.ports).toEqual(before.spec.template.spec.containers[0]!.ports);
      expect(Number(patched.metadata.resourceVersion)).toBeGreaterThan(Number(list.metadata.resourceVersion));
      expect(patched.metadata.generation).toBe(before.metadata.generation + 1);
      expect(patched.metadata.managedFields).toContainEqual(expect.objectContaining({ manager: "kubectl-set", operation: "Update", time: isoSeconds(START) }));
      expect(() => new Deployment(patched as never).validate()).not.toThrow();

      const event = await watch.find((candidate) => candidate.type === "MODIFIED" && candidate.object.metadata.name === name, "MODIFIED for the edit");
      expect(imageOf(event.object)).toBe(image);
      expect(event.object.metadata.resourceVersion).toBe(patched.metadata.resourceVersion);

      const relisted = await json<KubeList<ApiDeployment>>(kubeRequest("/apis/apps/v1/deployments"));
      expect(Number(relisted.metadata.resourceVersion)).toBe(Number(patched.metadata.resourceVersion));
      expect(relisted.items.find((item) => item.metadata.name === name)).toMatchObject({ metadata: { resourceVersion: patched.metadata.resourceVersion }, spec: { replicas: before.spec.replicas } });
      // List items come without kind and apiVersion, as the API server sends built-in kinds.
      for (const item of relisted.items) expect(() => new Deployment({ ...item, apiVersion: "apps/v1", kind: "Deployment" } as never).validate(), item.metadata.name).not.toThrow();

      // No CI pipeline undoes a hand edit: it stays until the service's next deployment.
      clock.set(new Date(START.getTime() + 20 * MINUTE_MS));
      expect(imageOf(await json<ApiDeployment>(kubeRequest(deploymentPath(namespace, name))))).toBe(image);
    } finally {
      await watch.close();
    }
  });
});

describe("writes the API server refuses", () => {
  it("answers 415, 404, 400, 422, 409 and 405 with Status objects, and changes nothing", async () => {
    const at = new Date(START.getTime() + 25 * MINUTE_MS);
    clock.set(at);
    // A Kustomization's Deployment: Flux puts the accepted write back within a minute, so the
    // Argo CD apps the next tests edit start clean.
    const app = pickApp(at, 5, (candidate) => candidate.controller === "flux-kustomization");
    const path = deploymentPath(app.workload.namespace, app.workload.name);
    const current = await json<ApiDeployment>(kubeRequest(path));
    const imagePatch = { spec: { template: { spec: { containers: [{ name: app.workload.container, image: "example/refused:1" }] } } } };

    const jsonPatch = await json<{ reason: string; code: number }>(kubeRequest(path, { method: "PATCH", contentType: "application/json-patch+json", body: [{ op: "replace", path: "/spec/replicas", value: 5 }] }), 415);
    expect(jsonPatch).toMatchObject({ kind: "Status", reason: "UnsupportedMediaType", code: 415 });
    expect(await json(kubeRequest(path, { method: "PATCH", contentType: "text/plain", body: "x" }), 415)).toMatchObject({ code: 415 });

    expect(await json(kubeRequest(deploymentPath(app.workload.namespace, "no-such-deployment"), { method: "PATCH", contentType: "application/merge-patch+json", body: imagePatch }), 404)).toMatchObject({
      kind: "Status",
      reason: "NotFound",
      message: 'deployments.apps "no-such-deployment" not found',
    });
    expect(await json(kubeRequest(path, { method: "PATCH", contentType: "application/merge-patch+json", body: "{not json" }), 400)).toMatchObject({ reason: "BadRequest", code: 400 });
    expect(await json(kubeRequest(path, { method: "PATCH", contentType: "application/merge-patch+json", body: { spec: { replicas: -1 } } }), 422)).toMatchObject({
      reason: "Invalid",
      code: 422,
      details: { causes: [expect.objectContaining({ field: "spec.replicas" })] },
    });
    expect(await json(kubeRequest(path, { method: "PATCH", contentType: "application/strategic-merge-patch+json", body: { spec: { template: { spec: { containers: [{ name: app.workload.container, image: "" }] } } } } }), 422)).toMatchObject({ reason: "Invalid" });

    // PUT with a stale resourceVersion is a conflict; with the current one it is accepted.
    const stale = { ...current, metadata: { ...current.metadata, resourceVersion: String(Number(current.metadata.resourceVersion) - 1) } };
    expect(await json(kubeRequest(path, { method: "PUT", contentType: "application/json", body: stale }), 409)).toMatchObject({ kind: "Status", reason: "Conflict", code: 409 });
    expect(await json(kubeRequest(path, { method: "PUT", contentType: "application/json", body: { ...current, metadata: { ...current.metadata, name: "other" } } }), 400)).toMatchObject({ reason: "BadRequest" });
    expect(await json(kubeRequest(path, { method: "DELETE" }), 405)).toMatchObject({ reason: "MethodNotAllowed" });
    expect(await json(kubeRequest(`/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/${app.name}`, { method: "PATCH", contentType: "application/merge-patch+json", body: {} }), 405)).toMatchObject({ code: 405 });
    const unchanged = await json<ApiDeployment>(kubeRequest(path));
    expect(unchanged.metadata.resourceVersion).toBe(current.metadata.resourceVersion);

    // A patch that changes nothing writes nothing.
    const same = await json<ApiDeployment>(kubeRequest(path, { method: "PATCH", contentType: "application/merge-patch+json", body: { spec: { replicas: current.spec.replicas } } }));
    expect(same.metadata.resourceVersion).toBe(current.metadata.resourceVersion);

    // PUT of the whole object at its current resourceVersion is an update; the old version is then stale.
    const replaced = structuredClone(current);
    replaced.spec.replicas = 4;
    const updated = await json<ApiDeployment>(kubeRequest(path, { method: "PUT", contentType: "application/json", body: replaced }));
    expect(updated.spec.replicas).toBe(4);
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(current.metadata.resourceVersion));
    expect(() => new Deployment(updated as never).validate()).not.toThrow();
    expect(await json(kubeRequest(path, { method: "PUT", contentType: "application/json", body: replaced }), 409)).toMatchObject({ reason: "Conflict" });
  });
});

describe("a hand edit of an Argo CD self-heal app's Deployment", () => {
  it("shows as live drift (OutOfSync at the synced revision, the Deployment listed and diffed), then self-heal restores it outside the history", async () => {
    const at = new Date(START.getTime() + 40 * MINUTE_MS);
    clock.set(at);
    const app = pickApp(at, 10, (candidate) => candidate.controller === "argocd-application" && candidate.autoSync && candidate.selfHeal);
    const { namespace, name, container } = app.workload;
    const before = await getApp(app.name);
    expect(before.status.sync.status).toBe("Synced");
    const desired = await json<ApiDeployment>(kubeRequest(deploymentPath(namespace, name)));
    const desiredImage = imageOf(desired);
    const list = await json<KubeList<ApiDeployment>>(kubeRequest(`/apis/apps/v1/namespaces/${namespace}/deployments`));
    const stream = argoStream(app.name);
    const watch = kubeWatch(`/apis/apps/v1/namespaces/${namespace}/deployments?watch=true&resourceVersion=${list.metadata.resourceVersion}`);
    try {
      await stream.find((event) => event.result.type === "ADDED", "ADDED");
      const image = `${desiredImage.split(":")[0]}:hand-edit-2`;
      // A JSON merge patch replaces the containers list: it has to name the container in full.
      const patched = await json<ApiDeployment>(kubeRequest(deploymentPath(namespace, name), { method: "PATCH", contentType: "application/merge-patch+json", body: { spec: { template: { spec: { containers: [{ name: container, image }] } } } } }));
      expect(imageOf(patched)).toBe(image);
      expect(() => new Deployment(patched as never).validate()).not.toThrow();

      const drifted = await getApp(app.name);
      expect(drifted.status.sync).toMatchObject({ status: "OutOfSync", revision: before.status.sync.revision });
      expect(drifted.status.resources).toContainEqual(expect.objectContaining({ kind: "Deployment", name, status: "OutOfSync" }));
      expect(drifted.status.reconciledAt).toBe(isoSeconds(at));
      expect(drifted.status.history).toEqual(before.status.history);
      const diff = await json<{ items: { kind: string; name: string; liveState: string; targetState: string; modified: boolean }[] }>(argoRequest(`/api/v1/applications/${app.name}/managed-resources`));
      const resource = diff.items.find((item) => item.kind === "Deployment")!;
      expect(resource.modified).toBe(true);
      expect((JSON.parse(resource.liveState) as ApiDeployment).spec.template.spec.containers[0]!.image).toBe(image);
      expect((JSON.parse(resource.targetState) as ApiDeployment).spec.template.spec.containers[0]!.image).toBe(desiredImage);
      await stream.find((event) => event.result.type === "MODIFIED" && event.result.application.status.sync.status === "OutOfSync", "MODIFIED OutOfSync");

      // Self-heal starts a few seconds later: an automated operation, counted as a heal attempt.
      clock.set(new Date(at.getTime() + SELF_HEAL_DELAY_SECONDS * 1_000));
      const healing = await getApp(app.name);
      expect(() => new Application({ ...healing, apiVersion: "argoproj.io/v1alpha1", kind: "Application" } as never).validate()).not.toThrow();
      expect(healing.status.operationState).toMatchObject({ phase: "Running", operation: { sync: { revision: before.status.sync.revision, autoHealAttemptsCount: 1 }, initiatedBy: { automated: true } } });
      await stream.find((event) => event.result.application.status.operationState?.phase === "Running", "MODIFIED Running");

      clock.set(new Date(at.getTime() + (SELF_HEAL_DELAY_SECONDS + SELF_HEAL_DURATION_SECONDS) * 1_000));
      const healed = await getApp(app.name);
      expect(healed.status.operationState).toMatchObject({ phase: "Succeeded", syncResult: { revision: before.status.sync.revision } });
      expect(healed.status.sync.status).toBe("Synced");
      expect(healed.status.resources.find((item) => item.kind === "Deployment")?.status).toBe("Synced");
      // Argo CD leaves self-heal out of status.history.
      expect(healed.status.history).toEqual(before.status.history);
      const restored = await json<ApiDeployment>(kubeRequest(deploymentPath(namespace, name)));
      expect(imageOf(restored)).toBe(desiredImage);
      expect(restored.metadata.managedFields).toContainEqual(expect.objectContaining({ manager: "argocd-controller" }));
      const event = await watch.find((candidate) => candidate.type === "MODIFIED" && imageOf(candidate.object) === desiredImage, "MODIFIED restoring the image");
      expect(Number(event.object.metadata.resourceVersion)).toBeGreaterThan(Number(patched.metadata.resourceVersion));
    } finally {
      await Promise.all([stream.close(), watch.close()]);
    }
  });
});

describe("a Flux HelmRelease with drift detection", () => {
  it("says Drifted=True while a hand edit lasts and corrects it at its next reconcile", async () => {
    const at = new Date(START.getTime() + 55 * MINUTE_MS + 10_000);
    clock.set(at);
    const app = pickApp(at, 5, (candidate) => candidate.controller === "flux-helmrelease" && candidate.driftDetection === "enabled");
    const path = deploymentPath(app.workload.namespace, app.workload.name);
    const desired = imageOf(await json<ApiDeployment>(kubeRequest(path)));
    await json(kubeRequest(path, { method: "PATCH", contentType: "application/merge-patch+json", body: { spec: { replicas: 7 } } }));
    const release = await json<WatchEvent["object"]>(kubeRequest(`/apis/helm.toolkit.fluxcd.io/v2/namespaces/${app.namespace}/helmreleases/${app.name}`));
    expect(release.status?.conditions).toContainEqual(expect.objectContaining({ type: "Drifted", status: "True", lastTransitionTime: isoSeconds(at) }));
    expect((await json<ApiDeployment>(kubeRequest(path))).spec.replicas).toBe(7);

    clock.set(new Date(at.getTime() + 60_000));
    const corrected = await json<WatchEvent["object"]>(kubeRequest(`/apis/helm.toolkit.fluxcd.io/v2/namespaces/${app.namespace}/helmreleases/${app.name}`));
    expect(corrected.status?.conditions?.some((condition) => condition.type === "Drifted")).toBe(false);
    const deployment = await json<ApiDeployment>(kubeRequest(path));
    expect(deployment.spec.replicas).toBe(3);
    expect(imageOf(deployment)).toBe(desired);
  });
});

describe("a sync requested through Argo CD", () => {
  it("runs, is refused a second time meanwhile, succeeds at the desired revision, enters the history and moves the Deployment", async () => {
    const at = new Date(START.getTime() + 70 * MINUTE_MS);
    clock.set(at);
    const gated = gatedAppName(truth.gitops.apps.filter((app) => app.controller === "argocd-application"));
    const app = pickApp(at, 10, (candidate) => candidate.controller === "argocd-application" && !candidate.autoSync && candidate.name !== gated);
    const { namespace, name } = app.workload;
    const head = headOf(at, app);
    // Scaled by hand first, so the sync has drift to repair.
    await json(kubeRequest(deploymentPath(namespace, name), { method: "PATCH", contentType: "application/merge-patch+json", body: { spec: { replicas: 1 } } }));
    const before = await getApp(app.name);
    expect(before.status.sync.status).toBe("OutOfSync");
    const callsBefore = argo.syncCalls().length;
    const stream = argoStream(app.name);
    await stream.find((event) => event.result.type === "ADDED", "ADDED");

    const infos = [{ name: "requestId", value: "req-live-1" }, { name: "approvedBy", value: "bob" }];
    const answered = await json<ApiApplication>(argoRequest(`/api/v1/applications/${app.name}/sync`, { method: "POST", body: { prune: true, infos } }));
    expect(answered.operation).toMatchObject({ info: infos, initiatedBy: { username: "admin" } });

    const running = await getApp(app.name);
    // The API leaves kind and apiVersion out of Applications; the model wants them.
    expect(() => new Application({ ...running, apiVersion: "argoproj.io/v1alpha1", kind: "Application" } as never).validate()).not.toThrow();
    expect(running.status.operationState).toMatchObject({ phase: "Running", startedAt: isoSeconds(at), operation: { info: infos, initiatedBy: { username: "admin" } } });
    expect(running.operation).toMatchObject({ info: infos });
    expect(running.status.health.status).toBe("Progressing");

    const second = await json<{ error: string; code: number; message: string }>(argoRequest(`/api/v1/applications/${app.name}/sync`, { method: "POST", body: { infos } }), 400);
    expect(second).toEqual({ error: "another operation is already in progress", code: 9, message: "another operation is already in progress" });
    expect(argo.syncCalls().length).toBe(callsBefore + 1);
    expect(argo.syncCalls().at(-1)).toMatchObject({ name: app.name, body: { prune: true, infos } });

    await stream.find((event) => event.result.type === "MODIFIED" && event.result.application.status.operationState?.phase === "Running" && event.result.application.operation?.info !== undefined, "MODIFIED Running");

    clock.set(new Date(at.getTime() + SYNC_DURATION_SECONDS * 1_000));
    const done = await getApp(app.name);
    expect(done.status.operationState).toMatchObject({ phase: "Succeeded", finishedAt: isoSeconds(clock.now()), syncResult: { revision: head.sha } });
    expect(done.operation).toBeUndefined();
    expect(() => new Application({ ...done, apiVersion: "argoproj.io/v1alpha1", kind: "Application" } as never).validate()).not.toThrow();
    expect(done.status.sync).toEqual(expect.objectContaining({ status: "Synced", revision: head.sha }));
    expect(done.status.health.status).toBe("Healthy");
    expect(done.status.summary.images).toEqual([head.image]);
    const history = before.status.history ?? [];
    expect(done.status.history).toHaveLength(Math.min(history.length + 1, 10));
    expect(done.status.history!.at(-1)).toMatchObject({ revision: head.sha, deployedAt: isoSeconds(clock.now()), initiatedBy: { username: "admin" } });
    expect(done.status.history!.slice(0, -1).map((entry) => entry.revision)).toEqual(history.slice(history.length >= 10 ? 1 : 0).map((entry) => entry.revision));

    // The stream reported the end too.
    await stream.find((event) => event.result.type === "MODIFIED" && event.result.application.status.operationState?.phase === "Succeeded" && event.result.application.status.sync.status === "Synced", "MODIFIED Succeeded");
    await stream.close();

    const deployment = await json<ApiDeployment>(kubeRequest(deploymentPath(namespace, name)));
    expect(imageOf(deployment)).toBe(head.image);
    expect(deployment.spec.replicas).toBe(3);
    expect(() => new Deployment(deployment as never).validate()).not.toThrow();

    // Once done, another sync is accepted again; a revision the repository does not have is refused.
    expect(await json(argoRequest(`/api/v1/applications/${app.name}/sync`, { method: "POST", body: { revision: "0000000deadbeef" } }), 400)).toMatchObject({ code: 3 });
    expect(argo.syncCalls().length).toBe(callsBefore + 1);
  });
});

describe("a Flux Kustomization", () => {
  it("puts a hand-edited image back at its next interval, and the watch sees both writes", async () => {
    const at = new Date(START.getTime() + 85 * MINUTE_MS + 30_000);
    clock.set(at);
    const app = pickApp(at, 5, (candidate) => candidate.controller === "flux-kustomization");
    const { namespace, name, container } = app.workload;
    const path = deploymentPath(namespace, name);
    const list = await json<KubeList<ApiDeployment>>(kubeRequest(`/apis/apps/v1/namespaces/${namespace}/deployments`));
    const desired = imageOf(list.items.find((item) => item.metadata.name === name)!);
    const watch = kubeWatch(`/apis/apps/v1/namespaces/${namespace}/deployments?watch=true&resourceVersion=${list.metadata.resourceVersion}`);
    try {
      const image = `${desired.split(":")[0]}:hand-edit-3`;
      await json(kubeRequest(path, { method: "PATCH", contentType: "application/strategic-merge-patch+json", body: { spec: { template: { spec: { containers: [{ name: container, image }] } } } } }));
      await watch.find((event) => event.type === "MODIFIED" && imageOf(event.object) === image, "MODIFIED with the edit");
      clock.set(new Date(at.getTime() + 29_000));
      expect(imageOf(await json<ApiDeployment>(kubeRequest(path)))).toBe(image);
      clock.set(new Date(at.getTime() + 30_000));
      const corrected = await json<ApiDeployment>(kubeRequest(path));
      expect(imageOf(corrected)).toBe(desired);
      expect(corrected.metadata.managedFields).toContainEqual(expect.objectContaining({ manager: "kustomize-controller", time: isoSeconds(clock.now()) }));
      await watch.find((event) => event.type === "MODIFIED" && imageOf(event.object) === desired, "MODIFIED with the correction");
    } finally {
      await watch.close();
    }
  });
});

describe("a push-based service's next deployment", () => {
  it("replaces a hand edit with what CI deployed", async () => {
    const at = new Date(START.getTime() + 100 * MINUTE_MS);
    clock.set(at);
    const cut = truthAsOf(truth, at);
    const entry = truth.gitops.pushWorkloads.find(
      (candidate) =>
        quiet(cut, candidate.serviceSlug, at, new Date(at.getTime() + MINUTE_MS)) &&
        truth.deployments.some((deployment) => deployment.serviceSlug === candidate.serviceSlug && deployment.production && deployment.outcome === "success" && ms(deployment.finishedAt) > at.getTime() && ms(deployment.finishedAt) < UNTIL.getTime()),
    )!;
    const path = deploymentPath(entry.workload.namespace, entry.workload.name);
    await json(kubeRequest(path, { method: "PATCH", contentType: "application/strategic-merge-patch+json", body: { spec: { template: { spec: { containers: [{ name: entry.workload.container, image: "example/hand-edit:4" }] } } } } }));
    expect(imageOf(await json<ApiDeployment>(kubeRequest(path)))).toBe("example/hand-edit:4");
    const next = truth.deployments.find((deployment) => deployment.serviceSlug === entry.serviceSlug && deployment.production && deployment.outcome === "success" && ms(deployment.finishedAt) > at.getTime())!;
    clock.set(new Date(ms(next.finishedAt) + 1_000));
    const deployed = await json<ApiDeployment>(kubeRequest(path));
    expect(imageOf(deployed)).toBe(`${IMAGE_REGISTRY}/${entry.serviceSlug}:${next.sha}`);
    // The hand edit's manager is gone; what wrote it last is the pipeline's deployment.
    expect((deployed.metadata.managedFields ?? []).map((entry) => entry.manager)).toEqual(["pipeline"]);
  });
});

describe("under a real clock", () => {
  it("shows an edit at once, even past the end of the generated truth", async () => {
    const own = createLiveCluster({ truth, clock: systemClock });
    const server = await startKubernetesSandbox({ truth, clock: systemClock, port: 0, token: KUBE_TOKEN, pollMs: 50, live: own });
    try {
      const entry = truth.gitops.pushWorkloads[0]!;
      const path = `${server.url}${deploymentPath(entry.workload.namespace, entry.workload.name)}`;
      const headers = { authorization: `Bearer ${KUBE_TOKEN}` };
      const before = await json<ApiDeployment>(fetch(path, { headers }));
      const patched = await json<ApiDeployment>(fetch(path, { method: "PATCH", headers: { ...headers, "content-type": "application/merge-patch+json", "user-agent": "curl/8.5.0" }, body: JSON.stringify({ spec: { replicas: 5 } }) }));
      expect(patched.spec.replicas).toBe(5);
      expect(patched.metadata.managedFields?.[0]?.manager).toBe("curl");
      expect(Number(patched.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
      expect((await json<ApiDeployment>(fetch(path, { headers }))).spec.replicas).toBe(5);
    } finally {
      await server.stop();
    }
  });
});
