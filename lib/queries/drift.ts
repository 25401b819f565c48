import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { apiFetch } from "./api-fetch";
import { toSearch } from "./services";

/**
 * The query contract of the drift resource (DESIGN §4): every GitOps object and live workload with
 * its drift state (`GET /api/drift`), the drift episodes of a window for the timeline
 * (`GET /api/drift/episodes`), one target with its resources and live-vs-desired diff
 * (`GET /api/drift/[id]`), and how fresh each source is (`GET /api/drift/freshness`). The same
 * schemas parse the page's searchParams, the client's URL and the route handlers' query strings,
 * so server and browser build equal keys.
 */

/** The drift states the ingestion writes (DESIGN §4); anything else reads as UNKNOWN. */
export const DRIFT_STATES = ["LIVE_DRIFT", "PENDING_CHANGE", "ROLLOUT_IN_PROGRESS", "UNKNOWN", "NOT_OBSERVABLE", "IN_SYNC"] as const;
export type DriftState = (typeof DRIFT_STATES)[number];

export const DRIFT_METHODOLOGIES = ["devops", "gitops"] as const;
export type DriftMethodology = (typeof DRIFT_METHODOLOGIES)[number];

export const DRIFT_TARGET_KINDS = ["ARGOCD_APPLICATION", "FLUX_KUSTOMIZATION", "FLUX_HELMRELEASE", "DEPLOYMENT"] as const;
export type DriftTargetKind = (typeof DRIFT_TARGET_KINDS)[number];

/** Timeline lengths the UI offers, in days ending now. */
export const DRIFT_WINDOW_DAYS = [1, 7, 30, 90] as const;
export const DEFAULT_DRIFT_WINDOW_DAYS = 7;
/** The longest timeline window the API serves, in days. */
export const MAX_DRIFT_WINDOW_DAYS = 366;

/** A source older than this (or erroring) is flagged stale in the freshness line. */
export const DRIFT_STALE_AFTER_SECONDS = 15 * 60;

/**
 * A target's id says which table it lives in: `app-<uuid>` for a GitOps object, `workload-<uuid>`
 * for a live Deployment, so one detail route serves both without a lookup in each table.
 */
const TARGET_ID = /^(app|workload)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const driftTargetIdSchema = z.string().regex(TARGET_ID, "must be a drift target id (app-<uuid> or workload-<uuid>)");

const isoInstant = z.iso.datetime({ offset: true, error: "must be an ISO 8601 instant with a time zone, e.g. 2026-01-31T00:00:00Z" });

const filterShape = {
  /** DEVOPS rows are push-based workloads; GITOPS rows are GitOps objects and the workloads they manage. */
  methodology: z.enum(DRIFT_METHODOLOGIES).optional(),
  /** The row's drift state as shown: NOT_OBSERVABLE wherever drift cannot be seen. */
  state: z.enum(DRIFT_STATES).optional(),
  /** A team's slug or name. */
  team: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters").optional(),
  /** Part of the name, namespace, cluster or service (slug or name), case-insensitive. */
  q: z.string().trim().max(100, "must be at most 100 characters").optional(),
};

export const driftTargetsParamsSchema = z.object(filterShape).strict();
export type DriftTargetsParams = z.infer<typeof driftTargetsParamsSchema>;

/**
 * The timeline's window `[from, to)`: explicit instants, or `days` ending at `to` (default now);
 * neither means the last 7 days. Filters as for the targets, so the timeline draws the table's rows.
 */
export const driftEpisodesParamsSchema = z
  .object({
    ...filterShape,
    from: isoInstant.optional(),
    to: isoInstant.optional(),
    days: z.coerce.number().int("must be a whole number of days").min(1, "must be at least 1").max(MAX_DRIFT_WINDOW_DAYS, `must be at most ${MAX_DRIFT_WINDOW_DAYS}`).optional(),
  })
  .strict()
  .superRefine((params, context) => {
    if (params.days !== undefined && params.from !== undefined) {
      context.addIssue({ code: "custom", path: ["days"], message: "give either `days` or `from`, not both" });
    }
    if (params.from !== undefined && params.to !== undefined && Date.parse(params.from) >= Date.parse(params.to)) {
      context.addIssue({ code: "custom", path: ["from"], message: "must be before `to` (the window is [from, to))" });
    }
  });
