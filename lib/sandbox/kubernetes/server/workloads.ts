/**
 * The objects the scenario's cluster holds besides the Argo CD / Flux objects `clusterObjectOf`
 * builds: a GitRepository per Flux app's config repository, and an `apps/v1` Deployment per
 * workload (GitOps apps' and push-based services' production Deployments), in the shapes the
 * Kubernetes API serves. Each builder takes the truth already cut at an instant and returns the
 * object without the fields the store adds (uid, resourceVersion, generation), or null while the
 * object does not exist yet.
 *
 * Each Deployment carries the `metadata.managedFields` an API server keeps: one entry per field
 * manager, timed at its latest write that changed something (the deploying controller or CI at its
 * last apply, the person behind an open hand edit at the edit), in the shape the runtime writes
 * use (see live-objects.ts). The status writer (kube-controller-manager, `subresource: status`) is
 * left out.
 */
import { IMAGE_REGISTRY } from "@/lib/sandbox/scenario/gitops/controllers";
import type { ClusterObject } from "@/lib/sandbox/scenario/gitops/cluster-objects";
import type { GitopsApp, GitopsControllerKind, GitopsDriftEpisode, GitopsOperation, GitopsTruth, GitopsWorkloadRef } from "@/lib/sandbox/scenario/gitops/model";
import type { GroundTruthDeployment } from "@/lib/sandbox/scenario/ground-truth";

/** Annotation naming the service a workload belongs to (the binding by convention). */
export const SERVICE_ANNOTATION = "pipeline-health.dev/service";
/** Replica count every app's manifests ask for (`replicaCount: 3` in the config repositories). */
export const DESIRED_REPLICAS = 3;

type HealthStatus = "Progressing" | "Healthy" | "Degraded";

const IMAGE_FIELD = /^spec\.template\.spec\.containers\[name=[^\]]+\]\.image$/;

/** The Flux GitRepository a Kustomization / HelmRelease reads its config repository through. */
export function gitRepositoryOf(cut: GitopsTruth, app: GitopsApp): ClusterObject {
  const head = cut.configCommits.filter((commit) => commit.serviceSlug === app.serviceSlug).at(-1) ?? null;
  const name = `${app.serviceSlug}-config`;
  const status: ClusterObject = { observedGeneration: 1 };
  if (head) {
    const revision = `${app.configBranch}@sha1:${head.sha}`;
    const path = `gitrepository/${app.namespace}/${name}/${head.sha}.tar.gz`;
    status.artifact = {
      path,
      url: `http://source-controller.flux-system.svc.cluster.local./${path}`,
      revision,
      digest: `sha256:${head.sha}${head.sha.slice(0, 24)}`,
      lastUpdateTime: head.committedAt,
      size: 4096 + head.content.length,
    };
    status.conditions = [
      { type: "ArtifactInStorage", status: "True", reason: "Succeeded", message: `stored artifact for revision '${revision}'`, lastTransitionTime: head.committedAt, observedGeneration: 1 },
      { type: "Ready", status: "True", reason: "Succeeded", message: `stored artifact for revision '${revision}'`, lastTransitionTime: head.committedAt, observedGeneration: 1 },
    ];
  } else {
    status.conditions = [{ type: "Ready", status: "Unknown", reason: "Progressing", message: "reconciliation in progress", lastTransitionTime: app.createdAt, observedGeneration: 1 }];
  }
  return {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    metadata: { name, namespace: app.namespace, creationTimestamp: app.createdAt },
    spec: { interval: "1m0s", url: `https://github.com/${app.configRepository}.git`, ref: { branch: app.configBranch }, timeout: "60s" },
    status,
  };
}

/** A field manager's latest write, as `metadata.managedFields` records it. */
interface ManagerWrite {
  manager: string;
  operation: "Update" | "Apply";
  /** ISO time of the write (whole seconds, as the API server records it). */
  at: string;
}

/** A hand edit in force: who made it (kubectl), when, and which of the modelled fields it set. */
interface HandWrite {
  manager: string;
  at: string;
  image: boolean;
  replicas: boolean;
}

interface LiveState {
  image: string;
  replicas: number;
  health: HealthStatus;
  /** When the health last changed (conditions' transition time). */
  healthSince: string;
  createdAt: string;
  /** The deploying controller's (or CI's) latest write. */
  owner: ManagerWrite;
  /** An open drift episode's hand edit, null when none is in force. */
  hand: HandWrite | null;
}

