import type { DriftResource, LiveDriftObservation } from "@/lib/drift/drift-episodes";
import type { GitOpsObservation } from "@/lib/ingest/gitops/observe-gitops-app";
import type { DeploymentStatusValue, GitOpsAppRecord, GitOpsOperationRecord } from "@/lib/ingest/records";
import type { DeploymentView } from "@/lib/ingest/kubernetes/deployment-view";
import {
  appliedHelmSnapshot,
  attemptedHelmRevision,
  helmReleaseDrift,
  helmRevisionsMatch,
  helmSnapshotRevision,
  parseFluxRevision,
  transformHelmRelease,
  transformKustomization,
} from "@/lib/sources/flux/transform";
import type { RawFluxCondition, RawFluxSource, RawHelmRelease, RawHelmReleaseSnapshot, RawKustomization } from "@/lib/sources/flux/types";
import { ENVIRONMENT_ANNOTATION } from "@/lib/ingest/argocd/argo-observation";

/**
 * Pure: a Flux Kustomization (with its GitRepository) or HelmRelease, as seen at one instant, as a
 * `GitOpsObservation` (DESIGN §3, §4). Flux keeps no operation log: what it is doing shows only in
 * the `Ready` condition and the attempted/applied revisions, so each observation yields at most the
 * current reconciliation attempt, and the same attempt seen twice (running, then finished) must keep
 * one id. Its start is only visible while it runs (Ready=Unknown since the attempt began), so a
 * finished attempt takes the id of the stored running one it completes; what was stored for the
 * object is passed in (`stored`), which keeps this function free of I/O.
 */

/** What the database holds for the object, read in the same transaction before observing it. */
export interface StoredFluxState {
  /** `GitOpsApp.images`: what the Deployments ran when an apply last succeeded. */
  appliedImages: string[];
  syncedRevision: string | null;
  operations: StoredFluxOperation[];
}

export interface StoredFluxOperation {
  externalId: string;
  status: DeploymentStatusValue;
  revision: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  selfHeal: boolean;
  images: string[];
  /** `GitOpsOperation.info`; for an apply, the replica counts it left (see `appliedReplicaInfo`). */
  info?: Record<string, string>;
}

export interface FluxObservationContext {
  integrationId: string;
  observedAt: Date;
  /** The live Deployments the object applies (by the Flux labels), as seen now. */
  deployments: readonly DeploymentView[];
  stored: StoredFluxState | null;
}

function condition(conditions: readonly RawFluxCondition[] | undefined, type: string): RawFluxCondition | null {
  return conditions?.find((candidate) => candidate.type === type) ?? null;
}

function time(value: string | undefined | null): Date | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

function liveImages(deployments: readonly DeploymentView[]): string[] {
  return [...new Set(deployments.flatMap((deployment) => deployment.images))].sort();
}

/**
 * What an apply left in the cluster besides images: each managed Deployment's replica count, kept
 * in the successful operation's `info` (`appliedReplicas/<namespace>/<name>` → count) when the
 * apply is first seen finished. A Kustomization reports no drift of its own (DESIGN §4), so a
 * replica count changed by hand is seen only against what Flux last applied, as images are.
 */
const REPLICAS_KEY = "appliedReplicas/";

export function appliedReplicaInfo(deployments: readonly DeploymentView[]): Record<string, string> {
  const info: Record<string, string> = {};
  for (const deployment of deployments) if (deployment.replicas !== null) info[`${REPLICAS_KEY}${deployment.namespace}/${deployment.name}`] = String(deployment.replicas);
  return info;
}

/** The replica counts the newest apply left: the current attempt's if it applied, else the newest stored success's. */
function appliedReplicas(current: GitOpsOperationRecord | null, stored: StoredFluxState | null): Map<string, number> {
  const withCounts = (info: Record<string, string> | undefined) => !!info && Object.keys(info).some((key) => key.startsWith(REPLICAS_KEY));
  const source =
    current?.status === "SUCCESS" && withCounts(current.info)
      ? current.info
      : (stored?.operations ?? [])
          .filter((operation) => operation.status === "SUCCESS" && operation.finishedAt !== null && withCounts(operation.info))
          .sort((a, b) => b.finishedAt!.getTime() - a.finishedAt!.getTime())[0]?.info;
  const counts = new Map<string, number>();
  for (const [key, value] of Object.entries(source ?? {})) {
    const count = Number(value);
    if (key.startsWith(REPLICAS_KEY) && Number.isInteger(count)) counts.set(key.slice(REPLICAS_KEY.length), count);
  }
  return counts;
}

