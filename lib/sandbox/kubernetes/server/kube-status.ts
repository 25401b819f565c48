/**
 * Errors as the Kubernetes API server sends them: a `Status` object (`meta/v1`) with the HTTP code
 * repeated in `code` and a machine-readable `reason`. Handlers throw these; the server writes them.
 */

export interface KubeStatus {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure";
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason: string; message: string; field: string }[] };
  code: number;
}

export class KubeHttpError extends Error {
  constructor(readonly body: KubeStatus) {
    super(body.message);
  }
  get status(): number {
    return this.body.code;
  }
}

export function statusOf(code: number, reason: string, message: string, details?: KubeStatus["details"]): KubeStatus {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, ...(details ? { details } : {}), code };
}

const error = (code: number, reason: string, message: string, details?: KubeStatus["details"]) => new KubeHttpError(statusOf(code, reason, message, details));

export const unauthorized = () => error(401, "Unauthorized", "Unauthorized");
export const routeNotFound = () => error(404, "NotFound", "the server could not find the requested resource", {});
export const objectNotFound = (resource: string, group: string, name: string) =>
  error(404, "NotFound", `${group === "" ? resource : `${resource}.${group}`} "${name}" not found`, { name, group, kind: resource });
export const methodNotAllowed = () => error(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", {});
export const badRequest = (message: string) => error(400, "BadRequest", message);

/** The watch event the API server sends when a watch starts from a compacted resourceVersion. */
export const expiredStatus = (requested: string, oldest: number) => statusOf(410, "Expired", `too old resource version: ${requested} (${oldest})`);
