import type { GitOpsAppRecord } from "@/lib/ingest/records";
import type { RawFluxCondition, RawFluxSource, RawHelmRelease, RawHelmReleaseSnapshot, RawKustomization } from "@/lib/sources/flux/types";
import { COMMIT_ANNOTATION, SERVICE_ANNOTATION } from "@/lib/sources/argocd/transform";

/** Pure mapping from Flux objects to domain records (DESIGN §3, §4): no I/O, no clock. */

export interface FluxRevision {
  /** The branch, tag or ref the artifact was made from (`main`, `refs/heads/main`, `v1.2.0`, `latest`). */
  ref: string | null;
  /**
   * What identifies the content applied, to compare one revision with another: the Git commit, or
   * `sha256:<hex>` for an OCI artifact or Bucket (and a SHA-256 Git repository). Null for a chart
   * version or anything unreadable.
   */
  sha: string | null;
  /** The Git commit (40 hex), when the revision is one: only this can be looked up in a config repository. */
  commit: string | null;
  /** `sha256:<hex>` when the revision is a content digest. */
  digest: string | null;
}

const NONE: FluxRevision = { ref: null, sha: null, commit: null, digest: null };

/**
 * Every revision format Flux writes for a source artifact (`status.artifact.revision`,
 * `lastAppliedRevision`, `lastAttemptedRevision`):
 * - Flux 2.x: `<ref>@sha1:<commit>` (Git), `sha1:<commit>` (a pinned commit), `<tag>@sha256:<digest>`
 *   (OCIRepository; SHA-256 Git repositories write the same), `sha256:<digest>` (Bucket);
 * - before 2.0: `<ref>/<commit>`, `<tag>/<digest>` (OCIRepository), a bare commit or digest.
 * A chart version (`6.5.3`, `6.6.1+0cc9a8446c95`) names no content: all null.
 */
export function parseFluxRevision(revision: string | null | undefined): FluxRevision {
  const value = revision?.trim();
  if (!value) return NONE;
  const current = /^(?:(.+)@)?(sha1|sha256|sha384|sha512):([0-9a-f]+)$/.exec(value);
  if (current) {
    const [, ref, algorithm, hex] = current as unknown as [string, string | undefined, string, string];
    if (algorithm === "sha1") return hex.length === 40 ? { ref: ref ?? null, sha: hex, commit: hex, digest: null } : NONE;
    const digest = `${algorithm}:${hex}`;
    return { ref: ref ?? null, sha: digest, commit: null, digest };
  }
  const legacy = /^(?:(.*)\/)?([0-9a-f]{40}|[0-9a-f]{64})$/.exec(value);
  if (legacy) {
    const ref = legacy[1] || null;
    const hex = legacy[2]!;
    if (hex.length === 40) return { ref, sha: hex, commit: hex, digest: null };
    return { ref, sha: `sha256:${hex}`, commit: null, digest: `sha256:${hex}` };
  }
  return NONE;
}

function condition(conditions: readonly RawFluxCondition[] | undefined, type: string): RawFluxCondition | null {
  return conditions?.find((candidate) => candidate.type === type) ?? null;
}

/**
 * kstatus as Flux reports it: `Stalled=True` (retries exhausted, nothing more will happen until
 * something changes) and `Ready=False` are degraded; a reconcile under way (`Reconciling=True`,
 * `Ready=Unknown`) is progressing, even while an older `Ready=True` lingers; `Ready=True` is healthy.
 */
function healthOf(conditions: readonly RawFluxCondition[] | undefined): string {
  const ready = condition(conditions, "Ready");
  if (condition(conditions, "Stalled")?.status === "True" || ready?.status === "False") return "Degraded";
  if (condition(conditions, "Reconciling")?.status === "True") return "Progressing";
  if (ready?.status === "True") return "Healthy";
  return "Progressing";
}

