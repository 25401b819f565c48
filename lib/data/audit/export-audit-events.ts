// No `server-only` marker: tests call this directly; the route handler is the server entry.
import { type ViewerContext, assertCan } from "@/lib/data/viewer";
import { type ExportCell, csvField } from "@/lib/data/metrics/export-metrics";
import { type AuditExportParams, type AuditFilters, auditExportParamsSchema, auditFiltersOf } from "@/lib/queries/audit";
import { type AuditDeps, type AuditRow, defaultAuditDeps, readAuditRows, resolveAuditFilters, resolveAuditWindow, showsClientIps } from "./audit-query";

/** Events per database read while streaming: memory stays at one batch whatever the table's size. */
export const AUDIT_EXPORT_BATCH = 1_000;

interface AuditColumn {
  name: string;
  description: string;
  value: (row: AuditRow) => ExportCell;
}

const jsonText = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/** Stable snake_case columns: people build spreadsheets and scripts on them. */
export const AUDIT_EXPORT_COLUMNS: readonly AuditColumn[] = [
  { name: "seq", description: "Position in the hash chain.", value: (r) => r.seq.toString() },
  { name: "occurred_at", description: "When it happened (ISO 8601, UTC).", value: (r) => r.occurredAt.toISOString() },
  { name: "recorded_at", description: "When it was appended (ISO 8601, UTC).", value: (r) => r.recordedAt.toISOString() },
  { name: "actor_kind", description: "PERSON, SYSTEM, SOURCE or ANONYMOUS.", value: (r) => r.actorKind },
  { name: "actor_id", description: "The actor's id at its source (account id, login); empty when unknown.", value: (r) => r.actorId },
  { name: "actor_display", description: "The actor as shown.", value: (r) => r.actorDisplay },
  { name: "person_id", description: "The person behind the actor, when known.", value: (r) => r.personId },
  { name: "person_name", description: "That person's name.", value: (r) => r.personName },
  { name: "action", description: "What happened, e.g. deployment.success, gitops.sync.succeeded.", value: (r) => r.action },
  { name: "target_type", description: "What it happened to: deployment, pull_request, gitops_app, …", value: (r) => r.targetType },
  { name: "target_id", description: "The target's id at its source.", value: (r) => r.targetId },
  { name: "target_display", description: "The target as shown.", value: (r) => r.targetDisplay },
  { name: "service_slug", description: "The service, when the event belongs to one.", value: (r) => r.serviceSlug },
  { name: "service_name", description: "Its name.", value: (r) => r.serviceName },
  { name: "outcome", description: "success, failure, denied or info.", value: (r) => r.outcome },
  { name: "source", description: "Where the event came from: github, argocd, flux, drift, dashboard, worker, …", value: (r) => r.source },
  { name: "request_id", description: "The dashboard request that made it, if any.", value: (r) => r.requestId },
  { name: "client_ip", description: "The client address (through the trusted proxy), if any.", value: (r) => r.clientIp },
  { name: "before", description: "State before, as JSON.", value: (r) => jsonText(r.before) },
  { name: "after", description: "State after, as JSON.", value: (r) => jsonText(r.after) },
  { name: "metadata", description: "More context, as JSON.", value: (r) => jsonText(r.metadata) },
  { name: "prev_hash", description: "SHA-256 of the previous event (the chain link).", value: (r) => r.prevHash },
  { name: "hash", description: "SHA-256 of this event's canonical content.", value: (r) => r.hash },
];

/**
 * Every event matching the filters, newest first, read in keyset batches of `AUDIT_EXPORT_BATCH`.
 * The first batch fixes the top: events appended while the export runs are above it and not
 * included, so the file is one consistent slice of the chain.
 */
export async function* auditExportRows(ctx: ViewerContext, filters: AuditFilters, deps: AuditDeps): AsyncGenerator<AuditRow> {
  assertCan(ctx, "audit:read");
  const now = ctx.clock.now();
  let cursor: bigint | null = null;
  // Resolved once: every batch filters by the same services and person.
  const resolved = await resolveAuditFilters(deps.db, filters);
  for (;;) {
    const rows = await readAuditRows(deps.db, filters, now, cursor, AUDIT_EXPORT_BATCH, resolved);
    for (const row of rows) yield showsClientIps(ctx) ? row : { ...row, clientIp: null };
    if (rows.length < AUDIT_EXPORT_BATCH) return;
    cursor = rows.at(-1)!.seq;
  }
}

/** A stream pulled as the client reads: the next batch is read only when the previous one was sent. */
function pullStream(lines: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk = "";
      // About one batch of lines per chunk: few chunks, and the first bytes leave at once.
      for (let count = 0; count < 200; count += 1) {
        const next = await lines.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += next.value;
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
}

async function* csvLines(rows: AsyncGenerator<AuditRow>): AsyncGenerator<string> {
  yield `${AUDIT_EXPORT_COLUMNS.map((column) => csvField(column.name)).join(",")}\r\n`;
  for await (const row of rows) yield `${AUDIT_EXPORT_COLUMNS.map((column) => csvField(column.value(row))).join(",")}\r\n`;
}

async function* jsonLines(rows: AsyncGenerator<AuditRow>, head: Record<string, unknown>): AsyncGenerator<string> {
  const opening = JSON.stringify({ ...head, columns: AUDIT_EXPORT_COLUMNS.map(({ name, description }) => ({ name, description })) });
  // The document's head, then `"events":[`, one object per line, and the closing brackets.
  yield `${opening.slice(0, -1)},"events":[\n`;
  let first = true;
  for await (const row of rows) {
    const record = Object.fromEntries(AUDIT_EXPORT_COLUMNS.map((column) => [column.name, column.value(row)]));
    // JSON keeps structure: before/after/metadata as values, not strings.
    Object.assign(record, { before: row.before ?? null, after: row.after ?? null, metadata: row.metadata ?? null });
    yield `${first ? "" : ",\n"}${JSON.stringify(record)}`;
    first = false;
  }
  yield "\n]}\n";
}

export interface AuditExport {
  stream: ReadableStream<Uint8Array>;
  contentType: string;
  fileName: string;
}

/**
 * The filtered audit trail as CSV (RFC 4180, CRLF, formula-looking text guarded with a leading `'`
 * by the metrics export's `csvField`) or JSON (`{ generatedAt, filters, window, columns, events }`),
 * streamed: never the whole table in memory. Needs `audit:read`, checked before the first byte.
 */
export function exportAuditEvents(ctx: ViewerContext, rawParams: AuditExportParams, deps: AuditDeps = defaultAuditDeps()): AuditExport {
  assertCan(ctx, "audit:read");
  const params = auditExportParamsSchema.parse(rawParams);
  const filters = auditFiltersOf(params);
  const now = ctx.clock.now();
  const window = resolveAuditWindow(filters, now);
  const rows = auditExportRows(ctx, filters, deps);
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  if (params.format === "json") {
    const head = { generatedAt: now.toISOString(), filters, window: { from: window.from?.toISOString() ?? null, to: window.to?.toISOString() ?? null } };
    return { stream: pullStream(jsonLines(rows, head)), contentType: "application/json", fileName: `pipeline-health-audit-${stamp}.json` };
  }
  return { stream: pullStream(csvLines(rows)), contentType: "text/csv; charset=utf-8", fileName: `pipeline-health-audit-${stamp}.csv` };
}
