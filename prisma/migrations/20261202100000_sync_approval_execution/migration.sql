-- Four-eyes sync approval (DESIGN §6). The request keeps what was reviewed (change set, its authors,
-- whether authors may approve, production or not) and what the execution job saw (attempts, when it
-- called Argo CD, the operation) so a retried job can tell whether the sync already happened.
-- The rules that must hold whatever code path writes are enforced here too:
--   * a person never approves their own request, nor (unless allowed at request time) a revision
--     holding a change they authored;
--   * an app has at most one request in flight.

-- AlterTable
ALTER TABLE "SyncRequest" ADD COLUMN     "authorsMayApprove" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "changeAuthorPersonIds" UUID[] DEFAULT ARRAY[]::UUID[],
ADD COLUMN     "changes" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "executionAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "isProduction" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "operation" JSONB,
ADD COLUMN     "syncCalledAt" TIMESTAMPTZ(3),
ADD COLUMN     "waitingReason" TEXT;

CREATE UNIQUE INDEX "SyncRequest_one_open_per_app" ON "SyncRequest" ("gitOpsAppId") WHERE "status" IN ('PENDING', 'APPROVED', 'EXECUTING');

CREATE FUNCTION pipeline_health_sync_approval_four_eyes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  request RECORD;
BEGIN
  SELECT "requesterPersonId", "changeAuthorPersonIds", "authorsMayApprove" INTO request FROM "SyncRequest" WHERE id = NEW."syncRequestId";
  IF NEW."approverPersonId" = request."requesterPersonId" THEN
    RAISE EXCEPTION 'four-eyes: the requester of sync request % may not decide on it', NEW."syncRequestId" USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.decision = 'APPROVE' AND NOT request."authorsMayApprove" AND NEW."approverPersonId" = ANY (request."changeAuthorPersonIds") THEN
    RAISE EXCEPTION 'four-eyes: an author of a change in sync request % may not approve it', NEW."syncRequestId" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "SyncApproval_four_eyes" BEFORE INSERT OR UPDATE ON "SyncApproval" FOR EACH ROW EXECUTE FUNCTION pipeline_health_sync_approval_four_eyes();
