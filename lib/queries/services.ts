import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { apiFetch } from "./api-fetch";
import { metricTiersSchema, metricValuesDtoSchema } from "./metrics";

/**
 * The query contract of the services resource: the list (`GET /api/services`, sorted and paged in
 * SQL), one service (`GET /api/services/[slug]`) and its deployments
 * (`GET /api/services/[slug]/deployments`). The same schemas parse the page's searchParams, the
 * client's URL and the route handlers' query strings, so server and browser build equal keys.
 */

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const isoInstant = z.iso.datetime({ offset: true, error: "must be an ISO 8601 instant with a time zone, e.g. 2026-01-31T00:00:00Z" });

/** Window presets offered by the UI; `days` accepts any whole number in range. */
export const WINDOW_PRESET_DAYS = [7, 30, 90, 180, 365] as const;
export const DEFAULT_WINDOW_DAYS = 90;

/**
 * The window: `from`/`to` (ISO instants, as `GET /api/metrics` takes them), or `days` before `to`
 * (default now). Neither means the 90 days before now, as for the metrics resource.
 */
const windowShape = {
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  /** The window's length in days, ending at `to` (or now); not together with `from`. */
  days: z.coerce.number().int("must be a whole number of days").min(1, "must be at least 1").max(3660, "must be at most 3660").optional(),
};

function checkWindow(params: { from?: string; to?: string; days?: number }, context: z.RefinementCtx): void {
  if (params.days !== undefined && params.from !== undefined) {
    context.addIssue({ code: "custom", path: ["days"], message: "give either `days` or `from`, not both" });
  }
  if (params.from !== undefined && params.to !== undefined && Date.parse(params.from) >= Date.parse(params.to)) {
    context.addIssue({ code: "custom", path: ["from"], message: "must be before `to` (the window is [from, to))" });
  }
}

export const SERVICE_SORT_KEYS = [
  "name",
  "team",
  "methodology",
  "deploymentsPerDay",
  "leadTime",
  "changeFailRate",
  "recoveryTime",
  "reworkRate",
  "successRate",
] as const;
export type ServiceSortKey = (typeof SERVICE_SORT_KEYS)[number];

export const METHODOLOGY_FILTERS = ["devops", "gitops", "both"] as const;
export type MethodologyFilter = (typeof METHODOLOGY_FILTERS)[number];

export const SERVICE_PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_SERVICE_PAGE_SIZE = 25;

export const serviceListParamsSchema = z
  .object({
    ...windowShape,
    sort: z.enum(SERVICE_SORT_KEYS).optional(),
    dir: z.enum(["asc", "desc"]).optional(),
    /** 1-based. */
    page: z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(100_000, "is too large").optional(),
    pageSize: z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(100, "must be at most 100").optional(),
    /** A team's slug or name. */
    team: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters").optional(),
    /** How the service shipped in the window: only push-based, only GitOps, or both. */
    methodology: z.enum(METHODOLOGY_FILTERS).optional(),
    /** Part of the service's name or slug, case-insensitive. */
    q: z.string().trim().max(100, "must be at most 100 characters").optional(),
  })
  .strict()
  .superRefine(checkWindow);

export type ServiceListParams = z.infer<typeof serviceListParamsSchema>;

export const serviceDetailParamsSchema = z.object(windowShape).strict().superRefine(checkWindow);
export type ServiceDetailParams = z.infer<typeof serviceDetailParamsSchema>;

