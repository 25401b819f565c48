/**
 * Writes to a Deployment, the one kind the sandbox lets people change by hand: `PATCH` with a JSON
 * merge patch (RFC 7386: lists are replaced whole) or a strategic merge patch (containers merged by
 * name, as the API server does for `apps/v1`), and `PUT` of the whole object, answered like the API
 * server (200 with the new object; 404, 409, 415, 400 and 422 Status bodies). The result is checked
 * the way validation would check it, then only what the sandbox models is kept: the image of the
 * workload's container and the replica count, recorded in the live overlay as a hand edit at the
 * clock's now. Other fields of the result (labels, extra containers, resources) are not stored.
 */
import type { IncomingMessage } from "node:http";
import type { LiveCluster } from "@/lib/sandbox/live-cluster/live-edits";
import type { ClusterObject } from "@/lib/sandbox/scenario/gitops/cluster-objects";
import { KubeHttpError, badRequest, statusOf } from "./kube-status";
import { deploymentSpecOf } from "./live-objects";

type Json = ClusterObject[string];
type JsonObject = { [key: string]: Json };

const MAX_BODY_BYTES = 3 * 1024 * 1024;
const isObject = (value: Json | undefined): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

export const unsupportedMediaType = (type: string) =>
  new KubeHttpError(
    statusOf(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format ("${type}") - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      {},
    ),
  );

