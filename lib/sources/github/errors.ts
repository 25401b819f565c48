/**
 * GitHub told us to wait (primary limit exhausted, secondary limit, or 429). The job that hit it
 * is rescheduled for `retryAt` instead of sleeping (DESIGN §7).
 */
export class GithubRateLimitedError extends Error {
  constructor(
    readonly retryAt: Date,
    readonly kind: "primary" | "secondary",
  ) {
    super(`GitHub rate limit (${kind}); retry at ${retryAt.toISOString()}`);
    this.name = "GithubRateLimitedError";
  }
}

interface ErrorWithResponse {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

const DEFAULT_SECONDARY_WAIT_SECONDS = 60;

/**
 * Recognises GitHub's ways of saying "wait": a 403 or 429 with `x-ratelimit-remaining: 0`, or a
 * secondary-limit message, or any 429. Returns null for every other error.
 */
export function asRateLimit(error: unknown, now: Date): GithubRateLimitedError | null {
  const candidate = error as ErrorWithResponse;
  if (candidate?.status !== 403 && candidate?.status !== 429) return null;
  const headers = candidate.response?.headers ?? {};
  const retryAfter = Number(headers["retry-after"]);
  const waitFromRetryAfter = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null;
  if (String(headers["x-ratelimit-remaining"]) === "0") {
    const reset = Number(headers["x-ratelimit-reset"]);
    const at = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : new Date(now.getTime() + (waitFromRetryAfter ?? DEFAULT_SECONDARY_WAIT_SECONDS) * 1000);
    return new GithubRateLimitedError(at, "primary");
  }
  const message = `${candidate.message ?? ""} ${JSON.stringify(candidate.response?.data ?? "")}`;
  if (candidate.status === 429 || /secondary rate limit/i.test(message)) {
    return new GithubRateLimitedError(new Date(now.getTime() + (waitFromRetryAfter ?? DEFAULT_SECONDARY_WAIT_SECONDS) * 1000), "secondary");
  }
  return null;
}