export type DriftEpisodesParams = z.infer<typeof driftEpisodesParamsSchema>;

export const driftTargetParamsSchema = z.object({ id: driftTargetIdSchema }).strict();

/** The page's URL: the filters, the timeline's length and the selected row. */
export const driftPageParamsSchema = z
  .object({
    ...filterShape,
    days: z.coerce.number().int().min(1).max(MAX_DRIFT_WINDOW_DAYS).optional(),
    target: driftTargetIdSchema.optional(),
  })
  .strict();
export type DriftPageParams = z.infer<typeof driftPageParamsSchema>;
export const DRIFT_URL_PARAMS = ["methodology", "state", "team", "q", "days", "target"] as const;

const refSchema = z.object({ slug: z.string(), name: z.string() });

const serviceRefSchema = z.object({ slug: z.string(), name: z.string(), team: refSchema.nullable() });

const integrationRefSchema = z.object({ id: z.string(), name: z.string(), kind: z.enum(["GITHUB", "ARGOCD", "FLUX_KUBERNETES"]) });

export const openEpisodeSchema = z.object({
  id: z.string(),
  kind: z.enum(["LIVE_DRIFT", "PENDING_CHANGE"]),
  startedAt: z.string(),
  /** Seconds from its start to the clock's now. */
  ageSeconds: z.number(),
  actor: z.string().nullable(),
  resourceCount: z.number().int(),
});

export const driftTargetRowSchema = z.object({
  id: z.string(),
  kind: z.enum(DRIFT_TARGET_KINDS),
  name: z.string(),
  namespace: z.string(),
  cluster: z.string(),
  service: serviceRefSchema.nullable(),
  methodology: z.enum(DRIFT_METHODOLOGIES),
  /** Argo CD / Flux sync status; null for a workload (the cluster has none). */
  syncStatus: z.string().nullable(),
  healthStatus: z.string().nullable(),
  /** As shown: NOT_OBSERVABLE wherever `driftObservable` is false, UNKNOWN for a state this build does not know. */
  driftState: z.enum(DRIFT_STATES),
  driftObservable: z.boolean(),
  driftStateSince: z.string().nullable(),
  /** Seconds in the current state, only for LIVE_DRIFT and PENDING_CHANGE (null otherwise or when the start is unknown). */
  driftAgeSeconds: z.number().nullable(),
  lastObservedAt: z.string().nullable(),
  /** For workloads: `push` or the key of the GitOps object that manages it. */
  managedBy: z.string().nullable(),
  integration: integrationRefSchema,
  openEpisode: openEpisodeSchema.nullable(),
});

export const driftTargetsDtoSchema = z.object({
  generatedAt: z.string(),
  /** Targets matching the filters, most urgent first: live drift, pending, rollout, unknown, not observable, in sync; oldest drift first. */
  rows: z.array(driftTargetRowSchema),
  /** Rows matching the filters (rows holds at most `limit`). */
  total: z.number().int(),
  limit: z.number().int(),
  /** Every GitOps object and workload observed, ignoring filters: 0 means nothing is connected yet. */
  observedTotal: z.number().int(),
  /** Rows per shown state among the filtered rows. */
  stateCounts: z.record(z.enum(DRIFT_STATES), z.number().int()),
  teams: z.array(refSchema),
});

