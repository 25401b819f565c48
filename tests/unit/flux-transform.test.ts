import { describe, expect, it } from "vitest";
import { clusterObjectOf } from "@/lib/sandbox/scenario/gitops/cluster-objects";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { truthAsOf } from "@/lib/sandbox/scenario/truth-as-of";
import {
  helmReleaseDrift,
  helmRevision,
  helmRevisionsMatch,
  kustomizationReconcileState,
  parseFluxRevision,
  parseHelmRevision,
  transformHelmRelease,
  transformKustomization,
} from "@/lib/sources/flux/transform";
import type { RawGitRepository, RawHelmRelease, RawKustomization } from "@/lib/sources/flux/types";

const A = "3f786850e387550fdab836ed7e6dc881de23001b";
const B = "89e6c98d92887913cadf06b2adb97f26cde4849b";

function kustomization(status: RawKustomization["status"], spec: Partial<RawKustomization["spec"]> = {}): RawKustomization {
  return {
    metadata: { name: "search-indexer", namespace: "flux-system", uid: "k-1", annotations: { "pipeline-health.dev/service": "search-indexer" } },
    spec: { interval: "10m", path: "./apps/search-indexer/production", prune: true, targetNamespace: "search", sourceRef: { kind: "GitRepository", name: "config" }, ...spec },
    status,
  };
}

const source = (sha: string): RawGitRepository => ({
  metadata: { name: "config", namespace: "flux-system" },
  spec: { url: "https://github.com/acme/config", ref: { branch: "main" } },
  status: { artifact: { revision: `main@sha1:${sha}` } },
});

