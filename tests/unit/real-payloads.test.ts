/**
 * The Argo CD and Flux transforms over payloads in the shapes the real controllers write, not the
 * sandbox's. Every fixture in tests/fixtures/real-payloads is authored here (our own names, shas and
 * times), in the shape of these public sources:
 * - argocd-multi-source-app.json: multi-source status with `revision: ""` beside `revisions[]` on
 *   `sync`, `history[]` (with their `sources`) and `syncResult`, chart source first: argoproj/argo-cd
 *   issue #13859 (https://github.com/argoproj/argo-cd/issues/13859), apache/devlake PR #8810
 *   (https://github.com/apache/devlake/pull/8810, "revision always empty for multi-source"),
 *   argoproj/argo-cd controller/testdata/live-application-multi-source.yaml (`ref` source), Argo CD's
 *   API description (v1alpha1Application, ../shared/reference/argocd-swagger.json); app in a
 *   non-control-plane namespace per Argo CD "Applications in any namespace".
 * - argocd-legacy-history-app.json: history entries without `deployStartedAt` (added in Argo CD 2.0),
 *   as in `argocd app get -o yaml` outputs quoted in argoproj/argo-cd issue #10244
 *   (https://github.com/argoproj/argo-cd/issues/10244, later ones with the field).
 * - argocd-helm-chart-retrying-app.json: a Helm repository chart (`chart` + semver `targetRevision`),
 *   `operationState` Running with `retryCount` and a "Retrying attempt #N" message (argoproj/argo-cd
 *   issue #15624, https://github.com/argoproj/argo-cd/issues/15624, controller logs).
 * - argocd-stream-events.json: `GET /api/v1/stream/applications` lines `{"result":{"type","application"}}`
 *   (swagger `v1alpha1ApplicationWatchEvent`), with a self-heal (`autoHealAttemptsCount`,
 *   `sync.resources`), Terminating and Error phases (phases per swagger `operationState.phase`).
 * - flux-kustomization-*.json: kustomize-controller docs/spec/v1/kustomizations.md (fluxcd/kustomize-controller;
 *   `main@sha1:<sha>`, `Ready`/`Reconciling`/`Stalled`/`Healthy` conditions, inventory), OCIRepository
 *   `<tag>@sha256:<digest>` (fluxcd source-controller OCIRepository docs), pre-2.0 `<ref>/<sha>`.
 * - flux-helmrelease-*.json: fluxcd/helm-controller docs/spec/v2/helmreleases.md: the "History example"
 *   (two snapshots with the same `configDigest` and chart versions `<version>+<digest[0:12]>`), the
 *   `Stalled`/`RetriesExceeded` describe output, `Released`/`TestSuccess`/`Drifted` conditions,
 *   `lastAttemptedRevision`/`lastAttemptedConfigDigest`/`lastAppliedRevision`; v2beta1 fields
 *   (`lastAppliedRevision`, `lastReleaseRevision`, `lastAttemptedValuesChecksum`) from docs/spec/v2beta1.
 * - deployments.json: `managedFields` as the API server writes them (`subresource: status|scale`),
 *   Flux's `kustomize.toolkit.fluxcd.io/*` and `helm.toolkit.fluxcd.io/*` labels, Helm chart labels,
 *   Argo CD's `argocd.argoproj.io/tracking-id` (https://argo-cd.readthedocs.io/en/release-3.3/user-guide/resource_tracking/:
 *   `<app>:<group>/<kind>:<namespace>/<name>`, the default from 3.0).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { argoObservation } from "@/lib/ingest/argocd/argo-observation";
import { deploymentView, type RawDeploymentWithFields } from "@/lib/ingest/kubernetes/deployment-view";
import { helmReleaseObservation, kustomizationObservation } from "@/lib/ingest/kubernetes/flux-observation";
import { sourceOf } from "@/lib/ingest/kubernetes/observe-flux-object";
import {
  argoOwnerOf,
  driftStateOf,
  parseArgoTrackingId,
  resolveAppCommit,
  syncedRevisionOf,
  transformApplication,
  transformHistory,
  transformOperation,
} from "@/lib/sources/argocd/transform";
import type { RawArgoApplication, RawArgoApplicationWatchEvent } from "@/lib/sources/argocd/types";
import {
  appliedHelmSnapshot,
  helmReleaseDrift,
  kustomizationReconcileState,
  parseFluxRevision,
  transformHelmRelease,
  transformKustomization,
} from "@/lib/sources/flux/transform";
import type { RawFluxSource, RawGitRepository, RawHelmRelease, RawKustomization } from "@/lib/sources/flux/types";

const fixture = <T>(name: string): T => JSON.parse(readFileSync(join(__dirname, "../fixtures/real-payloads", name), "utf8")) as T;
const context = (observedAt: string) => ({ integrationId: "int-1", observedAt: new Date(observedAt) });

describe("Argo CD: a multi-source app (chart from a Helm repository + values from Git) in another namespace", () => {
  const raw = fixture<RawArgoApplication>("argocd-multi-source-app.json");
  const CONFIG = "9b1e7c3a5d2f4e6a8c0b1d3f5a7c9e2b4d6f8a13";

  it("names the Git source's commit as synced and desired revision, never the chart version or an empty string", () => {
    expect(transformApplication(raw)).toMatchObject({
      externalId: "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
      name: "ledger",
      // `destination.name: ""` beside a server: the server is the cluster.
      cluster: "https://kubernetes.default.svc",
      namespace: "ledger",
      repoUrl: "https://github.com/example-org/finance-config.git",
      targetRevision: "main",
      syncStatus: "Synced",
      healthStatus: "Healthy",
      syncedRevision: CONFIG,
      desiredRevision: CONFIG,
      autoSync: true,
      selfHeal: true,
      serviceAnnotation: "ledger-api",
      sourceUpdatedAt: new Date("2026-11-20T10:07:12Z"),
    });
    expect(transformHistory(raw).map((entry) => entry.revision)).toEqual(["4d2f9a61c0b7e3158a9e2d4c6b8f0a1e3c5d7f92", CONFIG]);
    expect(driftStateOf(raw)).toEqual({ state: "IN_SYNC" });
  });

  it("the live operation and its history entry are one operation; an automated sync of a new revision is no self-heal", () => {
    const observation = argoObservation(raw, context("2026-11-20T10:08:00Z"));
    const ids = observation.operations.map((operation) => operation.externalId);
    expect(new Set(ids).size).toBe(2);
    const current = observation.operations.at(-1)!;
    expect(current).toMatchObject({ externalId: "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f@2026-11-20T10:01:55.000Z", status: "SUCCESS", revision: CONFIG, automated: true, initiatedBy: "argocd (automated)", selfHeal: false });
    expect(observation.operations.filter((operation) => operation.externalId === current.externalId)).toHaveLength(2);
    expect(observation.sourceEnvironment).toBe("production");
  });

  it("resolves the app commit from a `sha-<short>` tag of the service's image, ignoring sidecars", () => {
    expect(resolveAppCommit(transformOperation(raw)!.images, "ledger-api")).toMatchObject({ resolution: "IMAGE_TAG", sha: "0a9b8c7", shortSha: true });
    expect(resolveAppCommit(raw.status!.summary!.images!, "ledger-api")).toMatchObject({ resolution: "IMAGE_TAG", sha: "0a9b8c7" });
  });
});

describe("Argo CD: history written before deployStartedAt existed", () => {
  const raw = fixture<RawArgoApplication>("argocd-legacy-history-app.json");

  it("dates entries by their finish, and gives the newest the live operation's id (one sync, not two)", () => {
    const history = transformHistory(raw);
    expect(history.map((entry) => [entry.startKnown, entry.startedAt.toISOString()])).toEqual([
      [false, "2021-03-02T09:14:20.000Z"],
      [false, "2021-03-04T16:40:09.000Z"],
    ]);
    const observation = argoObservation(raw, context("2021-03-04T16:45:00Z"));
    const ids = observation.operations.map((operation) => operation.externalId);
    expect(ids).toEqual([
      "1b2c3d4e-5f60-4718-9a0b-1c2d3e4f5a6b@2021-03-02T09:14:20.000Z",
      "1b2c3d4e-5f60-4718-9a0b-1c2d3e4f5a6b@2021-03-04T16:39:51.000Z",
      "1b2c3d4e-5f60-4718-9a0b-1c2d3e4f5a6b@2021-03-04T16:39:51.000Z",
    ]);
    expect(observation.operations[1]).toMatchObject({ startedAt: new Date("2021-03-04T16:39:51Z"), finishedAt: new Date("2021-03-04T16:40:09Z") });
    expect(observation.operations[2]).toMatchObject({ initiatedBy: "admin", automated: false, selfHeal: false });
    expect(transformApplication(raw)).toMatchObject({ repoUrl: "git@github.com:example-org/billing-deploy.git", targetRevision: "HEAD", autoSync: false, selfHeal: false, cluster: "https://kubernetes.default.svc" });
    expect(resolveAppCommit(observation.images, "billing")).toMatchObject({ resolution: "IMAGE_TAG", sha: "e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0", shortSha: false });
  });
});

describe("Argo CD: a Helm repository chart whose sync is retrying", () => {
  const raw = fixture<RawArgoApplication>("argocd-helm-chart-retrying-app.json");

  it("the chart version is the revision; a retrying sync is still in progress, a rollout rather than drift", () => {
    expect(transformApplication(raw)).toMatchObject({ repoUrl: "https://kubernetes.github.io/ingress-nginx", path: "ingress-nginx", targetRevision: "4.11.3", cluster: "in-cluster", syncedRevision: "4.11.2", desiredRevision: "4.11.3", autoSync: true, selfHeal: false, healthStatus: "Degraded" });
    expect(transformOperation(raw)).toMatchObject({ status: "IN_PROGRESS", phase: "Running", revision: "4.11.3", automated: true, selfHeal: false, finishedAt: null, message: "Retrying attempt #2 at 9:16AM." });
    expect(driftStateOf(raw)).toEqual({ state: "ROLLOUT_IN_PROGRESS" });
    // A version tag with a digest names no commit: unresolved, never guessed.
    expect(resolveAppCommit(raw.status!.summary!.images!, "controller")).toEqual({ resolution: "UNRESOLVED", reason: "no image tag is a commit sha" });
  });
});

describe("Argo CD: the application stream", () => {
  const events = fixture<{ result: RawArgoApplicationWatchEvent }[]>("argocd-stream-events.json").map((line) => line.result);
  const at = (index: number) => events[index]!.application;

  it("every event transforms without throwing", () => {
    for (const event of events) {
      expect(["ADDED", "MODIFIED"]).toContain(event.type);
      expect(() => argoObservation(event.application, context("2026-11-28T00:00:00Z"))).not.toThrow();
    }
  });

  it("OutOfSync at the synced revision is live drift with its resources; the self-heal keeps one id from running to done and ends it", () => {
    expect(driftStateOf(at(1))).toEqual({ state: "LIVE_DRIFT", revision: "c4e8a2f6b0d3e5a7c9b1d2f4e6a8c0b2d4f6a8c1", resources: [{ kind: "Deployment", namespace: "checkout", name: "checkout" }] });
    const drift = argoObservation(at(1), context("2026-11-26T08:16:00Z")).drift;
    expect(drift).toMatchObject({ state: "LIVE_DRIFT", since: new Date("2026-11-26T08:15:09Z") });
    const running = transformOperation(at(2))!;
    const done = transformOperation(at(3))!;
    expect(running).toMatchObject({ status: "IN_PROGRESS", selfHeal: true, automated: true });
    expect(done).toMatchObject({ status: "SUCCESS", selfHeal: true });
    expect(argoObservation(at(2), context("2026-11-26T08:15:20Z")).operations.at(-1)!.externalId).toBe(argoObservation(at(3), context("2026-11-26T08:15:31Z")).operations.at(-1)!.externalId);
    // A partial sync (the self-heal's resources) does not move the synced revision.
    expect(syncedRevisionOf(at(3))).toBe("c4e8a2f6b0d3e5a7c9b1d2f4e6a8c0b2d4f6a8c1");
    expect(driftStateOf(at(3))).toEqual({ state: "IN_SYNC" });
  });

  it("Git ahead is a pending change; Terminating is still running; Error is a failed attempt by a person", () => {
    expect(driftStateOf(at(4))).toEqual({ state: "PENDING_CHANGE", desiredRevision: "f0e1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d", syncedRevision: "c4e8a2f6b0d3e5a7c9b1d2f4e6a8c0b2d4f6a8c1" });
    expect(transformOperation(at(5))).toMatchObject({ status: "IN_PROGRESS", phase: "Terminating", initiatedBy: "dana@example.org", automated: false, info: { Reason: "manual rollout" } });
    expect(driftStateOf(at(5))).toEqual({ state: "ROLLOUT_IN_PROGRESS" });
    expect(transformOperation(at(6))).toMatchObject({ status: "FAILURE", phase: "Error", revision: "f0e1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d", selfHeal: false, finishedAt: new Date("2026-11-27T09:05:02Z") });
    // A failed sync leaves the old revision running: the newer one is still pending.
    expect(driftStateOf(at(6))).toMatchObject({ state: "PENDING_CHANGE" });
  });
});

describe("Argo CD: nothing throws on missing optional fields", () => {
  it("a bare Application (never synced, no status)", () => {
    const bare: RawArgoApplication = { metadata: { name: "new-app" }, spec: { destination: {} } };
    expect(transformApplication(bare)).toMatchObject({ externalId: "argocd/new-app", syncStatus: "Unknown", syncedRevision: null, desiredRevision: null, sourceUpdatedAt: new Date(0) });
    expect(transformOperation(bare)).toBeNull();
    expect(argoObservation(bare, context("2026-11-28T00:00:00Z")).operations).toEqual([]);
    expect(driftStateOf(bare)).toMatchObject({ state: "UNKNOWN" });
    const odd: RawArgoApplication = { metadata: { name: "odd" }, spec: { sources: [], destination: {} }, status: { operationState: { phase: "Running", startedAt: "" }, history: [{ id: 1, deployedAt: "" }], sync: { status: "OutOfSync", revisions: [] } } };
    expect(() => argoObservation(odd, context("2026-11-28T00:00:00Z"))).not.toThrow();
  });
});

describe("Argo CD tracking and live Deployments' owners", () => {
  const deployments = fixture<RawDeploymentWithFields[]>("deployments.json");
  const byName = (name: string) => deployments.find((deployment) => deployment.metadata.name === name)!;

  it("parses the tracking annotation, including an app in another namespace and a core-group object", () => {
    expect(parseArgoTrackingId("team-shop_checkout:apps/Deployment:checkout/checkout")).toEqual({ appName: "checkout", appNamespace: "team-shop", group: "apps", kind: "Deployment", namespace: "checkout", name: "checkout" });
    expect(parseArgoTrackingId("web:/Service:web/frontend")).toMatchObject({ appName: "web", group: "", kind: "Service", namespace: "web" });
    expect(parseArgoTrackingId("web:rbac.authorization.k8s.io/ClusterRole:/reader")).toMatchObject({ kind: "ClusterRole", namespace: null, name: "reader" });
    expect(parseArgoTrackingId("not a tracking id")).toBeNull();
  });

  it("the owner: the annotation wins; a bare instance label beside managed-by Helm is a helm install, not Argo CD", () => {
    expect(argoOwnerOf(byName("checkout").metadata)).toEqual({ appName: "checkout", appNamespace: "team-shop", via: "annotation" });
    expect(argoOwnerOf(byName("ingress-nginx-controller").metadata)).toEqual({ appName: "ingress-nginx", appNamespace: null, via: "annotation" });
    expect(argoOwnerOf(byName("redis-master").metadata)).toBeNull();
    expect(argoOwnerOf(byName("orders").metadata)).toBeNull();
  });

  it("deploymentView: Flux labels name the owner", () => {
    const orders = deploymentView(byName("orders"));
    expect(orders).toMatchObject({ fluxOwner: { kind: "FLUX_KUSTOMIZATION", namespace: "flux-system", name: "orders" }, lastFluxWrite: { manager: "kustomize-controller" } });
    expect(deploymentView(byName("storefront"))).toMatchObject({ fluxOwner: { kind: "FLUX_HELMRELEASE", namespace: "shop", name: "storefront" } });
    expect(deploymentView(byName("redis-master"))).toMatchObject({ managedBy: "push", fluxOwner: null });
    expect(deploymentView(byName("search-api"))).toMatchObject({ managedBy: "push", autoscaled: true, replicas: 5 });
  });

  it("deploymentView: an Argo CD tracking annotation makes the Deployment Argo-managed (checkout, ingress-nginx-controller)", () => {
    // An app in another namespace is named with it: its name alone may repeat across namespaces.
    expect(deploymentView(byName("checkout"))).toMatchObject({ managedBy: "argocd:team-shop/checkout", fluxOwner: null });
    // A Helm chart Argo CD deployed: the annotation wins over `managed-by: Helm`.
    expect(deploymentView(byName("ingress-nginx-controller"))).toMatchObject({ managedBy: "argocd:ingress-nginx", fluxOwner: null });
    // The instance label alone (label tracking, as older Argo CD and the sandbox write it) still counts.
    const labelled = { ...byName("checkout"), metadata: { name: "api", namespace: "api", labels: { "app.kubernetes.io/instance": "API" } } };
    expect(deploymentView(labelled).managedBy).toBe("argocd:api");
    // A Flux-applied Helm chart is Flux's, whatever instance label the chart sets.
    expect(deploymentView(byName("storefront")).managedBy).toBe("flux:helmrelease:in-cluster/shop/storefront");
  });
  // Every real Deployment carries kube-controller-manager's `subresource: status` write, newer than
  // any edit: it is neither the last foreign write nor an autoscaler's.
  it("deploymentView: `subresource: status` writes are neither an edit nor an autoscaler (orders: lastForeignWrite kubectl-edit, autoscaled false)", () => {
    expect(deploymentView(byName("orders"))).toMatchObject({
      autoscaled: false,
      replicas: 2,
      lastWrite: { manager: "kubectl-edit", at: new Date("2026-11-26T16:02:11Z") },
      lastForeignWrite: { manager: "kubectl-edit", at: new Date("2026-11-26T16:02:11Z") },
      lastFluxWrite: { manager: "kustomize-controller", at: new Date("2026-11-24T11:20:30Z") },
    });
    // The HPA's `scale` write (kube-controller-manager) owns the count; it is no edit either.
    expect(deploymentView(byName("search-api"))).toMatchObject({ autoscaled: true, lastForeignWrite: { manager: "kubectl-client-side-apply", at: new Date("2026-11-20T09:00:00Z") } });
    for (const name of ["storefront", "checkout", "ingress-nginx-controller", "redis-master"]) expect(deploymentView(byName(name)).autoscaled, name).toBe(false);
  });
});

describe("Flux revisions in every format the controllers write", () => {
  const SHA = "5a1c9e3b7d2f4a6c8e0b2d4f6a8c1e3b5d7f9a2c";
  it.each([
    [`main@sha1:${SHA}`, { ref: "main", sha: SHA, commit: SHA, digest: null }],
    [`refs/heads/main@sha1:${SHA}`, { ref: "refs/heads/main", sha: SHA, commit: SHA, digest: null }],
    [`v1.2.0@sha1:${SHA}`, { ref: "v1.2.0", sha: SHA, commit: SHA, digest: null }],
    [`sha1:${SHA}`, { ref: null, sha: SHA, commit: SHA, digest: null }],
    [`main/${SHA}`, { ref: "main", sha: SHA, commit: SHA, digest: null }],
    [`release/2023.04/${SHA}`, { ref: "release/2023.04", sha: SHA, commit: SHA, digest: null }],
    [SHA, { ref: null, sha: SHA, commit: SHA, digest: null }],
    [`latest@sha256:${"6e1f".repeat(16)}`, { ref: "latest", sha: `sha256:${"6e1f".repeat(16)}`, commit: null, digest: `sha256:${"6e1f".repeat(16)}` }],
    [`sha256:${"19af".repeat(16)}`, { ref: null, sha: `sha256:${"19af".repeat(16)}`, commit: null, digest: `sha256:${"19af".repeat(16)}` }],
    [`latest/${"19af".repeat(16)}`, { ref: "latest", sha: `sha256:${"19af".repeat(16)}`, commit: null, digest: `sha256:${"19af".repeat(16)}` }],
    ["6.6.1+0cc9a8446c95", { ref: null, sha: null, commit: null, digest: null }],
    ["", { ref: null, sha: null, commit: null, digest: null }],
  ])("%s", (revision, expected) => {
    expect(parseFluxRevision(revision)).toEqual(expected);
  });
});

describe("Flux Kustomizations", () => {
  const git = fixture<{ kustomization: RawKustomization; source: RawFluxSource }>("flux-kustomization-git.json");
  const oci = fixture<{ kustomization: RawKustomization; source: RawFluxSource }>("flux-kustomization-oci.json");
  const legacy = fixture<{ kustomization: RawKustomization }>("flux-kustomization-legacy.json");
  const stalled = fixture<RawKustomization>("flux-kustomization-stalled.json");
  const SHA = "b8d0f2a4c6e8a1c3e5b7d9f1a3c5e7b9d1f3a5c8";
  const none = { deployments: [], stored: null };

  it("a Git source: synced at the source's commit; a requestedAt token that is no time is ignored", () => {
    expect(transformKustomization(git.kustomization, git.source)).toMatchObject({
      externalId: "f1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b",
      namespace: "orders",
      repoUrl: "https://github.com/example-org/fleet",
      targetRevision: "main",
      syncStatus: "Synced",
      healthStatus: "Healthy",
      syncedRevision: SHA,
      desiredRevision: SHA,
      sourceUpdatedAt: new Date("2026-11-24T11:20:31Z"),
    });
    expect(kustomizationReconcileState(git.kustomization)).toEqual({ state: "APPLIED", revision: SHA });
  });

  it("an OCIRepository source: digests compare, a new one being applied is a rollout in progress", () => {
    const app = transformKustomization(oci.kustomization, oci.source);
    expect(app).toMatchObject({ repoUrl: "oci://ghcr.io/example-org/manifests/payments", targetRevision: "latest", syncStatus: "OutOfSync", healthStatus: "Progressing", syncedRevision: `sha256:${"6e1f".repeat(16)}`, desiredRevision: `sha256:${"a92c".repeat(16)}` });
    const observation = kustomizationObservation(oci.kustomization, oci.source, { ...context("2026-11-26T07:01:00Z"), ...none });
    expect(observation.drift.state).toBe("ROLLOUT_IN_PROGRESS");
    expect(observation.operations).toMatchObject([{ status: "IN_PROGRESS", revision: `sha256:${"a92c".repeat(16)}` }]);
  });

  it("an OCIRepository source is not listed: the Kustomization is never paired with a same-named GitRepository and falls back to its attempted revision", () => {
    const namesake: RawGitRepository = { metadata: { name: "payments-manifests", namespace: "apps" }, spec: { url: "https://github.com/example-org/other" }, status: { artifact: { revision: `main@sha1:${SHA}` } } };
    expect(sourceOf(oci.kustomization, [namesake])).toBeNull();
    expect(sourceOf(git.kustomization, [git.source as RawGitRepository])).toBe(git.source);
    const observation = kustomizationObservation(oci.kustomization, null, { ...context("2026-11-26T07:01:00Z"), ...none });
    expect(observation.app).toMatchObject({ repoUrl: "", targetRevision: "latest", syncStatus: "OutOfSync", syncedRevision: `sha256:${"6e1f".repeat(16)}`, desiredRevision: `sha256:${"a92c".repeat(16)}` });
    expect(observation.drift.state).toBe("ROLLOUT_IN_PROGRESS");
    expect(observation.operations).toMatchObject([{ status: "IN_PROGRESS", revision: `sha256:${"a92c".repeat(16)}` }]);
  });

  it("pre-2.0 revisions: the ref keeps its slashes", () => {
    expect(transformKustomization(legacy.kustomization, null)).toMatchObject({ syncStatus: "Synced", syncedRevision: "5a1c9e3b7d2f4a6c8e0b2d4f6a8c1e3b5d7f9a2c", targetRevision: "release/2023.04" });
  });

  it("Stalled with Ready=False and a newer attempted revision: a failed attempt (not a failed change), degraded", () => {
    expect(transformKustomization(stalled, null)).toMatchObject({ healthStatus: "Degraded", syncStatus: "OutOfSync", syncedRevision: "5a1c9e3b7d2f4a6c8e0b2d4f6a8c1e3b5d7f9a2c", desiredRevision: SHA });
    expect(kustomizationReconcileState(stalled)).toMatchObject({ state: "FAILED_ATTEMPT", attempted: SHA, applied: "5a1c9e3b7d2f4a6c8e0b2d4f6a8c1e3b5d7f9a2c", message: "Deployment/orders/orders status: 'Failed'" });
    const observation = kustomizationObservation(stalled, null, { ...context("2026-11-25T08:05:00Z"), ...none });
    expect(observation.operations).toMatchObject([{ status: "FAILURE", revision: SHA, finishedAt: new Date("2026-11-25T08:04:10Z") }]);
    expect(observation.drift.state).toBe("PENDING_CHANGE");
  });
});

describe("Flux HelmReleases", () => {
  const upgraded = fixture<RawHelmRelease>("flux-helmrelease-chart-upgrade.json");
  const upgrading = fixture<RawHelmRelease>("flux-helmrelease-upgrading.json");
  const failed = fixture<RawHelmRelease>("flux-helmrelease-failed-upgrade.json");
  const warn = fixture<RawHelmRelease>("flux-helmrelease-drifted-warn.json");
  const v2beta1 = fixture<RawHelmRelease>("flux-helmrelease-v2beta1.json");
  const C1 = `sha256:${"4b7e".repeat(16)}`;
  const C2 = `sha256:${"c0d5".repeat(16)}`;
  // A release is its chart version and values digest together: a chart upgrade keeps the digest.
  const V340 = `3.4.0+1a2b3c4d5e6f@${C1}`;
  const V341 = `3.4.1+9f8e7d6c5b4a@${C1}`;
  const V350 = `3.5.0+aa11bb22cc33@${C2}`;
  const none = { deployments: [], stored: null };

  it("a released chart: synced at its chart version and values digest, drift detection enabled corrects (self-heal), Drifted=False is clean", () => {
    expect(transformHelmRelease(upgraded)).toMatchObject({ namespace: "shop", path: "storefront-chart", syncStatus: "Synced", healthStatus: "Healthy", syncedRevision: V341, desiredRevision: V341, autoSync: true, selfHeal: true, driftObservable: true, serviceAnnotation: "storefront" });
    expect(helmReleaseDrift(upgraded)).toMatchObject({ observable: true, corrects: true, drifted: false });
    const observation = helmReleaseObservation(upgraded, { ...context("2026-11-22T15:31:00Z"), ...none });
    expect(observation.drift.state).toBe("IN_SYNC");
    // The chart upgrade at unchanged values is a release of its own, not the same one re-applied.
    expect(observation.operations.map((operation) => [operation.status, operation.revision])).toEqual([
      ["SUCCESS", V340],
      ["SUCCESS", V341],
    ]);
  });

  it("the chart upgrade at unchanged values, seen running and then released, is a deployment (not a self-heal of the running release)", () => {
    const before = helmReleaseObservation(upgrading, { ...context("2026-11-22T15:30:00Z"), ...none });
    expect(before.app).toMatchObject({ syncedRevision: V340, desiredRevision: V341, syncStatus: "OutOfSync" });
    const running = before.operations.at(-1)!;
    expect(running).toMatchObject({ status: "IN_PROGRESS", revision: V341, selfHeal: false });
    const stored = { appliedImages: [], syncedRevision: V340, operations: before.operations.map((operation) => ({ ...operation })) };
    const after = helmReleaseObservation(upgraded, { ...context("2026-11-22T15:31:00Z"), deployments: [], stored });
    expect(after.operations.find((operation) => operation.externalId === running.externalId)).toMatchObject({ status: "SUCCESS", revision: V341, selfHeal: false, finishedAt: new Date("2026-11-22T15:30:12Z") });
  });

  it("an upgrade to a new chart with unchanged values is in flight, not Synced", () => {
    expect(transformHelmRelease(upgrading)).toMatchObject({ syncStatus: "OutOfSync", syncedRevision: V340, desiredRevision: V341, healthStatus: "Progressing" });
  });

  it("a failed upgrade: the running release is the last deployed one, not the failed snapshot listed first; Stalled is degraded", () => {
    expect(appliedHelmSnapshot(failed.status?.history)).toMatchObject({ version: 2, status: "deployed" });
    expect(transformHelmRelease(failed)).toMatchObject({ syncStatus: "OutOfSync", healthStatus: "Degraded", syncedRevision: V341, desiredRevision: V350 });
    expect(() => helmReleaseObservation(failed, { ...context("2026-11-23T08:16:00Z"), ...none })).not.toThrow();
  });

  it("helmReleaseObservation: failed snapshots are never successful operations, and a failed upgrade is a FAILURE attempt of its digest", () => {
    const observation = helmReleaseObservation(failed, { ...context("2026-11-23T08:16:00Z"), ...none });
    expect(observation.app).toMatchObject({ syncedRevision: V341, desiredRevision: V350, syncStatus: "OutOfSync" });
    // The running release v2, and the failed upgrade (v3 and its retry v4: one attempt), dated by Ready's transition.
    expect(observation.operations.map((operation) => [operation.status, operation.revision, operation.finishedAt?.toISOString()])).toEqual([
      ["SUCCESS", V341, "2026-11-22T15:30:12.000Z"],
      ["FAILURE", V350, "2026-11-23T08:02:10.000Z"],
    ]);
    expect(observation.operations.filter((operation) => operation.status === "SUCCESS" && operation.revision === V350)).toEqual([]);
    expect(observation.drift.state).not.toBe("LIVE_DRIFT");
    // Once a later release went out, the failed run is history: still one failure, with the id it had.
    const stored = { appliedImages: [], syncedRevision: V341, operations: observation.operations.map((operation) => ({ ...operation })) };
    const recovered: RawHelmRelease = {
      ...failed,
      status: {
        ...failed.status,
        conditions: [{ type: "Ready", status: "True", reason: "UpgradeSucceeded", lastTransitionTime: "2026-11-23T09:00:05Z" }],
        lastAttemptedRevision: "3.5.1+bb22cc33dd44",
        lastAttemptedConfigDigest: C2,
        history: [{ ...failed.status!.history![0]!, version: 5, status: "deployed", chartVersion: "3.5.1+bb22cc33dd44", lastDeployed: "2026-11-23T09:00:00Z" }, ...failed.status!.history!],
      },
    };
    const later = helmReleaseObservation(recovered, { ...context("2026-11-23T09:01:00Z"), deployments: [], stored });
    expect(later.operations.map((operation) => [operation.externalId, operation.status, operation.revision])).toEqual([
      [observation.operations[0]!.externalId, "SUCCESS", V341],
      [observation.operations[1]!.externalId, "FAILURE", V350],
      [expect.any(String), "SUCCESS", `3.5.1+bb22cc33dd44@${C2}`],
    ]);
  });

  it("Drifted=True with drift detection in warn mode is observable live drift, not corrected", () => {
    expect(transformHelmRelease(warn)).toMatchObject({ namespace: "web", path: "podinfo", targetRevision: "6.7.x", driftObservable: true, selfHeal: false, syncStatus: "Synced" });
    const observation = helmReleaseObservation(warn, { ...context("2026-11-26T14:00:00Z"), ...none });
    expect(observation.drift).toMatchObject({ state: "LIVE_DRIFT", since: new Date("2026-11-26T13:45:00Z") });
  });

  it("v2beta1 (no history, no digest): the applied chart version stands in; drift not observable", () => {
    expect(transformHelmRelease(v2beta1)).toMatchObject({ syncedRevision: "17.11.3", desiredRevision: "17.11.3", syncStatus: "Synced", driftObservable: false, selfHeal: false, namespace: "cache" });
    expect(helmReleaseObservation(v2beta1, { ...context("2026-11-28T00:00:00Z"), ...none }).drift.state).toBe("NOT_OBSERVABLE");
  });

  it("nothing throws on a HelmRelease or Kustomization with no status", () => {
    const bareRelease: RawHelmRelease = { metadata: { name: "x" }, spec: {} };
    const bareKustomization: RawKustomization = { metadata: { name: "y" }, spec: { sourceRef: { kind: "GitRepository", name: "z" } } };
    expect(transformHelmRelease(bareRelease)).toMatchObject({ syncedRevision: null, sourceUpdatedAt: new Date(0) });
    expect(transformKustomization(bareKustomization, null)).toMatchObject({ syncedRevision: null, healthStatus: "Progressing" });
    expect(() => helmReleaseObservation(bareRelease, { ...context("2026-11-28T00:00:00Z"), ...none })).not.toThrow();
    expect(() => kustomizationObservation(bareKustomization, null, { ...context("2026-11-28T00:00:00Z"), ...none })).not.toThrow();
  });
});