/** A Flux object's outside id: its uid, else namespace/name (what the GitOps app row is keyed on). */
export function fluxObjectKey(metadata: RawKustomization["metadata"]): string {
  return key(metadata);
}

function key(metadata: RawKustomization["metadata"]): string {
  return metadata.uid ?? `${metadata.namespace ?? "flux-system"}/${metadata.name}`;
}

function fluxTime(value: string | null | undefined): Date | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * When the object last changed as far as its status says: the newest of its condition
 * transitions and the other instants given. `lastHandledReconcileAt` is the token a person put in
 * `reconcile.fluxcd.io/requestedAt` (`flux reconcile` writes a time, `kubectl annotate` anything,
 * often epoch seconds): used only when it reads as a time.
 */
function latestInstant(conditions: readonly RawFluxCondition[] | undefined, ...others: (string | null | undefined)[]): Date {
  let best: Date | null = null;
  for (const value of [...(conditions ?? []).map((entry) => entry.lastTransitionTime), ...others]) {
    const at = fluxTime(value);
    if (at && (!best || at > best)) best = at;
  }
  // An object Flux never reported on has no instant of its own: the epoch orders it before any real update.
  return best ?? new Date(0);
}

/** The branch, tag, semver range or ref a source follows. */
function followedRef(source: RawFluxSource | null): string | null {
  const ref = source?.spec.ref as { branch?: string; tag?: string; semver?: string; name?: string; commit?: string; digest?: string } | undefined;
  return ref?.branch ?? ref?.name ?? ref?.tag ?? ref?.semver ?? ref?.commit ?? ref?.digest ?? null;
}

/**
 * A Kustomization. Its source (the GitRepository or OCIRepository it names) says what is wanted
 * now; without it the last attempted revision stands in. Revisions are compared by content (the
 * commit, or the OCI digest), never by ref name. Flux re-applies on every interval, so drift is
 * corrected by design (self-heal), and a suspended object waits for a person.
 */
export function transformKustomization(raw: RawKustomization, source: RawFluxSource | null): GitOpsAppRecord {
  const applied = parseFluxRevision(raw.status?.lastAppliedRevision).sha;
  const attempted = parseFluxRevision(raw.status?.lastAttemptedRevision);
  const desired = parseFluxRevision(source?.status?.artifact?.revision).sha ?? attempted.sha;
  return {
    kind: "FLUX_KUSTOMIZATION",
    externalId: key(raw.metadata),
    cluster: "in-cluster",
    namespace: raw.spec.targetNamespace ?? raw.metadata.namespace ?? "",
    name: raw.metadata.name,
    repoUrl: source?.spec.url ?? "",
    path: raw.spec.path ?? "",
    targetRevision: followedRef(source) ?? attempted.ref ?? parseFluxRevision(raw.status?.lastAppliedRevision).ref ?? "",
    syncStatus: desired !== null && desired === applied ? "Synced" : "OutOfSync",
    healthStatus: healthOf(raw.status?.conditions),
    syncedRevision: applied,
    desiredRevision: desired,
    autoSync: raw.spec.suspend !== true,
    selfHeal: raw.spec.suspend !== true,
    suspended: raw.spec.suspend === true,
    driftObservable: true,
    serviceAnnotation: raw.metadata.annotations?.[SERVICE_ANNOTATION]?.trim() || null,
    commitAnnotation: raw.metadata.annotations?.[COMMIT_ANNOTATION]?.trim().toLowerCase() || null,
    sourceUpdatedAt: latestInstant(raw.status?.conditions, raw.status?.lastHandledReconcileAt),
  };
}

/** Helm release statuses of a release that is (or was, until superseded) what runs. */
const LIVE_RELEASE = new Set(["deployed", "superseded"]);

/**
 * The release running now: the newest snapshot Helm marked deployed. `status.history` also lists
 * the failed releases made since the last good one (newest first), and a failed upgrade leaves
 * the previous release running. Snapshots without a status (never seen from helm-controller v2,
 * kept for hand-made objects) count as deployed.
 */
