/**
 * The sandbox's Argo CD over HTTP: Argo CD's paths, shapes and errors, Applications that validate
 * against the published Argo CD model, and state that matches the scenario's truth at the clock's
 * now, including a watch stream that reports an operation as the clock moves across it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { frozenClock } from "@/lib/clock";
import { SANDBOX_ARGOCD_TOKEN } from "@/lib/ingest/integrations";
import { type ArgoCdSandbox, startArgoCdSandbox } from "@/lib/sandbox/argocd/server/start-argocd-sandbox";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import type { GitopsApp, GitopsTruth } from "@/lib/sandbox/scenario/gitops/model";
import { truthAsOf } from "@/lib/sandbox/scenario/truth-as-of";
import { startSandbox } from "@/lib/sandbox/start-sandbox";

const DAY_MS = 86_400_000;
const ANCHOR = new Date("2026-06-15T12:00:00Z");
const UNTIL = new Date(ANCHOR.getTime() + 10 * DAY_MS);
const READ_ONLY_TOKEN = "read-only-token";
const ms = (iso: string) => Date.parse(iso);

const { truth } = generateScenario({ anchor: ANCHOR, until: UNTIL });
const argoApps = truth.gitops.apps.filter((app) => app.controller === "argocd-application");
const clock = frozenClock(ANCHOR);
let sandbox: ArgoCdSandbox;

interface ApiApplication {
  metadata: { name: string; namespace: string; resourceVersion: string; uid: string };
  spec: { source: { targetRevision: string } };
  status: {
    sync: { status: string; revision: string };
    health: { status: string };
    history?: { id: number; revision: string }[];
    operationState?: { phase: string; startedAt: string; finishedAt?: string; operation: { sync: { revision: string } } };
  };
  operation?: { sync: { revision: string; prune: boolean }; info?: { name: string; value: string }[]; initiatedBy: { username: string } };
}
interface ResourceDiff {
  kind: string;
  name: string;
  liveState: string;
  targetState: string;
  modified: boolean;
}

function request(path: string, init: { token?: string | null; method?: string; body?: unknown } = {}) {
  const token = init.token === undefined ? SANDBOX_ARGOCD_TOKEN : init.token;
  return fetch(`${sandbox.url}${path}`, {
    method: init.method ?? "GET",
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

async function getJson<T>(path: string): Promise<T> {
  const response = await request(path);
  expect(response.status, path).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return (await response.json()) as T;
}

/** What Argo CD shows of an app at the cut, read straight from the generator's records. */
function expectedOf(cut: GitopsTruth, app: GitopsApp) {
  const operations = cut.operations.filter((operation) => operation.serviceSlug === app.serviceSlug);
  const head = cut.configCommits.filter((commit) => commit.serviceSlug === app.serviceSlug).at(-1);
  const last = operations.at(-1);
  const applied = [...operations].reverse().find((operation) => operation.result?.phase === "Succeeded" && operation.changesRevision);
  const openDrift = cut.driftEpisodes.some((episode) => episode.serviceSlug === app.serviceSlug && episode.endedAt === null);
  // Argo CD's history lists full successful syncs only, ten at most: no self-heal, failed or partial one.
  const history = operations
    .filter((operation) => operation.result?.phase === "Succeeded" && operation.partialResources === null && operation.trigger !== "self-heal")
    .slice(-10)
    .map((operation) => operation.revision);
  return { head, last, history, openDrift, inSync: applied !== undefined && applied.revision === head?.sha && !openDrift && last?.result !== null };
}

/** An instant with an Argo CD app in open drift and another fully in sync. */
function driftInstant(): { at: Date; drifting: GitopsApp; clean: GitopsApp } {
  const argoSlugs = new Set(argoApps.map((app) => app.serviceSlug));
  const episodes = truth.gitops.driftEpisodes.filter((episode) => argoSlugs.has(episode.serviceSlug) && ms(episode.startedAt) > ANCHOR.getTime() && ms(episode.startedAt) < UNTIL.getTime() - DAY_MS);
  for (const episode of episodes) {
    const at = new Date(ms(episode.startedAt) + 1_000);
    const cut = truthAsOf(truth, at).gitops;
    const drifting = argoApps.find((app) => app.serviceSlug === episode.serviceSlug)!;
    if (!expectedOf(cut, drifting).openDrift) continue;
    const clean = argoApps.find((app) => app !== drifting && expectedOf(cut, app).inSync);
    if (clean) return { at, drifting, clean };
  }
  throw new Error("the scenario has no instant with one Argo CD app drifting and another in sync");
}

beforeAll(async () => {
  sandbox = await startArgoCdSandbox({ truth, clock, port: 0, token: SANDBOX_ARGOCD_TOKEN, readOnlyToken: READ_ONLY_TOKEN });
});

