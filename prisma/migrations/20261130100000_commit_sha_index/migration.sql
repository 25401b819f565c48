-- GitOps looks a config revision up by sha alone (its commit time starts sync lag): without this
-- index every lookup scans the whole Commit table.

-- CreateIndex
CREATE INDEX "Commit_sha_idx" ON "Commit"("sha");
