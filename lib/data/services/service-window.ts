import type { Db } from "@/lib/db/client";
import { getDb } from "@/lib/db/client";
import { resolveWindow } from "@/lib/data/metrics/compute-metrics";
import { getEnv } from "@/lib/env";

export interface ServicesDeps {
  db: Db;
  /** `ORG_TIMEZONE`: week buckets of the sparklines and the timeline's days. */
  timeZone: string;
}

export function defaultServicesDeps(): ServicesDeps {
  return { db: getDb(), timeZone: getEnv().ORG_TIMEZONE };
}

/**
 * The window `[from, to)` of the services resource: `days` is the length of the default window (the
 * last `days` complete days, or the `days` calendar days before `to`); everything else (defaults,
 * the 422s for an empty or too long window) is the metrics resource's own `resolveWindow`, so a
 * services window and a metrics window never mean different things.
 */
export function resolveServiceWindow(params: { from?: string; to?: string; days?: number }, now: Date, timeZone: string): { from: Date; to: Date } {
  if (params.days === undefined) return resolveWindow({ from: params.from, to: params.to }, now, timeZone);
  return resolveWindow({ to: params.to }, now, timeZone, params.days);
}

/**
 * The web page of a repository, commit or PR on GitHub, from the integration's API base URL:
 * `api.github.com` → `github.com`, GitHub Enterprise's `https://host/api/v3` → `https://host`.
 * Anything else (the loopback sandbox) has no web pages, so no link rather than a dead one.
 */
export function gitHubWebBase(apiBaseUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(apiBaseUrl);
  } catch {
    return null;
  }
  if (url.protocol !== "https:") return null;
  if (url.hostname === "api.github.com") return "https://github.com";
  const path = url.pathname.replace(/\/+$/, "");
  if (path.endsWith("/api/v3")) return `${url.origin}${path.slice(0, -"/api/v3".length)}`;
  return null;
}