/** The field manager each deploying controller writes under, as the real controllers call themselves. */
const CONTROLLER_WRITER: Record<GitopsControllerKind, { manager: string; operation: ManagerWrite["operation"] }> = {
  // Argo CD's default client-side apply records an Update; Flux's kustomize-controller applies server-side.
  "argocd-application": { manager: "argocd-controller", operation: "Update" },
  "flux-kustomization": { manager: "kustomize-controller", operation: "Apply" },
  "flux-helmrelease": { manager: "helm-controller", operation: "Update" },
};
/** What CI writes a push-based service's Deployment under (the runtime overlay's name for it too). */
const PIPELINE_WRITER = { manager: "pipeline", operation: "Update" } as const;

/** Applies an open drift episode's hand edits (image, replicas) to what was deployed. */
function withDrift(state: LiveState, episode: GitopsDriftEpisode | undefined): LiveState {
  if (!episode) return state;
  let { image, replicas } = state;
  let editedImage = false;
  let editedReplicas = false;
  for (const resource of episode.resources) {
    if (resource.kind !== "Deployment") continue;
    if (resource.field === "spec.replicas") {
      replicas = Number(resource.liveValue);
      editedReplicas = true;
    } else if (IMAGE_FIELD.test(resource.field)) {
      image = resource.liveValue;
      editedImage = true;
    }
  }
  if (!editedImage && !editedReplicas) return state;
  // `kubectl scale` for a replica count alone, `kubectl edit` for anything else (the managers the live overlay sees).
  const manager = editedImage ? "kubectl-edit" : "kubectl-scale";
  return { ...state, image, replicas, hand: { manager, at: episode.startedAt, image: editedImage, replicas: editedReplicas } };
}

/**
 * When the controller last changed the Deployment: each instant at which the image the scenario
 * shows for it moved (a rollout starting, a failed one put back, the first apply), and each end of
 * a hand edit (the controller put the manifests back). Mirrors how `gitopsDeploymentOf` picks the
 * image, walked over the operations' starts and ends in time order.
 */
function controllerWriteAt(operations: GitopsOperation[], images: ReadonlyMap<string, string>, episodes: GitopsDriftEpisode[]): string | null {
  const events: { at: string; index: number; start: boolean }[] = [];
  operations.forEach((operation, index) => {
    events.push({ at: operation.startedAt, index, start: true });
    if (operation.result) events.push({ at: operation.result.finishedAt, index, start: false });
  });
  events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  let latest: string | null = null;
  let lastStarted = -1;
  let firstChange = -1;
  let applied = -1;
  const finished = new Set<number>();
  let image: string | undefined;
  for (let i = 0; i < events.length; ) {
    const at = events[i]!.at;
    for (; i < events.length && events[i]!.at === at; i++) {
      const { index, start } = events[i]!;
      const operation = operations[index]!;
      if (start) {
        lastStarted = Math.max(lastStarted, index);
        if (operation.changesRevision && (firstChange < 0 || index < firstChange)) firstChange = index;
      } else {
        finished.add(index);
        if (operation.changesRevision && operation.result?.phase === "Succeeded") applied = Math.max(applied, index);
      }
    }
    if (firstChange < 0) continue;
    const last = operations[lastStarted]!;
    const rollingOut = last.changesRevision && !finished.has(lastStarted);
    const revision = rollingOut ? last.revision : (operations[applied]?.revision ?? operations[firstChange]!.revision);
    const next = images.get(revision);
    if (next !== image) latest = at;
    image = next;
  }
  for (const episode of episodes) {
    if (episode.endedAt === null || !episode.resources.some((resource) => resource.kind === "Deployment")) continue;
    if (latest === null || episode.endedAt > latest) latest = episode.endedAt;
  }
  return latest;
}

/**
 * A GitOps app's Deployment: the image of the last revision the controller applied, the image of
 * the revision being rolled out while an operation that changes it runs, and an open drift
 * episode's hand edits on top. Health follows the generator's health transitions.
 */
