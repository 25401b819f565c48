/**
 * One request through the sandbox, in GitHub's order of concerns: faults (an overloaded front end
 * answers before anything else, so a faulted request has no effect and costs no budget) →
 * authentication (401) → primary rate limit (403 when exhausted) → route → ETag (a 304 costs no
 * budget) → response. Every request is logged for tests and benchmarks to count.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "@/lib/clock";
import type { SandboxOrg, SandboxUser } from "../model";
import { type ApiContext, buildUserIndex } from "./context";
import { etagFor, ifNoneMatchHits } from "./etag";
import { faultResponse } from "./fault-responses";
import type { FaultInjector, FaultKind } from "./faults";
import { DOCS_BASE, HttpError, badCredentials, notFound } from "./http-error";
import { type RateLimitConfig, type RateLimitSnapshot, type RateLimiter, rateLimitHeaders } from "./rate-limit";
import { matchGithubRoute } from "./routes";

export interface SandboxRequestLogEntry {
  method: string;
  /** Path without the query string, e.g. `/repos/acme/api/pulls`. */
  path: string;
  /** The query string without `?` ("" when none). */
  query: string;
  /** HTTP status sent; 0 for a dropped connection. */
  status: number;
  /** Had `If-None-Match`. */
  conditional: boolean;
  /** Clock time of the request, ISO 8601. */
  at: string;
  /** The injected fault, when one was. */
  fault?: FaultKind;
  /** Injected delay in ms, when the request was made slow. */
  delayedMs?: number;
}

/** GitHub's budget for unauthenticated callers; a 401 is counted against it, as on GitHub. */
export const ANONYMOUS_RATE_LIMIT: RateLimitConfig = { limit: 60, windowSeconds: 3600 };

export interface SandboxState {
  org: SandboxOrg;
  clock: Clock;
  tokens: ReadonlySet<string>;
  limiter: RateLimiter;
  anonymousLimiter: RateLimiter;
  faults: FaultInjector | null;
  log: SandboxRequestLogEntry[];
  apiBase: string;
  htmlBase: string;
  requestCounter: number;
}

function bearerToken(header: string | undefined): string | null {
  const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header ?? "");
  return match ? match[1]! : null;
}

/** The account behind the token: the org's first human user, as a personal access token would be. */
function viewerOf(org: SandboxOrg): SandboxUser {
  return org.users.find((user) => user.type === "User") ?? { id: 1, login: "sandbox-user", name: "Sandbox User", email: "sandbox-user@users.noreply.github.com", type: "User" };
}

function baseHeaders(state: SandboxState, requestId: string, now: Date): Record<string, string> {
  return {
    // Node would stamp the wall clock; the sandbox's time is the injected clock's.
    date: now.toUTCString(),
    "x-github-media-type": "github.v3; format=json",
    "x-github-api-version-selected": "2022-11-28",
    "x-github-request-id": requestId,
    "x-oauth-scopes": "read:org, repo",
    "x-accepted-oauth-scopes": "repo",
    "access-control-expose-headers":
      "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset",
    "access-control-allow-origin": "*",
    vary: "Accept, Authorization, Cookie, X-GitHub-OTP",
  };
}

/** Encodes the body once; `content-length` is set from the bytes actually sent. */
function send(res: ServerResponse, method: string, status: number, headers: Record<string, string>, body: string): void {
  const bytes = Buffer.from(body, "utf8");
  res.writeHead(status, { ...headers, "content-length": String(bytes.length) });
  res.end(method === "HEAD" ? undefined : bytes);
}

