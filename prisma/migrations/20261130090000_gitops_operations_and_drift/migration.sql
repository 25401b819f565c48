-- GitOps operations as observed (Argo CD history forgets self-heal, failed and partial syncs), the
-- live drift state of GitOps apps and workloads, the cohort and end of each drift episode, and the
-- instant a GitOps deployment's revision became desired (sync lag).

-- AlterTable
ALTER TABLE "Deployment" ADD COLUMN     "desiredAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "DriftEpisode" ADD COLUMN     "actor" TEXT,
ADD COLUMN     "endedByRef" TEXT,
ADD COLUMN     "methodology" "Methodology" NOT NULL;

-- AlterTable
ALTER TABLE "GitOpsApp" ADD COLUMN     "desiredSince" TIMESTAMPTZ(3),
ADD COLUMN     "driftState" TEXT NOT NULL DEFAULT 'UNKNOWN',
ADD COLUMN     "driftStateSince" TIMESTAMPTZ(3),
ADD COLUMN     "images" TEXT[],
ADD COLUMN     "lastObservedAt" TIMESTAMPTZ(3),
ADD COLUMN     "observedSince" TIMESTAMPTZ(3),
ADD COLUMN     "selfHeal" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Workload" ADD COLUMN     "desiredImages" TEXT[],
ADD COLUMN     "driftObservable" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "driftState" TEXT NOT NULL DEFAULT 'UNKNOWN',
ADD COLUMN     "driftStateSince" TIMESTAMPTZ(3),
ADD COLUMN     "lastObservedAt" TIMESTAMPTZ(3),
ADD COLUMN     "managedBy" TEXT NOT NULL DEFAULT 'push',
ADD COLUMN     "observedSince" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "GitOpsOperation" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integrationId" UUID NOT NULL,
    "gitOpsAppId" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "status" "DeploymentStatus" NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),
    "revision" TEXT,
    "initiatedBy" TEXT,
    "automated" BOOLEAN NOT NULL,
    "selfHeal" BOOLEAN NOT NULL,
    "info" JSONB NOT NULL DEFAULT '{}',
    "message" TEXT,
    "images" TEXT[],
    "deploymentId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "GitOpsOperation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GitOpsOperation_gitOpsAppId_startedAt_idx" ON "GitOpsOperation"("gitOpsAppId", "startedAt");

-- CreateIndex
CREATE INDEX "GitOpsOperation_deploymentId_idx" ON "GitOpsOperation"("deploymentId");

-- CreateIndex
CREATE UNIQUE INDEX "GitOpsOperation_integrationId_externalId_key" ON "GitOpsOperation"("integrationId", "externalId");

-- AddForeignKey
ALTER TABLE "GitOpsOperation" ADD CONSTRAINT "GitOpsOperation_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GitOpsOperation" ADD CONSTRAINT "GitOpsOperation_gitOpsAppId_fkey" FOREIGN KEY ("gitOpsAppId") REFERENCES "GitOpsApp"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GitOpsOperation" ADD CONSTRAINT "GitOpsOperation_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment"("id") ON DELETE SET NULL ON UPDATE CASCADE;
