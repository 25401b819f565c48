-- Hand-written: the audit trail is append-only (DESIGN §5).
-- Triggers stop UPDATE, DELETE and TRUNCATE for every role, the table's owner and superusers
-- included (grants alone prove nothing on the embedded database, where the app is superuser).
-- ENABLE ALWAYS keeps them firing under session_replication_role = replica, the usual way to
-- skip triggers. A superuser can still drop them; the hash chain and its copy outside the
-- database are what detect that.

CREATE FUNCTION "audit_event_reject_mutation"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Audit events are never changed or removed; append a correcting event instead.';
END;
$$;

CREATE TRIGGER "AuditEvent_reject_update_delete"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_reject_mutation"();

CREATE TRIGGER "AuditEvent_reject_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_reject_mutation"();

ALTER TABLE "AuditEvent" ENABLE ALWAYS TRIGGER "AuditEvent_reject_update_delete";
ALTER TABLE "AuditEvent" ENABLE ALWAYS TRIGGER "AuditEvent_reject_truncate";