describe("Flux transform (hand-built objects)", () => {
  it("reads Flux 2 and older revision formats, and refuses anything that is not a commit", () => {
    expect(parseFluxRevision(`main@sha1:${A}`)).toEqual({ ref: "main", sha: A, commit: A, digest: null });
    expect(parseFluxRevision(`sha1:${A}`)).toEqual({ ref: null, sha: A, commit: A, digest: null });
    expect(parseFluxRevision(`main/${A}`)).toEqual({ ref: "main", sha: A, commit: A, digest: null });
    expect(parseFluxRevision("1.4.2")).toEqual({ ref: null, sha: null, commit: null, digest: null });
    expect(parseFluxRevision(undefined)).toEqual({ ref: null, sha: null, commit: null, digest: null });
  });

  it("a Kustomization behind its source is a pending change; a suspended one waits for a person", () => {
    const ready = { type: "Ready", status: "True", reason: "ReconciliationSucceeded", lastTransitionTime: "2026-11-20T10:00:00Z" };
    const synced = transformKustomization(kustomization({ conditions: [ready], lastAppliedRevision: `main@sha1:${A}`, lastAttemptedRevision: `main@sha1:${A}` }), source(A));
    expect(synced).toMatchObject({ kind: "FLUX_KUSTOMIZATION", externalId: "k-1", namespace: "search", repoUrl: "https://github.com/acme/config", targetRevision: "main", syncStatus: "Synced", healthStatus: "Healthy", syncedRevision: A, desiredRevision: A, autoSync: true, selfHeal: true, suspended: false, driftObservable: true, serviceAnnotation: "search-indexer" });
    const behind = transformKustomization(kustomization({ conditions: [ready], lastAppliedRevision: `main@sha1:${A}` }), source(B));
    expect(behind).toMatchObject({ syncStatus: "OutOfSync", syncedRevision: A, desiredRevision: B });
    expect(transformKustomization(kustomization({}, { suspend: true }), null)).toMatchObject({ suspended: true, autoSync: false, healthStatus: "Progressing", syncedRevision: null });
  });

  it("Ready=False with the attempted revision not applied is a failed attempt; at the applied one it is a failing object", () => {
    const notReady = { type: "Ready", status: "False", reason: "HealthCheckFailed", message: "timeout waiting for: [Deployment/search/search-indexer status: 'InProgress']" };
    expect(kustomizationReconcileState(kustomization({ conditions: [notReady], lastAppliedRevision: `main@sha1:${A}`, lastAttemptedRevision: `main@sha1:${B}` }))).toEqual({
      state: "FAILED_ATTEMPT",
      attempted: B,
      applied: A,
      message: notReady.message,
    });
    expect(kustomizationReconcileState(kustomization({ conditions: [notReady], lastAppliedRevision: `main@sha1:${A}`, lastAttemptedRevision: `main@sha1:${A}` }))).toMatchObject({ state: "FAILING" });
    expect(kustomizationReconcileState(kustomization({ conditions: [{ type: "Ready", status: "Unknown", reason: "Progressing" }] }))).toEqual({ state: "RECONCILING" });
  });

  it("a HelmRelease's drift is observable only with drift detection on, and Drifted=True is live drift", () => {
    const release = (mode: string | undefined, drifted: boolean): RawHelmRelease => ({
      metadata: { name: "marketing-site", namespace: "flux-system" },
      spec: { interval: "10m", chart: { spec: { chart: "./charts/marketing-site" } }, ...(mode ? { driftDetection: { mode } } : {}) },
      status: {
        conditions: [{ type: "Ready", status: "True" }, ...(drifted ? [{ type: "Drifted", status: "True", lastTransitionTime: "2026-11-21T09:00:00Z", message: "replicas changed" }] : [])],
        history: [{ chartVersion: "1.2.0", configDigest: "sha256:abc", status: "deployed", namespace: "marketing", lastDeployed: "2026-11-20T10:00:00Z" }],
      },
    });
    expect(helmReleaseDrift(release("enabled", true))).toEqual({ observable: true, corrects: true, drifted: true, since: "2026-11-21T09:00:00Z", message: "replicas changed" });
    expect(helmReleaseDrift(release("warn", false))).toMatchObject({ observable: true, drifted: false });
    expect(helmReleaseDrift(release(undefined, true))).toMatchObject({ observable: false, drifted: false });
    expect(transformHelmRelease(release("disabled", false))).toMatchObject({ kind: "FLUX_HELMRELEASE", driftObservable: false, selfHeal: false, syncedRevision: "1.2.0@sha256:abc", namespace: "marketing" });
    expect(transformHelmRelease(release("enabled", false))).toMatchObject({ driftObservable: true, selfHeal: true });
  });

  it("a Helm revision is chart version and values digest together, and reads back; a part Flux did not report is unknown", () => {
    expect(helmRevision("1.2.0", "sha256:abc")).toBe("1.2.0@sha256:abc");
    expect(helmRevision("17.11.3", undefined)).toBe("17.11.3");
    expect(helmRevision(null, "sha256:abc")).toBe("sha256:abc");
    expect(helmRevision("", "")).toBeNull();
    expect(parseHelmRevision("6.6.1+0cc9a8446c95@sha256:abc")).toEqual({ chartVersion: "6.6.1+0cc9a8446c95", configDigest: "sha256:abc" });
    expect(parseHelmRevision("sha256:abc")).toEqual({ chartVersion: null, configDigest: "sha256:abc" });
    expect(parseHelmRevision("17.11.3")).toEqual({ chartVersion: "17.11.3", configDigest: null });
    expect(helmRevisionsMatch("1.2.0@sha256:abc", "1.2.0@sha256:abc")).toBe(true);
    expect(helmRevisionsMatch("1.2.0", "1.2.0@sha256:abc")).toBe(true);
    expect(helmRevisionsMatch("1.3.0", "1.2.0@sha256:abc")).toBe(false);
    expect(helmRevisionsMatch("1.3.0@sha256:abc", "1.2.0@sha256:abc")).toBe(false);
    expect(helmRevisionsMatch(null, "1.2.0@sha256:abc")).toBe(true);
  });

  it("a HelmRelease's attempt without a reported digest is the applied release when its chart version is; another version is another release", () => {
    const release = (attempted: { lastAttemptedRevision?: string; lastAttemptedConfigDigest?: string }): RawHelmRelease => ({
      metadata: { name: "marketing-site", namespace: "flux-system" },
      spec: {},
      status: { conditions: [{ type: "Ready", status: "Unknown" }], history: [{ chartVersion: "1.2.0", configDigest: "sha256:abc", status: "deployed", lastDeployed: "2026-11-20T10:00:00Z" }], ...attempted },
    });
    expect(transformHelmRelease(release({ lastAttemptedRevision: "1.2.0" }))).toMatchObject({ syncStatus: "Synced", desiredRevision: "1.2.0@sha256:abc" });
    expect(transformHelmRelease(release({ lastAttemptedRevision: "1.3.0" }))).toMatchObject({ syncStatus: "OutOfSync", desiredRevision: "1.3.0", syncedRevision: "1.2.0@sha256:abc" });
    expect(transformHelmRelease(release({ lastAttemptedConfigDigest: "sha256:def" }))).toMatchObject({ syncStatus: "OutOfSync", desiredRevision: "sha256:def" });
    // A chart upgrade with unchanged values: same digest, another release.
    expect(transformHelmRelease(release({ lastAttemptedRevision: "1.3.0", lastAttemptedConfigDigest: "sha256:abc" }))).toMatchObject({ syncStatus: "OutOfSync", desiredRevision: "1.3.0@sha256:abc" });
  });
});