/** `environment` absent = every production environment; `all` = every environment; else one environment's name. */
export const serviceDeploymentsParamsSchema = z
  .object({ ...windowShape, environment: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters").optional() })
  .strict()
  .superRefine(checkWindow);
export type ServiceDeploymentsParams = z.infer<typeof serviceDeploymentsParamsSchema>;

export const serviceSlugSchema = z.string().regex(SLUG, "must be a service slug (lower-case letters, digits and dashes)");

const refSchema = z.object({ slug: z.string(), name: z.string() });
const windowSchema = z.object({ from: z.string(), to: z.string() });
const methodologySchema = z.enum(["devops", "gitops", "both"]).nullable();

export const serviceListRowSchema = z.object({
  slug: z.string(),
  name: z.string(),
  team: refSchema.nullable(),
  /** Methodologies of the service's finished production attempts in the window; null when it had none. */
  methodology: methodologySchema,
  deploymentCount: z.number().int(),
  attemptCount: z.number().int(),
  deploymentsPerDay: z.number().nullable(),
  deploymentDaysPerWeekMedian: z.number().nullable(),
  leadTimeMedianHours: z.number().nullable(),
  failedChangeCount: z.number().int(),
  changeFailRate: z.number().nullable(),
  recoveryTimeMedianHours: z.number().nullable(),
  reworkRate: z.number().nullable(),
  deploymentSuccessRate: z.number().nullable(),
  /** Drift and sync lag as in `GET /api/metrics` (see `metricValuesDtoSchema`); drift values null when not observable. */
  driftObservable: z.boolean(),
  driftEpisodesPer30Days: z.number().nullable(),
  driftMedianHoursToReconcile: z.number().nullable(),
  timeInSyncRatio: z.number().nullable(),
  syncLagMedianHours: z.number().nullable(),
  provisional: z.boolean(),
  tiers: metricTiersSchema,
  /** Successful production deployments per ORG_TIMEZONE week of the window (Monday start), oldest first. */
  weeklyDeployments: z.array(z.object({ weekStart: z.string(), count: z.number().int() })),
});

export const serviceListDtoSchema = z.object({
  window: windowSchema,
  generatedAt: z.string(),
  timeZone: z.string(),
  sort: z.enum(SERVICE_SORT_KEYS),
  dir: z.enum(["asc", "desc"]),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Services matching the filters, on every page. */
  total: z.number().int(),
  rows: z.array(serviceListRowSchema),
  /** Every team, for the filter (not only those on this page). */
  teams: z.array(refSchema),
});

export const repositoryRefSchema = z.object({
  fullName: z.string(),
  /** The repository's page on GitHub, when its integration is GitHub or GitHub Enterprise (not the sandbox). */
  webUrl: z.string().nullable(),
});

export const leadTimeBinSchema = z.object({ bin: z.string(), minHours: z.number(), count: z.number().int() });

export const incidentDtoSchema = z.object({
  id: z.string(),
  title: z.string(),
  number: z.number().int().nullable(),
  url: z.string().nullable(),
  openedAt: z.string(),
  resolvedAt: z.string().nullable(),
  /** LINKED (explicitly), WINDOW (opened within 24 h of the deployment) or NONE. */
  attribution: z.enum(["LINKED", "WINDOW", "NONE"]),
  deployment: z
    .object({ id: z.string(), environment: z.string(), commitSha: z.string().nullable(), finishedAt: z.string().nullable() })
    .nullable(),
});

export const serviceDetailDtoSchema = z.object({
  window: windowSchema,
  generatedAt: z.string(),
  timeZone: z.string(),
  service: z.object({
    slug: z.string(),
    name: z.string(),
    team: refSchema.nullable(),
    methodology: methodologySchema,
    repositories: z.array(repositoryRefSchema),
    /** Environments the service has deployed to, production ones first. */
    environments: z.array(z.object({ name: z.string(), isProduction: z.boolean() })),
  }),
  metrics: metricValuesDtoSchema,
  /** Lead times of the changes counted by the lead-time metric, binned; bins ascending. */
  leadTimeDistribution: z.array(leadTimeBinSchema),
  incidents: z.array(incidentDtoSchema),
});

export const deploymentChangeDtoSchema = z.object({
  kind: z.enum(["PULL_REQUEST", "DIRECT_PUSH"]),
  commitSha: z.string(),
  commitUrl: z.string().nullable(),
  leadTimeHours: z.number().nullable(),
  pullRequest: z
    .object({ number: z.number().int(), title: z.string(), authorLogin: z.string().nullable(), url: z.string().nullable() })
    .nullable(),
});

/**
 * Which rule of DESIGN §3's failed-change definition flagged a deployment: a later rollback to an
 * older commit, a revert PR, a `hotfix` PR, or an incident. The derivation stores one per flag.
 */
export const FAILED_CHANGE_RULES = ["rollback", "revert", "hotfix", "incident"] as const;
export type FailedChangeRule = (typeof FAILED_CHANGE_RULES)[number];

export const deploymentDtoSchema = z.object({
  id: z.string(),
  environment: z.string(),
  isProduction: z.boolean(),
  methodology: z.enum(["devops", "gitops"]),
  source: z.string(),
  status: z.enum(["SUCCESS", "FAILURE", "IN_PROGRESS", "CANCELLED"]),
  commitSha: z.string().nullable(),
  commitUrl: z.string().nullable(),
  repository: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  initiatedBy: z.string().nullable(),
  isRollback: z.boolean(),
  isRework: z.boolean(),
  isFailedChange: z.boolean(),
  /** Why it is a failed change; null when it is not one. */
  failedChangeRule: z.enum(FAILED_CHANGE_RULES).nullable(),
  provisional: z.boolean(),
  /** The deployment that remediated this failed change, if one did. */
  remediatedBy: z.object({ id: z.string(), finishedAt: z.string().nullable() }).nullable(),
  changes: z.array(deploymentChangeDtoSchema),
});

export const serviceDeploymentsDtoSchema = z.object({
  window: windowSchema,
  environment: z.string().nullable(),
  /** Deployments in the window (newest first), at most `limit`. */
  deployments: z.array(deploymentDtoSchema),
  total: z.number().int(),
  limit: z.number().int(),
});

export type ServiceListRowDto = z.infer<typeof serviceListRowSchema>;
export type ServiceListDto = z.infer<typeof serviceListDtoSchema>;
export type RepositoryRefDto = z.infer<typeof repositoryRefSchema>;
export type LeadTimeBinDto = z.infer<typeof leadTimeBinSchema>;
export type IncidentDto = z.infer<typeof incidentDtoSchema>;
export type ServiceDetailDto = z.infer<typeof serviceDetailDtoSchema>;
export type DeploymentChangeDto = z.infer<typeof deploymentChangeDtoSchema>;
export type DeploymentDto = z.infer<typeof deploymentDtoSchema>;
export type ServiceDeploymentsDto = z.infer<typeof serviceDeploymentsDtoSchema>;

/** Parameters as a stable object (absent = null), so equal filters give equal query keys. */
function keyOf<T extends Record<string, unknown>>(params: T, names: readonly (keyof T)[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, params[name] ?? null]));
}

