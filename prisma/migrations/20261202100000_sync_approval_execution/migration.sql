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
ADD COLUMN     "changeAuthorIdentities" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "changesIncompleteReason" TEXT,
ADD COLUMN     "requesterUserId" UUID,
ADD COLUMN     "changes" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "executionAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "isProduction" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "operation" JSONB,
ADD COLUMN     "syncCalledAt" TIMESTAMPTZ(3),
ADD COLUMN     "waitingReason" TEXT;

CREATE UNIQUE INDEX "SyncRequest_one_open_per_app" ON "SyncRequest" ("gitOpsAppId") WHERE "status" IN ('PENDING', 'APPROVED', 'EXECUTING');

-- The four-eyes rule, once: why `approver` may not take `decision` on the request, or NULL. Read by
-- the data layer (for a clear answer and the page's disabled buttons) and by the trigger below.
--   requester:        the requester's person, or the person their account belongs to now (a merge);
--   author:           an author of a change in the revision, by the person stored at request time or
--                     by any identity of the approver matching an author's login or e-mail now;
--   unknown-authors:  the change set could not be read in full, so authors cannot be excluded.
-- Authors (and unknown authors) are waived only when the request was made with authorsMayApprove.
CREATE FUNCTION pipeline_health_four_eyes_refusal(request_id UUID, approver UUID, decision "ApprovalDecision") RETURNS TEXT LANGUAGE plpgsql STABLE AS $$
DECLARE
  request RECORD;
BEGIN
  SELECT "requesterPersonId", "requesterUserId", "changeAuthorPersonIds", "changeAuthorIdentities", "changesIncompleteReason", "authorsMayApprove"
    INTO request FROM "SyncRequest" WHERE id = request_id;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF approver = request."requesterPersonId" OR approver IS NOT DISTINCT FROM (SELECT "personId" FROM "User" WHERE id = request."requesterUserId") THEN
    RETURN 'requester';
  END IF;
  IF decision = 'APPROVE' AND NOT request."authorsMayApprove" THEN
    IF approver = ANY (request."changeAuthorPersonIds")
       OR EXISTS (SELECT 1 FROM "PersonIdentity" identity
                  WHERE identity."personId" = approver
                    AND (CASE identity.kind WHEN 'GITHUB' THEN 'github:' WHEN 'EMAIL' THEN 'email:' ELSE 'other:' END) || lower(identity.value) = ANY (request."changeAuthorIdentities")) THEN
      RETURN 'author';
    END IF;
    IF request."changesIncompleteReason" IS NOT NULL THEN
      RETURN 'unknown-authors';
    END IF;
  END IF;
  RETURN NULL;
END;
$$;

CREATE FUNCTION pipeline_health_sync_approval_four_eyes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  refusal TEXT;
BEGIN
  refusal := pipeline_health_four_eyes_refusal(NEW."syncRequestId", NEW."approverPersonId", NEW.decision);
  IF refusal IS NOT NULL THEN
    RAISE EXCEPTION 'four-eyes: % may not decide on sync request % (%)', NEW."approverPersonId", NEW."syncRequestId", refusal USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "SyncApproval_four_eyes" BEFORE INSERT OR UPDATE ON "SyncApproval" FOR EACH ROW EXECUTE FUNCTION pipeline_health_sync_approval_four_eyes();
