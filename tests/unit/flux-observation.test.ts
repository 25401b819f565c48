import { describe, expect, it } from "vitest";
import { type DeploymentView, deploymentView } from "@/lib/ingest/kubernetes/deployment-view";
import { type StoredFluxState, helmReleaseObservation, kustomizationObservation } from "@/lib/ingest/kubernetes/flux-observation";
import { planGitOpsDeployments } from "@/lib/ingest/gitops/gitops-deployments";
import type { GitOpsObservation } from "@/lib/ingest/gitops/observe-gitops-app";
import type { RawFluxCondition, RawGitRepository, RawHelmRelease, RawKustomization } from "@/lib/sources/flux/types";

const A = "3f786850e387550fdab836ed7e6dc881de23001b";
const B = "89e6c98d92887913cadf06b2adb97f26cde4849b";
const IMAGE_A = "registry.example/search-indexer:1111111111111111111111111111111111111111";
const IMAGE_B = "registry.example/search-indexer:2222222222222222222222222222222222222222";
const T = (minutes: number) => new Date(Date.UTC(2026, 10, 20, 10, minutes));

function kustomization(ready: RawFluxCondition, attempted: string, applied: string | null): RawKustomization {
  return {
    metadata: { name: "search-indexer", namespace: "flux-system", uid: "k-1" },
    spec: { path: "./apps/search-indexer", targetNamespace: "search", sourceRef: { kind: "GitRepository", name: "config" } },
    status: { conditions: [ready], lastAttemptedRevision: `main@sha1:${attempted}`, ...(applied ? { lastAppliedRevision: `main@sha1:${applied}` } : {}) },
  };
}

const source = (sha: string): RawGitRepository => ({ metadata: { name: "config", namespace: "flux-system" }, spec: { url: "https://github.com/acme/config", ref: { branch: "main" } }, status: { artifact: { revision: `main@sha1:${sha}` } } });

function deployment(image: string, managedFields: { manager: string; time: string; subresource?: string }[] = [], replicas?: number): DeploymentView {
  return deploymentView({
    metadata: { name: "search-indexer", namespace: "search", labels: { "kustomize.toolkit.fluxcd.io/name": "search-indexer", "kustomize.toolkit.fluxcd.io/namespace": "flux-system" }, managedFields },
    spec: { ...(replicas !== undefined ? { replicas } : {}), template: { spec: { containers: [{ name: "search-indexer", image }] } } },
  });
}

const ready = (status: string, minutes: number, message = ""): RawFluxCondition => ({ type: "Ready", status, lastTransitionTime: T(minutes).toISOString(), message });

/** What the store would hold after writing an observation (the part the next observation reads). */
function storedAfter(previous: StoredFluxState | null, observation: GitOpsObservation): StoredFluxState {
  const operations = new Map((previous?.operations ?? []).map((operation) => [operation.externalId, operation]));
  for (const operation of observation.operations) {
    const before = operations.get(operation.externalId);
    const info = before?.info && Object.keys(before.info).length > 0 ? before.info : operation.info;
    operations.set(operation.externalId, { ...operation, startedAt: before?.startedAt ?? operation.startedAt, images: before?.images.length ? before.images : operation.images, info });
  }
  return { appliedImages: observation.images, syncedRevision: observation.app.syncedRevision, operations: [...operations.values()] };
}

const context = (deployments: DeploymentView[], stored: StoredFluxState | null, minutes: number) => ({ integrationId: "i-1", observedAt: T(minutes), deployments, stored });

