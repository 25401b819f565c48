// No `server-only` marker: tests call this directly; route handlers and `audit-server.ts` are the server entries.
import { type ViewerContext, assertCan } from "@/lib/data/viewer";
import { AUDIT_PAGE_SIZE, AUDIT_RANGE_HOURS, type AuditEventDto, type AuditEventsDto, type AuditListParams, auditFiltersOf, auditListParamsSchema } from "@/lib/queries/audit";
import { type AuditDeps, type AuditRow, defaultAuditDeps, readAuditRows, resolveAuditWindow, showsClientIps } from "./audit-query";
import { auditLinksOf, loadLinkLookups } from "./audit-links";

/** A row as the browser gets it: seq as a string, instants as ISO strings, links resolved. */
export function auditEventDto(row: AuditRow, links: AuditEventDto["links"]): AuditEventDto {
  return {
    seq: row.seq.toString(),
    occurredAt: row.occurredAt.toISOString(),
    recordedAt: row.recordedAt.toISOString(),
    actor: {
      kind: row.actorKind,
      id: row.actorId,
      display: row.actorDisplay,
      person: row.personId ? { id: row.personId, name: row.personName ?? row.actorDisplay } : null,
    },
    action: row.action,
    target: { type: row.targetType, id: row.targetId, display: row.targetDisplay },
    service: row.serviceSlug ? { slug: row.serviceSlug, name: row.serviceName ?? row.serviceSlug } : null,
    outcome: row.outcome,
    source: row.source,
    before: row.before ?? null,
    after: row.after ?? null,
    metadata: row.metadata ?? null,
    requestId: row.requestId,
    clientIp: row.clientIp,
    prevHash: row.prevHash,
    hash: row.hash,
    links,
  };
}

/**
 * One page of audit events (`GET /api/audit`): those matching the filters (services, person,
 * actions or action prefixes, sources, outcome, occurred-at window, full-text search), newest
 * first by chain position, at most `limit` (default 50), strictly before `cursor` (the previous
 * page's last seq). Keyset pagination: a page costs the same at the millionth row as at the
 * first, and events appended meanwhile never shift a page. Needs `audit:read`.
 */
export async function listAuditEvents(ctx: ViewerContext, rawParams: AuditListParams, deps: AuditDeps = defaultAuditDeps()): Promise<AuditEventsDto> {
  assertCan(ctx, "audit:read");
  const params = auditListParamsSchema.parse(rawParams);
  const limit = params.limit ?? AUDIT_PAGE_SIZE;
  const filters = auditFiltersOf(params);
  const [cursorSeq, cursorFrom] = (params.cursor ?? "").split("@");
  // A `range` ("last 7 days") is fixed on the first page and carried in the cursor: recomputed at
  // each page's now, the window's start would move and drop the events between two pages' starts.
  const now = filters.range && cursorFrom ? new Date(Number(cursorFrom) + AUDIT_RANGE_HOURS[filters.range] * 3_600_000) : ctx.clock.now();
  // One row more than asked tells whether another page exists without a count over the filter.
  const rows = await readAuditRows(deps.db, filters, now, cursorSeq ? BigInt(cursorSeq) : null, limit + 1);
  const page = rows.slice(0, limit);
  const lookups = await loadLinkLookups(deps.db, page);
  const window = resolveAuditWindow(filters, now);
  return {
    generatedAt: now.toISOString(),
    timeZone: deps.timeZone,
    window: { from: window.from?.toISOString() ?? null, to: window.to?.toISOString() ?? null },
    events: page.map((row) => auditEventDto(showsClientIps(ctx) ? row : { ...row, clientIp: null }, auditLinksOf(row, lookups))),
    nextCursor: rows.length > limit ? `${page.at(-1)!.seq.toString()}${filters.range && window.from ? `@${window.from.getTime()}` : ""}` : null,
    limit,
  };
}
