/**
 * The product's Kubernetes client (@kubernetes/client-node underneath) against the sandbox's
 * Kubernetes API over real HTTP, with a kubeconfig file as a user would have: lists match the
 * scenario's truth, a follower sees changes in order as the clock moves, re-lists when its version
 * has expired and carries on, and a refused token is a clear error, not a retry loop.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { SANDBOX_KUBERNETES_TOKEN } from "@/lib/ingest/integrations";
import { type KubernetesSandbox, startKubernetesSandbox } from "@/lib/sandbox/kubernetes/server/start-kubernetes-sandbox";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { IMAGE_REGISTRY } from "@/lib/sandbox/scenario/gitops/controllers";
import type { GroundTruth } from "@/lib/sandbox/scenario/ground-truth";
import { truthAsOf } from "@/lib/sandbox/scenario/truth-as-of";
import { sandboxKubeconfig, startSandbox, writeKubeconfig } from "@/lib/sandbox/start-sandbox";
import {
  type KubernetesClient,
  KubernetesApiError,
  type KubernetesKind,
  type KubernetesObject,
  KubernetesWatchExpiredError,
  type KubernetesWatchEventType,
  createKubernetesClient,
} from "@/lib/sources/kubernetes/client";
import type { RawDeployment } from "@/lib/sources/kubernetes/types";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const ANCHOR = new Date("2026-06-15T12:00:00Z");
const UNTIL = new Date(ANCHOR.getTime() + 10 * DAY_MS);
const TOKEN = SANDBOX_KUBERNETES_TOKEN;
const ms = (iso: string) => Date.parse(iso);

const { truth } = generateScenario({ anchor: ANCHOR, until: UNTIL });
const clock = frozenClock(ANCHOR);
let sandbox: KubernetesSandbox;
let dir: string;
let client: KubernetesClient;

async function clientFor(server: string, token: string, name: string): Promise<KubernetesClient> {
  const file = path.join(dir, name);
  await writeKubeconfig(file, sandboxKubeconfig({ server, token }));
  return createKubernetesClient({ kubeconfigPath: file });
}

const key = (object: { metadata: { namespace?: string; name: string } }) => `${object.metadata.namespace}/${object.metadata.name}`;
/** Built-in kinds' list items come without kind/apiVersion; watch events carry them. */
const bare = (object: object) => {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = object as { kind?: string; apiVersion?: string };
  return rest;
};

