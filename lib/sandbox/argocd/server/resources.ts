/**
 * An app's Kubernetes resources as Argo CD shows them: the managed-resource diff (Git's manifest
 * against what runs) and the resource tree (Deployment → ReplicaSet → Pods, Service, ConfigMap).
 * The sandbox has no cluster, so both are drawn from the app's state; they agree with the
 * Application's sync status because they come from the same facts.
 */
import { createHash } from "node:crypto";
import { type AppState, DESIRED_REPLICAS } from "./app-state";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A stable UUID-shaped id, so the same object keeps its uid across requests and restarts. */
export function stableUid(...parts: string[]): string {
  const hex = createHash("sha256").update(parts.join("/")).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Kubernetes' pod-template-hash is 10 lowercase alphanumerics; derived from the image it runs. */
function templateHash(image: string): string {
  return createHash("sha256").update(image).digest("hex").slice(0, 10);
}

function labelsOf(state: AppState): JsonObject {
  // Argo CD's default tracking label, which is how it tells its resources apart.
  return { "app.kubernetes.io/name": state.app.serviceSlug, "app.kubernetes.io/instance": state.app.name };
}

function deploymentManifest(state: AppState, image: string, replicas: number): JsonObject {
  const { workload } = state.app;
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: workload.name, namespace: workload.namespace, labels: labelsOf(state) },
    spec: {
      replicas,
      selector: { matchLabels: { "app.kubernetes.io/name": state.app.serviceSlug } },
      template: {
        metadata: { labels: { "app.kubernetes.io/name": state.app.serviceSlug } },
        spec: { containers: [{ name: workload.container, image, ports: [{ containerPort: 8080, protocol: "TCP" }] }] },
      },
    },
  };
}

function serviceManifest(state: AppState): JsonObject {
  const { workload } = state.app;
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: workload.name, namespace: workload.namespace, labels: labelsOf(state) },
    spec: { selector: { "app.kubernetes.io/name": state.app.serviceSlug }, ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }] },
  };
}

function configMapManifest(state: AppState): JsonObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `${state.app.serviceSlug}-config`, namespace: state.app.workload.namespace, labels: labelsOf(state) },
    data: { LOG_LEVEL: "info" },
  };
}

interface ManagedResource {
  group: string;
  kind: string;
  name: string;
  target: JsonObject;
  live: JsonObject;
}

function managedResources(state: AppState): ManagedResource[] {
  const { workload } = state.app;
  const service = serviceManifest(state);
  const configMap = configMapManifest(state);
  return [
    { group: "", kind: "ConfigMap", name: `${state.app.serviceSlug}-config`, target: configMap, live: configMap },
    { group: "", kind: "Service", name: workload.name, target: service, live: service },
    {
      group: "apps",
      kind: "Deployment",
      name: workload.name,
      target: deploymentManifest(state, state.targetImage, DESIRED_REPLICAS),
      live: deploymentManifest(state, state.liveImage, state.liveReplicas),
    },
  ];
}

/**
 * `applicationManagedResourcesResponse.items`. Live and target states are the normalized manifests
 * (no status, no server-set metadata), so equal strings mean in sync; Argo CD's raw `liveState`
 * carries the whole live object and clients compare the normalized forms, which are given too.
 */
export function managedResourceDiffs(state: AppState): JsonObject[] {
  return managedResources(state).map((resource) => {
    const targetState = JSON.stringify(resource.target);
    const liveState = JSON.stringify(resource.live);
    return {
      group: resource.group,
      kind: resource.kind,
      namespace: state.app.workload.namespace,
      name: resource.name,
      targetState,
      liveState,
      normalizedLiveState: liveState,
      predictedLiveState: targetState,
      hook: false,
      modified: liveState !== targetState,
    };
  });
}

/** `status.resources` of the Application: each managed resource's sync status and health. */
export function resourceStatuses(state: AppState): JsonObject[] {
  return managedResources(state).map((resource) => {
    const status: JsonObject = {
      group: resource.group,
      version: "v1",
      kind: resource.kind,
      namespace: state.app.workload.namespace,
      name: resource.name,
      status: JSON.stringify(resource.live) === JSON.stringify(resource.target) ? "Synced" : "OutOfSync",
    };
    // Argo CD has no health check for ConfigMaps and leaves `health` out for them.
    if (resource.kind === "Deployment") status.health = { status: state.health };
    if (resource.kind === "Service") status.health = { status: "Healthy" };
    return status;
  });
}

interface NodeRef {
  [key: string]: string;
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
}

/** `v1alpha1ApplicationTree`: the live objects and their owners. */
export function resourceTree(state: AppState, createdAt: string): JsonObject {
  const { workload } = state.app;
  const namespace = workload.namespace;
  const ref = (group: string, kind: string, name: string): NodeRef => ({ group, version: "v1", kind, namespace, name, uid: stableUid(state.app.name, kind, namespace, name) });
  const deployment = ref("apps", "Deployment", workload.name);
  const replicaSet = ref("apps", "ReplicaSet", `${workload.name}-${templateHash(state.liveImage)}`);
  const podPhase = state.health === "Degraded" ? { reason: "CrashLoopBackOff", ready: "0/1" } : state.health === "Progressing" ? { reason: "ContainerCreating", ready: "0/1" } : { reason: "Running", ready: "1/1" };
  const podRefs = Array.from({ length: state.liveReplicas }, (_, index) => ref("", "Pod", `${replicaSet.name}-${templateHash(`${state.liveImage}#${index}`).slice(0, 5)}`));
  const pods = podRefs.map((pod) => ({
      ...pod,
      parentRefs: [replicaSet],
      createdAt,
      images: [state.liveImage],
      health: { status: state.health },
      info: [
        { name: "Status Reason", value: podPhase.reason },
        { name: "Containers", value: podPhase.ready },
      ],
      networkingInfo: { labels: { "app.kubernetes.io/name": state.app.serviceSlug } },
  }));
  return {
    nodes: [
      { ...ref("", "ConfigMap", `${state.app.serviceSlug}-config`), createdAt },
      { ...deployment, createdAt, health: { status: state.health }, info: [{ name: "Revision", value: "Rev:1" }] },
      { ...replicaSet, parentRefs: [deployment], createdAt, health: { status: state.health }, info: [{ name: "Revision", value: "Rev:1" }] },
      ...pods,
      {
        ...ref("", "Service", workload.name),
        createdAt,
        health: { status: "Healthy" },
        networkingInfo: { targetLabels: { "app.kubernetes.io/name": state.app.serviceSlug }, targetRefs: podRefs.map(({ group, kind, namespace: podNamespace, name }) => ({ group, kind, namespace: podNamespace, name })) },
      },
    ],
    hosts: [],
  };
}