afterAll(async () => {
  await sandbox?.stop();
});

describe("authentication", () => {
  it("answers 401 with Argo CD's error body without a token or with a wrong one", async () => {
    for (const token of [null, "wrong-token"]) {
      const response = await request("/api/v1/applications", { token });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: "no session information", code: 16, message: "no session information" });
    }
  });

  it("lets a read-only token read but not sync", async () => {
    expect((await request("/api/v1/applications", { token: READ_ONLY_TOKEN })).status).toBe(200);
    const name = argoApps[0]!.name;
    const response = await request(`/api/v1/applications/${name}/sync`, { token: READ_ONLY_TOKEN, method: "POST", body: { revision: "main" } });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: string; code: number; message: string };
    expect(body.code).toBe(7);
    expect(body.message).toMatch(new RegExp(`^permission denied: applications, sync, default/${name}`));
    expect(body.error).toBe(body.message);
    expect(sandbox.syncCalls()).toEqual([]);
  });
});

describe("applications", () => {
  it("lists and gets every Argo CD app of the truth as it stood, valid against the Argo CD model", async () => {
    const drift = driftInstant();
    let sawFullHistory = false;
    for (const at of [ANCHOR, drift.at, new Date(UNTIL.getTime() - 3_600_000)]) {
      clock.set(at);
      const cut = truthAsOf(truth, at).gitops;
      const expectedApps = cut.apps.filter((app) => app.controller === "argocd-application");
      const list = await getJson<{ metadata: { resourceVersion: string }; items: ApiApplication[] }>("/api/v1/applications");
      expect(list.metadata.resourceVersion).toMatch(/^\d+$/);
      expect(list.items.map((item) => item.metadata.name).sort()).toEqual(expectedApps.map((app) => app.name).sort());
      for (const app of expectedApps) {
        const listed = list.items.find((item) => item.metadata.name === app.name)!;
        const got = await getJson<ApiApplication>(`/api/v1/applications/${encodeURIComponent(app.name)}`);
        expect(got).toEqual(listed);
        expect(() => new Application(got as never).validate(), app.name).not.toThrow();

        const expected = expectedOf(cut, app);
        expect(got.status.sync.revision).toBe(expected.head!.sha);
        expect(got.status.sync.status).toBe(expected.inSync ? "Synced" : "OutOfSync");
        const history = got.status.history ?? [];
        expect(history.length).toBeLessThanOrEqual(10);
        expect(history.map((entry) => entry.revision)).toEqual(expected.history);
        sawFullHistory ||= history.length === 10;
        if (!expected.last) {
          expect(got.status.operationState).toBeUndefined();
          continue;
        }
        expect(got.status.operationState?.startedAt).toBe(expected.last.startedAt);
        expect(got.status.operationState?.phase).toBe(expected.last.result?.phase ?? "Running");
        expect(got.status.operationState?.finishedAt).toBe(expected.last.result?.finishedAt);
        expect(got.status.operationState?.operation.sync.revision).toBe(expected.last.revision);
      }
    }
    // Argo CD forgets all but ten syncs; the scenario has months of them.
    expect(sawFullHistory).toBe(true);
  });

  it("filters the list by name and label selector", async () => {
    clock.set(ANCHOR);
    const app = argoApps[1]!;
    const byName = await getJson<{ items: ApiApplication[] }>(`/api/v1/applications?name=${app.name}`);
    expect(byName.items.map((item) => item.metadata.name)).toEqual([app.name]);
    const bySelector = await getJson<{ items: ApiApplication[] }>(`/api/v1/applications?selector=${encodeURIComponent(`app.kubernetes.io/name=${app.serviceSlug}`)}`);
    expect(bySelector.items.map((item) => item.metadata.name)).toEqual([app.name]);
  });

  it("answers 404 with Argo CD's error body for an unknown app, an unknown path; 405 for a wrong method", async () => {
    for (const path of ["/api/v1/applications/no-such-app", "/api/v1/applications/no-such-app/resource-tree", "/api/v1/applications/no-such-app/managed-resources"]) {
      const response = await request(path);
      expect(response.status, path).toBe(404);
      expect(await response.json()).toEqual({ error: 'applications.argoproj.io "no-such-app" not found', code: 5, message: 'applications.argoproj.io "no-such-app" not found' });
    }
    const flux = truth.gitops.apps.find((app) => app.controller !== "argocd-application")!;
    expect((await request(`/api/v1/applications/${flux.name}`)).status).toBe(404);
    const unknown = await request("/api/v1/clusters-of-nothing");
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: number }).code).toBe(5);
    const wrongMethod = await request(`/api/v1/applications/${argoApps[0]!.name}/sync`);
    expect(wrongMethod.status).toBe(405);
  });
});