const conflict = (name: string) =>
  new KubeHttpError(
    statusOf(409, "Conflict", `Operation cannot be fulfilled on deployments.apps "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, group: "apps", kind: "deployments" }),
  );

function invalid(name: string, causes: { field: string; message: string }[]): KubeHttpError {
  const message = `Deployment.apps "${name}" is invalid: ${causes.map((cause) => `${cause.field}: ${cause.message}`).join(", ")}`;
  return new KubeHttpError(statusOf(422, "Invalid", message, { name, group: "apps", kind: "Deployment", causes: causes.map((cause) => ({ reason: "FieldValueInvalid", message: cause.message, field: cause.field })) }));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new KubeHttpError(statusOf(413, "RequestEntityTooLarge", "the request body is too large", {}));
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** RFC 7386: objects merge key by key, `null` removes, anything else (lists included) replaces. */
function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** Lists the API server merges by a key in a strategic merge patch (the ones a Deployment edit reaches). */
const MERGE_KEYS: Record<string, string> = { containers: "name", initContainers: "name", ports: "containerPort", env: "name", volumes: "name", volumeMounts: "mountPath" };

function strategicMerge(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith("$")) continue; // Directives ($patch, $retainKeys…): not needed for the edits the sandbox models.
    if (value === null) {
      delete result[key];
      continue;
    }
    const mergeKey = MERGE_KEYS[key];
    const current = result[key];
    if (mergeKey && Array.isArray(value) && Array.isArray(current)) {
      const merged = [...current];
      for (const item of value) {
        if (!isObject(item)) continue;
        const index = merged.findIndex((existing) => isObject(existing) && existing[mergeKey] === item[mergeKey]);
        if (item.$patch === "delete") {
          if (index >= 0) merged.splice(index, 1);
        } else if (index >= 0) merged[index] = strategicMerge(merged[index], item);
        else merged.push(strategicMerge(undefined, item));
      }
      result[key] = merged;
    } else result[key] = strategicMerge(current, value);
  }
  return result;
}

export interface DeploymentWrite {
  method: "PATCH" | "PUT";
  namespace: string;
  name: string;
  /** The object as it stands now (what the edit applies to). */
  current: ClusterObject;
  /** Field manager to record. */
  manager: string;
}

/**
 * Checks and records one write; returns whether anything changed (a write that changes nothing
 * leaves the object and its resourceVersion as they were, as on the API server).
 */
export async function writeDeployment(live: LiveCluster, req: IncomingMessage, write: DeploymentWrite): Promise<boolean> {
  const workload = live.workload(write.namespace, write.name);
  if (!workload) throw badRequest(`deployments.apps "${write.name}" is not a workload the sandbox models`);
  const contentType = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  const patchTypes = ["application/merge-patch+json", "application/strategic-merge-patch+json"];
  if (write.method === "PATCH" && !patchTypes.includes(contentType)) throw unsupportedMediaType(contentType);
  if (write.method === "PUT" && contentType !== "application/json" && contentType !== "") throw unsupportedMediaType(contentType);

  const raw = await readBody(req);
  let body: Json;
  try {
    body = JSON.parse(raw) as Json;
  } catch (error) {
    throw badRequest(`${write.method === "PATCH" ? "error decoding patch" : "the object provided is unrecognized"}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(body)) throw badRequest(write.method === "PATCH" ? "error decoding patch: the patch must be a JSON object" : "the object provided is unrecognized: expected a JSON object");

  const currentMeta = write.current.metadata as JsonObject;
  const requestedVersion = isObject(body.metadata) ? body.metadata.resourceVersion : undefined;
  // A resourceVersion in the body is a precondition, for a patch as for an update.
  if (requestedVersion !== undefined && requestedVersion !== null && requestedVersion !== "" && String(requestedVersion) !== currentMeta.resourceVersion) throw conflict(write.name);

  let result: JsonObject;
  if (write.method === "PUT") {
    if (body.kind !== undefined && body.kind !== "Deployment") throw badRequest(`the object provided is unrecognized (kind "${String(body.kind)}", expected Deployment)`);
    if (body.apiVersion !== undefined && body.apiVersion !== "apps/v1") throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (apps/v1)`);
    const metadata = isObject(body.metadata) ? body.metadata : {};
    if (metadata.name !== write.name) throw badRequest(`the name of the object (${String(metadata.name ?? "")}) does not match the name on the URL (${write.name})`);
    if (metadata.namespace !== undefined && metadata.namespace !== write.namespace) throw badRequest(`the namespace of the provided object does not match the namespace sent on the request`);
    result = body;
  } else {
    const merged = contentType === "application/merge-patch+json" ? mergePatch(write.current, body) : strategicMerge(write.current, body);
    result = isObject(merged) ? merged : {};
  }

  const causes: { field: string; message: string }[] = [];
  const spec = isObject(result.spec) ? result.spec : null;
  if (!spec) causes.push({ field: "spec", message: "Required value" });
  const replicas = spec?.replicas ?? 1;
  if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) causes.push({ field: "spec.replicas", message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` });
  const podSpec = spec && isObject(spec.template) && isObject(spec.template.spec) ? spec.template.spec : null;
  const containers = podSpec && Array.isArray(podSpec.containers) ? podSpec.containers : null;
  if (!containers || containers.length === 0) causes.push({ field: "spec.template.spec.containers", message: "Required value" });
  containers?.forEach((entry, index) => {
    if (!isObject(entry) || typeof entry.name !== "string" || entry.name === "") causes.push({ field: `spec.template.spec.containers[${index}].name`, message: "Required value" });
    else if (typeof entry.image !== "string" || entry.image.trim() === "") causes.push({ field: `spec.template.spec.containers[${index}].image`, message: "Required value" });
  });
  const names = (containers ?? []).map((entry) => (isObject(entry) ? entry.name : null));
  if (containers && causes.length === 0 && (names.length !== 1 || names[0] !== workload.container)) {
    // The sandbox models one container per workload; adding, removing or renaming one is refused.
    causes.push({ field: "spec.template.spec.containers", message: `Unsupported value: the sandbox edits the existing container "${workload.container}" only` });
  }
  if (causes.length > 0) throw invalid(write.name, causes);

  const next = deploymentSpecOf(result, workload.container);
  const before = deploymentSpecOf(write.current, workload.container);
  const image = next.image !== before.image ? next.image : null;
  const replicaCount = (next.replicas ?? 1) !== before.replicas ? (next.replicas ?? 1) : null;
  if (image === null && replicaCount === null) return false;
  live.edit({ namespace: write.namespace, name: write.name, image, replicas: replicaCount, manager: write.manager });
  return true;
}
