/**
 * An Argo CD app as the sandbox shows it once runtime writes (lib/sandbox/live-cluster) are laid
 * over the scenario: a hand edit of its Deployment is live drift (OutOfSync at the synced
 * revision, the Deployment listed as OutOfSync, live vs desired in the diff); a self-heal or a
 * sync started through the API is the app's current operation while it is the latest one; a
 * finished sync moves the synced revision, the image and the health. The Application, its
 * resource tree and its diff all read this one view, so they never disagree.
 */
import type { LiveOperation, WorkloadLayer } from "@/lib/sandbox/live-cluster/live-edits";
import type { GitopsApp, GitopsDriftResource } from "@/lib/sandbox/scenario/gitops/model";
import { type AppState, DESIRED_REPLICAS, IMAGE_FIELD, appStateOf } from "./app-state";
import type { ArgoSnapshot } from "./snapshot";

export interface LiveAppView {
  state: AppState;
  layer: WorkloadLayer;
  /** Runtime operations started by the snapshot's instant. */
  operations: LiveOperation[];
  /** The runtime operation `operationState` shows: the latest one, unless the scenario started one since. */
  operation: LiveOperation | null;
  /** Whether an operation (runtime or scenario) is running: a new sync is refused meanwhile. */
  running: boolean;
  /** Config sha the app last synced (a runtime sync, or the scenario's last successful one). */
  syncedRevision: string | null;
  syncedImage: string | null;
  headRevision: string | null;
  /** Last instant runtime writes changed the app, ISO 8601; null when they never did. */
  changedAt: string | null;
  touched: boolean;
  /** The instant the view was read at, epoch seconds. */
  liveAt: number;
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
export const isoSeconds = (at: number) => new Date(at * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

export function liveAppViewOf(snapshot: ArgoSnapshot, app: GitopsApp): LiveAppView {
  const { gitops, live, liveAt } = snapshot;
  const base = appStateOf(gitops, app);
  const layer = live.layerAt(app.workload.namespace, app.workload.name, { at: liveAt, seq: Infinity });
  const operations = live.operations(app.name, liveAt);
  const scenarioOps = gitops.operations.filter((operation) => operation.serviceSlug === app.serviceSlug);
  const lastScenario = scenarioOps.at(-1);
  const lastLive = operations.at(-1) ?? null;
  const operation = lastLive && (!lastScenario || lastLive.startedAt >= seconds(lastScenario.startedAt)) ? lastLive : null;
  const liveRunning = operations.some((candidate) => candidate.startedAt <= liveAt && liveAt < candidate.finishedAt);
  const instants = live.appInstants(app.name).filter((instant) => instant <= liveAt);
  const changedAt = instants.length > 0 ? isoSeconds(instants.at(-1)!) : null;
  const commits = gitops.configCommits.filter((commit) => commit.serviceSlug === app.serviceSlug);
  const headRevision = commits.at(-1)?.sha ?? null;
  const applied = [...scenarioOps].reverse().find((candidate) => candidate.result?.phase === "Succeeded" && candidate.changesRevision);
  const syncedRevision = layer.synced?.revision ?? applied?.revision ?? null;
  const syncedImage = layer.synced?.image ?? commits.find((commit) => commit.sha === syncedRevision)?.image ?? null;
  const touched = operations.length > 0 || layer.changedAt !== null;
  if (!touched) return { state: base, layer, operations, operation, running: base.operationRunning, syncedRevision, syncedImage, headRevision, changedAt, touched, liveAt };

  // A runtime sync applied the manifests: scenario drift that started before it is gone.
  const synced = layer.synced;
  const episodes = gitops.driftEpisodes.filter((episode) => episode.serviceSlug === app.serviceSlug && episode.endedAt === null && (!synced || seconds(episode.startedAt) > synced.at));
  const scenarioDrift = episodes.flatMap((episode) => episode.resources);
  const override = (field: string) => scenarioDrift.filter((resource) => resource.kind === "Deployment" && resource.name === app.workload.name && resource.field === field).at(-1)?.liveValue;
  const imageField = IMAGE_FIELD(app.workload.container);
  const desiredImage = syncedImage ?? base.targetImage;
  const edit = layer.edit;
  const drifted: GitopsDriftResource[] = [...scenarioDrift];
  const resource = { kind: "Deployment", namespace: app.workload.namespace, name: app.workload.name };
  if (edit?.image != null && edit.image !== desiredImage) drifted.push({ ...resource, field: imageField, liveValue: edit.image, desiredValue: desiredImage });
  if (edit?.replicas != null && edit.replicas !== DESIRED_REPLICAS) drifted.push({ ...resource, field: "spec.replicas", liveValue: String(edit.replicas), desiredValue: String(DESIRED_REPLICAS) });
  const liveImage = edit?.image ?? override(imageField) ?? (synced ? synced.image : base.liveImage);
  const replicas = edit?.replicas ?? Number(override("spec.replicas") ?? (synced ? DESIRED_REPLICAS : base.liveReplicas));

  // A runtime operation that changes the Deployment rolls it out; once done the app is healthy,
  // until the scenario says otherwise later.
  const lastTransition = gitops.healthTransitions.filter((transition) => transition.serviceSlug === app.serviceSlug).at(-1);
  let health = base.health;
  const applying = operations.filter((candidate) => !candidate.dryRun);
  const runningApply = applying.find((candidate) => candidate.startedAt <= liveAt && liveAt < candidate.finishedAt);
  const lastDone = applying.filter((candidate) => candidate.finishedAt <= liveAt).at(-1);
  if (runningApply && (!lastTransition || runningApply.startedAt >= seconds(lastTransition.at))) health = "Progressing";
  else if (lastDone && (!lastTransition || lastDone.finishedAt >= seconds(lastTransition.at))) health = "Healthy";

  const state: AppState = {
    app,
    targetImage: base.targetImage,
    liveImage,
    liveReplicas: Number.isFinite(replicas) ? replicas : DESIRED_REPLICAS,
    health,
    drifted,
    operationRunning: base.operationRunning || liveRunning,
  };
  return { state, layer, operations, operation, running: state.operationRunning, syncedRevision, syncedImage, headRevision, changedAt, touched, liveAt };
}