async function until<T>(check: () => T | undefined | false, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = check();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

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

/** A follower's view: the last list plus every event since, as a caller would keep it. */
function startFollower<K extends KubernetesKind>(target: KubernetesClient, kind: K, extra: { watchTimeoutSeconds?: number; delay?: (ms: number, signal: AbortSignal) => Promise<void> } = {}) {
  const controller = new AbortController();
  const state = new Map<string, KubernetesObject<K>>();
  const events: { type: KubernetesWatchEventType; object: KubernetesObject<K> }[] = [];
  const lists: { resourceVersion: string; count: number }[] = [];
  const relists: string[] = [];
  const errors: unknown[] = [];
  const done = target.followResources(kind, {
    signal: controller.signal,
    ...extra,
    onList: (items, resourceVersion) => {
      state.clear();
      for (const item of items) state.set(key(item), item);
      lists.push({ resourceVersion, count: items.length });
    },
    onEvent: (type, object) => {
      events.push({ type, object });
      if (type === "DELETED") state.delete(key(object));
      else state.set(key(object), object);
    },
    onRelist: (reason) => {
      relists.push(reason);
    },
    onError: (error) => {
      errors.push(error);
    },
  });
  return { controller, state, events, lists, relists, errors, done, stop: async () => (controller.abort(), await done) };
}

/** The follower's state equals a fresh list (it has caught up with the cluster). */
async function expectCaughtUp<K extends KubernetesKind>(follower: ReturnType<typeof startFollower<K>>, kind: K) {
  const fresh = await client.listResources(kind);
  const expected = Object.fromEntries(fresh.items.map((item) => [key(item), bare(item)]));
  await until(() => {
    const got = Object.fromEntries([...follower.state.values()].map((item) => [key(item), bare(item)]));
    return JSON.stringify(got) === JSON.stringify(expected);
  }, `the ${kind} follower to catch up with resourceVersion ${fresh.resourceVersion}`);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "kubernetes-client-"));
  sandbox = await startKubernetesSandbox({ truth, clock, port: 0, token: TOKEN, pollMs: 50 });
  client = await clientFor(sandbox.url, TOKEN, "config");
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("listResources", () => {
  it("lists each kind as the truth has it at the clock's instant, at one resourceVersion", async () => {
    for (const at of [ANCHOR, new Date(ANCHOR.getTime() + 5 * DAY_MS + 3 * HOUR_MS)]) {
      clock.set(at);
      const cut = truthAsOf(truth, at);
      const flux = cut.gitops.apps.filter((app) => app.controller !== "argocd-application");
      const names = (items: { metadata: { namespace?: string; name: string } }[]) => items.map(key).sort();

      const kustomizations = await client.listResources("Kustomization");
      const helmReleases = await client.listResources("HelmRelease");
      const repositories = await client.listResources("GitRepository");
      const deployments = await client.listResources("Deployment");
      expect(deployments.resourceVersion).toMatch(/^\d+$/);
      for (const list of [kustomizations, helmReleases, repositories]) expect(list.resourceVersion).toBe(deployments.resourceVersion);

      expect(names(kustomizations.items)).toEqual(flux.filter((app) => app.controller === "flux-kustomization").map((app) => `${app.namespace}/${app.name}`).sort());
      expect(names(helmReleases.items)).toEqual(flux.filter((app) => app.controller === "flux-helmrelease").map((app) => `${app.namespace}/${app.name}`).sort());
      expect(names(repositories.items)).toEqual(flux.map((app) => `${app.namespace}/${app.serviceSlug}-config`).sort());
      expect(kustomizations.items.length).toBeGreaterThan(0);
      expect(helmReleases.items.length).toBeGreaterThan(0);
      // Raw JSON as the server sent it: the Flux types' fields are there as strings.
      expect(kustomizations.items[0]!.spec.sourceRef.kind).toBe("GitRepository");
      expect(repositories.items[0]!.status?.artifact?.revision).toMatch(/^main@sha1:[0-9a-f]{40}$/);

      const workloads = [
        ...cut.gitops.apps.filter((app) => cut.gitops.operations.some((operation) => operation.serviceSlug === app.serviceSlug && operation.changesRevision)).map((app) => app.workload),
        ...cut.gitops.pushWorkloads.filter((entry) => deployedImage(cut, entry.serviceSlug) !== null).map((entry) => entry.workload),
      ];
      expect(workloads.length).toBeGreaterThan(10);
      expect(names(deployments.items)).toEqual(workloads.map((workload) => `${workload.namespace}/${workload.name}`).sort());
      const first: RawDeployment = deployments.items[0]!;
      expect(first.spec.template.spec.containers[0]!.image).toMatch(new RegExp(`^${IMAGE_REGISTRY}/`));
      expect(typeof first.metadata.resourceVersion).toBe("string");
    }
  });

  it("lists one namespace", async () => {
    clock.set(ANCHOR);
    const all = await client.listResources("Deployment");
    const namespace = all.items[0]!.metadata.namespace!;
    const one = await client.listResources("Deployment", { namespace });
    expect(one.items.map(key)).toEqual(all.items.filter((item) => item.metadata.namespace === namespace).map(key));
  });
});