/** The externalId of an attempt: the object, the revision tried, and the instant it is known by. */
function attemptId(objectKey: string, revision: string | null, at: Date): string {
  return `${objectKey}@${revision ?? "unknown"}@${at.toISOString()}`;
}

interface Attempt {
  status: DeploymentStatusValue;
  revision: string | null;
  /** Running: when it began; finished: when it ended (its start is unknown unless seen running). */
  at: Date;
  message: string | null;
}

/**
 * The current attempt as the Ready condition shows it: Unknown is one running since the
 * transition; True is the applied revision, finished then; False with the attempted revision not
 * applied is a failed attempt of it (DESIGN §4: not a failed change). False at the applied revision
 * (a failing health check of what runs) is no attempt, unless one was seen running.
 */
function currentAttempt(ready: RawFluxCondition | null, attempted: string | null, applied: string | null, observedAt: Date, stored: StoredFluxState | null): Attempt | null {
  if (!ready) return null;
  const at = time(ready.lastTransitionTime) ?? observedAt;
  const message = ready.message ?? null;
  if (ready.status === "True") return applied === null ? null : { status: "SUCCESS", revision: applied, at, message };
  if (ready.status === "False") {
    if (attempted !== null && attempted !== applied) return { status: "FAILURE", revision: attempted, at, message };
    const running = stored?.operations.some((operation) => operation.status === "IN_PROGRESS" && operation.startedAt <= at);
    return running ? { status: "FAILURE", revision: attempted ?? applied, at, message } : null;
  }
  return { status: "IN_PROGRESS", revision: attempted, at, message };
}

/**
 * The attempt as an operation record, reusing the id (and start) of the stored operation it is:
 * the running one it completes, or the finished one seen before. Stored running operations it does
 * not complete were superseded (their end was never seen): recorded as cancelled, which is not an
 * attempt (DESIGN §3), rather than left running for ever.
 */
function attemptOperations(
  objectKey: string,
  attempt: Attempt | null,
  stored: StoredFluxState | null,
  images: string[],
  sameRevision: (a: string | null, b: string | null) => boolean,
  /** What a successful apply first seen now records in its `info` (the Deployments' replica counts). */
  appliedInfo: Record<string, string> = {},
): { operations: GitOpsOperationRecord[]; current: GitOpsOperationRecord | null; newlyFinished: boolean } {
  const operations: GitOpsOperationRecord[] = [];
  const storedOps = stored?.operations ?? [];
  let current: GitOpsOperationRecord | null = null;
  let newlyFinished = false;
  if (attempt) {
    let match: StoredFluxOperation | undefined;
    if (attempt.status === "IN_PROGRESS") {
      match = storedOps.find((operation) => operation.externalId === attemptId(objectKey, attempt.revision, attempt.at));
    } else {
      match =
        storedOps.find((operation) => operation.status === attempt.status && operation.finishedAt?.getTime() === attempt.at.getTime() && sameRevision(operation.revision, attempt.revision)) ??
        storedOps
          .filter((operation) => operation.status === "IN_PROGRESS" && operation.startedAt <= attempt.at && (operation.revision === null || sameRevision(operation.revision, attempt.revision)))
          .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())[0];
    }
    const startedAt = match?.startedAt ?? attempt.at;
    const finished = attempt.status !== "IN_PROGRESS";
    newlyFinished = attempt.status === "SUCCESS" && match?.status !== "SUCCESS";
    // A reconcile of the revision already running re-applies Git over the cluster: Flux's own
    // correction of drift, not a deployment. Decided once, when first seen, and kept; except for
    // an attempt seen running without a revision (a HelmRelease does not say what it is
    // upgrading to): taken as a reconcile while it runs, and decided by the revision its end
    // names, a new release being a deployment. A failure naming none stays a reconcile (DESIGN §4:
    // a failed attempt is one whose attempted revision differs from the applied one).
    const revealed = finished && match?.status === "IN_PROGRESS" && match.revision === null && attempt.revision !== null;
    const selfHeal =
      match && !revealed
        ? match.selfHeal
        : stored !== null && stored.syncedRevision !== null && (revealed ? stored.syncedRevision === attempt.revision : sameRevision(stored.syncedRevision, attempt.revision));
    current = {
      externalId: match?.externalId ?? attemptId(objectKey, attempt.revision, attempt.at),
      phase: attempt.status === "SUCCESS" ? "Succeeded" : attempt.status === "FAILURE" ? "Failed" : "Running",
      status: attempt.status,
      startedAt,
      finishedAt: finished ? attempt.at : null,
      revision: attempt.revision ?? match?.revision ?? null,
      initiatedBy: null,
      automated: true,
      selfHeal,
      // Kept from when the apply was first seen finished: later sights may show hand edits.
      info: attempt.status === "SUCCESS" ? (match?.info && Object.keys(match.info).length > 0 ? match.info : appliedInfo) : {},
      message: attempt.message,
      images: attempt.status === "SUCCESS" ? (match && match.images.length > 0 ? match.images : images) : [],
    };
    operations.push(current);
  }
  for (const operation of storedOps) {
    if (operation.status !== "IN_PROGRESS" || operation.externalId === current?.externalId) continue;
    const end = current ? (current.finishedAt ?? current.startedAt) : null;
    if (!end || end < operation.startedAt) continue;
    operations.push({
      externalId: operation.externalId,
      phase: "Superseded",
      status: "CANCELLED",
      startedAt: operation.startedAt,
      finishedAt: end,
      revision: operation.revision,
      initiatedBy: null,
      automated: true,
      selfHeal: operation.selfHeal,
      info: {},
      message: "superseded by a later reconciliation before its outcome was seen",
      images: [],
    });
  }
  return { operations, current, newlyFinished };
}