export function gitopsDeploymentOf(cut: GitopsTruth, app: GitopsApp): ClusterObject | null {
  const operations = cut.operations.filter((operation) => operation.serviceSlug === app.serviceSlug);
  const first = operations.find((operation) => operation.changesRevision);
  if (!first) return null;
  const last = operations.at(-1)!;
  const applied = [...operations].reverse().find((operation) => operation.result?.phase === "Succeeded" && operation.changesRevision);
  const rollingOut = last.result === null && last.changesRevision ? last : null;
  // A first sync that failed still left its Deployment behind.
  const revision = rollingOut?.revision ?? applied?.revision ?? first.revision;
  const image = cut.configCommits.find((commit) => commit.sha === revision)?.image;
  if (!image) return null;
  const transition = cut.healthTransitions.filter((entry) => entry.serviceSlug === app.serviceSlug).at(-1);
  const episodes = cut.driftEpisodes.filter((episode) => episode.serviceSlug === app.serviceSlug);
  const openDrift = rollingOut ? undefined : episodes.find((episode) => episode.endedAt === null);
  const images = new Map(cut.configCommits.filter((commit) => commit.serviceSlug === app.serviceSlug).map((commit) => [commit.sha, commit.image]));
  const base: LiveState = {
    image,
    replicas: DESIRED_REPLICAS,
    health: rollingOut ? "Progressing" : (transition?.status ?? "Healthy"),
    healthSince: rollingOut ? rollingOut.startedAt : (transition?.at ?? first.startedAt),
    createdAt: first.startedAt,
    owner: { ...CONTROLLER_WRITER[app.controller], at: controllerWriteAt(operations, images, episodes) ?? first.startedAt },
    hand: null,
  };
  return deploymentObject(app.serviceSlug, app.workload, managedLabels(app), withDrift(base, openDrift));
}

/**
 * A push-based service's production Deployment: the image of its last successful production
 * deployment (what CI deployed), with an open drift episode's hand edits on top.
 */
export function pushDeploymentOf(serviceSlug: string, workload: GitopsWorkloadRef, productionDeploys: GroundTruthDeployment[], openDrift: GitopsDriftEpisode | undefined): ClusterObject | null {
  const last = productionDeploys.at(-1);
  if (!last) return null;
  const base: LiveState = {
    image: `${IMAGE_REGISTRY}/${serviceSlug}:${last.sha}`,
    replicas: DESIRED_REPLICAS,
    health: "Healthy",
    healthSince: last.finishedAt,
    createdAt: productionDeploys[0]!.startedAt,
    // CI applies the manifests at each production deployment, which also replaces any hand edit.
    owner: { ...PIPELINE_WRITER, at: last.finishedAt },
    hand: null,
  };
  return deploymentObject(serviceSlug, workload, { "app.kubernetes.io/managed-by": "pipeline" }, withDrift(base, openDrift));
}

/** The labels each controller puts on what it applies, as the real ones do. */
function managedLabels(app: GitopsApp): Record<string, string> {
  switch (app.controller) {
    case "argocd-application":
      return { "app.kubernetes.io/instance": app.name };
    case "flux-kustomization":
      return { "kustomize.toolkit.fluxcd.io/name": app.name, "kustomize.toolkit.fluxcd.io/namespace": app.namespace };
    case "flux-helmrelease":
      return { "app.kubernetes.io/managed-by": "Helm", "helm.toolkit.fluxcd.io/name": app.name, "helm.toolkit.fluxcd.io/namespace": app.namespace };
  }
}

type FieldSet = { [field: string]: FieldSet };

/** `{ ".": {} }` marks an owned map or list item itself; server-side apply leaves it out for maps. */
function mapFields(keys: string[], dot: boolean): FieldSet {
  const fields: FieldSet = dot ? { ".": {} } : {};
  for (const key of [...keys].sort()) fields[`f:${key}`] = {};
  return fields;
}

/** The deploying controller's fields: everything it applies, less what a hand edit took over. */
function ownerFields(labels: Record<string, string>, annotations: Record<string, string>, workload: GitopsWorkloadRef, selector: Record<string, string>, hand: HandWrite | null, dot: boolean): FieldSet {
  const container: FieldSet = { ".": {} };
  if (!hand?.image) container["f:image"] = {};
  container["f:imagePullPolicy"] = {};
  container["f:name"] = {};
  container["f:ports"] = { ...(dot ? { ".": {} } : {}), [`k:{"containerPort":8080,"protocol":"TCP"}`]: { ".": {}, "f:containerPort": {}, "f:protocol": {} } };
  const spec: FieldSet = { "f:progressDeadlineSeconds": {} };
  if (!hand?.replicas) spec["f:replicas"] = {};
  Object.assign(spec, {
    "f:revisionHistoryLimit": {},
    "f:selector": {},
    "f:strategy": { "f:rollingUpdate": { ...(dot ? { ".": {} } : {}), "f:maxSurge": {}, "f:maxUnavailable": {} }, "f:type": {} },
    "f:template": {
      "f:metadata": { "f:labels": mapFields(Object.keys(selector), dot) },
      "f:spec": { "f:containers": { [`k:{"name":"${workload.container}"}`]: container } },
    },
  });
  return { "f:metadata": { "f:annotations": mapFields(Object.keys(annotations), dot), "f:labels": mapFields(Object.keys(labels), dot) }, "f:spec": spec };
}

