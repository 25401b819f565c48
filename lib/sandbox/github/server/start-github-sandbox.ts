/**
 * The sandbox GitHub: a loopback HTTP server speaking the part of GitHub's REST API the product
 * ingests, with GitHub's paths, payloads, `Link` pagination, ETags/304, rate-limit headers and
 * errors, plus seeded fault injection. The product's real Octokit client talks to it over HTTP
 * (`GITHUB_API_URL`), so the sandbox replaces the far end, never the client. The request pipeline
 * is in `handle-request.ts`; this module owns the listener and the public API.
 */
import http from "node:http";
import { listenOnLoopback, stopOnce } from "@/lib/sandbox/loopback-server";
import type { Clock } from "@/lib/clock";
import type { SandboxOrg } from "../model";
import { FaultInjector, type FaultPlan } from "./faults";
import { ANONYMOUS_RATE_LIMIT, type SandboxRequestLogEntry, type SandboxState, handleRequest } from "./handle-request";
import { DEFAULT_RATE_LIMIT, type RateLimitConfig, RateLimiter } from "./rate-limit";

export type { FaultKind, FaultPlan } from "./faults";
export type { SandboxRequestLogEntry } from "./handle-request";
export { linkHeader, paginate } from "./pagination";

export interface GithubSandboxOptions {
  org: SandboxOrg;
  clock: Clock;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Accepted token(s) for `Authorization: token X` / `Bearer X`; default "sandbox-token". */
  token?: string | string[];
  rateLimit?: RateLimitConfig;
  faults?: FaultPlan;
  /** Base of `html_url` fields; default https://github.com. */
  htmlUrl?: string;
}

export interface GithubSandbox {
  /** Base URL to use as GITHUB_API_URL, e.g. http://127.0.0.1:PORT */
  url: string;
  requests: SandboxRequestLogEntry[];
  setFaults(plan: FaultPlan | null): void;
  /** Swap state, for tests that change data. */
  setOrg(org: SandboxOrg): void;
  resetLog(): void;
  stop(): Promise<void>;
}

export async function startGithubSandbox(options: GithubSandboxOptions): Promise<GithubSandbox> {
  const tokens = new Set(Array.isArray(options.token) ? options.token : [options.token ?? "sandbox-token"]);
  const state: SandboxState = {
    org: options.org,
    clock: options.clock,
    tokens,
    limiter: new RateLimiter(options.clock, options.rateLimit ?? DEFAULT_RATE_LIMIT),
    anonymousLimiter: new RateLimiter(options.clock, ANONYMOUS_RATE_LIMIT),
    faults: options.faults ? new FaultInjector(options.faults) : null,
    log: [],
    apiBase: "",
    htmlBase: (options.htmlUrl ?? "https://github.com").replace(/\/$/, ""),
    requestCounter: 0,
  };

  const server = http.createServer((req, res) => {
    res.sendDate = false;
    handleRequest(state, req, res).catch((error: unknown) => {
      console.error("[github-sandbox] request failed", error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
      res.end();
    });
  });

  state.apiBase = await listenOnLoopback(server, options.port ?? 0, options.host);

  return {
    url: state.apiBase,
    requests: state.log,
    setFaults(plan) {
      state.faults = plan ? new FaultInjector(plan) : null;
    },
    setOrg(org) {
      state.org = org;
    },
    resetLog() {
      // Cleared in place: callers may hold on to `requests`.
      state.log.length = 0;
    },
    stop: stopOnce(server),
  };
}
