import type { DeploymentStatusValue, GitOpsAppRecord, GitOpsOperationRecord } from "@/lib/ingest/records";
import type { RawArgoApplication, RawArgoOperationInitiator, RawArgoRevisionHistory } from "@/lib/sources/argocd/types";

/**
 * Pure mapping from Argo CD payloads to domain records: no I/O, no clock. DESIGN §3 (GitOps
 * deployments and their app commit) and §4 (pending change versus live drift).
 */

export const SERVICE_ANNOTATION = "pipeline-health.dev/service";

/** `metadata.uid` when Argo CD sends it (it survives a rename), else namespace/name. */
export function applicationKey(raw: RawArgoApplication): string {
  return raw.metadata.uid ?? `${raw.metadata.namespace ?? "argocd"}/${raw.metadata.name}`;
}

function primarySource(raw: RawArgoApplication) {
  return raw.spec.source ?? raw.spec.sources?.[0] ?? { repoURL: "", path: "", targetRevision: "HEAD" };
}

/** The config revision the last operation that applied anything left running, else the newest history entry. */
export function syncedRevisionOf(raw: RawArgoApplication): string | null {
  const state = raw.status?.operationState;
  if (state && state.phase === "Succeeded") {
    const revision = state.syncResult?.revision ?? state.syncResult?.revisions?.[0] ?? state.operation?.sync?.revision;
    if (revision) return revision;
  }
  const history = [...(raw.status?.history ?? [])].sort((a, b) => a.id - b.id);
  const latest = history.at(-1);
  return latest ? (latest.revision ?? latest.revisions?.[0] ?? null) : null;
}

export function transformApplication(raw: RawArgoApplication): GitOpsAppRecord {
  const source = primarySource(raw);
  const automated = raw.spec.syncPolicy?.automated;
  const autoSync = automated !== undefined && automated.enabled !== false;
  const status = raw.status;
  const sourceUpdatedAt = status?.reconciledAt ?? status?.operationState?.finishedAt ?? status?.operationState?.startedAt ?? status?.observedAt;
  return {
    kind: "ARGOCD_APPLICATION",
    externalId: applicationKey(raw),
    cluster: raw.spec.destination.name ?? raw.spec.destination.server ?? "in-cluster",
    namespace: raw.spec.destination.namespace ?? "",
    name: raw.metadata.name,
    repoUrl: source.repoURL,
    path: source.path ?? source.chart ?? "",
    targetRevision: source.targetRevision ?? "HEAD",
    syncStatus: status?.sync?.status ?? "Unknown",
    healthStatus: status?.health?.status ?? "Unknown",
    syncedRevision: syncedRevisionOf(raw),
    desiredRevision: status?.sync?.revision ?? status?.sync?.revisions?.[0] ?? null,
    autoSync,
    selfHeal: autoSync && automated?.selfHeal === true,
    suspended: false,
    driftObservable: true,
    serviceAnnotation: raw.metadata.annotations?.[SERVICE_ANNOTATION]?.trim() || null,
    // An app Argo CD never reconciled has no instant of its own: the epoch orders it before any real update.
    sourceUpdatedAt: new Date(sourceUpdatedAt ?? 0),
  };
}

/** Argo CD operation phases as deployment statuses: Terminating is still running until it ends. */
export function operationStatus(phase: string): DeploymentStatusValue {
  switch (phase) {
    case "Succeeded":
      return "SUCCESS";
    case "Failed":
    case "Error":
      return "FAILURE";
    default:
      return "IN_PROGRESS";
  }
}

function initiator(initiatedBy: RawArgoOperationInitiator | undefined): { initiatedBy: string | null; automated: boolean } {
  if (!initiatedBy) return { initiatedBy: null, automated: false };
  if (initiatedBy.automated) return { initiatedBy: initiatedBy.username || "argocd (automated)", automated: true };
  return { initiatedBy: initiatedBy.username || null, automated: false };
}

/** The current `operationState` as an operation record; null when the app has none. */
export function transformOperation(raw: RawArgoApplication): GitOpsOperationRecord | null {
  const state = raw.status?.operationState;
  if (!state) return null;
  const operation = state.operation;
  const who = initiator(operation?.initiatedBy);
  const images = [...new Set((state.syncResult?.resources ?? []).flatMap((resource) => resource.images ?? []))].sort();
  return {
    externalId: `${applicationKey(raw)}@${state.startedAt}`,
    phase: state.phase,
    status: operationStatus(state.phase),
    startedAt: new Date(state.startedAt),
    finishedAt: state.finishedAt ? new Date(state.finishedAt) : null,
    revision: state.syncResult?.revision ?? state.syncResult?.revisions?.[0] ?? operation?.sync?.revision ?? operation?.sync?.revisions?.[0] ?? null,
    ...who,
    selfHeal: who.automated && ((operation?.sync?.autoHealAttemptsCount ?? 0) > 0 || resyncsRunningRevision(raw, state.startedAt, state.syncResult?.revision ?? operation?.sync?.revision)),
    info: Object.fromEntries((operation?.info ?? []).map((entry) => [entry.name, entry.value])),
    message: state.message ?? null,
    images,
  };
}

/**
 * Whether an operation syncs the revision already running before it started (the newest history
 * entry deployed before it). Argo CD's controller only does that on its own to undo drift, so an
 * automated one is a self-heal even where `autoHealAttemptsCount` is not reported.
 */
