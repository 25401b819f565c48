import type { GitOpsAppRecord } from "@/lib/ingest/records";
import type { RawFluxCondition, RawGitRepository, RawHelmRelease, RawKustomization } from "@/lib/sources/flux/types";
import { SERVICE_ANNOTATION } from "@/lib/sources/argocd/transform";

/** Pure mapping from Flux objects to domain records (DESIGN §3, §4): no I/O, no clock. */

/** `main@sha1:<sha>` (Flux 2) or `main/<sha>` (older) → its ref and commit; a chart version or digest has no commit. */
export function parseFluxRevision(revision: string | null | undefined): { ref: string | null; sha: string | null } {
  if (!revision) return { ref: null, sha: null };
  const current = /^(?:(.*)@)?sha1:([0-9a-f]{40})$/.exec(revision);
  if (current) return { ref: current[1] ?? null, sha: current[2]! };
  const legacy = /^(.*)\/([0-9a-f]{40})$/.exec(revision);
  if (legacy) return { ref: legacy[1]!, sha: legacy[2]! };
  return { ref: null, sha: null };
}

function condition(conditions: readonly RawFluxCondition[] | undefined, type: string): RawFluxCondition | null {
  return conditions?.find((candidate) => candidate.type === type) ?? null;
}

/** Ready=True healthy, Ready=False degraded, anything else still progressing. */
function healthOf(conditions: readonly RawFluxCondition[] | undefined): string {
  const ready = condition(conditions, "Ready");
  if (ready?.status === "True") return "Healthy";
  if (ready?.status === "False") return "Degraded";
  return "Progressing";
}

function key(metadata: RawKustomization["metadata"]): string {
  return metadata.uid ?? `${metadata.namespace ?? "flux-system"}/${metadata.name}`;
}

function latestTransition(conditions: readonly RawFluxCondition[] | undefined): string | undefined {
  return (conditions ?? []).map((entry) => entry.lastTransitionTime).filter((value): value is string => !!value).sort().at(-1);
}

/**
 * A Kustomization. Its source (the GitRepository it names) says what Git wants now; without it the
 * last attempted revision stands in. Flux re-applies on every interval, so drift is corrected by
 * design (self-heal), and a suspended object waits for a person.
 */
export function transformKustomization(raw: RawKustomization, source: RawGitRepository | null): GitOpsAppRecord {
  const applied = parseFluxRevision(raw.status?.lastAppliedRevision).sha;
  const desired = parseFluxRevision(source?.status?.artifact?.revision).sha ?? parseFluxRevision(raw.status?.lastAttemptedRevision).sha;
  return {
    kind: "FLUX_KUSTOMIZATION",
    externalId: key(raw.metadata),
    cluster: "in-cluster",
    namespace: raw.spec.targetNamespace ?? raw.metadata.namespace ?? "",
    name: raw.metadata.name,
    repoUrl: source?.spec.url ?? "",
    path: raw.spec.path ?? "",
    targetRevision: source?.spec.ref?.branch ?? source?.spec.ref?.tag ?? parseFluxRevision(raw.status?.lastAttemptedRevision).ref ?? "",
    syncStatus: desired !== null && desired === applied ? "Synced" : "OutOfSync",
    healthStatus: healthOf(raw.status?.conditions),
    syncedRevision: applied,
    desiredRevision: desired,
    autoSync: raw.spec.suspend !== true,
    selfHeal: raw.spec.suspend !== true,
    suspended: raw.spec.suspend === true,
    driftObservable: true,
    serviceAnnotation: raw.metadata.annotations?.[SERVICE_ANNOTATION]?.trim() || null,
    sourceUpdatedAt: new Date(raw.status?.lastHandledReconcileAt ?? latestTransition(raw.status?.conditions) ?? 0),
  };
}

/**
 * A HelmRelease. Helm names releases by chart version and values digest, not by Git commit, so the
 * revisions here are the release's own (digest, else chart version); the commit behind a release
 * comes from its source's artifact when the release was applied. Drift is observable only when
 * drift detection is on (`enabled` corrects it, `warn` only reports it).
 */
export function transformHelmRelease(raw: RawHelmRelease): GitOpsAppRecord {
  const latest = raw.status?.history?.[0] ?? null;
  const applied = latest?.configDigest ?? latest?.chartVersion ?? null;
  const attempted = raw.status?.lastAttemptedConfigDigest ?? raw.status?.lastAttemptedRevision ?? null;
  const mode = raw.spec.driftDetection?.mode ?? "disabled";
  const suspended = raw.spec.suspend === true;
  return {
    kind: "FLUX_HELMRELEASE",
    externalId: key(raw.metadata),
    cluster: "in-cluster",
    namespace: latest?.namespace ?? raw.metadata.namespace ?? "",
    name: raw.metadata.name,
    repoUrl: "",
    path: raw.spec.chart?.spec?.chart ?? "",
    targetRevision: raw.spec.chart?.spec?.version ?? "",
    syncStatus: attempted === null || attempted === applied ? "Synced" : "OutOfSync",
    healthStatus: healthOf(raw.status?.conditions),
    syncedRevision: applied,
    desiredRevision: attempted,
    autoSync: !suspended,
    selfHeal: !suspended && mode === "enabled",
    suspended,
    driftObservable: mode === "enabled" || mode === "warn",
    serviceAnnotation: raw.metadata.annotations?.[SERVICE_ANNOTATION]?.trim() || null,
    sourceUpdatedAt: new Date(raw.status?.lastHandledReconcileAt ?? latest?.lastDeployed ?? latestTransition(raw.status?.conditions) ?? 0),
  };
}

export type FluxReconcileState =
  | { state: "APPLIED"; revision: string | null }
  /** DESIGN §4: Ready=False with the attempted revision not applied is a failed deployment attempt, not a failed change. */
  | { state: "FAILED_ATTEMPT"; attempted: string | null; applied: string | null; message: string | null }
  | { state: "RECONCILING" }
  | { state: "FAILING"; message: string | null };

export function kustomizationReconcileState(raw: RawKustomization): FluxReconcileState {
  const ready = condition(raw.status?.conditions, "Ready");
  const attempted = parseFluxRevision(raw.status?.lastAttemptedRevision).sha;
  const applied = parseFluxRevision(raw.status?.lastAppliedRevision).sha;
  if (ready?.status === "True") return { state: "APPLIED", revision: applied };
  if (ready?.status === "False") {
    if (attempted !== null && attempted !== applied) return { state: "FAILED_ATTEMPT", attempted, applied, message: ready.message ?? null };
    return { state: "FAILING", message: ready.message ?? null };
  }
  return { state: "RECONCILING" };
}

/** DESIGN §4: a HelmRelease `Drifted=True` condition is live drift; with detection off nothing can be said. */
export function helmReleaseDrift(raw: RawHelmRelease): { observable: boolean; drifted: boolean; since: string | null; message: string | null } {
  const mode = raw.spec.driftDetection?.mode ?? "disabled";
  const observable = mode === "enabled" || mode === "warn";
  const drifted = condition(raw.status?.conditions, "Drifted");
  return { observable, drifted: observable && drifted?.status === "True", since: drifted?.lastTransitionTime ?? null, message: drifted?.message ?? null };
}
