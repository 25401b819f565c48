/**
 * The objects the scenario's cluster holds besides the Argo CD / Flux objects `clusterObjectOf`
 * builds: a GitRepository per Flux app's config repository, and an `apps/v1` Deployment per
 * workload (GitOps apps' and push-based services' production Deployments), in the shapes the
 * Kubernetes API serves. Each builder takes the truth already cut at an instant and returns the
 * object without the fields the store adds (uid, resourceVersion, generation), or null while the
 * object does not exist yet.
 */
import { IMAGE_REGISTRY } from "@/lib/sandbox/scenario/gitops/controllers";
import type { ClusterObject } from "@/lib/sandbox/scenario/gitops/cluster-objects";
import type { GitopsApp, GitopsDriftEpisode, GitopsTruth, GitopsWorkloadRef } from "@/lib/sandbox/scenario/gitops/model";
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

interface LiveState {
  image: string;
  replicas: number;
  health: HealthStatus;
  /** When the health last changed (conditions' transition time). */
  healthSince: string;
  createdAt: string;
}

/** Applies an open drift episode's hand edits (image, replicas) to what was deployed. */
function withDrift(state: LiveState, episode: GitopsDriftEpisode | undefined): LiveState {
  if (!episode) return state;
  let { image, replicas } = state;
  for (const resource of episode.resources) {
    if (resource.kind !== "Deployment") continue;
    if (resource.field === "spec.replicas") replicas = Number(resource.liveValue);
    else if (IMAGE_FIELD.test(resource.field)) image = resource.liveValue;
  }
  return { ...state, image, replicas };
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
  const openDrift = rollingOut ? undefined : cut.driftEpisodes.find((episode) => episode.serviceSlug === app.serviceSlug && episode.endedAt === null);
  const base: LiveState = {
    image,
    replicas: DESIRED_REPLICAS,
    health: rollingOut ? "Progressing" : (transition?.status ?? "Healthy"),
    healthSince: rollingOut ? rollingOut.startedAt : (transition?.at ?? first.startedAt),
    createdAt: first.startedAt,
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
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: workload.name,
      namespace: workload.namespace,
      creationTimestamp: state.createdAt,
      labels: { ...selector, ...labels },
      annotations: { [SERVICE_ANNOTATION]: serviceSlug },
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