describe("resources", () => {
  it("shows the live-versus-desired difference for an app in open drift and none for an app in sync", async () => {
    const { at, drifting, clean } = driftInstant();
    clock.set(at);
    const episode = truthAsOf(truth, at).gitops.driftEpisodes.find((candidate) => candidate.serviceSlug === drifting.serviceSlug && candidate.endedAt === null)!;
    const diffs = (await getJson<{ items: ResourceDiff[] }>(`/api/v1/applications/${drifting.name}/managed-resources`)).items;
    for (const resource of episode.resources) {
      const diff = diffs.find((item) => item.kind === resource.kind && item.name === resource.name)!;
      expect(diff.modified, resource.field).toBe(true);
      expect(diff.liveState).not.toBe(diff.targetState);
      const live = JSON.parse(diff.liveState) as { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } };
      if (resource.field === "spec.replicas") expect(String(live.spec.replicas)).toBe(resource.liveValue);
      else expect(live.spec.template.spec.containers[0]!.image).toBe(resource.liveValue);
    }

    const cleanDiffs = (await getJson<{ items: ResourceDiff[] }>(`/api/v1/applications/${clean.name}/managed-resources`)).items;
    expect(cleanDiffs.length).toBeGreaterThan(0);
    for (const diff of cleanDiffs) {
      expect(diff.modified, diff.kind).toBe(false);
      expect(diff.liveState).toBe(diff.targetState);
    }
  });

  it("serves the resource tree: Deployment owning a ReplicaSet owning Pods, and a Service", async () => {
    clock.set(ANCHOR);
    const app = argoApps[0]!;
    const tree = await getJson<{ nodes: { kind: string; name: string; uid: string; parentRefs?: { uid: string }[]; health?: { status: string }; images?: string[] }[] }>(
      `/api/v1/applications/${app.name}/resource-tree`,
    );
    const deployment = tree.nodes.find((node) => node.kind === "Deployment")!;
    const replicaSet = tree.nodes.find((node) => node.kind === "ReplicaSet")!;
    const pods = tree.nodes.filter((node) => node.kind === "Pod");
    expect(deployment.name).toBe(app.workload.name);
    expect(deployment.health?.status).toMatch(/^(Healthy|Progressing|Degraded)$/);
    expect(replicaSet.parentRefs?.map((ref) => ref.uid)).toEqual([deployment.uid]);
    expect(pods.length).toBeGreaterThan(0);
    for (const pod of pods) {
      expect(pod.parentRefs?.map((ref) => ref.uid)).toEqual([replicaSet.uid]);
      expect(pod.images?.[0]).toMatch(new RegExp(`^${app.image}:`));
    }
    expect(tree.nodes.some((node) => node.kind === "Service")).toBe(true);
  });

  it("holds one manual app behind a weekend deny window, and canSync follows the clock", async () => {
    const gated = argoApps.filter((app) => !app.autoSync).map((app) => app.name).sort()[0]!;
    const saturday = new Date("2026-06-20T12:00:00Z");
    const wednesday = new Date("2026-06-17T12:00:00Z");
    clock.set(saturday);
    const closed = await getJson<{ assignedWindows: unknown[]; activeWindows: unknown[]; canSync: boolean }>(`/api/v1/applications/${gated}/syncwindows`);
    expect(closed).toEqual({ assignedWindows: [expect.objectContaining({ kind: "deny" })], activeWindows: [expect.objectContaining({ kind: "deny" })], canSync: false });
    const gatedSlug = argoApps.find((app) => app.name === gated)!.serviceSlug;
    expect(expectedOf(truthAsOf(truth, saturday).gitops, argoApps.find((app) => app.name === gated)!).last?.result, `no operation of ${gatedSlug} running then`).not.toBeNull();
    const refused = await request(`/api/v1/applications/${gated}/sync`, { method: "POST", body: { revision: "main" } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: "cannot sync: blocked by sync window", code: 7, message: "cannot sync: blocked by sync window" });
    clock.set(wednesday);
    expect(await getJson(`/api/v1/applications/${gated}/syncwindows`)).toMatchObject({ activeWindows: [], canSync: true });
    const other = argoApps.find((app) => app.name !== gated)!;
    expect(await getJson(`/api/v1/applications/${other.name}/syncwindows`)).toEqual({ assignedWindows: [], activeWindows: [], canSync: true });
    expect(sandbox.syncCalls()).toEqual([]);
  });
});

