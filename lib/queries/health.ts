import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
// Type-only: erased at build time, so the client bundle never pulls in the data layer.
import type { HealthDto } from "@/lib/data/health/get-health";

export type { HealthDto };

export const healthKeys = {
  all: ["health"] as const,
};

/** The wire shape of `GET /api/health`, checked so a drifting API fails loudly, not as `undefined` in the UI. */
export const healthDtoSchema = z.object({
  status: z.enum(["ok", "unavailable"]),
  version: z.string(),
  database: z.object({
    reachable: z.boolean(),
    mode: z.enum(["embedded", "external"]),
    latencyMs: z.number().nullable(),
    error: z.string().nullable(),
  }),
  migrations: z.object({
    applied: z.number().int(),
    latest: z.string().nullable(),
    pending: z.array(z.string()),
  }),
  workers: z.object({
    running: z.number().int().nullable(),
    lastQueueJobAt: z.string().nullable(),
  }),
  checkedAt: z.string(),
}) satisfies z.ZodType<HealthDto>;

/**
 * Browser fetcher for `GET /api/health`. A 503 still carries a HealthDto describing what is
 * down, which is exactly what the status widgets need to show, so only other statuses throw.
 */
export async function fetchHealth(signal?: AbortSignal): Promise<HealthDto> {
  const response = await fetch("/api/health", { signal, headers: { accept: "application/json" }, cache: "no-store" });
  if (!response.ok && response.status !== 503) {
    throw new Error(`Health check failed with HTTP ${response.status}`);
  }
  return healthDtoSchema.parse(await response.json());
}

/** Client-side options; the server prefetch in `health-server.ts` uses the same key. */
export function healthQueryOptions() {
  return queryOptions({
    queryKey: healthKeys.all,
    queryFn: ({ signal }) => fetchHealth(signal),
  });
}
