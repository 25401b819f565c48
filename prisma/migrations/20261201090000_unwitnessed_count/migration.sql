-- GitOps deployments known only from history (rebuilt from Git, or synced before their app was
-- observed) have no attempt a source saw, so the success rate leaves them out; the rollups carry
-- their count per day and per window. Existing rows are rebuilt (the day-facts version changed), so
-- the default only fills the gap until then.

-- AlterTable
ALTER TABLE "MetricDayRollup" ADD COLUMN     "unwitnessedCount" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "MetricWindowRollup" ADD COLUMN     "unwitnessedCount" INTEGER NOT NULL DEFAULT 0;