/**
 * What the object applied: the live images when an apply has just been seen succeeding (or on the
 * first sight of the object), otherwise what was stored then, so a later hand edit is compared
 * with it instead of becoming it.
 */
function appliedImages(stored: StoredFluxState | null, newlyFinished: boolean, live: string[]): string[] {
  if (newlyFinished || !stored || stored.appliedImages.length === 0) return live;
  return stored.appliedImages;
}

const equal = (a: string | null, b: string | null) => a === b;

function environmentOf(annotations: Record<string, string> | undefined): string {
  return annotations?.[ENVIRONMENT_ANNOTATION]?.trim() || "production";
}

function objectKeyOf(kind: "kustomization" | "helmrelease", metadata: { namespace?: string; name: string }): string {
  return `flux:${kind}/${metadata.namespace ?? "flux-system"}/${metadata.name}`;
}

/**
 * A Kustomization and the source its `spec.sourceRef` names (a GitRepository, or an OCIRepository
 * for a caller that has one; null when not found: the attempted revision then stands in).
 */
export function kustomizationObservation(raw: RawKustomization, source: RawFluxSource | null, context: FluxObservationContext): GitOpsObservation {
  const app = transformKustomization(raw, source);
  const { stored, observedAt } = context;
  const objectKey = objectKeyOf("kustomization", raw.metadata);
  const ready = condition(raw.status?.conditions, "Ready");
  const attempted = parseFluxRevision(raw.status?.lastAttemptedRevision).sha;
  const applied = parseFluxRevision(raw.status?.lastAppliedRevision).sha;
  const live = liveImages(context.deployments);
  const attempt = currentAttempt(ready, attempted, applied, observedAt, stored);
  const { operations, current, newlyFinished } = attemptOperations(objectKey, attempt, stored, live, equal, appliedReplicaInfo(context.deployments));
  const images = appliedImages(stored, newlyFinished, live);
  let drift: LiveDriftObservation;
  if (ready?.status === "Unknown" || attempt?.status === "IN_PROGRESS") drift = { state: "ROLLOUT_IN_PROGRESS", since: null, resources: [] };
  else if (app.desiredRevision !== null && app.syncedRevision !== null && app.desiredRevision !== app.syncedRevision) drift = { state: "PENDING_CHANGE", since: null, resources: [] };
  else if (applied === null) drift = { state: "UNKNOWN", since: null, resources: [] };
  else drift = kustomizationImageDrift(context.deployments, images, appliedReplicas(current, stored), current, stored, observedAt);
  return {
    integrationId: context.integrationId,
    source: "FLUX",
    app,
    images,
    operations,
    drift,
    sourceEnvironment: environmentOf(raw.metadata.annotations),
    observedAt,
  };
}

