import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { apiFetch } from "./api-fetch";
import { toSearch } from "./services";

/**
 * The query contract of the audit trail (DESIGN §5): the events matching a filter, newest first in
 * keyset pages (`GET /api/audit`), the values the pickers offer (`GET /api/audit/filters`), the
 * latest chain verification for the badge (`GET /api/audit/verification`) and the export of the
 * whole filtered set (`GET /api/audit/export`). One schema parses the page's searchParams, the
 * client's URL and the route handlers' query strings, so server and browser build equal keys.
 *
 * Lists travel as comma-separated values in one parameter (`service=api,web`), so a URL stays
 * readable and the shared URL parser (first value per name) needs no special case.
 */

export const AUDIT_OUTCOMES = ["success", "failure", "denied", "info"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Time ranges the filter bar offers, ending now; `custom` uses `from`/`to`. */
export const AUDIT_RANGES = ["24h", "7d", "30d", "90d"] as const;
export type AuditRange = (typeof AUDIT_RANGES)[number];
export const AUDIT_RANGE_HOURS: Record<AuditRange, number> = { "24h": 24, "7d": 24 * 7, "30d": 24 * 30, "90d": 24 * 90 };

export const AUDIT_PAGE_SIZE = 50;
export const MAX_AUDIT_PAGE_SIZE = 200;
/** The Service page's card: its latest events. */
export const SERVICE_AUDIT_CARD_SIZE = 10;

const SLUG = /^[a-z0-9][a-z0-9-]{0,99}$/;
const ACTION = /^[a-z0-9_.-]{1,100}\*?$/i;
const SOURCE = /^[a-z0-9_.-]{1,50}$/i;

/** `a,b,c` → ["a","b","c"] (trimmed, de-duplicated, each checked by `item`), absent when empty. */
function commaList(item: z.ZodString, what: string, max = 20) {
  // An already-parsed list is accepted too, so parsing parsed params (the data layer does) is a no-op.
  return z
    .preprocess(
      (value) => (Array.isArray(value) ? value.join(",") : value),
      z
        .string({ error: `must be a comma-separated list of ${what}` })
        .max(2_000, "is too long")
        .transform((value) => [...new Set(value.split(",").map((part) => part.trim()).filter(Boolean))])
        .pipe(z.array(item).max(max, `must list at most ${max} values`))
        .transform((list) => (list.length ? list : undefined))
        .optional(),
    )
    .optional();
}

const isoInstant = z.iso.datetime({ offset: true, error: "must be an ISO 8601 instant with a time zone, e.g. 2026-01-31T00:00:00Z" });

const filterShape = {
  /** Service slugs; an event matches any of them. */
  service: commaList(z.string().regex(SLUG, "must be a service slug"), "service slugs"),
  /** A person: their own events, their dashboard account's and their GitHub / Argo CD identities'. */
  person: z.uuid({ error: "must be a person id (a UUID)" }).optional(),
  /** Actions; one ending in `.` or `*` is a prefix (`sync.` or `sync.*` matches every sync action). */
  action: commaList(z.string().regex(ACTION, "must be an action such as deployment.success or a prefix such as sync.*"), "actions"),
  source: commaList(z.string().regex(SOURCE, "must be a source such as github or dashboard"), "sources"),
  outcome: z.enum(AUDIT_OUTCOMES, { error: `must be one of ${AUDIT_OUTCOMES.join(", ")}` }).optional(),
  /** A range ending now (resolved by the server's clock); give either `range` or `from`/`to`. */
  range: z.enum(AUDIT_RANGES, { error: `must be one of ${AUDIT_RANGES.join(", ")}` }).optional(),
  /** Occurred at or after (inclusive). */
  from: isoInstant.optional(),
  /** Occurred before (exclusive). */
  to: isoInstant.optional(),
  /** Full-text search (web search syntax: words, "a phrase", or, -word). */
  q: z.string().trim().max(200, "must be at most 200 characters").optional(),
};

type FilterInput = { range?: AuditRange; from?: string; to?: string };
function refineWindow(params: FilterInput, context: z.RefinementCtx) {
  if (params.range !== undefined && (params.from !== undefined || params.to !== undefined)) {
    context.addIssue({ code: "custom", path: ["range"], message: "give either `range` or `from`/`to`, not both" });
  }
  if (params.from !== undefined && params.to !== undefined && Date.parse(params.from) >= Date.parse(params.to)) {
    context.addIssue({ code: "custom", path: ["from"], message: "must be before `to` (the window is [from, to))" });
  }
}

const auditFiltersObject = z.object(filterShape).strict();
export const auditFiltersSchema = auditFiltersObject.superRefine(refineWindow);
export type AuditFilters = z.infer<typeof auditFiltersSchema>;

/** `GET /api/audit`: the filters, the last seq of the previous page (exclusive) and a page size. */
export const auditListParamsSchema = auditFiltersObject
  .extend({
    /** `<seq>` of the previous page's last event, with `@<epoch ms>` of the window's start when a `range` is used. */
    cursor: z.string().regex(/^[1-9][0-9]{0,18}(@[0-9]{1,15})?$/, "must be the nextCursor of the previous page").optional(),
    limit: z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(MAX_AUDIT_PAGE_SIZE, `must be at most ${MAX_AUDIT_PAGE_SIZE}`).optional(),
  })
  .strict()
  .superRefine(refineWindow);
export type AuditListParams = z.infer<typeof auditListParamsSchema>;

export const AUDIT_EXPORT_FORMATS = ["csv", "json"] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

export const auditExportParamsSchema = auditFiltersObject
  .extend({ format: z.enum(AUDIT_EXPORT_FORMATS, { error: `must be one of ${AUDIT_EXPORT_FORMATS.join(", ")}` }).default("csv") })
  .strict()
  .superRefine(refineWindow);
export type AuditExportParams = z.infer<typeof auditExportParamsSchema>;

/** The page's URL: the filters, and the event whose details are open. */
export const auditPageParamsSchema = auditFiltersObject
  .extend({ event: z.string().regex(/^[1-9][0-9]{0,18}$/).optional() })
  .strict()
  .superRefine(refineWindow);
export type AuditPageParams = z.infer<typeof auditPageParamsSchema>;
export const AUDIT_URL_PARAMS = ["service", "person", "action", "source", "outcome", "range", "from", "to", "q", "event"] as const;
const FILTER_NAMES = ["service", "person", "action", "source", "outcome", "range", "from", "to", "q"] as const satisfies readonly (keyof AuditFilters)[];

export const emptyAuditVerificationBody = z.object({}).strict();

// ───────────────────────────── DTOs ─────────────────────────────

export const AUDIT_LINK_KINDS = ["pull_request", "commit", "deployment", "gitops_app", "workload", "sync_request", "incident", "repository", "integration", "service"] as const;

export const auditLinkSchema = z.object({
  kind: z.enum(AUDIT_LINK_KINDS),
  label: z.string(),
  href: z.string(),
  /** Outside the dashboard (GitHub): opens in a new tab. */
  external: z.boolean(),
});

const jsonValue: z.ZodType<unknown> = z.unknown();

export const auditEventSchema = z.object({
  /** The chain position, as a string (a bigint does not survive JSON). */
  seq: z.string(),
  occurredAt: z.string(),
  recordedAt: z.string(),
  actor: z.object({
    kind: z.enum(["PERSON", "SYSTEM", "SOURCE", "ANONYMOUS"]),
    id: z.string().nullable(),
    display: z.string(),
    /** The person behind the actor, when known. */
    person: z.object({ id: z.string(), name: z.string() }).nullable(),
  }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string(), display: z.string().nullable() }),
  service: z.object({ slug: z.string(), name: z.string() }).nullable(),
  outcome: z.string(),
  source: z.string(),
  before: jsonValue,
  after: jsonValue,
  metadata: jsonValue,
  requestId: z.string().nullable(),
  clientIp: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
  /** Where the target can be followed: its PR, commit, deployment, GitOps app, sync request… */
  links: z.array(auditLinkSchema),
});

