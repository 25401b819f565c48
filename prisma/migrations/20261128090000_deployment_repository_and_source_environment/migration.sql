-- A deployment remembers the repository that gave it its service, so binding that repository to
-- another service moves exactly its rows, and the environment name its source reported, so an
-- environment rule that renamed it can later be changed or removed.

-- AlterTable
ALTER TABLE "Deployment" ADD COLUMN "repositoryId" UUID,
ADD COLUMN "sourceEnvironment" TEXT;

-- CreateIndex
CREATE INDEX "Deployment_repositoryId_idx" ON "Deployment"("repositoryId");

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Backfill: until now every service had exactly one repository binding (by convention), so the
-- GitHub deployments of such a service came from that repository.
UPDATE "Deployment" AS d
SET "repositoryId" = r."id"
FROM "ServiceBinding" AS b
JOIN "Repository" AS r ON b."matchKey" = 'github:' || lower(r."fullName")
WHERE d."repositoryId" IS NULL
  AND d."source" IN ('GITHUB_DEPLOYMENT', 'GITHUB_WORKFLOW')
  AND b."serviceId" = d."serviceId"
  AND b."kind" = 'REPOSITORY'
  AND b."pathPrefix" = ''
  AND r."integrationId" = d."integrationId"
  AND (SELECT count(*) FROM "ServiceBinding" AS other WHERE other."serviceId" = b."serviceId" AND other."kind" = 'REPOSITORY') = 1;
