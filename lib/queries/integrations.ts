import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { apiFetch } from "./api-fetch";
// Type-only: erased at build time, so the client bundle never pulls in the data layer.
import type { IntegrationDto, IntegrationsDto } from "@/lib/data/integrations/list-integrations";
import type { RemovalCounts, RemovalPreviewDto, RemovalResultDto } from "@/lib/data/integrations/integration-removal";
import type { SyncRequestResultDto } from "@/lib/data/integrations/request-integration-sync";
import type { CreatedIntegrationDto } from "@/lib/data/integrations/create-integration";

export type { CreatedIntegrationDto, IntegrationDto, IntegrationsDto, RemovalCounts, RemovalPreviewDto, RemovalResultDto, SyncRequestResultDto };

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

export const integrationsResponseSchema = z.object({ canManage: z.boolean(), integrations: z.array(integrationDtoSchema) }) satisfies z.ZodType<IntegrationsDto>;

// ───────────── changes (request bodies, validated by the form and the API alike) ─────────────

/** Names of the integrations configuration defines; a stored one may not take them. */
export const RESERVED_INTEGRATION_NAMES = ["github", "sandbox"] as const;

const integrationNameSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "use 1–40 lower-case letters, digits and dashes, not starting or ending with a dash")
  .refine((name) => !(RESERVED_INTEGRATION_NAMES as readonly string[]).includes(name), "is reserved for the integration the environment or the sandbox defines");

/** `owner/name` as GitHub spells them. */
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const ORG = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/** Hosts a plain-http API may live on: this machine only (the sandbox serves http on loopback). */
const LOOPBACK_HOSTS: readonly string[] = ["127.0.0.1", "[::1]", "localhost"];

/**
 * The API's base URL. It is stored in clear text, listed to every viewer and written into the
 * permanent audit event, so nothing secret may ride in it: no user name or password, no query
 * string, no fragment. The token travels only in its own (encrypted) field, and only over https,
 * except to loopback where nothing crosses a network.
 */
const baseUrlSchema = z
  .string()
  .trim()
  .default("https://api.github.com")
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be a URL such as https://api.github.com" });
      return;
    }
    if (url.username !== "" || url.password !== "") ctx.addIssue({ code: "custom", message: "must not contain a user name or password; put the token in the token field" });
    // The raw text too: `https://host/?` has an empty `search` but still a query part.
    if (url.search !== "" || /\?/.test(value)) ctx.addIssue({ code: "custom", message: "must not contain a query string (?…)" });
    if (url.hash !== "" || value.includes("#")) ctx.addIssue({ code: "custom", message: "must not contain a fragment (#…)" });
    const loopbackHttp = url.protocol === "http:" && LOOPBACK_HOSTS.includes(url.hostname);
    if (url.protocol !== "https:" && !loopbackHttp) ctx.addIssue({ code: "custom", message: "must use https (plain http only for 127.0.0.1, ::1 or localhost)" });
  })
  .transform((url) => url.replace(/\/+$/, ""));

/** A stored GitHub integration; the token is write-only (never returned, never logged). */
export const createGithubIntegrationSchema = z
  .object({
    kind: z.literal("GITHUB").default("GITHUB"),
    name: integrationNameSchema,
    baseUrl: baseUrlSchema,
    token: z.string().trim().min(1, "is required").max(1000, "must be at most 1000 characters"),
    org: z.union([z.literal(""), z.string().trim().regex(ORG, "must be a GitHub organisation or user name")]).default(""),
    repositories: z.array(z.string().trim().regex(REPOSITORY, "must be owner/name")).max(500, "at most 500 repositories").default([]),
    backfillDays: z.number().int("must be a whole number").min(1, "must be at least 1").max(3650, "must be at most 3650").default(180),
  })
  .strict()
  .refine((value) => value.org !== "" || value.repositories.length > 0, { path: ["org"], message: "name an organisation or at least one repository" });

export type CreateGithubIntegrationInput = z.input<typeof createGithubIntegrationSchema>;
export type CreateGithubIntegration = z.infer<typeof createGithubIntegrationSchema>;

/** Removal is confirmed by typing the integration's name. */
export const removeIntegrationSchema = z.object({ confirmName: z.string() }).strict();
export const integrationIdParamsSchema = z.object({ id: z.uuid() });

