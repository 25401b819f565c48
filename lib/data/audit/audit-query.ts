// No `server-only` marker: tests and the export call this directly; route handlers are the server entries.
import type { Db } from "@/lib/db/client";
import { type ViewerContext, can } from "@/lib/data/viewer";
import { Prisma } from "@/lib/db/generated/client";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AUDIT_RANGE_HOURS, type AuditFilters } from "@/lib/queries/audit";

export interface AuditDeps {
  db: Db;
  /** `ORG_TIMEZONE`: how the page shows times (the data stays UTC). */
  timeZone: string;
}

/**
 * Client addresses are personal data: the trail shows them to admins (who manage people), and to
 * everyone else as absent. The chain still holds them, so verification is unaffected.
 */
export function showsClientIps(ctx: ViewerContext): boolean {
  return can(ctx.viewer, "people:manage");
}

export function defaultAuditDeps(): AuditDeps {
  return { db: getDb(), timeZone: getEnv().ORG_TIMEZONE };
}

/** One event as the list, the export and the service card read it. */
export interface AuditRow {
  seq: bigint;
  occurredAt: Date;
  recordedAt: Date;
  actorKind: "PERSON" | "SYSTEM" | "SOURCE" | "ANONYMOUS";
  actorId: string | null;
  actorDisplay: string;
  personId: string | null;
  personName: string | null;
  action: string;
  targetType: string;
  targetId: string;
  targetDisplay: string | null;
  serviceSlug: string | null;
  serviceName: string | null;
  outcome: string;
  source: string;
  before: unknown;
  after: unknown;
  metadata: unknown;
  requestId: string | null;
  clientIp: string | null;
  prevHash: string;
  hash: string;
}

/** The window `[from, to)` the filters mean: a `range` ends at the clock's now. */
export function resolveAuditWindow(filters: AuditFilters, now: Date): { from: Date | null; to: Date | null } {
  if (filters.range) return { from: new Date(now.getTime() - AUDIT_RANGE_HOURS[filters.range] * 3_600_000), to: null };
  return { from: filters.from ? new Date(filters.from) : null, to: filters.to ? new Date(filters.to) : null };
}

/**
 * The search text in websearch syntax, with punctuation *between* word characters turned into
 * spaces, as the indexed document does (migration 20261202090000_audit_search): `acme/api#42`,
 * `api-gateway` and `alice@example.com` become separate words that the index holds, while quotes,
 * `or` and a leading `-` (exclude) keep their meaning. Null when nothing searchable is left.
 */
