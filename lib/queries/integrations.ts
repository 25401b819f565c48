import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
// Type-only: erased at build time, so the client bundle never pulls in the data layer.
import type { IntegrationDto } from "@/lib/data/integrations/list-integrations";

export type { IntegrationDto };

export const integrationsKeys = {
  all: ["integrations"] as const,
};

/** While a run is going the progress bar should move; otherwise a slow poll notices the scheduled syncs. */
export const INTEGRATIONS_POLL_RUNNING_MS = 2_000;
export const INTEGRATIONS_POLL_IDLE_MS = 30_000;

/** The wire shape of one integration in `GET /api/integrations`. */
export const integrationDtoSchema = z.object({
  id: z.string(),
  kind: z.enum(["GITHUB", "ARGOCD", "FLUX_KUBERNETES"]),
  name: z.string(),
  origin: z.enum(["ENV", "DATABASE", "SANDBOX"]),
  readOnly: z.boolean(),
  baseUrl: z.string(),
  health: z.enum(["UNKNOWN", "HEALTHY", "DEGRADED", "FAILING"]),
  lastSyncedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  observedSince: z.string().nullable(),
  currentRun: z
    .object({ startedAt: z.string(), itemsProcessed: z.number().int(), itemsTotal: z.number().int().nullable() })
    .nullable(),
  lastRun: z
    .object({
      status: z.enum(["SUCCEEDED", "FAILED", "RESCHEDULED"]),
      finishedAt: z.string().nullable(),
      error: z.string().nullable(),
      rescheduledFor: z.string().nullable(),
    })
    .nullable(),
  counts: z.object({
    repositories: z.number().int(),
    pullRequests: z.number().int(),
    deployments: z.number().int(),
    incidents: z.number().int(),
  }),
}) satisfies z.ZodType<IntegrationDto>;

export const integrationsResponseSchema = z.object({ integrations: z.array(integrationDtoSchema) });

const apiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** Browser fetcher for `GET /api/integrations`; an error response's own message reaches the error state. */
export async function fetchIntegrations(signal?: AbortSignal): Promise<IntegrationDto[]> {
  const response = await fetch("/api/integrations", { signal, headers: { accept: "application/json" }, cache: "no-store" });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(body);
    throw new Error(parsed.success ? parsed.data.error.message : `Integrations could not be loaded (HTTP ${response.status})`);
  }
  return integrationsResponseSchema.parse(body).integrations;
}

/** How soon to ask again: every 2 s while any integration is syncing, else every 30 s. */
export function integrationsRefetchInterval(integrations: IntegrationDto[] | undefined): number {
  return integrations?.some((integration) => integration.currentRun !== null) ? INTEGRATIONS_POLL_RUNNING_MS : INTEGRATIONS_POLL_IDLE_MS;
}

/** Client-side options; the server prefetch in `integrations-server.ts` uses the same key. */
export function integrationsQueryOptions() {
  return queryOptions({
    queryKey: integrationsKeys.all,
    queryFn: ({ signal }) => fetchIntegrations(signal),
    refetchInterval: (query) => integrationsRefetchInterval(query.state.data),
  });
}
