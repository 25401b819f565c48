-- Hand-written: full-text search and keyset pagination over the audit trail (DESIGN §5).
--
-- Search is Postgres full-text search over an *expression* GIN index, not ILIKE (a leading-wildcard
-- ILIKE reads every row) and not a stored generated column: adding a STORED column rewrites the
-- whole table (minutes at millions of rows, under an ACCESS EXCLUSIVE lock), and would put a
-- column into AuditEvent that schema.prisma does not describe. An index changes no row, so the
-- append-only triggers (20261127160100_audit_append_only, which reject UPDATE/DELETE/TRUNCATE) are
-- not involved, and nothing about the hash chain changes: the hash never covers derived data.
--
-- The document is one IMMUTABLE function of the row's own columns, so the index expression and the
-- query (lib/data/audit/audit-query.ts) call the very same thing and the planner matches them.
-- Punctuation becomes spaces before parsing: the default parser would otherwise keep
-- `argocd:in-cluster/argocd/payments`, `acme/api#42` or `alice@example.com` as single tokens and a
-- search for `payments`, `42` or `alice` would miss them. The query side applies the same rule
-- between word characters (keeping websearch syntax: quotes, `or`, a leading `-`). The `english`
-- configuration stems words, so `deploy` finds `deployed` and `deployment`; partial words do not
-- match (`deplo` finds nothing). Service names live in "Service" and are matched separately.
--
-- The btree indexes serve "newest first" keyset pages (`seq < cursor ORDER BY seq DESC LIMIT n`)
-- under the common filters: without them a filter matching few rows walks the primary key
-- backwards through the whole table. They also make the pickers' DISTINCT lists loose index scans.
--
-- Not CONCURRENTLY: migrations run inside a transaction (lib/db/migrate.ts). On a very large
-- external database, create these indexes CONCURRENTLY by hand first; IF NOT EXISTS then skips them.

CREATE FUNCTION "audit_event_search_document"(
  actor_display text, action text, target_type text, target_id text, target_display text,
  outcome text, source text, request_id text
) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_tsvector('english'::regconfig, regexp_replace(
    coalesce(actor_display, '') || ' ' || coalesce(action, '') || ' ' || coalesce(target_type, '') || ' ' ||
    coalesce(target_id, '') || ' ' || coalesce(target_display, '') || ' ' || coalesce(outcome, '') || ' ' ||
    coalesce(source, '') || ' ' || coalesce(request_id, ''),
    '[^[:alnum:][:space:]]+', ' ', 'g'))
$$;

CREATE INDEX IF NOT EXISTS "AuditEvent_search_idx" ON "AuditEvent" USING GIN (
  "audit_event_search_document"("actorDisplay", "action", "targetType", "targetId", "targetDisplay", "outcome", "source", "requestId")
);

CREATE INDEX IF NOT EXISTS "AuditEvent_serviceId_seq_idx" ON "AuditEvent" ("serviceId", "seq");
CREATE INDEX IF NOT EXISTS "AuditEvent_personId_seq_idx" ON "AuditEvent" ("personId", "seq");
CREATE INDEX IF NOT EXISTS "AuditEvent_source_seq_idx" ON "AuditEvent" ("source", "seq");
CREATE INDEX IF NOT EXISTS "AuditEvent_action_seq_idx" ON "AuditEvent" ("action", "seq");