export const auditEventsDtoSchema = z.object({
  generatedAt: z.string(),
  /** ORG_TIMEZONE: times are shown in it. */
  timeZone: z.string(),
  /** The window the filters resolved to (a `range` is resolved against the server's clock). */
  window: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  /** Newest first (by seq). */
  events: z.array(auditEventSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
  limit: z.number().int(),
});

export const auditFilterOptionsDtoSchema = z.object({
  actions: z.array(z.string()),
  sources: z.array(z.string()),
  services: z.array(z.object({ slug: z.string(), name: z.string() })),
  persons: z.array(z.object({ id: z.string(), name: z.string() })),
});

export const auditVerificationDtoSchema = z.object({
  status: z.enum(["ok", "broken", "never"]),
  verifiedAt: z.string().nullable(),
  /** Seconds since the verification, by the server's clock. */
  ageSeconds: z.number().nullable(),
  checkedEvents: z.number().int().nullable(),
  headSeq: z.string().nullable(),
  firstBroken: z.object({ seq: z.string(), problem: z.string() }).nullable(),
  /** Whether this viewer may run a verification now (admins). */
  canVerify: z.boolean(),
});

export type AuditLinkDto = z.infer<typeof auditLinkSchema>;
export type AuditEventDto = z.infer<typeof auditEventSchema>;
export type AuditEventsDto = z.infer<typeof auditEventsDtoSchema>;
export type AuditFilterOptionsDto = z.infer<typeof auditFilterOptionsDtoSchema>;
export type AuditVerificationDto = z.infer<typeof auditVerificationDtoSchema>;

// ───────────────────────────── keys, URLs, fetchers ─────────────────────────────

/** The filters as a stable object (absent = null, lists joined), so equal filters give equal keys. */
function filterKey(filters: AuditFilters): Record<string, string | null> {
  return Object.fromEntries(FILTER_NAMES.map((name) => [name, serialise(filters[name])]));
}

function serialise(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(",") : value;
}

/** Only the filter parameters, as a query-string record (lists comma-joined). */
export function auditFilterSearch(filters: AuditFilters): Record<string, string | undefined> {
  return Object.fromEntries(FILTER_NAMES.map((name) => [name, serialise(filters[name]) ?? undefined]));
}

/** The filters of a page URL (without the open event). */
export function auditFiltersOf(params: AuditPageParams | AuditListParams | AuditExportParams): AuditFilters {
  const picked: AuditFilters = {};
  for (const name of FILTER_NAMES) if (params[name] !== undefined) Object.assign(picked, { [name]: params[name] });
  return picked;
}

export const auditKeys = {
  all: ["audit"] as const,
  events: (filters: AuditFilters, limit: number) => ["audit", "events", filterKey(filters), limit] as const,
  recent: (filters: AuditFilters, limit: number) => ["audit", "recent", filterKey(filters), limit] as const,
  filters: () => ["audit", "filters"] as const,
  verification: () => ["audit", "verification"] as const,
};

export function auditExportUrl(format: AuditExportFormat, filters: AuditFilters): string {
  return `/api/audit/export${toSearch({ ...auditFilterSearch(filters), format })}`;
}

/** The Audit page filtered as given (e.g. the Service page's "View all in Audit"). */
export function auditPageUrl(filters: AuditFilters): string {
  return `/audit${toSearch(auditFilterSearch(filters))}`;
}

export async function fetchAuditEvents(filters: AuditFilters, cursor: string | null, limit: number, signal?: AbortSignal): Promise<AuditEventsDto> {
  return await apiFetch(`/api/audit${toSearch({ ...auditFilterSearch(filters), cursor: cursor ?? undefined, limit })}`, auditEventsDtoSchema, {
    signal,
    what: "Loading audit events",
  });
}

export async function fetchAuditFilterOptions(signal?: AbortSignal): Promise<AuditFilterOptionsDto> {
  return await apiFetch("/api/audit/filters", auditFilterOptionsDtoSchema, { signal, what: "Loading filter options" });
}

export async function fetchAuditVerification(signal?: AbortSignal): Promise<AuditVerificationDto> {
  return await apiFetch("/api/audit/verification", auditVerificationDtoSchema, { signal, what: "Loading the chain verification" });
}

export async function verifyAuditChainNow(): Promise<AuditVerificationDto> {
  return await apiFetch("/api/audit/verification", auditVerificationDtoSchema, { method: "POST", body: {}, what: "Verifying the chain" });
}

/** Keyset pages: each page's `nextCursor` is the next page's `cursor`, so appends never shift a page. */
export function auditEventsInfiniteOptions(filters: AuditFilters, limit: number = AUDIT_PAGE_SIZE) {
  return infiniteQueryOptions({
    queryKey: auditKeys.events(filters, limit),
    queryFn: ({ signal, pageParam }) => fetchAuditEvents(filters, pageParam, limit, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last: AuditEventsDto) => last.nextCursor,
  });
}

export function auditFilterOptionsQueryOptions() {
  return queryOptions({ queryKey: auditKeys.filters(), queryFn: ({ signal }) => fetchAuditFilterOptions(signal) });
}

export function auditVerificationQueryOptions() {
  return queryOptions({ queryKey: auditKeys.verification(), queryFn: ({ signal }) => fetchAuditVerification(signal), refetchInterval: 60_000 });
}

/** The latest events of a filter, one page only (the Service page's card). */
export function auditRecentQueryOptions(filters: AuditFilters, limit: number = SERVICE_AUDIT_CARD_SIZE) {
  return queryOptions({ queryKey: auditKeys.recent(filters, limit), queryFn: ({ signal }) => fetchAuditEvents(filters, null, limit, signal) });
}