/** The hand edit's fields, as the runtime overlay records a person's write. */
function handFields(hand: HandWrite, workload: GitopsWorkloadRef): FieldSet {
  if (!hand.image) return { "f:spec": { "f:replicas": {} } };
  return {
    "f:spec": {
      ...(hand.replicas ? { "f:replicas": {} } : {}),
      "f:template": { "f:spec": { "f:containers": { [`k:{"name":"${workload.container}"}`]: { ".": {}, "f:image": {}, "f:name": {} } } } },
    },
  };
}

/** `metadata.managedFields`, ordered as the API server keeps them (operation, then time, then manager). */
function managedFieldsOf(state: LiveState, workload: GitopsWorkloadRef, labels: Record<string, string>, annotations: Record<string, string>, selector: Record<string, string>): ClusterObject[] {
  const entry = (write: ManagerWrite, fields: FieldSet, subresource?: string): ClusterObject => ({
    manager: write.manager,
    operation: write.operation,
    apiVersion: "apps/v1",
    time: write.at,
    fieldsType: "FieldsV1",
    fieldsV1: fields,
    ...(subresource ? { subresource } : {}),
  });
  const entries = [{ write: state.owner, object: entry(state.owner, ownerFields(labels, annotations, workload, selector, state.hand, state.owner.operation === "Update")) }];
  if (state.hand) {
    const write: ManagerWrite = { manager: state.hand.manager, operation: "Update", at: state.hand.at };
    // `kubectl scale` goes through the scale subresource.
    entries.push({ write, object: entry(write, handFields(state.hand, workload), state.hand.image ? undefined : "scale") });
  }
  const order = (a: ManagerWrite, b: ManagerWrite) => a.operation.localeCompare(b.operation) || (a.at < b.at ? -1 : a.at > b.at ? 1 : 0) || a.manager.localeCompare(b.manager);
  return entries.sort((a, b) => order(a.write, b.write)).map(({ object }) => object);
}

function deploymentObject(serviceSlug: string, workload: GitopsWorkloadRef, labels: Record<string, string>, state: LiveState): ClusterObject {
  const selector = { "app.kubernetes.io/name": workload.name };
  const { replicas } = state;
  const at = state.healthSince;
  const status: ClusterObject =
    state.health === "Healthy"
      ? {
          replicas,
          updatedReplicas: replicas,
          readyReplicas: replicas,
          availableReplicas: replicas,
          conditions: [
            { type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability.", lastUpdateTime: at, lastTransitionTime: at },
            { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable", message: `ReplicaSet "${workload.name}" has successfully progressed.`, lastUpdateTime: at, lastTransitionTime: at },
          ],
        }
      : state.health === "Progressing"
        ? {
            replicas: replicas + 1,
            updatedReplicas: Math.max(1, Math.ceil(replicas / 2)),
            readyReplicas: replicas,
            availableReplicas: replicas,
            unavailableReplicas: 1,
            conditions: [
              { type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability.", lastUpdateTime: at, lastTransitionTime: at },
              { type: "Progressing", status: "True", reason: "ReplicaSetUpdated", message: `ReplicaSet "${workload.name}" is progressing.`, lastUpdateTime: at, lastTransitionTime: at },
            ],
          }
        : {
            replicas,
            updatedReplicas: replicas,
            readyReplicas: 0,
            availableReplicas: 0,
            unavailableReplicas: replicas,
            conditions: [
              { type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability.", lastUpdateTime: at, lastTransitionTime: at },
              { type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: `ReplicaSet "${workload.name}" has timed out progressing.`, lastUpdateTime: at, lastTransitionTime: at },
            ],
          };
  const allLabels = { ...selector, ...labels };
  const annotations = { [SERVICE_ANNOTATION]: serviceSlug };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: workload.name,
      namespace: workload.namespace,
      creationTimestamp: state.createdAt,
      labels: allLabels,
      annotations,
      managedFields: managedFieldsOf(state, workload, allLabels, annotations, selector),
    },
    spec: {
      replicas,
      selector: { matchLabels: selector },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        metadata: { labels: selector },
        spec: { containers: [{ name: workload.container, image: state.image, ports: [{ containerPort: 8080, protocol: "TCP" }], imagePullPolicy: "IfNotPresent" }] },
      },
    },
    status,
  };
}