describe("watchResources", () => {
  it("rejects with KubernetesWatchExpiredError on an ERROR event with a 410 Status", async () => {
    clock.set(new Date(UNTIL.getTime() - 2 * DAY_MS));
    const { resourceVersion } = await client.listResources("Deployment");
    clock.advance(3 * HOUR_MS);
    const error = await client.watchResources("Deployment", { resourceVersion, onEvent: () => undefined }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubernetesWatchExpiredError);
    expect(error).toMatchObject({ status: 410, reason: "Expired" });
    expect((error as KubernetesApiError).statusMessage).toMatch(new RegExp(`^too old resource version: ${resourceVersion} \\(\\d+\\)$`));
  });

  it("rejects with KubernetesWatchExpiredError on an HTTP 410 answer", async () => {
    // Some API servers (and proxies in front of them) answer the watch request itself with 410.
    const gone = http.createServer((_req, res) => {
      res.writeHead(410, { "content-type": "application/json" });
      res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "too old resource version: 1 (2)", reason: "Gone", code: 410 }));
    });
    await new Promise<void>((resolve) => gone.listen(0, "127.0.0.1", resolve));
    try {
      const target = await clientFor(`http://127.0.0.1:${(gone.address() as AddressInfo).port}`, TOKEN, "gone");
      const error = await target.watchResources("Kustomization", { resourceVersion: "1", onEvent: () => undefined }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(KubernetesWatchExpiredError);
      expect(error).toMatchObject({ status: 410 });

      // A follower facing a server that answers everything with 410 backs off instead of spinning.
      const controller = new AbortController();
      const waits: number[] = [];
      await target.followResources("Kustomization", {
        signal: controller.signal,
        onList: () => undefined,
        onEvent: () => undefined,
        delay: async (wait) => {
          waits.push(wait);
          if (waits.length === 3) controller.abort();
        },
      });
      expect(waits).toEqual([1_000, 2_000, 4_000]);
    } finally {
      await new Promise((resolve) => gone.close(resolve));
    }
  });

  it("resolves when the server ends the watch, with the last version seen", async () => {
    clock.set(ANCHOR);
    const { resourceVersion } = await client.listResources("GitRepository");
    const result = await client.watchResources("GitRepository", { resourceVersion, timeoutSeconds: 1, onEvent: () => undefined });
    expect(result).toEqual({ resourceVersion, endedBy: "server" });
  });

  it("resolves on abort", async () => {
    clock.set(ANCHOR);
    const { resourceVersion } = await client.listResources("GitRepository");
    const controller = new AbortController();
    const watching = client.watchResources("GitRepository", { resourceVersion, signal: controller.signal, onEvent: () => undefined });
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    expect(await watching).toEqual({ resourceVersion, endedBy: "abort" });
  });
});