const JSON_CONTENT_TYPE = { "content-type": "application/json; charset=utf-8" };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function handleRequest(state: SandboxState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", state.apiBase);
  const conditional = req.headers["if-none-match"] !== undefined;
  state.requestCounter += 1;
  const requestId = `5A4D:${state.requestCounter.toString(16).toUpperCase().padStart(6, "0")}:SANDBOX`;
  const entry: SandboxRequestLogEntry = { method, path: url.pathname, query: url.search.replace(/^\?/, ""), status: 0, conditional, at: state.clock.now().toISOString() };
  state.log.push(entry);

  // Faults come first: GitHub's front end throttles or fails before the API sees the request. `/rate_limit` is exempt so clients can always check their budget.
  if (state.faults && url.pathname !== "/rate_limit") {
    const decision = state.faults.next();
    if (decision.delayMs > 0) {
      entry.delayedMs = decision.delayMs;
      await sleep(decision.delayMs);
    }
    if (decision.kind === "dropped-connection") {
      entry.fault = decision.kind;
      req.socket.destroy();
      return;
    }
    if (decision.kind !== null) {
      const fault = faultResponse(decision.kind, { html: decision.html, retryAfterSeconds: state.faults.plan.retryAfterSeconds ?? 1, requestId });
      const token = bearerToken(req.headers.authorization);
      const budget = token !== null && state.tokens.has(token) ? state.limiter.snapshot(token) : state.anonymousLimiter.snapshot("anonymous");
      entry.fault = decision.kind;
      entry.status = fault.status;
      send(res, method, fault.status, { ...baseHeaders(state, requestId, state.clock.now()), ...rateLimitHeaders(budget), ...fault.headers }, fault.body);
      return;
    }
  }

  const now = state.clock.now();
  const headers = baseHeaders(state, requestId, now);
  const reply = (status: number, snapshot: RateLimitSnapshot, body: string, extra: Record<string, string> = {}) => {
    entry.status = status;
    send(res, method, status, { ...headers, ...rateLimitHeaders(snapshot), ...(body === "" ? {} : JSON_CONTENT_TYPE), ...extra }, body);
  };

  const token = bearerToken(req.headers.authorization);
  if (token === null || !state.tokens.has(token)) {
    const error = badCredentials();
    reply(error.status, state.anonymousLimiter.consume("anonymous"), JSON.stringify(error.body));
    return;
  }

  // GitHub does not count `/rate_limit` against the budget.
  if (url.pathname === "/rate_limit" && (method === "GET" || method === "HEAD")) {
    const core = state.limiter.snapshot(token);
    const bucket = (limit: number) => ({ limit, used: 0, remaining: limit, reset: core.reset });
    const { resource: _resource, ...coreBody } = core;
    const body = JSON.stringify({
      resources: { core: coreBody, search: bucket(30), graphql: bucket(5000), integration_manifest: bucket(5000), code_search: bucket(10) },
      rate: coreBody,
    });
    reply(200, core, body);
    return;
  }

  if (state.limiter.exhausted(token)) {
    const viewer = viewerOf(state.org);
    const body = { message: `API rate limit exceeded for user ID ${viewer.id}.`, documentation_url: `${DOCS_BASE}/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit`, status: "403" };
    reply(403, state.limiter.snapshot(token), JSON.stringify(body));
    return;
  }

  let status = 200;
  let body: string;
  let extra: Record<string, string> = {};
  try {
    const route = matchGithubRoute(method, url.pathname);
    if (!route) throw notFound();
    const ctx: ApiContext = { org: state.org, now, apiBase: state.apiBase, htmlBase: state.htmlBase, viewer: viewerOf(state.org), users: buildUserIndex(state.org), memo: new Map() };
    const result = route.handler({ ctx, params: route.params, query: url.searchParams, url });
    status = result.status ?? 200;
    body = JSON.stringify(result.body);
    extra = result.headers ?? {};
  } catch (error) {
    if (!(error instanceof HttpError)) {
      console.error("[github-sandbox] handler failed", error);
      const failure = { message: "Server Error", documentation_url: DOCS_BASE, status: "500" };
      reply(500, state.limiter.consume(token), JSON.stringify(failure));
      return;
    }
    reply(error.status, state.limiter.consume(token), JSON.stringify(error.body), error.headers);
    return;
  }

  const etag = etagFor(body);
  const cache = { etag, "cache-control": "private, max-age=60, s-maxage=60" };
  if (status === 200 && ifNoneMatchHits(req.headers["if-none-match"], etag)) {
    // A 304 is free on GitHub: this is what makes an unchanged re-sync cost no budget.
    reply(304, state.limiter.snapshot(token), "", { ...cache, ...extra });
    return;
  }
  reply(status, state.limiter.consume(token), body, { ...cache, ...extra });
}