// ───────────── responses ─────────────

const removalCountsSchema = z.object({
  repositories: z.number().int(),
  commits: z.number().int(),
  pullRequests: z.number().int(),
  deployments: z.number().int(),
  deploymentChanges: z.number().int(),
  incidents: z.number().int(),
  gitOpsApps: z.number().int(),
  gitOpsOperations: z.number().int(),
  workloads: z.number().int(),
  driftEpisodes: z.number().int(),
  syncRequests: z.number().int(),
  syncApprovals: z.number().int(),
  bindings: z.number().int(),
  ingestRuns: z.number().int(),
  sourceCursors: z.number().int(),
  webhookDeliveries: z.number().int(),
}) satisfies z.ZodType<RemovalCounts>;

export const removalPreviewSchema = z.object({
  integration: z.object({ id: z.string(), name: z.string(), origin: z.enum(["ENV", "DATABASE", "SANDBOX"]) }),
  removable: z.boolean(),
  blockedBy: z.string().nullable(),
  deletes: removalCountsSchema,
  abandonedRuns: z.number().int(),
  keeps: z.object({ auditEvents: z.number().int(), services: z.number().int() }),
}) satisfies z.ZodType<RemovalPreviewDto>;

export const removalResultSchema = z.object({ removed: z.object({ id: z.string(), name: z.string() }), deleted: removalCountsSchema }) satisfies z.ZodType<RemovalResultDto>;

export const syncRequestResultSchema = z.object({
  integration: z.object({ id: z.string(), name: z.string() }),
  status: z.enum(["queued", "already-queued", "already-running"]),
  message: z.string(),
}) satisfies z.ZodType<SyncRequestResultDto>;

export const createdIntegrationSchema = z.object({
  integration: z.object({ id: z.string(), name: z.string(), kind: z.literal("GITHUB") }),
  sync: syncRequestResultSchema.shape.status.nullable(),
  message: z.string(),
}) satisfies z.ZodType<CreatedIntegrationDto>;

// ───────────── fetchers ─────────────

/** Browser fetcher for `GET /api/integrations`; an error response's own message reaches the error state. */
export async function fetchIntegrations(signal?: AbortSignal): Promise<IntegrationsDto> {
  return await apiFetch("/api/integrations", integrationsResponseSchema, { signal, what: "Loading the integrations" });
}

export async function createGithubIntegration(input: CreateGithubIntegrationInput): Promise<CreatedIntegrationDto> {
  return await apiFetch("/api/integrations", createdIntegrationSchema, { method: "POST", body: input, what: "Adding the integration" });
}

export async function requestIntegrationSync(id: string): Promise<SyncRequestResultDto> {
  return await apiFetch(`/api/integrations/${encodeURIComponent(id)}/sync`, syncRequestResultSchema, { method: "POST", body: {}, what: "Requesting a sync" });
}

export async function fetchRemovalPreview(id: string, signal?: AbortSignal): Promise<RemovalPreviewDto> {
  return await apiFetch(`/api/integrations/${encodeURIComponent(id)}/removal`, removalPreviewSchema, { signal, what: "Counting what removal deletes" });
}

export async function removeIntegration(id: string, confirmName: string): Promise<RemovalResultDto> {
  return await apiFetch(`/api/integrations/${encodeURIComponent(id)}`, removalResultSchema, { method: "DELETE", body: { confirmName }, what: "Removing the integration" });
}

/** How soon to ask again: every 2 s while any integration is syncing, else every 30 s. */
export function integrationsRefetchInterval(data: IntegrationsDto | undefined): number {
  return data?.integrations.some((integration) => integration.currentRun !== null) ? INTEGRATIONS_POLL_RUNNING_MS : INTEGRATIONS_POLL_IDLE_MS;
}

/** Client-side options; the server prefetch in `integrations-server.ts` uses the same key. */
export function integrationsQueryOptions() {
  return queryOptions({
    queryKey: integrationsKeys.all,
    queryFn: ({ signal }) => fetchIntegrations(signal),
    refetchInterval: (query) => integrationsRefetchInterval(query.state.data),
  });
}
