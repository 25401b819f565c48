import type { DeploymentStatusValue, GitOpsAppRecord, GitOpsOperationRecord } from "@/lib/ingest/records";
import type {
  RawArgoApplication,
  RawArgoApplicationSource,
  RawArgoOperationInitiator,
  RawArgoOperationState,
  RawArgoRevisionHistory,
} from "@/lib/sources/argocd/types";

/**
 * Pure mapping from Argo CD payloads to domain records: no I/O, no clock. DESIGN §3 (GitOps
 * deployments and their app commit) and §4 (pending change versus live drift).
 */

export const SERVICE_ANNOTATION = "pipeline-health.dev/service";
/** DESIGN §3: the app commit, on the app or workload, for images whose tags hold no sha. */
export const COMMIT_ANNOTATION = "pipeline-health.dev/commit";

/** `metadata.uid` when Argo CD sends it (it survives a rename), else namespace/name. */
export function applicationKey(raw: RawArgoApplication): string {
  return raw.metadata.uid ?? `${raw.metadata.namespace ?? "argocd"}/${raw.metadata.name}`;
}

/** Argo CD's API server writes unset strings as `""` (multi-source apps have `revision: ""`): both mean absent. */
function present(value: string | null | undefined): string | null {
  return value ? value : null;
}

const GIT_SHA = /^[0-9a-f]{40}$/;

/**
 * Which of a multi-source app's sources is its config repository: the first Git source with a path
 * (manifests, kustomize or a chart in Git), else the first Git source at all (a `ref` source holding
 * values files), else the first. A chart from a Helm repository names a version, never a commit, so
 * it is the config revision only when there is nothing else. `sync.revisions`, history `revisions`
 * and `syncResult.revisions` are in the order of the sources they were made from.
 */
export function configSourceIndex(sources: readonly RawArgoApplicationSource[] | undefined): number {
  if (!sources || sources.length === 0) return 0;
  const withPath = sources.findIndex((source) => !source.chart && !!source.path);
  if (withPath >= 0) return withPath;
  const git = sources.findIndex((source) => !source.chart);
  return git >= 0 ? git : 0;
}

/**
 * The config revision of one revision set: the single `revision` when set, else the one of
 * `revisions` at the config source's position; if the sources are not known, the first that is a
 * Git commit, else the first at all.
 */
function pickRevision(revision: string | undefined, revisions: readonly string[] | undefined, sources: readonly RawArgoApplicationSource[] | undefined): string | null {
  const single = present(revision);
  if (single) return single;
  const list = (revisions ?? []).map((entry) => present(entry));
  if (list.length === 0) return null;
  if (sources && sources.length === list.length) {
    const atConfig = list[configSourceIndex(sources)];
    if (atConfig) return atConfig;
  }
  return list.find((entry) => entry !== null && GIT_SHA.test(entry)) ?? list.find((entry) => entry !== null) ?? null;
}

function specSources(raw: RawArgoApplication): RawArgoApplicationSource[] | undefined {
  return raw.spec.sources && raw.spec.sources.length > 0 ? raw.spec.sources : undefined;
}

function primarySource(raw: RawArgoApplication): RawArgoApplicationSource {
  const sources = specSources(raw);
  return raw.spec.source ?? sources?.[configSourceIndex(sources)] ?? { repoURL: "", path: "", targetRevision: "HEAD" };
}

/** The config revision a history entry deployed (multi-source entries name their own sources). */
export function historyRevision(raw: RawArgoApplication, entry: RawArgoRevisionHistory): string | null {
  return pickRevision(entry.revision, entry.revisions, entry.sources && entry.sources.length > 0 ? entry.sources : specSources(raw));
}

/** The config revision Git wants now (`status.sync`), as compared against the spec's sources. */
export function desiredRevisionOf(raw: RawArgoApplication): string | null {
  const sync = raw.status?.sync;
  if (!sync) return null;
  const sources = sync.comparedTo?.sources && sync.comparedTo.sources.length > 0 ? sync.comparedTo.sources : specSources(raw);
  return pickRevision(sync.revision, sync.revisions, sources);
}

/** The config revision an operation synced (its result) or was asked to sync. */
function operationRevision(raw: RawArgoApplication, state: RawArgoOperationState): string | null {
  const result = state.syncResult;
  const sources = result?.sources && result.sources.length > 0 ? result.sources : specSources(raw);
  const fromResult = pickRevision(result?.revision, result?.revisions, sources);
  if (fromResult) return fromResult;
  const sync = state.operation?.sync;
  // `sourcePositions` (1-based) say which sources a partial multi-source sync names; without them the list follows `spec.sources`.
  const positions = sync?.sourcePositions;
  const named = positions && sources && positions.length === (sync?.revisions ?? []).length ? positions.map((position) => sources[position - 1]).filter((source): source is RawArgoApplicationSource => !!source) : sources;
  return pickRevision(sync?.revision, sync?.revisions, named && named.length === (sync?.revisions ?? []).length ? named : undefined);
}

