/**
 * Flux and live-Deployment ingestion against the sandbox's Kubernetes API over HTTP, into real
 * Postgres: after a GitHub sync (services, commits, push deployments) and one Kubernetes sync at a
 * frozen instant, the Flux objects and workloads match the generator's truth cut at that instant;
 * a hand edit of a push-based Deployment to an older build is one live-drift episode; a HelmRelease
 * without drift detection is "not observable"; and running the sync again changes nothing.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { parseEnv } from "@/lib/env";
import { runGithubSync } from "@/lib/ingest/github/run-github-sync";
import { type Integration, SANDBOX_KUBERNETES_TOKEN, registerIntegrations } from "@/lib/ingest/integrations";
import { fluxObjectKey } from "@/lib/ingest/kubernetes/deployment-view";
import { followKubernetes } from "@/lib/ingest/kubernetes/follow-kubernetes";
import { runKubernetesSync } from "@/lib/ingest/kubernetes/run-kubernetes-sync";
import { type RunningSandbox, startSandbox } from "@/lib/sandbox/start-sandbox";
import { IMAGE_REGISTRY } from "@/lib/sandbox/scenario/gitops/controllers";
import type { GroundTruth } from "@/lib/sandbox/scenario/ground-truth";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

const ANCHOR = new Date("2026-06-15T12:00:00Z");
const clock = frozenClock(ANCHOR);
const env = parseEnv({});

let database: TestDatabase;
let sandbox: RunningSandbox;
let dir: string;
let kubernetes: Integration;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ph-kubernetes-ingest-"));
  const kubeconfigPath = path.join(dir, "kubeconfig");
  sandbox = await startSandbox({ clock, port: 0, anchor: ANCHOR, kubeconfigPath });
  database = await createTestDatabase();
  const registered = await registerIntegrations(database.db, env, { sandboxUrl: sandbox.githubUrl, sandboxKubeconfigPath: kubeconfigPath });
  const github = registered.find((integration) => integration.kind === "GITHUB" && integration.name === "sandbox")!;
  kubernetes = registered.find((integration) => integration.kind === "FLUX_KUBERNETES" && integration.name === "sandbox-kubernetes")!;
  await runGithubSync(database.db, github, { env, clock, retryBaseMs: 5 });
  await runKubernetesSync(database.db, kubernetes, { env, clock });
}, 600_000);

afterAll(async () => {
  await sandbox?.stop();
  await database?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** What the truth says a Flux object's Ready condition shows: the last operation's outcome. */
function expectedHealth(cut: GroundTruth, slug: string): string {
  const last = cut.gitops.operations.filter((operation) => operation.serviceSlug === slug).at(-1);
  if (!last) return "Healthy";
  if (!last.result) return "Progressing";
  return last.result.phase === "Succeeded" ? "Healthy" : "Degraded";
}

async function counts() {
  const db = database.db;
  return {
    apps: await db.gitOpsApp.count({ where: { integrationId: kubernetes.id } }),
    operations: await db.gitOpsOperation.count({ where: { integrationId: kubernetes.id } }),
    deployments: await db.deployment.count({ where: { integrationId: kubernetes.id } }),
    episodes: await db.driftEpisode.count({ where: { integrationId: kubernetes.id } }),
    workloads: await db.workload.count({ where: { integrationId: kubernetes.id } }),
    audit: await db.auditEvent.count(),
    bindings: await db.serviceBinding.count(),
  };
}

