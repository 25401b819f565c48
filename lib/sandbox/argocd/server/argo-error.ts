/**
 * Errors as Argo CD's API gateway sends them (`runtimeError` in its API description): a gRPC status
 * code and message, with `error` repeating the message as grpc-gateway does. Handlers throw these;
 * the server writes them.
 */

export interface ArgoErrorBody {
  error: string;
  code: number;
  message: string;
}

/** gRPC status codes the sandbox uses, and the HTTP status grpc-gateway maps each to. */
const GRPC = {
  invalidArgument: { code: 3, http: 400 },
  notFound: { code: 5, http: 404 },
  permissionDenied: { code: 7, http: 403 },
  failedPrecondition: { code: 9, http: 400 },
  unimplemented: { code: 12, http: 405 },
  unauthenticated: { code: 16, http: 401 },
} as const;

export class ArgoHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ArgoErrorBody,
  ) {
    super(body.message);
  }
}

function error(kind: keyof typeof GRPC, message: string): ArgoHttpError {
  return new ArgoHttpError(GRPC[kind].http, { error: message, code: GRPC[kind].code, message });
}

export const noSession = () => error("unauthenticated", "no session information");
export const permissionDenied = (action: string, appName: string, subject: string) => error("permissionDenied", `permission denied: applications, ${action}, default/${appName}, sub: ${subject}`);
export const applicationNotFound = (name: string) => error("notFound", `applications.argoproj.io "${name}" not found`);
export const routeNotFound = () => error("notFound", "Not Found");
export const methodNotAllowed = () => error("unimplemented", "Method Not Allowed");
export const invalidArgument = (message: string) => error("invalidArgument", message);
export const operationInProgress = () => error("failedPrecondition", "another operation is already in progress");
export const blockedBySyncWindow = () => error("permissionDenied", "cannot sync: blocked by sync window");
