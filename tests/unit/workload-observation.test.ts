import { describe, expect, it } from "vitest";
import { deploymentView } from "@/lib/ingest/kubernetes/deployment-view";
import { type PushDriftFacts, pushWorkloadDrift } from "@/lib/ingest/kubernetes/workload-observation";

const DEPLOYED = "a".repeat(40);
const OLDER = "b".repeat(40);
const NEWER = "c".repeat(40);
const T = (hours: number) => new Date(Date.UTC(2026, 5, 15, hours));

const view = (image: string, labels: Record<string, string> = { "app.kubernetes.io/managed-by": "pipeline" }, managedFields: { manager: string; time: string; subresource?: string }[] = []) =>
  deploymentView({ metadata: { name: "payments-api", namespace: "payments", labels, managedFields }, spec: { template: { spec: { containers: [{ name: "payments-api", image }] } } } });

const facts = (extra: Partial<PushDriftFacts> = {}): PushDriftFacts => ({ bound: true, deployed: { sha: DEPLOYED, finishedAt: T(1) }, liveCommit: null, deployedCommit: { committedAt: T(0) }, storedDesiredImages: [], ...extra });

describe("push-based workload drift", () => {
  it("the deployed sha running (whole or abbreviated) is in sync", () => {
    expect(pushWorkloadDrift(view(`reg/payments-api:${DEPLOYED}`), facts()).drift.state).toBe("IN_SYNC");
    expect(pushWorkloadDrift(view(`reg/payments-api:main-${DEPLOYED.slice(0, 8)}`), facts()).drift.state).toBe("IN_SYNC");
  });

  it("an older build is live drift from the edit's managedFields time, with the resource and both values", () => {
    const decision = pushWorkloadDrift(view(`reg/payments-api:${OLDER}`, undefined, [{ manager: "kubectl-edit", time: T(5).toISOString() }]), facts({ liveCommit: { sha: OLDER, committedAt: T(-5) } }));
    expect(decision.drift).toEqual({
      state: "LIVE_DRIFT",
      since: T(5),
      actor: "kubectl-edit",
      resources: [{ kind: "Deployment", namespace: "payments", name: "payments-api", field: "spec.template.spec.containers[name=payments-api].image", liveValue: `reg/payments-api:${OLDER}`, desiredValue: `reg/payments-api:${DEPLOYED}` }],
    });
  });

  it("the edit is the newest spec write: status writes and an autoscaler's resize after it are not the edit", () => {
    const fields = [
      { manager: "kubectl-set", time: T(5).toISOString() },
      { manager: "kube-controller-manager", time: T(6).toISOString(), subresource: "scale" },
      { manager: "kube-controller-manager", time: T(7).toISOString(), subresource: "status" },
    ];
    const live = view(`reg/payments-api:${OLDER}`, undefined, fields);
    expect(live).toMatchObject({ autoscaled: true, lastWrite: { manager: "kube-controller-manager", at: T(6) }, lastForeignWrite: { manager: "kubectl-set", at: T(5) } });
    expect(pushWorkloadDrift(live, facts({ liveCommit: { sha: OLDER, committedAt: T(-5) } })).drift).toMatchObject({ state: "LIVE_DRIFT", since: T(5), actor: "kubectl-set" });
  });

  it("an image naming no commit (a debug build) is live drift", () => {
    expect(pushWorkloadDrift(view("reg/payments-api:debug-3"), facts()).drift.state).toBe("LIVE_DRIFT");
  });

  it("a sha we do not know, or a newer one, is CI ahead of ingestion: not drift", () => {
    expect(pushWorkloadDrift(view(`reg/payments-api:${NEWER}`), facts()).drift.state).toBe("UNKNOWN");
    expect(pushWorkloadDrift(view(`reg/payments-api:${NEWER}`), facts({ liveCommit: { sha: NEWER, committedAt: T(2) } })).drift.state).toBe("ROLLOUT_IN_PROGRESS");
  });

  it("a newer commit production already ran and a later deployment replaced (a rolled-back release) set by hand is live drift", () => {
    const newer = { liveCommit: { sha: NEWER, committedAt: T(2) } };
    expect(pushWorkloadDrift(view(`reg/payments-api:${NEWER}`), facts({ ...newer, liveRelease: "superseded" })).drift).toMatchObject({ state: "LIVE_DRIFT", resources: [{ liveValue: `reg/payments-api:${NEWER}` }] });
    // A deployment of it running is a rollout, whatever its commit's age.
    expect(pushWorkloadDrift(view(`reg/payments-api:${NEWER}`), facts({ ...newer, liveRelease: "rolling-out" })).drift.state).toBe("ROLLOUT_IN_PROGRESS");
    expect(pushWorkloadDrift(view(`reg/payments-api:${OLDER}`), facts({ liveCommit: { sha: OLDER, committedAt: T(-5) }, liveRelease: "rolling-out" })).drift.state).toBe("ROLLOUT_IN_PROGRESS");
  });

  it("no binding or no deployment: not observable", () => {
    expect(pushWorkloadDrift(view(`reg/payments-api:${OLDER}`), facts({ bound: false, deployed: null }))).toMatchObject({ driftObservable: false, drift: { state: "NOT_OBSERVABLE" } });
    expect(pushWorkloadDrift(view(`reg/payments-api:${OLDER}`), facts({ deployed: null }))).toMatchObject({ driftObservable: false });
  });

  it("who manages a Deployment comes from the controllers' labels", () => {
    expect(view("x:1").managedBy).toBe("push");
    expect(view("x:1", { "kustomize.toolkit.fluxcd.io/name": "search", "kustomize.toolkit.fluxcd.io/namespace": "flux-system" }).managedBy).toBe("flux:kustomization:in-cluster/flux-system/search");
    expect(view("x:1", { "app.kubernetes.io/managed-by": "Helm", "app.kubernetes.io/instance": "web", "helm.toolkit.fluxcd.io/name": "web", "helm.toolkit.fluxcd.io/namespace": "flux-system" }).managedBy).toBe("flux:helmrelease:in-cluster/flux-system/web");
    expect(view("x:1", { "app.kubernetes.io/instance": "catalog-api" }).managedBy).toBe("argocd:catalog-api");
  });
});
