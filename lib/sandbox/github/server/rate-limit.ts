/**
 * GitHub's primary rate limit for the `core` resource: a budget per user that refills all at once at
 * `reset` (epoch seconds). The window starts with the first counted request and is measured on the
 * injected clock, so a test can exhaust the budget and then step the clock past `reset`.
 */
import type { Clock } from "@/lib/clock";

export interface RateLimitConfig {
  limit: number;
  windowSeconds: number;
}

export interface RateLimitSnapshot {
  limit: number;
  remaining: number;
  used: number;
  /** Epoch seconds when the budget refills. */
  reset: number;
  resource: "core";
}

interface Window {
  used: number;
  reset: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { limit: 5000, windowSeconds: 3600 };

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly clock: Clock,
    private readonly config: RateLimitConfig = DEFAULT_RATE_LIMIT,
  ) {}

  /** The window for `key` as of now, starting a fresh one when the previous one has reset. */
  private window(key: string): Window {
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    const current = this.windows.get(key);
    if (current && nowSeconds < current.reset) return current;
    const fresh = { used: 0, reset: nowSeconds + this.config.windowSeconds };
    this.windows.set(key, fresh);
    return fresh;
  }

  snapshot(key: string): RateLimitSnapshot {
    const window = this.window(key);
    return {
      limit: this.config.limit,
      remaining: Math.max(0, this.config.limit - window.used),
      used: window.used,
      reset: window.reset,
      resource: "core",
    };
  }

  exhausted(key: string): boolean {
    return this.snapshot(key).remaining === 0;
  }

  consume(key: string): RateLimitSnapshot {
    this.window(key).used += 1;
    return this.snapshot(key);
  }

  /** Forget every window (used by tests that swap the org and want a full budget). */
  reset(): void {
    this.windows.clear();
  }
}

export function rateLimitHeaders(snapshot: RateLimitSnapshot): Record<string, string> {
  return {
    "x-ratelimit-limit": String(snapshot.limit),
    "x-ratelimit-remaining": String(snapshot.remaining),
    "x-ratelimit-reset": String(snapshot.reset),
    "x-ratelimit-used": String(snapshot.used),
    "x-ratelimit-resource": snapshot.resource,
  };
}
