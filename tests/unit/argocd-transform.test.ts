import { describe, expect, it } from "vitest";
import { clusterObjectOf } from "@/lib/sandbox/scenario/gitops/cluster-objects";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { truthAsOf } from "@/lib/sandbox/scenario/truth-as-of";
import {
  driftStateOf,
  parseImageReference,
  resolveAppCommit,
  transformApplication,
  transformHistory,
  transformOperation,
} from "@/lib/sources/argocd/transform";
import type { RawArgoApplication } from "@/lib/sources/argocd/types";

const SHA = "3f786850e387550fdab836ed7e6dc881de23001b";
const OLD_SHA = "89e6c98d92887913cadf06b2adb97f26cde4849b";
const APP_SHA = "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3";

/** A minimal Application as Argo CD's API returns it after one manual sync (shape per Argo CD's API description). */
function application(overrides: Partial<NonNullable<RawArgoApplication["status"]>> = {}, spec: Partial<RawArgoApplication["spec"]> = {}): RawArgoApplication {
  return {
    metadata: { name: "payments", namespace: "argocd", uid: "0f3c5a52-1111-4b8e-9c2a-5d1d0c7e9a10", annotations: { "pipeline-health.dev/service": " payments-api " } },
    spec: {
      project: "default",
      source: { repoURL: "https://github.com/acme/payments-config", path: "apps/payments/production", targetRevision: "main" },
      destination: { server: "https://kubernetes.default.svc", namespace: "payments" },
      ...spec,
    },
    status: {
      sync: { status: "Synced", revision: SHA },
      health: { status: "Healthy" },
      reconciledAt: "2026-11-20T10:05:00Z",
      history: [
        { id: 3, revision: OLD_SHA, deployStartedAt: "2026-11-18T09:00:00Z", deployedAt: "2026-11-18T09:01:10Z", initiatedBy: { username: "maria" } },
        { id: 4, revision: SHA, deployStartedAt: "2026-11-20T10:00:00Z", deployedAt: "2026-11-20T10:01:30Z", initiatedBy: { username: "kenji" } },
      ],
      operationState: {
        phase: "Succeeded",
        startedAt: "2026-11-20T10:00:00Z",
        finishedAt: "2026-11-20T10:01:30Z",
        message: "successfully synced (all tasks run)",
        operation: { sync: { revision: SHA }, initiatedBy: { username: "kenji" }, info: [{ name: "Request", value: "sr-42" }] },
        syncResult: {
          revision: SHA,
          resources: [
            { kind: "Deployment", namespace: "payments", name: "payments-api", status: "Synced", images: [`registry.acme.dev/payments-api:${APP_SHA}`] },
            { kind: "Service", namespace: "payments", name: "payments-api", status: "Synced" },
          ],
        },
      },
      summary: { images: [`registry.acme.dev/payments-api:${APP_SHA}`, "docker.io/library/redis:7.2"] },
      ...overrides,
    },
  };
}