export function appliedHelmSnapshot(history: readonly RawHelmReleaseSnapshot[] | undefined): RawHelmReleaseSnapshot | null {
  const snapshots = history ?? [];
  return (
    snapshots.find((snapshot) => snapshot.status === "deployed") ??
    snapshots.find((snapshot) => snapshot.status === undefined || LIVE_RELEASE.has(snapshot.status)) ??
    null
  );
}

/**
 * A Helm release's revision as this product records it: `<chartVersion>@<configDigest>`. Flux's
 * `configDigest` is the digest of the values only, so a chart upgrade with unchanged values keeps
 * it: the digest alone would take that upgrade for a no-op. Either part alone when only it is
 * known (v2beta1 objects carry no digest). Chart versions never contain `@` (semver), digests start
 * with `<algorithm>:`, so the parts can be read back (`parseHelmRevision`).
 */
export function helmRevision(chartVersion: string | null | undefined, configDigest: string | null | undefined): string | null {
  const version = chartVersion?.trim() || null;
  const digest = configDigest?.trim() || null;
  if (version && digest) return `${version}@${digest}`;
  return digest ?? version;
}

/** The parts of a `helmRevision`; a missing part is unknown, not empty. */
export function parseHelmRevision(revision: string | null | undefined): { chartVersion: string | null; configDigest: string | null } {
  const value = revision?.trim() ?? "";
  if (!value) return { chartVersion: null, configDigest: null };
  const at = value.indexOf("@");
  if (at >= 0) return { chartVersion: value.slice(0, at) || null, configDigest: value.slice(at + 1) || null };
  return /^sha\d+:/.test(value) ? { chartVersion: null, configDigest: value } : { chartVersion: value, configDigest: null };
}

/**
 * Two Helm revisions can be the same release: every part both know is equal. A revision missing a
 * part (an attempt whose digest Flux did not report) may still turn out to be the other; null
 * (nothing known) matches anything.
 */
export function helmRevisionsMatch(a: string | null, b: string | null): boolean {
  if (a === b || a === null || b === null) return true;
  const left = parseHelmRevision(a);
  const right = parseHelmRevision(b);
  const agree = (x: string | null, y: string | null) => x === null || y === null || x === y;
  return agree(left.chartVersion, right.chartVersion) && agree(left.configDigest, right.configDigest);
}

/** A release's revision as this product records it (`helmRevision` of its chart version and values digest). */
export function helmSnapshotRevision(snapshot: RawHelmReleaseSnapshot | null): string | null {
  return helmRevision(snapshot?.chartVersion, snapshot?.configDigest);
}

/** The revision a HelmRelease runs: its applied snapshot's; v2beta1 objects (no history) name only the chart version. */
export function appliedHelmRevision(raw: RawHelmRelease): string | null {
  const history = raw.status?.history;
  if (history?.length) return helmSnapshotRevision(appliedHelmSnapshot(history));
  return helmRevision(raw.status?.lastAppliedRevision, null);
}

/**
 * The revision of the last release attempt (`lastAttemptedRevision` is its chart version,
 * `lastAttemptedConfigDigest` its values digest), in the `helmRevision` format so it compares with
 * the applied one. A part Flux did not report (no digest before helm-controller v2beta2) is taken
 * from the applied revision only when the part it did report is the applied one's: nothing then
 * says the attempt was anything else. Otherwise the known part stands alone (`helmRevisionsMatch`).
 */
export function attemptedHelmRevision(raw: RawHelmRelease, applied: string | null = appliedHelmRevision(raw)): string | null {
  const version = raw.status?.lastAttemptedRevision?.trim() || null;
  const digest = raw.status?.lastAttemptedConfigDigest?.trim() || null;
  if (!version && !digest) return null;
  const known = parseHelmRevision(applied);
  if (version && digest) return helmRevision(version, digest);
  if (version) return helmRevision(version, version === known.chartVersion ? known.configDigest : null);
  return helmRevision(digest === known.configDigest ? known.chartVersion : null, digest);
}