function resyncsRunningRevision(raw: RawArgoApplication, startedAt: string, revision: string | undefined): boolean {
  if (!revision) return false;
  const started = Date.parse(startedAt);
  const before = (raw.status?.history ?? []).filter((entry) => Date.parse(entry.deployedAt) < started).sort((a, b) => a.id - b.id).at(-1);
  return (before?.revision ?? before?.revisions?.[0]) === revision;
}

/** A completed sync Argo CD still remembers in `status.history` (the last ten). */
export interface ArgoHistoryDeployment {
  externalId: string;
  revision: string | null;
  startedAt: Date;
  finishedAt: Date;
  initiatedBy: string | null;
  automated: boolean;
}

export function transformHistory(raw: RawArgoApplication): ArgoHistoryDeployment[] {
  return (raw.status?.history ?? [])
    .slice()
    .sort((a, b) => a.id - b.id)
    .map((entry: RawArgoRevisionHistory) => {
      const who = initiator(entry.initiatedBy);
      return {
        externalId: `${applicationKey(raw)}#${entry.id}`,
        revision: entry.revision ?? entry.revisions?.[0] ?? null,
        startedAt: new Date(entry.deployStartedAt ?? entry.deployedAt),
        finishedAt: new Date(entry.deployedAt),
        ...who,
      };
    });
}

export type AppCommitResolution = { resolution: "IMAGE_TAG"; sha: string; shortSha: boolean; image: string } | { resolution: "UNRESOLVED"; reason: string };

const FULL_SHA = /^[0-9a-f]{40}$/;
const SHORT_SHA = /^[0-9a-f]{7,12}$/;

/** `registry/org/name:tag` → { repository, tag }; a digest-only reference has no tag. */
export function parseImageReference(image: string): { repository: string; tag: string | null } {
  const withoutDigest = image.split("@", 1)[0]!;
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.indexOf(":", lastSlash + 1);
  if (colon < 0) return { repository: withoutDigest, tag: null };
  return { repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) };
}

/**
 * The app commit a GitOps deployment runs, from its image tags (DESIGN §3): a tag that is a commit sha,
 * whole or abbreviated, optionally after a prefix (`main-<sha>`, `sha-<sha>`). Only images of the
 * service's own repository count when `imageName` is given (the last path segment, e.g. `payments-api`).
 * Anything else (a semver tag, `latest`, two different shas) is unresolved, never guessed.
 */
export function resolveAppCommit(images: readonly string[], imageName: string | null): AppCommitResolution {
  const candidates = images
    .map((image) => ({ image, ...parseImageReference(image) }))
    .filter((candidate) => imageName === null || candidate.repository.split("/").at(-1) === imageName);
  if (candidates.length === 0) return { resolution: "UNRESOLVED", reason: imageName ? `no image named ${imageName}` : "no images" };
  const shas = new Map<string, { shortSha: boolean; image: string }>();
  for (const candidate of candidates) {
    const tail = candidate.tag?.toLowerCase().split(/[-_.]/).at(-1) ?? null;
    if (tail && (FULL_SHA.test(tail) || SHORT_SHA.test(tail))) shas.set(tail, { shortSha: !FULL_SHA.test(tail), image: candidate.image });
  }
  if (shas.size === 0) return { resolution: "UNRESOLVED", reason: "no image tag is a commit sha" };
  if (shas.size > 1) return { resolution: "UNRESOLVED", reason: "images carry different commit shas" };
  const [[sha, found]] = [...shas.entries()] as [[string, { shortSha: boolean; image: string }]];
  return { resolution: "IMAGE_TAG", sha, ...found };
}

export type ArgoDriftState =
  | { state: "IN_SYNC" }
  | { state: "PENDING_CHANGE"; desiredRevision: string; syncedRevision: string | null }
  | { state: "LIVE_DRIFT"; revision: string; resources: { kind: string; namespace: string | null; name: string }[] }
  | { state: "ROLLOUT_IN_PROGRESS" }
  | { state: "UNKNOWN"; reason: string };

/**
 * DESIGN §4: OutOfSync while Git is ahead of what was last synced is a pending change (sync lag);
 * OutOfSync at the revision last synced is live drift (the cluster changed outside Git); an
 * operation still running is a rollout in progress, neither.
 */
export function driftStateOf(raw: RawArgoApplication): ArgoDriftState {
  const status = raw.status;
  if (status?.operationState && operationStatus(status.operationState.phase) === "IN_PROGRESS") return { state: "ROLLOUT_IN_PROGRESS" };
  const sync = status?.sync?.status;
  if (sync === "Synced") return status?.health?.status === "Progressing" ? { state: "ROLLOUT_IN_PROGRESS" } : { state: "IN_SYNC" };
  if (sync !== "OutOfSync") return { state: "UNKNOWN", reason: `sync status ${sync ?? "missing"}` };
  const desired = status?.sync?.revision ?? status?.sync?.revisions?.[0] ?? null;
  const synced = syncedRevisionOf(raw);
  if (!desired) return { state: "UNKNOWN", reason: "no desired revision" };
  if (desired !== synced) return { state: "PENDING_CHANGE", desiredRevision: desired, syncedRevision: synced };
  const resources = (status?.resources ?? [])
    .filter((resource) => resource.status === "OutOfSync")
    .map((resource) => ({ kind: resource.kind, namespace: resource.namespace ?? null, name: resource.name }));
  return { state: "LIVE_DRIFT", revision: desired, resources };
}
