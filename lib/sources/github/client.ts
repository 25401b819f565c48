import { Octokit } from "@octokit/core";
import { paginateRest } from "@octokit/plugin-paginate-rest";
import { restEndpointMethods } from "@octokit/plugin-rest-endpoint-methods";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { RequestError } from "@octokit/request-error";
import { type Clock, getClock } from "@/lib/clock";
import { asRateLimit } from "@/lib/sources/github/errors";

const GithubOctokit = Octokit.plugin(paginateRest, restEndpointMethods, throttling, retry);

export type GithubClient = InstanceType<typeof GithubOctokit>;

export interface GithubClientOptions {
  /** `https://api.github.com`, a GitHub Enterprise `https://host/api/v3`, or the sandbox. */
  baseUrl: string;
  token: string;
  /** Base of the retry plugin's backoff for 5xx and network errors (1 s by default; tests lower it). */
  retryBaseMs?: number;
  /** Per-request timeout, so a hung connection fails and is retried instead of stalling a job. */
  timeoutMs?: number;
  clock?: Clock;
  /** Counts every HTTP exchange (304s included), for progress and benchmarks. */
  onRequest?: (info: { method: string; url: string; status: number }) => void;
}

/**
 * Octokit with pagination, REST methods, throttling (request pacing) and retry (5xx, network).
 * Rate limits are never waited out inside a job: the throttling plugin is told not to retry, and
 * the error surfaces as `GithubRateLimitedError` so the job is rescheduled for the reset.
 */
export function createGithubClient(options: GithubClientOptions): GithubClient {
  const clock = options.clock ?? getClock();
  const octokit = new GithubOctokit({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    auth: options.token,
    userAgent: "pipeline-health",
    request: { timeout: options.timeoutMs ?? 30_000 },
    throttle: {
      onRateLimit: () => false,
      onSecondaryRateLimit: () => false,
    },
    // 429 is GitHub asking us to wait: rescheduled, never retried in place.
    retry: { retryAfterBaseValue: options.retryBaseMs ?? 1_000, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451], retries: 4 },
  });
  octokit.hook.wrap("request", async (request, requestOptions) => {
    try {
      const response = await request(requestOptions);
      options.onRequest?.({ method: requestOptions.method, url: requestOptions.url, status: response.status });
      return response;
    } catch (error) {
      if (error instanceof RequestError) options.onRequest?.({ method: requestOptions.method, url: requestOptions.url, status: error.status });
      throw asRateLimit(error, clock.now()) ?? error;
    }
  });
  return octokit;
}

export type ConditionalResult<T> = { changed: false } | { changed: true; data: T; etag: string | null; link: string | null };

/**
 * A GET with `If-None-Match`: an unchanged resource answers 304, which costs no rate budget.
 * Returns `changed: false` for a 304.
 */
export async function conditionalGet<T>(client: GithubClient, route: string, params: Record<string, string | number>, etag: string | null): Promise<ConditionalResult<T>> {
  try {
    const response = await client.request(route, { ...params, headers: etag ? { "if-none-match": etag } : {} });
    return { changed: true, data: response.data as T, etag: response.headers.etag ?? null, link: response.headers.link ?? null };
  } catch (error) {
    if (error instanceof RequestError && error.status === 304) return { changed: false };
    throw error;
  }
}

/** The URL of the `rel="next"` page in a `Link` header, if any. */
export function nextPageUrl(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(",")) {
    const match = part.match(/<([^>]+)>\s*;\s*rel="next"/);
    if (match) return match[1]!;
  }
  return null;
}