export const driftEpisodeSchema = z.object({
  id: z.string(),
  targetId: z.string(),
  /** "namespace/name", with the cluster when not the default one. */
  targetLabel: z.string(),
  targetKind: z.enum(DRIFT_TARGET_KINDS),
  service: serviceRefSchema.nullable(),
  kind: z.enum(["LIVE_DRIFT", "PENDING_CHANGE"]),
  methodology: z.enum(DRIFT_METHODOLOGIES),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  /** Start to end, or to now while open, in seconds. */
  durationSeconds: z.number(),
  endReason: z.enum(["AUTO_HEAL", "SYNC", "NEW_DEPLOYMENT", "SOURCE_REMOVED"]).nullable(),
  endedByRef: z.string().nullable(),
  actor: z.string().nullable(),
});

export const driftEpisodesDtoSchema = z.object({
  generatedAt: z.string(),
  window: z.object({ from: z.string(), to: z.string() }),
  /** Episodes overlapping the window, oldest start first. */
  episodes: z.array(driftEpisodeSchema),
  total: z.number().int(),
  limit: z.number().int(),
});

export const diffLineSchema = z.discriminatedUnion("op", [
  /** `remove`: only in the live object; `add`: only in the desired one; `same`: in both. */
  z.object({ op: z.enum(["same", "add", "remove"]), text: z.string() }),
  /** Unchanged lines left out of the diff, between two hunks. */
  z.object({ op: z.literal("skip"), count: z.number().int() }),
]);

export const driftResourceSchema = z.object({
  kind: z.string(),
  namespace: z.string().nullable(),
  name: z.string(),
  field: z.string().nullable(),
  liveValue: z.string().nullable(),
  desiredValue: z.string().nullable(),
  /** A line diff of the live and desired documents (Argo CD's liveState vs targetState), when both were given. */
  diff: z
    .object({
      lines: z.array(diffLineSchema),
      added: z.number().int(),
      removed: z.number().int(),
      /** "missing live": the resource does not exist in the cluster; "missing desired": not in Git any more. */
      note: z.string().nullable(),
    })
    .nullable(),
});

export const driftTargetDetailDtoSchema = z.object({
  generatedAt: z.string(),
  target: driftTargetRowSchema.extend({
    syncedRevision: z.string().nullable(),
    desiredRevision: z.string().nullable(),
    autoSync: z.boolean().nullable(),
    selfHeal: z.boolean().nullable(),
    suspended: z.boolean().nullable(),
    repoUrl: z.string().nullable(),
    path: z.string().nullable(),
    images: z.array(z.string()),
    desiredImages: z.array(z.string()),
  }),
  /** The episode whose resources are listed: the open one, else the latest; null when it never drifted. */
  episode: driftEpisodeSchema.nullable(),
  resources: z.array(driftResourceSchema),
  /** The target's latest episodes, newest first. */
  recentEpisodes: z.array(driftEpisodeSchema),
});

export const freshnessIntegrationSchema = z.object({
  id: z.string(),
  name: z.string(),
  health: z.enum(["UNKNOWN", "HEALTHY", "DEGRADED", "FAILING"]),
  lastSyncedAt: z.string().nullable(),
  /** Seconds since the last sync by the server's clock; null before the first. */
  syncedAgoSeconds: z.number().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  /** Erroring, never synced, or synced longer ago than `DRIFT_STALE_AFTER_SECONDS`. */
  stale: z.boolean(),
});

export const driftFreshnessDtoSchema = z.object({
  generatedAt: z.string(),
  staleAfterSeconds: z.number().int(),
  /** Every source drift reads from, in a fixed order; `integrations` empty when none is configured. */
  sources: z.array(
    z.object({ kind: z.enum(["ARGOCD", "FLUX_KUBERNETES", "GITHUB"]), label: z.string(), integrations: z.array(freshnessIntegrationSchema) }),
  ),
});

export type DriftTargetRowDto = z.infer<typeof driftTargetRowSchema>;
export type DriftTargetsDto = z.infer<typeof driftTargetsDtoSchema>;
export type DriftEpisodeDto = z.infer<typeof driftEpisodeSchema>;
export type DriftEpisodesDto = z.infer<typeof driftEpisodesDtoSchema>;
export type DiffLineDto = z.infer<typeof diffLineSchema>;
export type DriftResourceDto = z.infer<typeof driftResourceSchema>;
export type DriftTargetDetailDto = z.infer<typeof driftTargetDetailDtoSchema>;
export type DriftFreshnessDto = z.infer<typeof driftFreshnessDtoSchema>;
export type FreshnessIntegrationDto = z.infer<typeof freshnessIntegrationSchema>;

