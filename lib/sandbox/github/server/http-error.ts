/**
 * Errors as GitHub words them. Handlers throw these; the server turns them into the JSON body and
 * status GitHub would send, so clients (Octokit's RequestError) see the same messages.
 */

export const DOCS_BASE = "https://docs.github.com/rest";

export type ErrorBody = { message: string; documentation_url: string; status?: string; errors?: ValidationErrorItem[] };

export interface ValidationErrorItem {
  resource?: string;
  field?: string;
  code: string;
  message?: string;
  value?: string | null;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
    this.name = "HttpError";
  }
}

export function notFound(documentationUrl = DOCS_BASE): HttpError {
  return new HttpError(404, { message: "Not Found", documentation_url: documentationUrl, status: "404" });
}

/** GitHub's 422 for a query it cannot honour: "Validation Failed" with one entry per bad field. */
export function validationFailed(field: string, value: string | null, message?: string, documentationUrl = DOCS_BASE): HttpError {
  const item: ValidationErrorItem = { resource: "Query", field, code: "invalid", value };
  if (message) item.message = message;
  return new HttpError(422, { message: "Validation Failed", errors: [item], documentation_url: documentationUrl, status: "422" });
}

/** A 422 with GitHub's free-form message (e.g. "No commit found for SHA: x"), no `errors` array. */
export function unprocessable(message: string, documentationUrl = DOCS_BASE): HttpError {
  return new HttpError(422, { message, documentation_url: documentationUrl, status: "422" });
}

export function badCredentials(): HttpError {
  return new HttpError(401, { message: "Bad credentials", documentation_url: DOCS_BASE, status: "401" });
}
