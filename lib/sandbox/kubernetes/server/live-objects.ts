/**
 * What a runtime write (see lib/sandbox/live-cluster) does to the objects the scenario's timeline
 * holds: a Deployment takes the edited image and replicas (or a sync's image), a new generation
 * and the `managedFields` entries an API server keeps for each writer; a HelmRelease that detects
 * drift says `Drifted=True` while a hand edit lasts. Pure functions of (scenario object, layer).
 */
import type { WorkloadLayer } from "@/lib/sandbox/live-cluster/live-edits";
import { DESIRED_REPLICAS } from "@/lib/sandbox/live-cluster/live-edits";
import type { ClusterObject } from "@/lib/sandbox/scenario/gitops/cluster-objects";

type Json = ClusterObject[string];
type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);
const iso = (at: number) => new Date(at * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The parts of a Deployment the sandbox lets people edit. */
export function deploymentSpecOf(object: ClusterObject, container: string): { image: string | null; replicas: number | null } {
  const spec = isObject(object.spec) ? object.spec : {};
  const template = isObject(spec.template) ? spec.template : {};
  const podSpec = isObject(template.spec) ? template.spec : {};
  const containers = Array.isArray(podSpec.containers) ? podSpec.containers : [];
  const found = containers.find((entry) => isObject(entry) && entry.name === container);
  const image = isObject(found) && typeof found.image === "string" ? found.image : null;
  return { image, replicas: typeof spec.replicas === "number" ? spec.replicas : null };
}

function touched(layer: WorkloadLayer): boolean {
  return layer.writes > 0 || layer.changedAt !== null;
}

/** The scenario's Deployment with the runtime writes in force; the same object when there are none. */
export function applyDeploymentLayer(base: ClusterObject, layer: WorkloadLayer, container: string, resourceVersion: string): ClusterObject {
  if (!touched(layer)) return withResourceVersion(base, resourceVersion);
  const object = structuredClone(base) as JsonObject;
  const metadata = object.metadata as JsonObject;
  const spec = object.spec as JsonObject;
  const baseReplicas = typeof spec.replicas === "number" ? spec.replicas : DESIRED_REPLICAS;
  const replicas = layer.edit?.replicas ?? (layer.synced ? DESIRED_REPLICAS : baseReplicas);
  const image = layer.edit?.image ?? layer.synced?.image ?? null;
  spec.replicas = replicas;
  const podSpec = (spec.template as JsonObject).spec as JsonObject;
  if (image !== null) podSpec.containers = (podSpec.containers as JsonObject[]).map((entry) => (entry.name === container ? { ...entry, image } : entry));
  // The API server counts spec writes; each runtime write moved it once more.
  const generation = (typeof metadata.generation === "number" ? metadata.generation : 1) + layer.writes;
  const managedFields: JsonObject[] = [];
  if (layer.restored) managedFields.push(managedField(layer.restored.manager, layer.restored.at, container, false));
  for (const entry of layer.edit?.managers ?? []) managedFields.push(managedField(entry.manager, entry.at, container, layer.edit?.replicas !== null));
  object.metadata = { ...metadata, generation, resourceVersion, ...(managedFields.length > 0 ? { managedFields } : {}) };
  if (isObject(object.status)) {
    const status: JsonObject = { ...object.status, observedGeneration: generation };
    // A healthy Deployment scaled by hand settles at the new count.
    if (status.readyReplicas === baseReplicas && status.replicas === baseReplicas) {
      Object.assign(status, { replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas });
    }
    object.status = status;
  }
  return object;
}

/** One `metadata.managedFields` entry: who last wrote the image (and replicas), and when. */
function managedField(manager: string, at: number, container: string, replicas: boolean): JsonObject {
  const fields: JsonObject = {
    "f:spec": {
      ...(replicas ? { "f:replicas": {} } : {}),
      "f:template": { "f:spec": { "f:containers": { [`k:{"name":"${container}"}`]: { ".": {}, "f:image": {}, "f:name": {} } } } },
    },
  };
  return { manager, operation: "Update", apiVersion: "apps/v1", time: iso(at), fieldsType: "FieldsV1", fieldsV1: fields };
}

/** A HelmRelease with drift detection on says Drifted=True while a hand edit lasts. */
export function applyHelmReleaseLayer(base: ClusterObject, layer: WorkloadLayer, deployment: ClusterObject | null, container: string, resourceVersion: string): ClusterObject {
  const object = withResourceVersion(base, resourceVersion);
  const status = isObject(object.status) ? object.status : null;
  if (!layer.edit || !status) return object;
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter((condition) => !(isObject(condition) && condition.type === "Drifted")) : [];
  const desired = deployment ? deploymentSpecOf(deployment, container) : { image: null, replicas: null };
  const metadata = isObject(deployment?.metadata) ? deployment.metadata : {};
  const target = `Deployment/${String(metadata.namespace ?? "")}/${String(metadata.name ?? "")}`;
  const parts: string[] = [];
  if (layer.edit.image !== null) parts.push(`${target} spec.template.spec.containers[name=${container}].image: ${layer.edit.image} (desired ${desired.image ?? "unknown"})`);
  if (layer.edit.replicas !== null) parts.push(`${target} spec.replicas: ${layer.edit.replicas} (desired ${desired.replicas ?? DESIRED_REPLICAS})`);
  conditions.push({ type: "Drifted", status: "True", reason: "DriftDetected", message: parts.join("; "), lastTransitionTime: iso(layer.edit.since) });
  return { ...object, status: { ...status, conditions } };
}

export function withResourceVersion(object: ClusterObject, resourceVersion: string): ClusterObject {
  const metadata = object.metadata as JsonObject;
  if (metadata.resourceVersion === resourceVersion) return object;
  return { ...object, metadata: { ...metadata, resourceVersion } };
}