/**
 * A Kustomization's live drift: a managed Deployment runs an image the object did not apply, or a
 * replica count other than the one its last apply left (unless an autoscaler set it). It starts at
 * the edit (the newest write by someone other than Flux, when `managedFields` say) and ends when
 * the cluster is back in line: Flux re-applies on its interval, so that is an auto-heal, at Flux's
 * own write when recorded, else at the reconcile that finished, else when seen.
 */
function kustomizationImageDrift(
  deployments: readonly DeploymentView[],
  applied: readonly string[],
  appliedCounts: ReadonlyMap<string, number>,
  current: GitOpsOperationRecord | null,
  stored: StoredFluxState | null,
  observedAt: Date,
): LiveDriftObservation {
  const expected = new Set(applied);
  const resources: DriftResource[] = [];
  let since: Date | null = null;
  let actor: string | null = null;
  const noteEdit = (deployment: DeploymentView) => {
    const edit = deployment.lastForeignWrite;
    if (edit && (!since || edit.at > since)) {
      since = edit.at;
      actor = edit.manager;
    }
  };
  for (const deployment of deployments) {
    const count = appliedCounts.get(`${deployment.namespace}/${deployment.name}`);
    if (count !== undefined && deployment.replicas !== null && deployment.replicas !== count && !deployment.autoscaled) {
      resources.push({ kind: "Deployment", namespace: deployment.namespace, name: deployment.name, field: "spec.replicas", liveValue: String(deployment.replicas), desiredValue: String(count) });
      noteEdit(deployment);
    }
    for (const container of deployment.containers) {
      if (expected.size === 0 || expected.has(container.image)) continue;
      const desired = applied.find((image) => imageRepository(image) === imageRepository(container.image)) ?? applied[0];
      resources.push({
        kind: "Deployment",
        namespace: deployment.namespace,
        name: deployment.name,
        field: `spec.template.spec.containers[name=${container.name}].image`,
        liveValue: container.image,
        ...(desired ? { desiredValue: desired } : {}),
      });
      noteEdit(deployment);
    }
  }
  if (resources.length > 0) return { state: "LIVE_DRIFT", since, resources, actor };
  const fluxWrite = deployments.map((deployment) => deployment.lastFluxWrite).filter((write): write is NonNullable<typeof write> => write !== null).sort((a, b) => b.at.getTime() - a.at.getTime())[0];
  const deployed = current?.status === "SUCCESS" && stored?.syncedRevision != null && current.revision !== stored.syncedRevision;
  const ended = deployed
    ? { at: current!.finishedAt!, reason: "NEW_DEPLOYMENT" as const, ref: current!.externalId }
    : fluxWrite
      ? { at: fluxWrite.at, reason: "AUTO_HEAL" as const, ref: current?.status === "SUCCESS" ? current.externalId : null }
      : current?.status === "SUCCESS" && current.finishedAt
        ? { at: current.finishedAt, reason: "AUTO_HEAL" as const, ref: current.externalId }
        : { at: observedAt, reason: "AUTO_HEAL" as const, ref: null };
  return { state: "IN_SYNC", since: null, resources: [], ended };
}

function imageRepository(image: string): string {
  const at = image.indexOf("@");
  const base = at >= 0 ? image.slice(0, at) : image;
  const colon = base.lastIndexOf(":");
  return colon > base.lastIndexOf("/") ? base.slice(0, colon) : base;
}

/** Helm release statuses of a release that went live (`superseded`: until a later one replaced it). */
const RELEASED = new Set(["deployed", "superseded"]);

/** A snapshot's outcome as an operation: live releases succeeded, `failed` ones failed; pending, uninstalled and unknown ones are no outcome. */
function snapshotOutcome(snapshot: RawHelmReleaseSnapshot): "SUCCESS" | "FAILURE" | null {
  // Snapshots without a status (kept for hand-made objects) count as released, as `appliedHelmSnapshot` takes them.
  if (snapshot.status === undefined || RELEASED.has(snapshot.status)) return "SUCCESS";
  return snapshot.status === "failed" ? "FAILURE" : null;
}