describe("followResources", () => {
  it("follows Deployments from a list: changes arrive as MODIFIED, in resourceVersion order, and the view matches a fresh list", async () => {
    const episodes = truth.gitops.driftEpisodes
      .filter((episode) => episode.managedBy === "push" && ms(episode.startedAt) > ANCHOR.getTime() + DAY_MS && ms(episode.startedAt) < UNTIL.getTime() - DAY_MS)
      .slice(0, 1);
    expect(episodes).toHaveLength(1);
    const episode = episodes[0]!;
    const resource = episode.resources.find((candidate) => candidate.field.endsWith(".image")) ?? episode.resources[0]!;
    const start = ms(episode.startedAt);
    clock.set(new Date(start - 30 * 60_000));

    const follower = startFollower(client, "Deployment");
    try {
      await until(() => follower.lists.length === 1, "the first list");
      const listed = Number(follower.lists[0]!.resourceVersion);
      // Give the watch time to open, then move the clock past the drift in steps.
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (let step = 0; step < 6; step++) {
        clock.advance(10 * 60_000);
        await expectCaughtUp(follower, "Deployment");
      }
      const drifted = await until(() => follower.events.find((event) => event.type === "MODIFIED" && key(event.object) === `${resource.namespace}/${resource.name}`), "the drift's MODIFIED");
      if (resource.field.endsWith(".image")) expect(drifted.object.spec.template.spec.containers[0]!.image).toBe(resource.liveValue);
      expect(drifted.object).toMatchObject({ apiVersion: "apps/v1", kind: "Deployment" });

      expect(follower.events.length).toBeGreaterThan(0);
      expect(follower.events.every((event) => event.type === "MODIFIED" || event.type === "ADDED")).toBe(true);
      const versions = follower.events.map((event) => Number(event.object.metadata.resourceVersion));
      expect(versions[0]!).toBeGreaterThan(listed);
      for (let index = 1; index < versions.length; index++) expect(versions[index]!).toBeGreaterThan(versions[index - 1]!);
      expect(follower.relists).toEqual([]);
      expect(follower.errors).toEqual([]);
    } finally {
      await follower.stop();
    }
  });

  it("re-lists when its version has expired (410) and then continues with later events", async () => {
    // A short history and a watch the server ends every second: between two watches the clock
    // jumps past the history, so the follower's next watch is refused with 410.
    const short = await startKubernetesSandbox({ truth, clock, port: 0, token: TOKEN, pollMs: 50, historySeconds: 600 });
    const target = await clientFor(short.url, TOKEN, "short");
    const episode = truth.gitops.driftEpisodes.find((candidate) => candidate.managedBy === "push" && ms(candidate.startedAt) > ANCHOR.getTime() + 2 * DAY_MS && ms(candidate.startedAt) < UNTIL.getTime() - DAY_MS)!;
    const resource = episode.resources[0]!;
    const start = ms(episode.startedAt);
    clock.set(new Date(start - 3 * HOUR_MS));
    let delays = 0;
    const follower = startFollower(target, "Deployment", {
      watchTimeoutSeconds: 1,
      delay: async (_ms, signal) => {
        delays++;
        // The first quiet watch has ended: jump past the history while no watch is open.
        if (delays === 1) clock.set(new Date(start - 2_000));
        if (!signal.aborted) await new Promise((resolve) => setTimeout(resolve, 10));
      },
    });
    try {
      await until(() => follower.lists.length === 1, "the first list");
      const first = follower.lists[0]!;
      await until(() => follower.lists.length === 2, "the re-list", 10_000);
      expect(follower.relists).toEqual(["expired"]);
      expect(Number(follower.lists[1]!.resourceVersion)).toBeGreaterThan(Number(first.resourceVersion));
      await expectCaughtUp(follower, "Deployment");

      // Later writes arrive on the watch from the re-list's version.
      clock.advance(4_000);
      const drifted = await until(() => follower.events.find((event) => event.type === "MODIFIED" && key(event.object) === `${resource.namespace}/${resource.name}`), "the drift's MODIFIED after the re-list", 10_000);
      expect(Number(drifted.object.metadata.resourceVersion)).toBeGreaterThan(Number(follower.lists[1]!.resourceVersion));
      await expectCaughtUp(follower, "Deployment");
      expect(follower.relists).toEqual(["expired"]);
      expect(follower.errors).toEqual([]);
    } finally {
      await follower.stop();
      await short.stop();
    }
  }, 30_000);

  it("backs off, growing, while the API server cannot be reached, and stops on abort", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const target = await clientFor(`http://127.0.0.1:${port}`, TOKEN, "unreachable");
    const controller = new AbortController();
    const waits: number[] = [];
    const errors: unknown[] = [];
    const done = target.followResources("Deployment", {
      signal: controller.signal,
      retryBaseMs: 100,
      retryMaxMs: 400,
      onList: () => undefined,
      onEvent: () => undefined,
      onError: (error) => errors.push(error),
      delay: async (wait) => {
        waits.push(wait);
        if (waits.length === 5) controller.abort();
      },
    });
    await expect(done).resolves.toBeUndefined();
    expect(waits).toEqual([100, 200, 400, 400, 400]);
    expect(errors).toHaveLength(5);
    expect(errors.every((error) => !(error instanceof KubernetesApiError))).toBe(true);
  });

  it("stops cleanly on abort", async () => {
    clock.set(ANCHOR);
    const follower = startFollower(client, "HelmRelease");
    await until(() => follower.lists.length === 1, "the first list");
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(follower.stop()).resolves.toBeUndefined();
  });

  it("surfaces a handler's throw instead of retrying", async () => {
    clock.set(ANCHOR);
    const controller = new AbortController();
    const failure = new Error("database down");
    const result = await client
      .followResources("GitRepository", {
        signal: controller.signal,
        onList: () => {
          throw failure;
        },
        onEvent: () => undefined,
      })
      .catch((caught: unknown) => caught);
    expect(result).toBe(failure);
  });
});