const LIST_KEYS = ["from", "to", "days", "sort", "dir", "page", "pageSize", "team", "methodology", "q"] as const;
const WINDOW_KEYS = ["from", "to", "days"] as const;

export const servicesKeys = {
  all: ["services"] as const,
  list: (params: ServiceListParams) => ["services", "list", keyOf(params, LIST_KEYS)] as const,
  detail: (slug: string, params: ServiceDetailParams) => ["services", "detail", slug, keyOf(params, WINDOW_KEYS)] as const,
  deployments: (slug: string, params: ServiceDeploymentsParams) =>
    ["services", "deployments", slug, keyOf(params, [...WINDOW_KEYS, "environment"] as const)] as const,
};

/** Query string of a parameter object, absent values left out. */
export function toSearch(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== "") search.set(name, String(value));
  const query = search.toString();
  return query ? `?${query}` : "";
}

export async function fetchServiceList(params: ServiceListParams, signal?: AbortSignal): Promise<ServiceListDto> {
  return await apiFetch(`/api/services${toSearch(params)}`, serviceListDtoSchema, { signal, what: "Loading services" });
}

export async function fetchServiceDetail(slug: string, params: ServiceDetailParams, signal?: AbortSignal): Promise<ServiceDetailDto> {
  return await apiFetch(`/api/services/${encodeURIComponent(slug)}${toSearch(params)}`, serviceDetailDtoSchema, { signal, what: "Loading the service" });
}

export async function fetchServiceDeployments(slug: string, params: ServiceDeploymentsParams, signal?: AbortSignal): Promise<ServiceDeploymentsDto> {
  return await apiFetch(`/api/services/${encodeURIComponent(slug)}/deployments${toSearch(params)}`, serviceDeploymentsDtoSchema, {
    signal,
    what: "Loading deployments",
  });
}

export function serviceListQueryOptions(params: ServiceListParams) {
  return queryOptions({ queryKey: servicesKeys.list(params), queryFn: ({ signal }) => fetchServiceList(params, signal) });
}

export function serviceDetailQueryOptions(slug: string, params: ServiceDetailParams) {
  return queryOptions({ queryKey: servicesKeys.detail(slug, params), queryFn: ({ signal }) => fetchServiceDetail(slug, params, signal) });
}

export function serviceDeploymentsQueryOptions(slug: string, params: ServiceDeploymentsParams) {
  return queryOptions({
    queryKey: servicesKeys.deployments(slug, params),
    queryFn: ({ signal }) => fetchServiceDeployments(slug, params, signal),
  });
}

/**
 * Parses a page's searchParams (or the browser's URL) with a schema, keeping only the parameters it
 * knows; an invalid value is dropped rather than failing the page, so a stale bookmark still opens.
 */
export function parseSearchParams<S extends z.ZodType>(
  schema: S,
  raw: Record<string, string | string[] | undefined>,
  known: readonly string[],
): { params: z.infer<S>; invalid: string[] } {
  const picked: Record<string, string> = {};
  for (const name of known) {
    const value = raw[name];
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== "") picked[name] = first;
  }
  const invalid: string[] = [];
  for (;;) {
    const result = schema.safeParse(picked);
    if (result.success) return { params: result.data, invalid };
    const names = new Set(result.error.issues.map((issue) => String(issue.path[0] ?? "")));
    const dropped = [...names].filter((name) => name in picked);
    if (dropped.length === 0) return { params: schema.parse({}), invalid };
    for (const name of dropped) {
      invalid.push(name);
      delete picked[name];
    }
  }
}

export const SERVICE_LIST_URL_PARAMS = LIST_KEYS;
export const SERVICE_DETAIL_URL_PARAMS = [...WINDOW_KEYS, "environment"] as const;