describe("Kubernetes ingestion against the sandbox", () => {
  it("stores every Flux object bound to its service, with the truth's sync and health at the instant", async () => {
    const cut = sandbox.truthAt(clock.now());
    const fluxApps = cut.gitops.apps.filter((app) => app.controller !== "argocd-application");
    expect(fluxApps.length).toBeGreaterThan(0);
    const rows = await database.db.gitOpsApp.findMany({ where: { integrationId: kubernetes.id }, include: { service: { select: { slug: true } } } });
    expect(rows.map((row) => row.name).sort()).toEqual(fluxApps.map((app) => app.name).sort());
    for (const app of fluxApps) {
      const row = rows.find((candidate) => candidate.name === app.name)!;
      expect(row.service?.slug, app.name).toBe(app.serviceSlug);
      expect(row.healthStatus, app.name).toBe(expectedHealth(cut, app.serviceSlug));
      const applied = cut.gitops.operations.filter((operation) => operation.serviceSlug === app.serviceSlug && operation.changesRevision && operation.result?.phase === "Succeeded").at(-1);
      if (app.controller === "flux-kustomization") {
        expect(row.kind).toBe("FLUX_KUSTOMIZATION");
        expect(row.syncedRevision, app.name).toBe(applied?.revision ?? null);
        const head = cut.gitops.configCommits.filter((commit) => commit.serviceSlug === app.serviceSlug).at(-1)!;
        expect(row.syncStatus, app.name).toBe(applied?.revision === head.sha ? "Synced" : "OutOfSync");
      } else {
        expect(row.kind).toBe("FLUX_HELMRELEASE");
        expect(row.driftObservable, app.name).toBe(app.driftObservable);
      }
    }
    // Flux deployments exist and each is bound to its service.
    const deployments = await database.db.deployment.findMany({ where: { integrationId: kubernetes.id }, select: { source: true, methodology: true, serviceId: true, status: true } });
    expect(deployments.length).toBeGreaterThan(0);
    expect(deployments.every((deployment) => deployment.source === "FLUX" && deployment.methodology === "GITOPS" && deployment.serviceId !== null)).toBe(true);
  });

  it("stores a workload for every app and push-based service whose Deployment exists, with who manages it", async () => {
    const cut = sandbox.truthAt(clock.now());
    const listed = await fetch(`${sandbox.kubernetesUrl}/apis/apps/v1/deployments`, { headers: { authorization: `Bearer ${SANDBOX_KUBERNETES_TOKEN}` } }).then(
      (response) => response.json() as Promise<{ items: { metadata: { namespace: string; name: string } }[] }>,
    );
    const workloads = await database.db.workload.findMany({ where: { integrationId: kubernetes.id }, include: { service: { select: { slug: true } } } });
    expect(workloads.length).toBe(listed.items.length);
    const refs = [
      ...cut.gitops.apps.map((app) => ({ slug: app.serviceSlug, workload: app.workload, managedBy: app.controller === "flux-kustomization" ? fluxObjectKey("FLUX_KUSTOMIZATION", app.namespace, app.name) : app.controller === "flux-helmrelease" ? fluxObjectKey("FLUX_HELMRELEASE", app.namespace, app.name) : `argocd:${app.name}` })),
      ...cut.gitops.pushWorkloads.map((entry) => ({ slug: entry.serviceSlug, workload: entry.workload, managedBy: "push" })),
    ];
    let present = 0;
    for (const ref of refs) {
      const served = listed.items.some((item) => item.metadata.namespace === ref.workload.namespace && item.metadata.name === ref.workload.name);
      const row = workloads.find((candidate) => candidate.namespace === ref.workload.namespace && candidate.name === ref.workload.name);
      expect(!!row, `${ref.slug}: a workload exactly when its Deployment exists`).toBe(served);
      if (!row) continue;
      present++;
      expect(row.service?.slug, ref.slug).toBe(ref.slug);
      expect(row.managedBy, ref.slug).toBe(ref.managedBy);
      if (ref.managedBy !== "push") expect(row.driftObservable, ref.slug).toBe(false);
    }
    expect(present).toBe(listed.items.length);
    // Push-based workloads in line with their last production deployment are observable and clean.
    const push = workloads.filter((row) => row.managedBy === "push");
    expect(push.some((row) => row.driftObservable && row.driftState === "IN_SYNC")).toBe(true);
  });

  it("the HelmRelease without drift detection is not observable and has no episode", async () => {
    const row = await database.db.gitOpsApp.findFirst({ where: { integrationId: kubernetes.id, name: "experiments-api" } });
    expect(row).toMatchObject({ kind: "FLUX_HELMRELEASE", driftObservable: false, driftState: "NOT_OBSERVABLE" });
    expect(await database.db.driftEpisode.count({ where: { gitOpsAppId: row!.id } })).toBe(0);
  });

  it("a push-based Deployment set by hand to an older build opens one live-drift episode with the edit's time and resource", async () => {
    const cut = sandbox.truthAt(clock.now());
    const candidates = await database.db.workload.findMany({ where: { integrationId: kubernetes.id, managedBy: "push", driftObservable: true, driftState: "IN_SYNC" }, include: { service: { select: { slug: true } } } });
    let chosen: { workload: (typeof candidates)[number]; olderSha: string; container: string } | null = null;
    for (const workload of candidates) {
      const slug = workload.service!.slug;
      if ((await database.db.driftEpisode.count({ where: { workloadId: workload.id } })) > 0) continue;
      const production = cut.deployments.filter((deployment) => deployment.serviceSlug === slug && deployment.production && deployment.outcome === "success");
      const current = production.at(-1)!;
      const older = [...production].reverse().find((deployment) => deployment.sha !== current.sha);
      const entry = cut.gitops.pushWorkloads.find((candidate) => candidate.serviceSlug === slug);
      if (older && entry) {
        chosen = { workload, olderSha: older.sha, container: entry.workload.container };
        break;
      }
    }
    expect(chosen).not.toBeNull();
    const { workload, olderSha, container } = chosen!;
    const image = `${IMAGE_REGISTRY}/${workload.service!.slug}:${olderSha}`;
    clock.advance(60_000);
    const response = await fetch(`${sandbox.kubernetesUrl}/apis/apps/v1/namespaces/${workload.namespace}/deployments/${workload.name}?fieldManager=kubectl-edit`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${SANDBOX_KUBERNETES_TOKEN}`, "content-type": "application/merge-patch+json" },
      body: JSON.stringify({ spec: { template: { spec: { containers: [{ name: container, image }] } } } }),
    });
    expect(response.status).toBe(200);
    const patched = (await response.json()) as { metadata: { managedFields?: { manager: string; time: string }[] } };
    const edit = patched.metadata.managedFields?.find((entry) => entry.manager === "kubectl-edit");
    expect(edit).toBeDefined();
    clock.advance(30_000);
    await runKubernetesSync(database.db, kubernetes, { env, clock });
    const episodes = await database.db.driftEpisode.findMany({ where: { workloadId: workload.id } });
    expect(episodes).toHaveLength(1);
    expect(episodes[0]).toMatchObject({ kind: "LIVE_DRIFT", methodology: "DEVOPS", endedAt: null, startedAt: new Date(edit!.time), actor: "kubectl-edit", serviceId: workload.serviceId });
    expect(episodes[0]!.resources).toEqual([
      expect.objectContaining({ kind: "Deployment", namespace: workload.namespace, name: workload.name, field: `spec.template.spec.containers[name=${container}].image`, liveValue: image }),
    ]);
    expect(await database.db.workload.findUnique({ where: { id: workload.id } })).toMatchObject({ driftState: "LIVE_DRIFT", images: [image] });
    expect(await database.db.auditEvent.count({ where: { action: "drift.detected", targetId: { contains: workload.name } } })).toBe(1);
  }, 120_000);

  it("running the sync again changes nothing", async () => {
    const before = await counts();
    await runKubernetesSync(database.db, kubernetes, { env, clock });
    expect(await counts()).toEqual(before);
  }, 120_000);

  it("a follower lists, then writes a hand edit it sees on the watch", async () => {
    const controller = new AbortController();
    const observed: string[] = [];
    const following = followKubernetes(database.db, kubernetes, { env, clock, signal: controller.signal, settleMs: 50, onObserved: (kind, name) => observed.push(`${kind}/${name}`) });
    try {
      const target = await database.db.workload.findFirst({ where: { integrationId: kubernetes.id, managedBy: "push", driftObservable: true, driftState: "IN_SYNC" }, include: { service: { select: { slug: true } } } });
      expect(target).not.toBeNull();
      // Wait until the pass is done and the watches are up (the run is recorded as finished).
      await expect.poll(async () => (await database.db.ingestRun.findMany({ where: { integrationId: kubernetes.id, job: "kubernetes.sync" }, orderBy: { startedAt: "desc" }, take: 1 }))[0]?.status, { timeout: 30_000 }).toBe("SUCCEEDED");
      await new Promise((resolve) => setTimeout(resolve, 500));
      clock.advance(60_000);
      const image = `${IMAGE_REGISTRY}/${target!.service!.slug}:debug-42`;
      const response = await fetch(`${sandbox.kubernetesUrl}/apis/apps/v1/namespaces/${target!.namespace}/deployments/${target!.name}?fieldManager=kubectl-set`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${SANDBOX_KUBERNETES_TOKEN}`, "content-type": "application/strategic-merge-patch+json" },
        body: JSON.stringify({ spec: { template: { spec: { containers: [{ name: target!.name, image }] } } } }),
      });
      expect(response.status).toBe(200);
      await expect.poll(() => observed.includes(`Deployment/${target!.name}`), { timeout: 15_000 }).toBe(true);
      const episodes = await database.db.driftEpisode.findMany({ where: { workloadId: target!.id, endedAt: null } });
      expect(episodes).toHaveLength(1);
      expect(episodes[0]).toMatchObject({ actor: "kubectl-set", resources: [expect.objectContaining({ liveValue: image })] });
    } finally {
      controller.abort();
      await following;
    }
  }, 120_000);

  it("a follower asked to resync lists the cluster again at once (after GitHub's sync made bindings known)", async () => {
    const controller = new AbortController();
    const resyncRequests = new EventTarget();
    const passes = () => database.db.ingestRun.count({ where: { integrationId: kubernetes.id, job: "kubernetes.sync", status: "SUCCEEDED" } });
    const before = await passes();
    const following = followKubernetes(database.db, kubernetes, { env, clock, signal: controller.signal, settleMs: 50, resyncRequests });
    try {
      await expect.poll(passes, { timeout: 30_000 }).toBe(before + 1);
      await new Promise((resolve) => setTimeout(resolve, 500));
      resyncRequests.dispatchEvent(new Event("resync"));
      await expect.poll(passes, { timeout: 30_000 }).toBe(before + 2);
    } finally {
      controller.abort();
      await following;
    }
  }, 120_000);
});
