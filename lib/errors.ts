import { ZodError } from "zod";

/** Error codes a client may see, each with its HTTP status. */
export const APP_ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
} as const;

export type AppErrorCode = keyof typeof APP_ERROR_STATUS;

/** An error whose message is safe to show to the caller. Anything else becomes a bare 500. */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return APP_ERROR_STATUS[this.code];
  }
}

export interface ErrorBody {
  error: { code: AppErrorCode | "INTERNAL"; message: string; details?: unknown; requestId?: string };
}

/**
 * The one mapping from thrown values to HTTP responses: AppError keeps its status, zod issues are
 * 422 with each problem named, and everything else is a 500 that says nothing of its cause (logged).
 */
export function toErrorResponse(error: unknown, requestId?: string, log: (message: string, error: unknown) => void = defaultLog): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    return { status: error.status, body: { error: { code: error.code, message: error.message, details: error.details, requestId } } };
  }
  if (error instanceof ZodError) {
    return {
      status: 422,
      body: {
        error: {
          code: "UNPROCESSABLE",
          message: error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`).join("; "),
          details: error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
          requestId,
        },
      },
    };
  }
  log(`unhandled error${requestId ? ` (request ${requestId})` : ""}`, error);
  return { status: 500, body: { error: { code: "INTERNAL", message: "Internal server error", requestId } } };
}

function defaultLog(message: string, error: unknown): void {
  console.error(`[pipeline-health] ${message}:`, error);
}