/**
 * A HelmRelease. Helm identifies a release by its chart version and values digest
 * (`helmRevision`), not a Git commit. Its `status.history` (Flux keeps five, newest first) lists the
 * releases made since the last good one, failed ones included: each live one is a successful
 * operation at its `lastDeployed`, the applied one completing the attempt seen running; failed
 * ones are failed attempts, consecutive retries of one revision being one attempt (DESIGN §3).
 * A missing `lastAttemptedConfigDigest` leaves the attempt's revision partly unknown: it is taken
 * as different only when what is known differs (`attemptedHelmRevision`, `helmRevisionsMatch`).
 */
export function helmReleaseObservation(raw: RawHelmRelease, context: FluxObservationContext): GitOpsObservation {
  const app = transformHelmRelease(raw);
  const { stored, observedAt } = context;
  const objectKey = objectKeyOf("helmrelease", raw.metadata);
  const history = raw.status?.history ?? [];
  const latest = appliedHelmSnapshot(history);
  const applied = helmSnapshotRevision(latest);
  const attempted = attemptedHelmRevision(raw, applied);
  const attemptDiffers = attempted !== null && attempted !== applied;
  // Only a reported digest says what a running attempt applies; a chart version alone says so when it is another one.
  const attemptKnown = !!raw.status?.lastAttemptedConfigDigest || attemptDiffers;
  const ready = condition(raw.status?.conditions, "Ready");
  const live = liveImages(context.deployments);

  let attempt: Attempt | null;
  if (ready?.status === "True" && latest && applied) {
    const released = time(latest.lastDeployed);
    // A reconcile seen running after the newest release that ended without a new one re-applied
    // that release (helm-controller correcting drift, a no-op upgrade): it ended when Ready turned
    // True, not when the release was made; without that transition, when first seen ended.
    const reconcile = released ? stored?.operations.find((operation) => operation.status === "IN_PROGRESS" && operation.startedAt > released) : undefined;
    const readyAt = time(ready.lastTransitionTime);
    const at = reconcile ? (readyAt && readyAt >= reconcile.startedAt ? readyAt : observedAt) : (released ?? readyAt ?? observedAt);
    attempt = { status: "SUCCESS", revision: applied, at, message: ready.message ?? null };
  } else if (ready?.status === "False") {
    // DESIGN §4: Ready=False with the attempted revision not the applied one is a failed attempt.
    const failed = attempted !== null && (applied === null || !helmRevisionsMatch(attempted, applied)) ? attempted : null;
    const running = stored?.operations.some((operation) => operation.status === "IN_PROGRESS");
    attempt = failed !== null || running ? { status: "FAILURE", revision: failed, at: time(ready.lastTransitionTime) ?? observedAt, message: ready.message ?? null } : null;
  } else if (ready) {
    attempt = { status: "IN_PROGRESS", revision: attemptKnown ? attempted : null, at: time(ready.lastTransitionTime) ?? observedAt, message: ready.message ?? null };
  } else attempt = null;

  const operations = historyOperations(objectKey, history, latest, attempt, stored);
  // A running attempt whose revision is partly unknown may still turn out to be the applied release.
  const result = attemptOperations(objectKey, attempt, stored, live, helmRevisionsMatch);
  operations.push(...result.operations);
  const images = appliedImages(stored, result.newlyFinished, live);

  const detected = helmReleaseDrift(raw);
  let drift: LiveDriftObservation;
  if (!detected.observable) drift = { state: "NOT_OBSERVABLE", since: null, resources: [] };
  else if (detected.drifted) drift = { state: "LIVE_DRIFT", since: time(detected.since), resources: helmDriftResources(detected.message, context.deployments), actor: null };
  else if (result.current?.status === "IN_PROGRESS") drift = { state: "ROLLOUT_IN_PROGRESS", since: null, resources: [] };
  else {
    // Drifted cleared: helm-controller corrected it (drift detection `enabled`); its write, else the reconcile, else now.
    const fluxWrite = context.deployments.map((deployment) => deployment.lastFluxWrite?.at ?? null).filter((at): at is Date => at !== null).sort((a, b) => b.getTime() - a.getTime())[0];
    const driftedCleared = condition(raw.status?.conditions, "Drifted");
    const clearedAt = driftedCleared?.status === "False" ? time(driftedCleared.lastTransitionTime) : null;
    const at = clearedAt ?? fluxWrite ?? (result.current?.status === "SUCCESS" ? result.current.finishedAt : null) ?? observedAt;
    drift = { state: "IN_SYNC", since: null, resources: [], ended: { at, reason: "AUTO_HEAL", ref: result.current?.status === "SUCCESS" ? result.current.externalId : null } };
  }
  return {
    integrationId: context.integrationId,
    source: "FLUX",
    app,
    images,
    operations,
    drift,
    sourceEnvironment: environmentOf(raw.metadata.annotations),
    observedAt,
  };
}