describe("a refused token", () => {
  it("is a clear 401 from list, watch and follow, never retried", async () => {
    const wrong = await clientFor(sandbox.url, "wrong-token", "wrong");
    const listed = await wrong.listResources("Deployment").catch((caught: unknown) => caught);
    expect(listed).toBeInstanceOf(KubernetesApiError);
    expect(listed).toMatchObject({ status: 401, isAuthError: true, statusMessage: "Unauthorized" });
    expect((listed as Error).message).toMatch(/401.*\/apis\/apps\/v1\/deployments.*Unauthorized.*credentials were not accepted/);

    const watched = await wrong.watchResources("Deployment", { onEvent: () => undefined }).catch((caught: unknown) => caught);
    expect(watched).toBeInstanceOf(KubernetesApiError);
    expect(watched).toMatchObject({ status: 401, isAuthError: true });

    let retries = 0;
    const followed = await wrong
      .followResources("Deployment", {
        signal: AbortSignal.timeout(10_000),
        onList: () => undefined,
        onEvent: () => undefined,
        onError: () => retries++,
        delay: async () => {
          retries++;
        },
      })
      .catch((caught: unknown) => caught);
    expect(followed).toBeInstanceOf(KubernetesApiError);
    expect(followed).toMatchObject({ status: 401 });
    expect(retries).toBe(0);
  });
});

describe("startSandbox", () => {
  it("serves the Kubernetes API with a kubeconfig for it, and stops it", async () => {
    const kubeconfigPath = path.join(dir, "started", "kubeconfig");
    const live = await startSandbox({ clock: frozenClock(ANCHOR), port: 0, anchor: ANCHOR, kubeconfigPath });
    let stopped = false;
    try {
      expect(live.kubernetesUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(live.kubernetesUrl).not.toBe(live.githubUrl);
      expect(live.kubernetesUrl).not.toBe(live.argocdUrl);
      const started = createKubernetesClient({ kubeconfigPath });
      expect(started.server).toBe(live.kubernetesUrl);
      const deployments = await started.listResources("Deployment");
      const cut = live.truthAt(ANCHOR);
      expect(deployments.items.length).toBeGreaterThan(0);
      expect(deployments.items.length).toBeLessThanOrEqual(cut.gitops.apps.length + cut.gitops.pushWorkloads.length);
      expect((await started.listResources("Kustomization")).items.length).toBe(cut.gitops.apps.filter((app) => app.controller === "flux-kustomization").length);
      await live.stop();
      stopped = true;
      await expect(fetch(`${live.kubernetesUrl}/apis/apps/v1/deployments`, { headers: { authorization: `Bearer ${TOKEN}` } })).rejects.toThrow();
    } finally {
      if (!stopped) await live.stop();
    }
  }, 120_000);

  it("stops GitHub and Argo CD again when the Kubernetes API cannot start", async () => {
    const freePort = async () => {
      const probe = http.createServer();
      await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
      const port = (probe.address() as AddressInfo).port;
      await new Promise((resolve) => probe.close(resolve));
      return port;
    };
    const [githubPort, argocdPort] = [await freePort(), await freePort()];
    const taken = http.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    try {
      const kubernetesPort = (taken.address() as AddressInfo).port;
      const error = await startSandbox({ clock: frozenClock(ANCHOR), port: githubPort, argocdPort, kubernetesPort, anchor: ANCHOR }).catch((caught: unknown) => caught);
      expect((error as NodeJS.ErrnoException).code).toBe("EADDRINUSE");
      // Both ports are free again: the servers that had started were stopped.
      for (const port of [githubPort, argocdPort]) {
        const again = http.createServer();
        await new Promise<void>((resolve, reject) => again.once("error", reject).listen(port, "127.0.0.1", resolve));
        await new Promise((resolve) => again.close(resolve));
      }
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 120_000);
});