describe("Flux transform over the sandbox's objects, against the generator's truth", () => {
  const { truth } = generateScenario({ anchor: new Date("2026-11-27T12:00:00Z") });
  const kustomizations = truth.gitops.apps.filter((app) => app.controller === "flux-kustomization");
  const releases = truth.gitops.apps.filter((app) => app.controller === "flux-helmrelease");

  it.each(kustomizations.map((app) => [app.serviceSlug, app] as const))("%s: the applied revision is the truth's last successful deployment", (_slug, app) => {
    const raw = clusterObjectOf(truth.gitops, app) as unknown as RawKustomization;
    const record = transformKustomization(raw, null);
    const deployed = truth.gitops.deployments.filter((deployment) => deployment.serviceSlug === app.serviceSlug && deployment.status === "success").at(-1)!;
    expect(record.syncedRevision).toBe(deployed.configSha);
    expect(record.driftObservable).toBe(true);
  });

  it("a Flux failure before its retry reads as a failed attempt at the revision not yet applied", () => {
    const failed = truth.gitops.operations.find((operation) => operation.controller === "flux-kustomization" && operation.result?.phase === "Failed" && operation.changesRevision)!;
    expect(failed).toBeDefined();
    const cut = truthAsOf(truth, new Date(Date.parse(failed.result!.finishedAt) + 1000));
    const app = cut.gitops.apps.find((candidate) => candidate.serviceSlug === failed.serviceSlug)!;
    const state = kustomizationReconcileState(clusterObjectOf(cut.gitops, app) as unknown as RawKustomization);
    expect(state).toMatchObject({ state: "FAILED_ATTEMPT", attempted: failed.revision });
  });

  it("HelmReleases report live drift while an episode of the truth is open, and only where it can be seen", () => {
    const episodes = truth.gitops.driftEpisodes.filter((episode) => releases.some((app) => app.serviceSlug === episode.serviceSlug));
    const seen = episodes.filter((episode) => episode.observable);
    expect(seen.length).toBeGreaterThan(0);
    for (const episode of [...seen.slice(0, 5), ...episodes.filter((candidate) => !candidate.observable).slice(0, 5)]) {
      const during = truthAsOf(truth, new Date(Date.parse(episode.startedAt) + 1000));
      const app = during.gitops.apps.find((candidate) => candidate.serviceSlug === episode.serviceSlug)!;
      const drift = helmReleaseDrift(clusterObjectOf(during.gitops, app) as unknown as RawHelmRelease);
      expect(drift, episode.id).toMatchObject({ observable: episode.observable, drifted: episode.observable });
      if (episode.endedAt) {
        const after = truthAsOf(truth, new Date(Date.parse(episode.endedAt) + 1000));
        const later = after.gitops.apps.find((candidate) => candidate.serviceSlug === episode.serviceSlug)!;
        const open = after.gitops.driftEpisodes.some((candidate) => candidate.serviceSlug === episode.serviceSlug && candidate.endedAt === null);
        expect(helmReleaseDrift(clusterObjectOf(after.gitops, later) as unknown as RawHelmRelease).drifted, episode.id).toBe(open && episode.observable);
      }
    }
  });

  it("HelmReleases: drift is observable exactly where the truth says it can be seen", () => {
    expect(releases.length).toBeGreaterThanOrEqual(2);
    for (const app of releases) {
      const record = transformHelmRelease(clusterObjectOf(truth.gitops, app) as unknown as RawHelmRelease);
      expect(record.driftObservable, app.serviceSlug).toBe(app.driftObservable);
    }
  });
});