describe("Argo CD transform (hand-built payloads)", () => {
  it("maps an application: destination, source, automation, the annotation, synced and desired revision", () => {
    expect(transformApplication(application())).toEqual({
      kind: "ARGOCD_APPLICATION",
      externalId: "0f3c5a52-1111-4b8e-9c2a-5d1d0c7e9a10",
      cluster: "https://kubernetes.default.svc",
      namespace: "payments",
      name: "payments",
      repoUrl: "https://github.com/acme/payments-config",
      path: "apps/payments/production",
      targetRevision: "main",
      syncStatus: "Synced",
      healthStatus: "Healthy",
      syncedRevision: SHA,
      desiredRevision: SHA,
      autoSync: false,
      selfHeal: false,
      suspended: false,
      driftObservable: true,
      serviceAnnotation: "payments-api",
      commitAnnotation: null,
      sourceUpdatedAt: new Date("2026-11-20T10:05:00Z"),
    });
    const automated = transformApplication(application({}, { syncPolicy: { automated: { prune: true, selfHeal: true } } }));
    expect([automated.autoSync, automated.selfHeal]).toEqual([true, true]);
    // Argo CD 3: automated configured but switched off is a manual app.
    const off = transformApplication(application({}, { syncPolicy: { automated: { selfHeal: true, enabled: false } } }));
    expect([off.autoSync, off.selfHeal]).toEqual([false, false]);
  });

  it("records the operation with who started it, its request info and its images; a failed one is a failure", () => {
    expect(transformOperation(application())).toMatchObject({
      externalId: "0f3c5a52-1111-4b8e-9c2a-5d1d0c7e9a10@2026-11-20T10:00:00Z",
      status: "SUCCESS",
      revision: SHA,
      initiatedBy: "kenji",
      automated: false,
      selfHeal: false,
      info: { Request: "sr-42" },
      images: [`registry.acme.dev/payments-api:${APP_SHA}`],
    });
    const failed = application({
      operationState: { phase: "Failed", startedAt: "2026-11-21T08:00:00Z", finishedAt: "2026-11-21T08:02:00Z", message: "one or more objects failed to apply", operation: { sync: { revision: SHA }, initiatedBy: { automated: true } } },
    });
    expect(transformOperation(failed)).toMatchObject({ status: "FAILURE", automated: true, initiatedBy: "argocd (automated)", revision: SHA, finishedAt: new Date("2026-11-21T08:02:00Z") });
    const running = application({ operationState: { phase: "Running", startedAt: "2026-11-21T09:00:00Z", operation: { sync: { revision: SHA } } } });
    expect(transformOperation(running)).toMatchObject({ status: "IN_PROGRESS", finishedAt: null });
    expect(transformOperation({ ...application(), status: { sync: { status: "OutOfSync" } } })).toBeNull();
  });

  it("tells a self-heal (an end of drift, not a deployment) from an automated sync of a new revision", () => {
    const heal = application({
      operationState: { phase: "Succeeded", startedAt: "2026-11-22T07:00:00Z", finishedAt: "2026-11-22T07:00:20Z", operation: { sync: { revision: SHA, autoHealAttemptsCount: 1 }, initiatedBy: { automated: true } } },
    });
    expect(transformOperation(heal)).toMatchObject({ selfHeal: true, automated: true });
    const NEW = "c".repeat(40);
    const autoSync = application({
      operationState: { phase: "Succeeded", startedAt: "2026-11-22T07:00:00Z", finishedAt: "2026-11-22T07:01:00Z", operation: { sync: { revision: NEW }, initiatedBy: { automated: true } }, syncResult: { revision: NEW } },
    });
    expect(transformOperation(autoSync)).toMatchObject({ selfHeal: false, automated: true, revision: NEW });
    // Without the counter, an automated sync of the revision already running can only be a self-heal.
    const uncounted = application({
      operationState: { phase: "Succeeded", startedAt: "2026-11-22T07:00:00Z", finishedAt: "2026-11-22T07:00:20Z", operation: { sync: { revision: SHA }, initiatedBy: { automated: true } }, syncResult: { revision: SHA } },
    });
    expect(transformOperation(uncounted)).toMatchObject({ selfHeal: true });
    // A person re-syncing the running revision is not a self-heal.
    const manual = application({
      operationState: { phase: "Succeeded", startedAt: "2026-11-22T07:00:00Z", finishedAt: "2026-11-22T07:00:20Z", operation: { sync: { revision: SHA }, initiatedBy: { username: "maria" } }, syncResult: { revision: SHA } },
    });
    expect(transformOperation(manual)).toMatchObject({ selfHeal: false, automated: false });
  });

  it("reads history in id order with start and finish", () => {
    expect(transformHistory(application()).map((entry) => [entry.externalId.split("#")[1], entry.revision, entry.startedAt.toISOString(), entry.initiatedBy])).toEqual([
      ["3", OLD_SHA, "2026-11-18T09:00:00.000Z", "maria"],
      ["4", SHA, "2026-11-20T10:00:00.000Z", "kenji"],
    ]);
  });

  it("resolves the app commit only from a sha in the service's own image tag, never guessing", () => {
    expect(parseImageReference("registry.acme.dev:5000/team/payments-api:main-abc1234@sha256:ffff")).toEqual({ repository: "registry.acme.dev:5000/team/payments-api", tag: "main-abc1234" });
    expect(parseImageReference("payments-api@sha256:ffff")).toEqual({ repository: "payments-api", tag: null });
    expect(resolveAppCommit([`r.io/payments-api:${APP_SHA}`, "r.io/redis:7.2"], "payments-api")).toMatchObject({ resolution: "IMAGE_TAG", sha: APP_SHA, shortSha: false });
    expect(resolveAppCommit(["r.io/payments-api:sha-1a2b3c4"], "payments-api")).toMatchObject({ resolution: "IMAGE_TAG", sha: "1a2b3c4", shortSha: true });
    expect(resolveAppCommit(["r.io/payments-api:v1.4.2"], "payments-api")).toEqual({ resolution: "UNRESOLVED", reason: "no image tag is a commit sha" });
    expect(resolveAppCommit(["r.io/payments-api:latest"], "payments-api").resolution).toBe("UNRESOLVED");
    expect(resolveAppCommit([`r.io/other:${APP_SHA}`], "payments-api")).toEqual({ resolution: "UNRESOLVED", reason: "no image named payments-api" });
    expect(resolveAppCommit([`r.io/payments-api:${APP_SHA}`, `r.io/payments-worker:${SHA}`], null)).toEqual({ resolution: "UNRESOLVED", reason: "images carry different commit shas" });
  });

  it("tells live drift from a pending change and from a rollout in progress", () => {
    expect(driftStateOf(application())).toEqual({ state: "IN_SYNC" });
    const ahead = application({ sync: { status: "OutOfSync", revision: "b".repeat(40) } });
    expect(driftStateOf(ahead)).toEqual({ state: "PENDING_CHANGE", desiredRevision: "b".repeat(40), syncedRevision: SHA });
    const drifted = application({
      sync: { status: "OutOfSync", revision: SHA },
      resources: [
        { kind: "Deployment", namespace: "payments", name: "payments-api", status: "OutOfSync" },
        { kind: "Service", namespace: "payments", name: "payments-api", status: "Synced" },
      ],
    });
    expect(driftStateOf(drifted)).toEqual({ state: "LIVE_DRIFT", revision: SHA, resources: [{ kind: "Deployment", namespace: "payments", name: "payments-api" }] });
    // A resource waiting to be pruned (Git removed it, prune is off) is Git ahead, not a hand edit.
    const pruning = application({
      sync: { status: "OutOfSync", revision: SHA },
      resources: [{ kind: "ConfigMap", namespace: "payments", name: "old-flags", status: "OutOfSync", requiresPruning: true }],
    });
    expect(driftStateOf(pruning)).toEqual({ state: "PENDING_CHANGE", desiredRevision: SHA, syncedRevision: SHA });
    const prunedAndEdited = application({
      sync: { status: "OutOfSync", revision: SHA },
      resources: [
        { kind: "ConfigMap", namespace: "payments", name: "old-flags", status: "OutOfSync", requiresPruning: true },
        { kind: "Deployment", namespace: "payments", name: "payments-api", status: "OutOfSync" },
      ],
    });
    expect(driftStateOf(prunedAndEdited)).toEqual({ state: "LIVE_DRIFT", revision: SHA, resources: [{ kind: "Deployment", namespace: "payments", name: "payments-api" }] });
    const rolling = application({ operationState: { phase: "Running", startedAt: "2026-11-22T07:00:00Z", operation: { sync: { revision: SHA } } } });
    expect(driftStateOf(rolling)).toEqual({ state: "ROLLOUT_IN_PROGRESS" });
    expect(driftStateOf(application({ health: { status: "Progressing" } }))).toEqual({ state: "ROLLOUT_IN_PROGRESS" });
  });
});