describe("Kustomization observations", () => {
  it("one attempt seen running (Ready=Unknown) and then applied (Ready=True) keeps one operation id and its start", () => {
    const first = kustomizationObservation(kustomization(ready("True", 0), A, A), source(A), context([deployment(IMAGE_A)], null, 1));
    let stored = storedAfter(null, first);
    const running = kustomizationObservation(kustomization(ready("Unknown", 10), B, A), source(B), context([deployment(IMAGE_B)], stored, 11));
    expect(running.operations).toHaveLength(1);
    expect(running.operations[0]).toMatchObject({ status: "IN_PROGRESS", revision: B, startedAt: T(10), finishedAt: null, selfHeal: false });
    expect(running.drift.state).toBe("ROLLOUT_IN_PROGRESS");
    stored = storedAfter(stored, running);
    const done = kustomizationObservation(kustomization(ready("True", 13), B, B), source(B), context([deployment(IMAGE_B)], stored, 14));
    const operation = done.operations.find((candidate) => candidate.revision === B)!;
    expect(operation.externalId).toBe(running.operations[0]!.externalId);
    expect(operation).toMatchObject({ status: "SUCCESS", startedAt: T(10), finishedAt: T(13), images: [IMAGE_B] });
    // The newly applied images become what later edits are compared with.
    expect(done.images).toEqual([IMAGE_B]);
    expect(done.drift.state).toBe("IN_SYNC");
    // Seen again: the same id, nothing new.
    stored = storedAfter(stored, done);
    const again = kustomizationObservation(kustomization(ready("True", 13), B, B), source(B), context([deployment(IMAGE_B)], stored, 20));
    expect(again.operations.map((candidate) => candidate.externalId)).toEqual([operation.externalId]);
  });

  it("a Ready=False attempt then a successful retry of the same revision make one deployment", () => {
    let stored = storedAfter(null, kustomizationObservation(kustomization(ready("True", 0), A, A), source(A), context([deployment(IMAGE_A)], null, 1)));
    const failed = kustomizationObservation(kustomization(ready("False", 12, "health check failed"), B, A), source(B), context([deployment(IMAGE_A)], stored, 12));
    expect(failed.operations).toEqual([expect.objectContaining({ status: "FAILURE", revision: B, finishedAt: T(12), message: "health check failed" })]);
    stored = storedAfter(stored, failed);
    const retry = kustomizationObservation(kustomization(ready("Unknown", 20), B, A), source(B), context([deployment(IMAGE_A)], stored, 20));
    stored = storedAfter(stored, retry);
    const success = kustomizationObservation(kustomization(ready("True", 22), B, B), source(B), context([deployment(IMAGE_B)], stored, 23));
    stored = storedAfter(stored, success);
    const operations = stored.operations.map((operation, index) => ({ id: String(index), deploymentId: null, initiatedBy: null, automated: true, ...operation }));
    const plan = planGitOpsDeployments(operations, { mergeRetries: true, observedSince: null });
    expect(plan.map((deployment) => [deployment.revision, deployment.operations.map((operation) => operation.status)])).toEqual([
      [A, ["SUCCESS"]],
      [B, ["FAILURE", "SUCCESS"]],
    ]);
  });

  it("a hand-edited image is live drift from the edit's managedFields time; Flux putting it back is an auto-heal", () => {
    let stored = storedAfter(null, kustomizationObservation(kustomization(ready("True", 0), A, A), source(A), context([deployment(IMAGE_A)], null, 1)));
    const edited = deployment("registry.example/search-indexer:debug-7", [{ manager: "kubectl-edit", time: T(30).toISOString() }]);
    const drifted = kustomizationObservation(kustomization(ready("True", 0), A, A), source(A), context([edited], stored, 31));
    expect(drifted.drift).toMatchObject({
      state: "LIVE_DRIFT",
      since: T(30),
      actor: "kubectl-edit",
      resources: [{ kind: "Deployment", namespace: "search", name: "search-indexer", field: "spec.template.spec.containers[name=search-indexer].image", liveValue: "registry.example/search-indexer:debug-7", desiredValue: IMAGE_A }],
    });
    // The edit does not become the applied image.
    expect(drifted.images).toEqual([IMAGE_A]);
    stored = storedAfter(stored, drifted);
    const healed = deployment(IMAGE_A, [{ manager: "kustomize-controller", time: T(40).toISOString() }]);
    const back = kustomizationObservation(kustomization(ready("True", 0), A, A), source(A), context([healed], stored, 41));
    expect(back.drift).toMatchObject({ state: "IN_SYNC", ended: { at: T(40), reason: "AUTO_HEAL" } });
  });

  it("a replica count changed by hand is live drift against what the apply left; the reconcile scaling it back ends it as an auto-heal", () => {
    let stored = storedAfter(null, kustomizationObservation(kustomization(ready("True", 0), A, A), source(A), context([deployment(IMAGE_A, [], 3)], null, 1)));
    const scaled = kustomizationObservation(kustomization(ready("True", 0), A, A), source(A), context([deployment(IMAGE_A, [], 6)], stored, 30));
    expect(scaled.drift).toMatchObject({ state: "LIVE_DRIFT", resources: [{ kind: "Deployment", namespace: "search", name: "search-indexer", field: "spec.replicas", liveValue: "6", desiredValue: "3" }] });
    stored = storedAfter(stored, scaled);
    // Flux's next interval: a reconcile of the applied revision, running, then done with 3 replicas again.
    const reconciling = kustomizationObservation(kustomization(ready("Unknown", 35), A, A), source(A), context([deployment(IMAGE_A, [], 6)], stored, 35));
    expect(reconciling.operations.at(-1)).toMatchObject({ status: "IN_PROGRESS", selfHeal: true });
    stored = storedAfter(stored, reconciling);
    const back = kustomizationObservation(kustomization(ready("True", 38), A, A), source(A), context([deployment(IMAGE_A, [], 3)], stored, 38));
    expect(back.drift).toMatchObject({ state: "IN_SYNC", ended: { at: T(38), reason: "AUTO_HEAL" } });
    // An autoscaler's count (the HPA writes the scale subresource as kube-controller-manager) is not a hand edit.
    const autoscaled = deployment(IMAGE_A, [{ manager: "kube-controller-manager", time: T(50).toISOString(), subresource: "scale" }], 5);
    expect(kustomizationObservation(kustomization(ready("True", 38), A, A), source(A), context([autoscaled], storedAfter(stored, back), 51)).drift.state).toBe("IN_SYNC");
    // kube-controller-manager's status write (on every Deployment, newer than any edit) is no autoscaler:
    // the count set by hand is still drift, started and made by the edit.
    const edited = deployment(IMAGE_A, [{ manager: "kubectl-edit", time: T(50).toISOString() }, { manager: "kube-controller-manager", time: T(51).toISOString(), subresource: "status" }], 5);
    expect(kustomizationObservation(kustomization(ready("True", 38), A, A), source(A), context([edited], storedAfter(stored, back), 52)).drift).toMatchObject({ state: "LIVE_DRIFT", since: T(50), actor: "kubectl-edit" });
    // `kubectl scale` goes through the same subresource: a person's count, drift.
    const scaledByHand = deployment(IMAGE_A, [{ manager: "kubectl", time: T(50).toISOString(), subresource: "scale" }], 5);
    expect(kustomizationObservation(kustomization(ready("True", 38), A, A), source(A), context([scaledByHand], storedAfter(stored, back), 52)).drift).toMatchObject({ state: "LIVE_DRIFT", actor: "kubectl" });
  });

  it("a source ahead of the applied revision is a pending change", () => {
    const pending = kustomizationObservation(kustomization(ready("True", 0), A, A), source(B), context([deployment(IMAGE_A)], null, 1));
    expect(pending.app).toMatchObject({ syncStatus: "OutOfSync", desiredRevision: B, syncedRevision: A });
    expect(pending.drift.state).toBe("PENDING_CHANGE");
    expect(pending.source).toBe("FLUX");
  });
});