/**
 * The releases `status.history` lists, oldest first, as operations: each live release a success at
 * its `lastDeployed`, except the applied one while Ready=True (the current attempt records it);
 * each run of consecutive failed releases of one revision one failed attempt (Flux's retries),
 * except the run the current failed attempt is (it records that one, keyed on Ready's transition).
 * An operation stored before keeps its id: a success of the same revision and finish, a failure of
 * the same revision that finished within the run.
 */
function historyOperations(objectKey: string, history: readonly RawHelmReleaseSnapshot[], applied: RawHelmReleaseSnapshot | null, current: Attempt | null, stored: StoredFluxState | null): GitOpsOperationRecord[] {
  const operations: GitOpsOperationRecord[] = [];
  const storedOps = stored?.operations ?? [];
  const record = (status: "SUCCESS" | "FAILURE", revision: string, startedAt: Date, finishedAt: Date, known: StoredFluxOperation | undefined) =>
    operations.push({
      externalId: known?.externalId ?? attemptId(objectKey, revision, finishedAt),
      phase: status === "SUCCESS" ? "Succeeded" : "Failed",
      status,
      startedAt: known?.startedAt ?? startedAt,
      finishedAt: known?.finishedAt ?? finishedAt,
      revision,
      initiatedBy: null,
      automated: true,
      selfHeal: known?.selfHeal ?? false,
      info: status === "SUCCESS" ? (known?.info ?? {}) : {},
      message: null,
      images: status === "SUCCESS" ? (known?.images ?? []) : [],
    });
  let run: { revision: string; first: Date; last: Date } | null = null;
  /** Ends the run of failures at `until` (the next live release), or as the newest thing in history (null). */
  const closeRun = (until: Date | null) => {
    if (!run) return;
    const { revision, first, last } = run;
    run = null;
    // The newest failures are the attempt Ready=False reports: recorded once, by it.
    if (until === null && current?.status === "FAILURE" && current.revision === revision) return;
    // That attempt was keyed on Ready's transition, which may come after the last failed release (a
    // failure after Helm's wait timeout): anything up to the next release is this run.
    const known = storedOps.find((operation) => operation.status === "FAILURE" && operation.revision === revision && operation.finishedAt !== null && operation.finishedAt >= first && (until === null || operation.finishedAt < until));
    record("FAILURE", revision, first, last, known);
  };
  for (const snapshot of [...history].reverse()) {
    const outcome = snapshotOutcome(snapshot);
    const revision = helmSnapshotRevision(snapshot);
    const at = time(snapshot.lastDeployed);
    if (!outcome || !revision || !at) continue;
    if (outcome === "FAILURE") {
      if (run && run.revision === revision) run.last = at;
      else {
        closeRun(at);
        run = { revision, first: at, last: at };
      }
      continue;
    }
    closeRun(at);
    if (snapshot === applied && current?.status === "SUCCESS") continue;
    const known = storedOps.find((operation) => operation.status === "SUCCESS" && operation.revision === revision && operation.finishedAt?.getTime() === at.getTime());
    record("SUCCESS", revision, at, at, known);
  }
  closeRun(null);
  return operations;
}

/** `Kind/ns/name field: live (desired …)` parts of a Drifted message, as the resources involved. */
function helmDriftResources(message: string | null, deployments: readonly DeploymentView[]): DriftResource[] {
  const resources: DriftResource[] = [];
  for (const part of (message ?? "").split(";")) {
    const match = /^\s*([A-Za-z]+)\/([^/\s]*)\/([^\s]+)\s+(\S+):\s+(.*?)\s+\(desired\s+(.*)\)\s*$/.exec(part);
    if (!match) continue;
    resources.push({ kind: match[1]!, namespace: match[2] || null, name: match[3]!, field: match[4]!, liveValue: match[5]!, desiredValue: match[6]! });
  }
  if (resources.length > 0) return resources;
  return deployments.map((deployment) => ({ kind: "Deployment", namespace: deployment.namespace, name: deployment.name }));
}