export function normaliseSearch(q: string | undefined): string | null {
  if (!q) return null;
  const text = q.replace(/(?<=[\p{L}\p{N}])[^\p{L}\p{N}\s"]+(?=[\p{L}\p{N}])/gu, " ").trim();
  return /[\p{L}\p{N}]/u.test(text) ? text : null;
}

/** The indexed document: the very expression of the GIN index, so the planner can use it. */
const SEARCH_DOCUMENT = Prisma.sql`"audit_event_search_document"(e."actorDisplay", e."action", e."targetType", e."targetId", e."targetDisplay", e."outcome", e."source", e."requestId")`;

/** `sync.` or `sync.*` → a LIKE prefix with LIKE's own wildcards escaped. */
function actionPatterns(actions: string[]): { exact: string[]; prefixes: string[] } {
  const exact: string[] = [];
  const prefixes: string[] = [];
  for (const action of actions) {
    if (action.endsWith("*") || action.endsWith(".")) prefixes.push(`${action.replace(/\*$/, "").replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    else exact.push(action);
  }
  return { exact, prefixes };
}

/**
 * What the filters name in other tables, looked up once before the page query so that query holds
 * only plain arrays the planner can estimate and match to indexes: `serviceId = ANY(…)` walks the
 * `(serviceId, seq)` index; a search's service-name matches become ids beside the full-text index.
 */
export interface ResolvedAuditFilters {
  serviceIds: string[] | null;
  person: { personId: string; userIds: string[]; identities: string[] } | null;
  /** Services whose name or slug the search matches (an index expression cannot read "Service"). */
  searchServiceIds: string[];
}

export async function resolveAuditFilters(db: Db, filters: AuditFilters): Promise<ResolvedAuditFilters> {
  const serviceIds = filters.service?.length ? (await db.service.findMany({ where: { slug: { in: filters.service } }, select: { id: true } })).map((row) => row.id) : null;
  let person: ResolvedAuditFilters["person"] = null;
  if (filters.person) {
    const [users, identities] = await Promise.all([
      db.user.findMany({ where: { personId: filters.person }, select: { id: true } }),
      db.personIdentity.findMany({ where: { personId: filters.person, kind: { in: ["GITHUB", "ARGOCD"] } }, select: { value: true } }),
    ]);
    person = { personId: filters.person, userIds: users.map((user) => user.id), identities: identities.map((identity) => identity.value.toLowerCase()) };
  }
  const search = normaliseSearch(filters.q);
  const searchServiceIds =
    search === null
      ? []
      : (
          await db.$queryRaw<{ id: string }[]>`
            SELECT id::text AS id FROM "Service"
            WHERE to_tsvector('english'::regconfig, regexp_replace(name || ' ' || slug, '[^[:alnum:][:space:]]+', ' ', 'g')) @@ websearch_to_tsquery('english'::regconfig, ${search})`
        ).map((row) => row.id);
  return { serviceIds, person, searchServiceIds };
}

/**
 * The WHERE clause of the filters (over `"AuditEvent" e`), shared by the list, the export and the
 * service card so they can never disagree about which events a filter means.
 */
export function auditWhere(filters: AuditFilters, resolved: ResolvedAuditFilters, now: Date, options: { beforeSeq?: bigint | null } = {}): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (options.beforeSeq != null) conditions.push(Prisma.sql`e.seq < ${options.beforeSeq}`);
  if (resolved.serviceIds) conditions.push(Prisma.sql`e."serviceId" = ANY(${resolved.serviceIds}::uuid[])`);
  if (resolved.person) {
    // One human is one actor everywhere (DESIGN §2): their events, their dashboard account's, and
    // what sources recorded under their GitHub login or Argo CD username.
    const { personId, userIds, identities } = resolved.person;
    conditions.push(Prisma.sql`(
      e."personId" = ${personId}::uuid
      OR (e."actorKind" = 'PERSON' AND e."actorId" = ANY(${userIds}::text[]))
      OR (e."actorKind" = 'SOURCE' AND lower(e."actorId") = ANY(${identities}::text[]))
    )`);
  }
  if (filters.action?.length) {
    const { exact, prefixes } = actionPatterns(filters.action);
    const parts: Prisma.Sql[] = [];
    if (exact.length) parts.push(Prisma.sql`e.action = ANY(${exact}::text[])`);
    if (prefixes.length) parts.push(Prisma.sql`e.action LIKE ANY(${prefixes}::text[])`);
    conditions.push(Prisma.sql`(${Prisma.join(parts, " OR ")})`);
  }
  if (filters.source?.length) conditions.push(Prisma.sql`e.source = ANY(${filters.source}::text[])`);
  if (filters.outcome) conditions.push(Prisma.sql`e.outcome = ${filters.outcome}`);
  const window = resolveAuditWindow(filters, now);
  if (window.from) conditions.push(Prisma.sql`e."occurredAt" >= ${window.from}`);
  if (window.to) conditions.push(Prisma.sql`e."occurredAt" < ${window.to}`);
  const search = normaliseSearch(filters.q);
  if (search !== null) {
    const matches = Prisma.sql`${SEARCH_DOCUMENT} @@ websearch_to_tsquery('english'::regconfig, ${search})`;
    conditions.push(resolved.searchServiceIds.length ? Prisma.sql`(${matches} OR e."serviceId" = ANY(${resolved.searchServiceIds}::uuid[]))` : matches);
  }
  return conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
}

/**
 * One keyset page: events matching the filters with `seq < beforeSeq`, newest first. The order is
 * the chain's (seq), not occurredAt: re-ingested history may have occurred long ago, but a page
 * boundary on seq never moves when events are appended, so no event is shown twice or skipped.
 */
export async function readAuditRows(db: Db, filters: AuditFilters, now: Date, beforeSeq: bigint | null, limit: number, resolved?: ResolvedAuditFilters): Promise<AuditRow[]> {
  const ids = resolved ?? (await resolveAuditFilters(db, filters));
  return await db.$queryRaw<AuditRow[]>`
    SELECT e.seq, e."occurredAt", e."recordedAt", e."actorKind"::text AS "actorKind", e."actorId", e."actorDisplay", e."personId",
           p."displayName" AS "personName", e.action, e."targetType", e."targetId", e."targetDisplay",
           s.slug AS "serviceSlug", s.name AS "serviceName", e.outcome, e.source, e.before, e.after, e.metadata,
           e."requestId", e."clientIp", e."prevHash", e.hash
    FROM "AuditEvent" e
    LEFT JOIN "Service" s ON s.id = e."serviceId"
    LEFT JOIN "Person" p ON p.id = e."personId"
    ${auditWhere(filters, ids, now, { beforeSeq })}
    ORDER BY e.seq DESC
    LIMIT ${limit}`;
}