/** A time Argo CD sent, or null when missing or unreadable (never an Invalid Date). */
export function argoTime(value: string | null | undefined): Date | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** The config revision the last operation that applied anything left running, else the newest history entry. */
export function syncedRevisionOf(raw: RawArgoApplication): string | null {
  const state = raw.status?.operationState;
  if (state && state.phase === "Succeeded" && !isPartialSync(state)) {
    const revision = operationRevision(raw, state);
    if (revision) return revision;
  }
  const latest = [...(raw.status?.history ?? [])].sort((a, b) => a.id - b.id).at(-1);
  return latest ? historyRevision(raw, latest) : null;
}

/** A sync of named resources only (a self-heal, or a person syncing one resource): it leaves the rest as it was. */
function isPartialSync(state: RawArgoOperationState): boolean {
  return (state.operation?.sync?.resources?.length ?? 0) > 0;
}

export function transformApplication(raw: RawArgoApplication): GitOpsAppRecord {
  const source = primarySource(raw);
  const automated = raw.spec.syncPolicy?.automated;
  const autoSync = automated !== undefined && automated.enabled !== false;
  const status = raw.status;
  const sourceUpdatedAt =
    argoTime(status?.reconciledAt) ?? argoTime(status?.operationState?.finishedAt) ?? argoTime(status?.operationState?.startedAt) ?? argoTime(status?.observedAt);
  return {
    kind: "ARGOCD_APPLICATION",
    externalId: applicationKey(raw),
    // `destination.name: ""` beside a server is what the UI writes: the server is the cluster then.
    cluster: present(raw.spec.destination?.name) ?? present(raw.spec.destination?.server) ?? "in-cluster",
    namespace: raw.spec.destination?.namespace ?? "",
    name: raw.metadata.name,
    repoUrl: source.repoURL,
    path: present(source.path) ?? source.chart ?? "",
    targetRevision: present(source.targetRevision) ?? "HEAD",
    syncStatus: status?.sync?.status ?? "Unknown",
    healthStatus: status?.health?.status ?? "Unknown",
    syncedRevision: syncedRevisionOf(raw),
    desiredRevision: desiredRevisionOf(raw),
    autoSync,
    selfHeal: autoSync && automated?.selfHeal === true,
    suspended: false,
    driftObservable: true,
    serviceAnnotation: raw.metadata.annotations?.[SERVICE_ANNOTATION]?.trim() || null,
    commitAnnotation: raw.metadata.annotations?.[COMMIT_ANNOTATION]?.trim().toLowerCase() || null,
    // An app Argo CD never reconciled has no instant of its own: the epoch orders it before any real update.
    sourceUpdatedAt: sourceUpdatedAt ?? new Date(0),
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

/** The current `operationState` as an operation record; null when the app has none (or it has no readable start). */
export function transformOperation(raw: RawArgoApplication): GitOpsOperationRecord | null {
  const state = raw.status?.operationState;
  if (!state) return null;
  const startedAt = argoTime(state.startedAt);
  if (!startedAt) return null;
  const operation = state.operation;
  const who = initiator(operation?.initiatedBy);
  const images = [...new Set((state.syncResult?.resources ?? []).flatMap((resource) => resource.images ?? []))].sort();
  const revision = operationRevision(raw, state);
  return {
    externalId: `${applicationKey(raw)}@${state.startedAt}`,
    phase: state.phase,
    status: operationStatus(state.phase),
    startedAt,
    finishedAt: argoTime(state.finishedAt),
    revision,
    ...who,
    selfHeal: who.automated && ((operation?.sync?.autoHealAttemptsCount ?? 0) > 0 || resyncsRunningRevision(raw, startedAt, revision)),
    info: Object.fromEntries((operation?.info ?? []).filter((entry) => typeof entry?.name === "string").map((entry) => [entry.name, entry.value ?? ""])),
    message: state.message ?? null,
    images,
  };
}

/**
 * Whether an operation syncs the revision already running before it started (the newest history
 * entry deployed before it). Argo CD's controller only does that on its own to undo drift, so an
 * automated one is a self-heal even where `autoHealAttemptsCount` is not reported.
 */
function resyncsRunningRevision(raw: RawArgoApplication, started: Date, revision: string | null): boolean {
  if (!revision) return false;
  const before = (raw.status?.history ?? [])
    .filter((entry) => (argoTime(entry.deployedAt)?.getTime() ?? Infinity) < started.getTime())
    .sort((a, b) => a.id - b.id)
    .at(-1);
  return before !== undefined && historyRevision(raw, before) === revision;
}

/** A completed sync Argo CD still remembers in `status.history` (the last ten). */
export interface ArgoHistoryDeployment {
  externalId: string;
  /** The entry's `id`: Argo CD numbers them in order. */
  id: number;
  revision: string | null;
  /** `deployStartedAt`, or `deployedAt` for entries older Argo CD wrote without it (see `startKnown`). */
  startedAt: Date;
  finishedAt: Date;
  /** False when the entry has no `deployStartedAt`: its start is then its finish, a stand-in. */
  startKnown: boolean;
  initiatedBy: string | null;
  automated: boolean;
}

/** History in id order; an entry without a readable `deployedAt` (never seen from Argo CD) is skipped rather than dated wrong. */
export function transformHistory(raw: RawArgoApplication): ArgoHistoryDeployment[] {
  const out: ArgoHistoryDeployment[] = [];
  for (const entry of [...(raw.status?.history ?? [])].sort((a, b) => a.id - b.id)) {
    const finishedAt = argoTime(entry.deployedAt);
    if (!finishedAt) continue;
    const started = argoTime(entry.deployStartedAt);
    out.push({
      externalId: `${applicationKey(raw)}#${entry.id}`,
      id: entry.id,
      revision: historyRevision(raw, entry),
      startedAt: started ?? finishedAt,
      finishedAt,
      startKnown: started !== null,
      ...initiator(entry.initiatedBy),
    });
  }
  return out;
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
  const desired = desiredRevisionOf(raw);
  const synced = syncedRevisionOf(raw);
  if (!desired) return { state: "UNKNOWN", reason: "no desired revision" };
  if (desired !== synced) return { state: "PENDING_CHANGE", desiredRevision: desired, syncedRevision: synced };
  const outOfSync = (status?.resources ?? []).filter((resource) => resource.status === "OutOfSync");
  // A resource Git no longer has, waiting to be pruned (`prune: false`), is Git ahead of the
  // cluster, not a hand edit: when nothing else differs, that is a pending change.
  const edited = outOfSync.filter((resource) => resource.requiresPruning !== true);
  if (outOfSync.length > 0 && edited.length === 0) return { state: "PENDING_CHANGE", desiredRevision: desired, syncedRevision: synced };
  const resources = edited.map((resource) => ({ kind: resource.kind, namespace: resource.namespace ?? null, name: resource.name }));
  return { state: "LIVE_DRIFT", revision: desired, resources };
}

/** The annotation Argo CD's `annotation` and `annotation+label` tracking write (the default from Argo CD 3.0). */
export const ARGOCD_TRACKING_ANNOTATION = "argocd.argoproj.io/tracking-id";
/** The label Argo CD's `label` tracking writes (the default before 3.0), unless the install names another. */
export const ARGOCD_INSTANCE_LABEL = "app.kubernetes.io/instance";

export interface ArgoTrackingId {
  /** The Application's name. */
  appName: string;
  /** The Application's namespace when it is not Argo CD's own (apps in any namespace write `<ns>_<name>`). */
  appNamespace: string | null;
  group: string;
  kind: string;
  namespace: string | null;
  name: string;
}

/**
 * `<app>:<group>/<kind>:<namespace>/<name>` (`<app>` is `<appNamespace>_<appName>` for an
 * Application outside Argo CD's namespace; the core group is empty, a cluster-scoped object has no
 * namespace). Null for anything else: a value copied by hand or mangled is no evidence of an owner.
 */
export function parseArgoTrackingId(value: string | null | undefined): ArgoTrackingId | null {
  const match = /^([^:]+):([^/:]*)\/([^:/]+):(?:([^/]*)\/)?([^/]+)$/.exec(value?.trim() ?? "");
  if (!match) return null;
  const app = match[1]!;
  const underscore = app.indexOf("_");
  return {
    appName: underscore >= 0 ? app.slice(underscore + 1) : app,
    appNamespace: underscore >= 0 ? app.slice(0, underscore) : null,
    group: match[2]!,
    kind: match[3]!,
    namespace: present(match[4]),
    name: match[5]!,
  };
}

/**
 * The Argo CD Application a live object belongs to: its tracking annotation when present (it names
 * the app exactly, and Helm charts' own `app.kubernetes.io/instance` label cannot fake it), else the
 * instance label, which a plain `helm install` also sets: so a label alone beside
 * `app.kubernetes.io/managed-by: Helm` is no evidence.
 */
export function argoOwnerOf(metadata: { labels?: Record<string, string>; annotations?: Record<string, string> }): { appName: string; appNamespace: string | null; via: "annotation" | "label" } | null {
  const tracked = parseArgoTrackingId(metadata.annotations?.[ARGOCD_TRACKING_ANNOTATION]);
  if (tracked) return { appName: tracked.appName, appNamespace: tracked.appNamespace, via: "annotation" };
  const instance = present(metadata.labels?.[ARGOCD_INSTANCE_LABEL]?.trim());
  if (!instance || metadata.labels?.["app.kubernetes.io/managed-by"] === "Helm") return null;
  return { appName: instance, appNamespace: null, via: "label" };
}
