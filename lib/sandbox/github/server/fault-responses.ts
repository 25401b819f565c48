/** What GitHub sends when it is overloaded or throttling: the bodies and headers clients key their retries on. */
import type { FaultKind } from "./faults";
import { DOCS_BASE } from "./http-error";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** GitHub's "unicorn" page, roughly: an HTML 5xx is what a proxy in front of the API returns, and clients must not try to parse it as JSON. */
function unicornPage(status: number): string {
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Unicorn! · GitHub</title></head><body><h1>${status}</h1><p>No server is currently available to service your request. Sorry about that. Please try refreshing and contact us if the problem persists.</p></body></html>\n`;
}

// content-length is set by the sender from the encoded body.
const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

export function faultResponse(kind: Exclude<FaultKind, "dropped-connection">, options: { html: boolean; retryAfterSeconds: number; requestId: string }): RawResponse {
  const retryAfter = String(options.retryAfterSeconds);
  switch (kind) {
    case "rate-limited-429": {
      const body = { message: "Too many requests. Please wait and retry after the time given in the retry-after header.", documentation_url: `${DOCS_BASE}/using-the-rest-api/rate-limits-for-the-rest-api`, status: "429" };
      return { status: 429, headers: { ...JSON_HEADERS, "retry-after": retryAfter }, body: JSON.stringify(body) };
    }
    case "secondary-rate-limit-403": {
      const body = {
        message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${options.requestId}.`,
        documentation_url: "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        status: "403",
      };
      return { status: 403, headers: { ...JSON_HEADERS, "retry-after": retryAfter }, body: JSON.stringify(body) };
    }
    case "server-error-502":
    case "server-error-503": {
      const status = kind === "server-error-502" ? 502 : 503;
      if (options.html) {
        const body = unicornPage(status);
        return { status, headers: { "content-type": "text/html; charset=utf-8" }, body };
      }
      const value = { message: status === 502 ? "Server Error" : "Service Unavailable", documentation_url: DOCS_BASE, status: String(status) };
      return { status, headers: JSON_HEADERS, body: JSON.stringify(value) };
    }
  }
}
