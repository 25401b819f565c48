-- Hand-written: the audit trail is append-only (DESIGN §5).
-- Triggers stop UPDATE, DELETE and TRUNCATE for every role, the table's owner and superusers
-- included (grants alone prove nothing on the embedded database, where the app is superuser).
-- ENABLE ALWAYS keeps them firing under session_replication_role = replica, the usual way to
-- skip triggers. The owner (and a superuser) can still disable or drop them with ALTER TABLE;
-- the hash chain, its unique prevHash and the verifier are what detect a change made that way.
-- On an external Postgres, run the app as a role that only has INSERT and SELECT on this table.

CREATE FUNCTION "audit_event_reject_mutation"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Audit events are never changed or removed; append a correcting event instead.';
END;
$$;

-- Statement-level, so even an UPDATE or DELETE that matches no row is refused.
CREATE TRIGGER "AuditEvent_reject_update_delete"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_reject_mutation"();

CREATE TRIGGER "AuditEvent_reject_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_reject_mutation"();

ALTER TABLE "AuditEvent" ENABLE ALWAYS TRIGGER "AuditEvent_reject_update_delete";
ALTER TABLE "AuditEvent" ENABLE ALWAYS TRIGGER "AuditEvent_reject_truncate";
