// No `server-only` marker: tests call this directly; route handlers and `audit-server.ts` are the server entries.
import { type ViewerContext, assertCan } from "@/lib/data/viewer";
import type { AuditFilterOptionsDto } from "@/lib/queries/audit";
import { type AuditDeps, defaultAuditDeps } from "./audit-query";

/**
 * What the pickers offer (`GET /api/audit/filters`): every action and source recorded, the
 * services and the people that have events. Each distinct list is a loose index scan (a recursive
 * CTE hopping from one value to the next in the `(column, seq)` indexes of migration
 * 20261202090000_audit_search), so it reads one index entry per value, not every row: the
 * pickers stay instant at millions of events. Needs `audit:read`.
 */
export async function listAuditFilterOptions(ctx: ViewerContext, deps: AuditDeps = defaultAuditDeps()): Promise<AuditFilterOptionsDto> {
  assertCan(ctx, "audit:read");
  const { db } = deps;
  const [actions, sources, services, persons] = await Promise.all([
    db.$queryRaw<{ value: string }[]>`
      WITH RECURSIVE t(value) AS (
        (SELECT action FROM "AuditEvent" ORDER BY action LIMIT 1)
        UNION ALL
        SELECT (SELECT action FROM "AuditEvent" WHERE action > t.value ORDER BY action LIMIT 1) FROM t WHERE t.value IS NOT NULL
      ) SELECT value FROM t WHERE value IS NOT NULL`,
    db.$queryRaw<{ value: string }[]>`
      WITH RECURSIVE t(value) AS (
        (SELECT source FROM "AuditEvent" ORDER BY source LIMIT 1)
        UNION ALL
        SELECT (SELECT source FROM "AuditEvent" WHERE source > t.value ORDER BY source LIMIT 1) FROM t WHERE t.value IS NOT NULL
      ) SELECT value FROM t WHERE value IS NOT NULL`,
    db.$queryRaw<{ slug: string; name: string }[]>`
      WITH RECURSIVE t(id) AS (
        (SELECT "serviceId" FROM "AuditEvent" WHERE "serviceId" IS NOT NULL ORDER BY "serviceId" LIMIT 1)
        UNION ALL
        SELECT (SELECT "serviceId" FROM "AuditEvent" WHERE "serviceId" > t.id ORDER BY "serviceId" LIMIT 1) FROM t WHERE t.id IS NOT NULL
      ) SELECT s.slug, s.name FROM t JOIN "Service" s ON s.id = t.id ORDER BY s.name, s.slug`,
    db.$queryRaw<{ id: string; name: string }[]>`
      WITH RECURSIVE t(id) AS (
        (SELECT "personId" FROM "AuditEvent" WHERE "personId" IS NOT NULL ORDER BY "personId" LIMIT 1)
        UNION ALL
        SELECT (SELECT "personId" FROM "AuditEvent" WHERE "personId" > t.id ORDER BY "personId" LIMIT 1) FROM t WHERE t.id IS NOT NULL
      ) SELECT p.id::text AS id, p."displayName" AS name FROM t JOIN "Person" p ON p.id = t.id ORDER BY p."displayName", p.id`,
  ]);
  return {
    actions: actions.map((row) => row.value),
    sources: sources.map((row) => row.value),
    services,
    persons,
  };
}