/** Parameters as a stable object (absent = null), so equal filters give equal query keys. */
function keyOf<T extends Record<string, unknown>>(params: T, names: readonly (keyof T)[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, params[name] ?? null]));
}

const FILTER_KEYS = ["methodology", "state", "team", "q"] as const;

export const driftKeys = {
  all: ["drift"] as const,
  targets: (params: DriftTargetsParams) => ["drift", "targets", keyOf(params, FILTER_KEYS)] as const,
  episodes: (params: DriftEpisodesParams) => ["drift", "episodes", keyOf(params, [...FILTER_KEYS, "from", "to", "days"] as const)] as const,
  target: (id: string) => ["drift", "target", id] as const,
  freshness: () => ["drift", "freshness"] as const,
};

/**
 * How often the page polls while visible. TanStack Query stops interval refetches while the tab is
 * hidden (`refetchIntervalInBackground` is false), so a background tab costs nothing.
 */
export const DRIFT_REFETCH_INTERVAL_MS = 5_000;

/** The page's URL split into what each widget asks for (the same split as the client's `useDriftParams`). */
export function driftWidgetParams(params: DriftPageParams): { targets: DriftTargetsParams; episodes: DriftEpisodesParams } {
  const targets: DriftTargetsParams = { methodology: params.methodology, state: params.state, team: params.team, q: params.q };
  return { targets, episodes: { ...targets, days: params.days } };
}

export async function fetchDriftTargets(params: DriftTargetsParams, signal?: AbortSignal): Promise<DriftTargetsDto> {
  return await apiFetch(`/api/drift${toSearch(params)}`, driftTargetsDtoSchema, { signal, what: "Loading drift" });
}

export async function fetchDriftEpisodes(params: DriftEpisodesParams, signal?: AbortSignal): Promise<DriftEpisodesDto> {
  return await apiFetch(`/api/drift/episodes${toSearch(params)}`, driftEpisodesDtoSchema, { signal, what: "Loading drift episodes" });
}

export async function fetchDriftTarget(id: string, signal?: AbortSignal): Promise<DriftTargetDetailDto> {
  return await apiFetch(`/api/drift/${encodeURIComponent(id)}`, driftTargetDetailDtoSchema, { signal, what: "Loading the drift details" });
}

export async function fetchDriftFreshness(signal?: AbortSignal): Promise<DriftFreshnessDto> {
  return await apiFetch("/api/drift/freshness", driftFreshnessDtoSchema, { signal, what: "Loading source freshness" });
}

export function driftTargetsQueryOptions(params: DriftTargetsParams) {
  return queryOptions({
    queryKey: driftKeys.targets(params),
    queryFn: ({ signal }) => fetchDriftTargets(params, signal),
    refetchInterval: DRIFT_REFETCH_INTERVAL_MS,
  });
}

export function driftEpisodesQueryOptions(params: DriftEpisodesParams) {
  return queryOptions({
    queryKey: driftKeys.episodes(params),
    queryFn: ({ signal }) => fetchDriftEpisodes(params, signal),
    refetchInterval: DRIFT_REFETCH_INTERVAL_MS,
  });
}

export function driftTargetQueryOptions(id: string) {
  return queryOptions({ queryKey: driftKeys.target(id), queryFn: ({ signal }) => fetchDriftTarget(id, signal), refetchInterval: DRIFT_REFETCH_INTERVAL_MS });
}

export function driftFreshnessQueryOptions() {
  return queryOptions({ queryKey: driftKeys.freshness(), queryFn: ({ signal }) => fetchDriftFreshness(signal), refetchInterval: DRIFT_REFETCH_INTERVAL_MS });
}