describe("sync", () => {
  it("records a sync with its body and answers the Application with the requested operation", async () => {
    clock.set(ANCHOR);
    const cut = truthAsOf(truth, ANCHOR).gitops;
    const app = argoApps.find((candidate) => expectedOf(cut, candidate).last?.result !== null)!;
    const revision = expectedOf(cut, app).head!.sha;
    const body = { revision, prune: true, infos: [{ name: "requestId", value: "req-1" }, { name: "approvedBy", value: "alice" }] };
    const response = await request(`/api/v1/applications/${app.name}/sync`, { method: "POST", body });
    expect(response.status).toBe(200);
    const answered = (await response.json()) as ApiApplication;
    expect(answered.metadata.name).toBe(app.name);
    expect(answered.operation).toEqual({ sync: { revision, prune: true }, initiatedBy: { username: "admin" }, info: body.infos, retry: {} });
    expect(sandbox.syncCalls()).toEqual([{ name: app.name, body, at: ANCHOR.toISOString() }]);
  });
});

describe("the application stream", () => {
  it("sends ADDED for every app, then MODIFIED with the new operationState when the clock moves across an operation, and ends on stop", async () => {
    clock.set(ANCHOR);
    const controller = new AbortController();
    const response = await fetch(`${sandbox.url}/api/v1/stream/applications`, { headers: { authorization: `Bearer ${SANDBOX_ARGOCD_TOKEN}` }, signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const events: { type: string; application: ApiApplication }[] = [];
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffered = "";
    const reading = (async () => {
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return;
        buffered += decoder.decode(value, { stream: true });
        let newline: number;
        while ((newline = buffered.indexOf("\n")) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          if (line.trim()) events.push((JSON.parse(line) as { result: { type: string; application: ApiApplication } }).result);
        }
      }
    })();
    const waitFor = async (predicate: () => boolean, what: string) => {
      const deadline = Date.now() + 5_000;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    const present = truthAsOf(truth, ANCHOR).gitops.apps.filter((app) => app.controller === "argocd-application").map((app) => app.name).sort();
    await waitFor(() => events.length >= present.length, "ADDED for every app");
    expect(events.slice(0, present.length).every((event) => event.type === "ADDED")).toBe(true);
    expect(events.map((event) => event.application.metadata.name).sort()).toEqual(present);

    const argoSlugs = new Set(argoApps.map((app) => app.serviceSlug));
    const operation = truth.gitops.operations.find((candidate) => argoSlugs.has(candidate.serviceSlug) && ms(candidate.startedAt) > ANCHOR.getTime() + 60_000 && candidate.result !== null)!;
    clock.set(new Date(ms(operation.result!.finishedAt) + 1_000));
    const modifiedFor = () => events.find((event) => event.type === "MODIFIED" && event.application.metadata.name === operation.appName && event.application.status.operationState?.startedAt === operation.startedAt);
    await waitFor(() => modifiedFor() !== undefined, `MODIFIED for ${operation.appName}`);
    expect(modifiedFor()!.application.status.operationState?.phase).toBe(operation.result!.phase);
    expect(modifiedFor()!.application.status.operationState?.finishedAt).toBe(operation.result!.finishedAt);

    // A watch of one app by name.
    const single = await fetch(`${sandbox.url}/api/v1/stream/applications?name=${operation.appName}`, { headers: { authorization: `Bearer ${SANDBOX_ARGOCD_TOKEN}` } });
    const firstLine = await single.body!.getReader().read();
    const first = JSON.parse(new TextDecoder().decode(firstLine.value).split("\n")[0]!) as { result: { type: string; application: ApiApplication } };
    expect(first.result.type).toBe("ADDED");
    expect(first.result.application.metadata.name).toBe(operation.appName);

    // Stopping the server ends the open watches, and nothing answers afterwards.
    await sandbox.stop();
    await reading;
    await expect(fetch(`${sandbox.url}/api/v1/applications`, { headers: { authorization: `Bearer ${SANDBOX_ARGOCD_TOKEN}` } })).rejects.toThrow();
    controller.abort();
  });
});

describe("the running sandbox", () => {
  it("serves Argo CD next to GitHub from the same truth and stops both", async () => {
    const live = await startSandbox({ clock: frozenClock(ANCHOR), port: 0, anchor: ANCHOR });
    try {
      const response = await fetch(`${live.argocdUrl}/api/v1/applications`, { headers: { authorization: `Bearer ${SANDBOX_ARGOCD_TOKEN}` } });
      expect(response.status).toBe(200);
      const list = (await response.json()) as { items: ApiApplication[] };
      const expected = live.truthAt(ANCHOR).gitops.apps.filter((app) => app.controller === "argocd-application").map((app) => app.name).sort();
      expect(list.items.map((item) => item.metadata.name).sort()).toEqual(expected);
    } finally {
      await live.stop();
    }
    await expect(fetch(`${live.argocdUrl}/api/v1/applications`)).rejects.toThrow();
    await expect(fetch(`${live.githubUrl}/rate_limit`)).rejects.toThrow();
  });
});