describe("Argo CD transform over the sandbox's Applications, against the generator's truth", () => {
  const anchor = new Date("2026-11-27T12:00:00Z");
  const { truth } = generateScenario({ anchor });
  const argoApps = truth.gitops.apps.filter((app) => app.controller === "argocd-application");

  it("covers every Argo CD app of the scenario", () => {
    expect(argoApps.length).toBeGreaterThanOrEqual(5);
  });

  it.each(argoApps.map((app) => [app.serviceSlug, app] as const))("%s: synced revision, automation, history and app commit match the truth", (_slug, app) => {
    const raw = clusterObjectOf(truth.gitops, app) as unknown as RawArgoApplication;
    const record = transformApplication(raw);
    expect(record.autoSync).toBe(app.autoSync);
    expect(record.selfHeal).toBe(app.autoSync && app.selfHeal);
    const deployments = truth.gitops.deployments.filter((deployment) => deployment.serviceSlug === app.serviceSlug && deployment.status === "success");
    const latest = deployments.at(-1)!;
    expect(record.syncedRevision).toBe(latest.configSha);
    // Every remembered history entry is a successful sync of the truth, at its finish: a deployment,
    // or a manual re-sync of the revision already running (which Argo CD remembers, and which is not one).
    const syncs = truth.gitops.operations.filter((operation) => operation.serviceSlug === app.serviceSlug && operation.result?.phase === "Succeeded");
    const bySync = new Map(syncs.map((operation) => [`${operation.revision}@${new Date(operation.result!.finishedAt).toISOString()}`, operation]));
    const history = transformHistory(raw);
    expect(history.length).toBeGreaterThan(0);
    for (const entry of history) {
      const sync = bySync.get(`${entry.revision}@${entry.finishedAt.toISOString()}`);
      expect(sync, entry.externalId).toBeDefined();
      expect(sync!.trigger).not.toBe("self-heal");
      if (!sync!.changesRevision) expect(deployments.some((deployment) => deployment.configSha === entry.revision && Date.parse(deployment.finishedAt) === entry.finishedAt.getTime())).toBe(false);
    }
    // The running image names the app commit the truth recorded (or nothing, for a tag without a sha).
    const images = (raw.status?.summary?.images ?? []) as string[];
    const resolved = resolveAppCommit(images, app.image.split("/").at(-1) ?? null);
    if (latest.appSha === null) expect(resolved.resolution).toBe("UNRESOLVED");
    else expect(resolved).toMatchObject({ resolution: "IMAGE_TAG", sha: latest.appSha });
  });

  it("tells every self-heal of the scenario from the syncs that changed the revision", () => {
    const argoOperations = truth.gitops.operations.filter((operation) => operation.controller === "argocd-application" && operation.result?.phase === "Succeeded");
    const heals = argoOperations.filter((operation) => operation.trigger === "self-heal");
    const changes = argoOperations.filter((operation) => operation.changesRevision && operation.initiatedBy.automated);
    expect(heals.length).toBeGreaterThan(0);
    for (const operation of [...heals.slice(0, 10), ...changes.slice(-10)]) {
      // The app as Argo CD shows it right after that operation finished.
      const cut = truthAsOf(truth, new Date(Date.parse(operation.result!.finishedAt) + 1000));
      const app = cut.gitops.apps.find((candidate) => candidate.serviceSlug === operation.serviceSlug)!;
      const record = transformOperation(clusterObjectOf(cut.gitops, app) as unknown as RawArgoApplication)!;
      expect(record.startedAt.toISOString(), operation.id).toBe(new Date(operation.startedAt).toISOString());
      expect(record.selfHeal, operation.id).toBe(operation.trigger === "self-heal");
    }
  });

  it("an operation cut mid-run is a rollout in progress and maps to IN_PROGRESS", () => {
    const operation = truth.gitops.operations.find((candidate) => argoApps.some((app) => app.serviceSlug === candidate.serviceSlug) && candidate.result !== null)!;
    const midway = new Date(Date.parse(operation.startedAt) + 1000);
    const cut = truthAsOf(truth, midway);
    const app = cut.gitops.apps.find((candidate) => candidate.serviceSlug === operation.serviceSlug)!;
    const raw = clusterObjectOf(cut.gitops, app) as unknown as RawArgoApplication;
    expect(transformOperation(raw)).toMatchObject({ status: "IN_PROGRESS", revision: operation.revision, startedAt: new Date(operation.startedAt) });
    expect(driftStateOf(raw)).toEqual({ state: "ROLLOUT_IN_PROGRESS" });
  });
});