describe("HelmRelease observations", () => {
  // A release is named by chart version and values digest together (`helmRevision`).
  const ONE = "1.0.0@sha256:one";
  const TWO = "1.0.0@sha256:two";
  function release(conditions: RawFluxCondition[], mode: string, history = [{ chartVersion: "1.0.0", configDigest: "sha256:one", namespace: "marketing", lastDeployed: T(0).toISOString(), status: "deployed" }]): RawHelmRelease {
    return {
      metadata: { name: "marketing-site", namespace: "flux-system", uid: "h-1" },
      spec: { chart: { spec: { chart: "./charts/marketing-site" } }, driftDetection: { mode } },
      status: { conditions, history, lastAttemptedRevision: "1.0.0" },
    };
  }

  it("Drifted=True is live drift since its transition; cleared, it ends as an auto-heal", () => {
    const drifted = helmReleaseObservation(
      release([ready("True", 0), { type: "Drifted", status: "True", lastTransitionTime: T(30).toISOString(), message: "Deployment/marketing/marketing-site spec.replicas: 6 (desired 3)" }], "enabled"),
      context([], null, 31),
    );
    expect(drifted.app).toMatchObject({ syncStatus: "Synced", driftObservable: true, syncedRevision: ONE });
    expect(drifted.drift).toMatchObject({ state: "LIVE_DRIFT", since: T(30), resources: [{ kind: "Deployment", namespace: "marketing", name: "marketing-site", field: "spec.replicas", liveValue: "6", desiredValue: "3" }] });
    const cleared = helmReleaseObservation(release([ready("True", 0), { type: "Drifted", status: "False", lastTransitionTime: T(40).toISOString() }], "enabled"), context([], storedAfter(null, drifted), 41));
    expect(cleared.drift).toMatchObject({ state: "IN_SYNC", ended: { at: T(40), reason: "AUTO_HEAL" } });
    // The release in history is one operation, seen twice with one id.
    expect(cleared.operations.map((operation) => operation.externalId)).toEqual(drifted.operations.map((operation) => operation.externalId));
  });

  it("with drift detection off, drift is not observable even when a condition says otherwise", () => {
    const observation = helmReleaseObservation(release([ready("True", 0), { type: "Drifted", status: "True", lastTransitionTime: T(30).toISOString() }], "disabled"), context([], null, 31));
    expect(observation.app.driftObservable).toBe(false);
    expect(observation.drift.state).toBe("NOT_OBSERVABLE");
  });

  it("an upgrade seen running and then in history is one operation", () => {
    const first = helmReleaseObservation(release([ready("True", 0)], "enabled"), context([], null, 1));
    let stored = storedAfter(null, first);
    const running = helmReleaseObservation(release([ready("Unknown", 10)], "enabled"), context([], stored, 11));
    expect(running.operations.at(-1)).toMatchObject({ status: "IN_PROGRESS", startedAt: T(10) });
    stored = storedAfter(stored, running);
    const history = [
      { chartVersion: "1.0.0", configDigest: "sha256:two", namespace: "marketing", lastDeployed: T(12).toISOString(), status: "deployed" },
      { chartVersion: "1.0.0", configDigest: "sha256:one", namespace: "marketing", lastDeployed: T(0).toISOString(), status: "superseded" },
    ];
    const done = helmReleaseObservation(release([ready("True", 12)], "enabled", history), context([], stored, 13));
    const upgrade = done.operations.find((operation) => operation.revision === TWO)!;
    // Seen running it could not say what it was upgrading to; the new release it made is a deployment.
    expect(upgrade).toMatchObject({ externalId: running.operations.at(-1)!.externalId, status: "SUCCESS", startedAt: T(10), finishedAt: T(12), selfHeal: false });
    expect(done.operations.filter((operation) => operation.revision === ONE)).toHaveLength(1);
    stored = storedAfter(stored, done);
    const operations = stored.operations.map((operation, index) => ({ id: String(index), deploymentId: null, initiatedBy: null, automated: true, ...operation }));
    expect(planGitOpsDeployments(operations, { mergeRetries: true, observedSince: null }).map((deployment) => deployment.revision)).toEqual([ONE, TWO]);
  });

  it("a reconcile seen running that makes no new release corrected drift: a self-heal ending when Ready turned True, which ends the drift", () => {
    const drifted = helmReleaseObservation(
      release([ready("True", 0), { type: "Drifted", status: "True", lastTransitionTime: T(30).toISOString(), message: "Deployment/marketing/marketing-site spec.replicas: 6 (desired 3)" }], "enabled"),
      context([], null, 30),
    );
    let stored = storedAfter(null, drifted);
    const running = helmReleaseObservation(
      release([ready("Unknown", 35), { type: "Drifted", status: "True", lastTransitionTime: T(30).toISOString(), message: "Deployment/marketing/marketing-site spec.replicas: 6 (desired 3)" }], "enabled"),
      context([], stored, 35),
    );
    stored = storedAfter(stored, running);
    // Drifted is gone (no False transition to date it) and Ready is True again, the release unchanged.
    const done = helmReleaseObservation(release([ready("True", 39)], "enabled"), context([], stored, 39));
    const reconcile = done.operations.find((operation) => operation.externalId === running.operations.at(-1)!.externalId);
    expect(reconcile).toMatchObject({ status: "SUCCESS", startedAt: T(35), finishedAt: T(39), selfHeal: true, revision: ONE });
    expect(done.drift).toMatchObject({ state: "IN_SYNC", ended: { at: T(39), reason: "AUTO_HEAL" } });
    stored = storedAfter(stored, done);
    expect(stored.operations.filter((operation) => operation.status === "IN_PROGRESS")).toEqual([]);
    const operations = stored.operations.map((operation, index) => ({ id: String(index), deploymentId: null, initiatedBy: null, automated: true, ...operation }));
    expect(planGitOpsDeployments(operations, { mergeRetries: true, observedSince: null }).map((deployment) => deployment.revision)).toEqual([ONE]);
  });
});