/**
 * A HelmRelease. Helm names releases by chart version and values digest, not by Git commit, so the
 * revisions here are the release's own (`helmRevision`); the commit behind a release comes from its
 * source's artifact when the release was applied. Drift is observable only when drift detection is
 * on (`enabled` corrects it, `warn` only reports it).
 */
export function transformHelmRelease(raw: RawHelmRelease): GitOpsAppRecord {
  const status = raw.status;
  const latest = appliedHelmSnapshot(status?.history);
  const applied = appliedHelmRevision(raw);
  // No attempt reported: what runs is what is wanted, as far as the object says.
  const attempted = attemptedHelmRevision(raw, applied) ?? applied;
  const drift = helmReleaseDrift(raw);
  const suspended = raw.spec.suspend === true;
  return {
    kind: "FLUX_HELMRELEASE",
    externalId: key(raw.metadata),
    cluster: "in-cluster",
    namespace: latest?.namespace ?? raw.spec.targetNamespace ?? raw.metadata.namespace ?? "",
    name: raw.metadata.name,
    repoUrl: raw.spec.chart?.spec?.url ?? "",
    path: raw.spec.chart?.spec?.chart ?? raw.spec.chartRef?.name ?? latest?.chartName ?? "",
    targetRevision: raw.spec.chart?.spec?.version ?? raw.spec.chart?.spec?.ref?.tag ?? raw.spec.chart?.spec?.ref?.semver ?? "",
    syncStatus: attempted === applied ? "Synced" : "OutOfSync",
    healthStatus: healthOf(status?.conditions),
    syncedRevision: applied,
    desiredRevision: attempted,
    autoSync: !suspended,
    selfHeal: !suspended && drift.corrects,
    suspended,
    driftObservable: drift.observable,
    serviceAnnotation: raw.metadata.annotations?.[SERVICE_ANNOTATION]?.trim() || null,
    commitAnnotation: raw.metadata.annotations?.[COMMIT_ANNOTATION]?.trim().toLowerCase() || null,
    sourceUpdatedAt: latestInstant(status?.conditions, status?.lastHandledReconcileAt, latest?.lastDeployed),
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
  const stalled = condition(raw.status?.conditions, "Stalled");
  const attempted = parseFluxRevision(raw.status?.lastAttemptedRevision).sha;
  const applied = parseFluxRevision(raw.status?.lastAppliedRevision).sha;
  // Stalled=True is a final failure even where Ready has not been updated to False yet.
  const failed = ready?.status === "False" || stalled?.status === "True";
  if (failed) {
    const message = (ready?.status === "False" ? ready.message : stalled?.message) ?? null;
    if (attempted !== null && attempted !== applied) return { state: "FAILED_ATTEMPT", attempted, applied, message };
    return { state: "FAILING", message };
  }
  if (ready?.status === "True") return { state: "APPLIED", revision: applied };
  return { state: "RECONCILING" };
}

/**
 * DESIGN §4: a HelmRelease `Drifted=True` condition is live drift. Detection is on with
 * `spec.driftDetection.mode` `enabled` (corrects) or `warn` (reports); `disabled` is the default.
 * Otherwise nothing can be said (a leftover `Drifted` condition from when it was on included):
 * not observable, never "clean".
 */
export function helmReleaseDrift(raw: RawHelmRelease): { observable: boolean; corrects: boolean; drifted: boolean; since: string | null; message: string | null } {
  const mode = raw.spec.driftDetection?.mode;
  const drifted = condition(raw.status?.conditions, "Drifted");
  const observable = mode === "enabled" || mode === "warn";
  return {
    observable,
    corrects: mode === "enabled",
    drifted: observable && drifted?.status === "True",
    since: drifted?.lastTransitionTime ?? null,
    message: drifted?.message ?? null,
  };
}
