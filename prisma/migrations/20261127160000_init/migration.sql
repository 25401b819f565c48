-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Methodology" AS ENUM ('DEVOPS', 'GITOPS');

-- CreateEnum
CREATE TYPE "IntegrationKind" AS ENUM ('GITHUB', 'ARGOCD', 'FLUX_KUBERNETES');

-- CreateEnum
CREATE TYPE "IntegrationOrigin" AS ENUM ('ENV', 'DATABASE', 'SANDBOX');

-- CreateEnum
CREATE TYPE "IntegrationHealth" AS ENUM ('UNKNOWN', 'HEALTHY', 'DEGRADED', 'FAILING');

-- CreateEnum
CREATE TYPE "DeploymentSource" AS ENUM ('GITHUB_DEPLOYMENT', 'GITHUB_WORKFLOW', 'ARGOCD', 'FLUX');

-- CreateEnum
CREATE TYPE "DeploymentStatus" AS ENUM ('SUCCESS', 'FAILURE', 'IN_PROGRESS', 'CANCELLED');

-- CreateEnum
CREATE TYPE "CommitResolution" AS ENUM ('DEPLOYMENT_SHA', 'IMAGE_TAG', 'ANNOTATION', 'UNRESOLVED');

-- CreateEnum
CREATE TYPE "ChangeKind" AS ENUM ('PULL_REQUEST', 'DIRECT_PUSH');

-- CreateEnum
CREATE TYPE "IncidentAttribution" AS ENUM ('LINKED', 'WINDOW', 'NONE');

-- CreateEnum
CREATE TYPE "GitOpsKind" AS ENUM ('ARGOCD_APPLICATION', 'FLUX_KUSTOMIZATION', 'FLUX_HELMRELEASE');

-- CreateEnum
CREATE TYPE "BindingKind" AS ENUM ('REPOSITORY', 'GITOPS_APP', 'WORKLOAD', 'IMAGE');

-- CreateEnum
CREATE TYPE "BindingOrigin" AS ENUM ('CONVENTION', 'MANUAL');

-- CreateEnum
CREATE TYPE "DriftKind" AS ENUM ('PENDING_CHANGE', 'LIVE_DRIFT');

-- CreateEnum
CREATE TYPE "DriftEndReason" AS ENUM ('AUTO_HEAL', 'SYNC', 'NEW_DEPLOYMENT', 'SOURCE_REMOVED');

-- CreateEnum
CREATE TYPE "SyncRequestStatus" AS ENUM ('PENDING', 'APPROVED', 'EXECUTING', 'SUCCEEDED', 'FAILED', 'REJECTED', 'EXPIRED', 'SUPERSEDED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ApprovalDecision" AS ENUM ('APPROVE', 'REJECT');

-- CreateEnum
CREATE TYPE "IdentityKind" AS ENUM ('GITHUB', 'EMAIL', 'ARGOCD');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('VIEWER', 'ENGINEER', 'APPROVER', 'ADMIN');

-- CreateEnum
CREATE TYPE "IngestRunStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED', 'RESCHEDULED');

-- CreateEnum
CREATE TYPE "WebhookStatus" AS ENUM ('RECEIVED', 'PROCESSING', 'PROCESSED', 'FAILED');

-- CreateEnum
CREATE TYPE "ActorKind" AS ENUM ('PERSON', 'SYSTEM', 'SOURCE', 'ANONYMOUS');

-- CreateTable
CREATE TABLE "Team" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Service" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "teamId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Service_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceBinding" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "serviceId" UUID NOT NULL,
    "kind" "BindingKind" NOT NULL,
    "matchKey" TEXT NOT NULL,
    "pathPrefix" TEXT NOT NULL DEFAULT '',
    "integrationId" UUID,
    "origin" "BindingOrigin" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ServiceBinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnvironmentRule" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "matchOn" TEXT NOT NULL,
    "pattern" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "isProduction" BOOLEAN NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 100,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "EnvironmentRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "Integration" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" "IntegrationKind" NOT NULL,
    "name" TEXT NOT NULL,
    "origin" "IntegrationOrigin" NOT NULL,
    "baseUrl" TEXT NOT NULL,
    "credentialsEncrypted" BYTEA,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "health" "IntegrationHealth" NOT NULL DEFAULT 'UNKNOWN',
    "lastSyncedAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMPTZ(3),
    "observedSince" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Integration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Repository" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integrationId" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "fullName" TEXT NOT NULL,
    "defaultBranch" TEXT NOT NULL,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Repository_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Commit" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integrationId" UUID NOT NULL,
    "repositoryId" UUID NOT NULL,
    "sha" TEXT NOT NULL,
    "parentShas" TEXT[],
    "authoredAt" TIMESTAMPTZ(3) NOT NULL,
    "committedAt" TIMESTAMPTZ(3) NOT NULL,
    "authorName" TEXT,
    "authorEmail" TEXT,
    "authorLogin" TEXT,
    "authorPersonId" UUID,
    "messageHeadline" TEXT NOT NULL,
    "signatureVerified" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Commit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PullRequest" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integrationId" UUID NOT NULL,
    "repositoryId" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "authorLogin" TEXT,
    "authorPersonId" UUID,
    "baseBranch" TEXT NOT NULL,
    "headBranch" TEXT,
    "openedAt" TIMESTAMPTZ(3) NOT NULL,
    "mergedAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "mergeCommitSha" TEXT,
    "firstCommitAt" TIMESTAMPTZ(3),
    "labels" TEXT[],
    "approvingReviewers" TEXT[],
    "revertsPullRequestId" UUID,
    "sourceUpdatedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PullRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Deployment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integrationId" UUID NOT NULL,
    "source" "DeploymentSource" NOT NULL,
    "externalId" TEXT NOT NULL,
    "methodology" "Methodology" NOT NULL,
    "serviceId" UUID,
    "gitOpsAppId" UUID,
    "environment" TEXT NOT NULL,
    "isProduction" BOOLEAN NOT NULL,
    "commitSha" TEXT,
    "commitResolution" "CommitResolution" NOT NULL,
    "configRevision" TEXT,
    "status" "DeploymentStatus" NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),
    "initiatedBy" TEXT,
    "initiatedByPersonId" UUID,
    "reconstructed" BOOLEAN NOT NULL DEFAULT false,
    "previousDeploymentId" UUID,
    "isRollback" BOOLEAN NOT NULL DEFAULT false,
    "isRework" BOOLEAN NOT NULL DEFAULT false,
    "isFailedChange" BOOLEAN NOT NULL DEFAULT false,
    "remediatedById" UUID,
    "provisional" BOOLEAN NOT NULL DEFAULT false,
    "flagsComputedAt" TIMESTAMPTZ(3),
    "sourceUpdatedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Deployment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeploymentChange" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integrationId" UUID NOT NULL,
    "deploymentId" UUID NOT NULL,
    "kind" "ChangeKind" NOT NULL,
    "commitSha" TEXT NOT NULL,
    "pullRequestId" UUID,
    "firstCommitAt" TIMESTAMPTZ(3) NOT NULL,
    "openedAt" TIMESTAMPTZ(3),
    "mergedAt" TIMESTAMPTZ(3),
    "leadTimeSeconds" INTEGER,

    CONSTRAINT "DeploymentChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Incident" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integrationId" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "repositoryId" UUID,
    "number" INTEGER,
    "title" TEXT NOT NULL,
    "serviceId" UUID,
    "openedAt" TIMESTAMPTZ(3) NOT NULL,
    "resolvedAt" TIMESTAMPTZ(3),
    "deploymentId" UUID,
    "attribution" "IncidentAttribution" NOT NULL DEFAULT 'NONE',
    "sourceUpdatedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GitOpsApp" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integrationId" UUID NOT NULL,
    "kind" "GitOpsKind" NOT NULL,
    "externalId" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "serviceId" UUID,
    "repoUrl" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "targetRevision" TEXT NOT NULL,
    "syncStatus" TEXT NOT NULL,
    "healthStatus" TEXT NOT NULL,
    "syncedRevision" TEXT,
    "desiredRevision" TEXT,
    "autoSync" BOOLEAN NOT NULL,
    "suspended" BOOLEAN NOT NULL DEFAULT false,
    "driftObservable" BOOLEAN NOT NULL DEFAULT true,
    "sourceUpdatedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "GitOpsApp_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Workload" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integrationId" UUID NOT NULL,
    "cluster" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "serviceId" UUID,
    "images" TEXT[],
    "sourceUpdatedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Workload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DriftEpisode" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integrationId" UUID NOT NULL,
    "externalKey" TEXT NOT NULL,
    "kind" "DriftKind" NOT NULL,
    "serviceId" UUID,
    "gitOpsAppId" UUID,
    "workloadId" UUID,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3),
    "endReason" "DriftEndReason",
    "resources" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DriftEpisode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncRequest" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "gitOpsAppId" UUID NOT NULL,
    "revision" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "requesterPersonId" UUID NOT NULL,
    "status" "SyncRequestStatus" NOT NULL DEFAULT 'PENDING',
    "requiredApprovals" INTEGER NOT NULL DEFAULT 1,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "supersededById" UUID,
    "executionStartedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "syncedRevision" TEXT,
    "failureReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SyncRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncApproval" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "syncRequestId" UUID NOT NULL,
    "approverPersonId" UUID NOT NULL,
    "decision" "ApprovalDecision" NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SyncApproval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "seq" BIGSERIAL NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL,
    "dedupeKey" TEXT,
    "actorKind" "ActorKind" NOT NULL,
    "actorId" TEXT,
    "actorDisplay" TEXT NOT NULL,
    "personId" UUID,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "targetDisplay" TEXT,
    "serviceId" UUID,
    "outcome" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "source" TEXT NOT NULL,
    "requestId" TEXT,
    "clientIp" TEXT,
    "metadata" JSONB,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "AuditVerification" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "verifiedAt" TIMESTAMPTZ(3) NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "checkedEvents" INTEGER NOT NULL,
    "headSeq" BIGINT,
    "headHash" TEXT,
    "firstBrokenSeq" BIGINT,
    "problem" TEXT,

    CONSTRAINT "AuditVerification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "displayName" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PersonIdentity" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "personId" UUID NOT NULL,
    "kind" "IdentityKind" NOT NULL,
    "value" TEXT NOT NULL,
    "externalId" TEXT,
    "verified" BOOLEAN NOT NULL DEFAULT false,
    "manual" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PersonIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "emailVerified" BOOLEAN NOT NULL DEFAULT false,
    "image" TEXT,
    "role" "Role" NOT NULL DEFAULT 'VIEWER',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "personId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "token" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "ipAddress" TEXT,
    "userAgent" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Account" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "userId" UUID NOT NULL,
    "providerId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "accessToken" TEXT,
    "refreshToken" TEXT,
    "idToken" TEXT,
    "accessTokenExpiresAt" TIMESTAMPTZ(3),
    "refreshTokenExpiresAt" TIMESTAMPTZ(3),
    "scope" TEXT,
    "password" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Verification" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "identifier" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Verification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IngestRun" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integrationId" UUID NOT NULL,
    "job" TEXT NOT NULL,
    "status" "IngestRunStatus" NOT NULL DEFAULT 'RUNNING',
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),
    "itemsProcessed" INTEGER NOT NULL DEFAULT 0,
    "itemsTotal" INTEGER,
    "cursor" JSONB,
    "error" TEXT,
    "rescheduledFor" TIMESTAMPTZ(3),

    CONSTRAINT "IngestRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SourceCursor" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "integrationId" UUID NOT NULL,
    "scope" TEXT NOT NULL,
    "position" JSONB NOT NULL DEFAULT '{}',
    "etag" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SourceCursor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "deliveryId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "action" TEXT,
    "integrationId" UUID,
    "status" "WebhookStatus" NOT NULL DEFAULT 'RECEIVED',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "payload" JSONB NOT NULL,
    "error" TEXT,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,
    "processedAt" TIMESTAMPTZ(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Team_slug_key" ON "Team"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Service_slug_key" ON "Service"("slug");

-- CreateIndex
CREATE INDEX "Service_teamId_idx" ON "Service"("teamId");

-- CreateIndex
CREATE INDEX "ServiceBinding_serviceId_idx" ON "ServiceBinding"("serviceId");

-- CreateIndex
CREATE INDEX "ServiceBinding_integrationId_idx" ON "ServiceBinding"("integrationId");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceBinding_kind_matchKey_pathPrefix_key" ON "ServiceBinding"("kind", "matchKey", "pathPrefix");

-- CreateIndex
CREATE UNIQUE INDEX "EnvironmentRule_matchOn_pattern_key" ON "EnvironmentRule"("matchOn", "pattern");

-- CreateIndex
CREATE UNIQUE INDEX "Integration_kind_name_key" ON "Integration"("kind", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Repository_integrationId_externalId_key" ON "Repository"("integrationId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Repository_integrationId_fullName_key" ON "Repository"("integrationId", "fullName");

-- CreateIndex
CREATE INDEX "Commit_integrationId_idx" ON "Commit"("integrationId");

-- CreateIndex
CREATE INDEX "Commit_authorPersonId_idx" ON "Commit"("authorPersonId");

-- CreateIndex
CREATE UNIQUE INDEX "Commit_repositoryId_sha_key" ON "Commit"("repositoryId", "sha");

-- CreateIndex
CREATE INDEX "PullRequest_repositoryId_mergeCommitSha_idx" ON "PullRequest"("repositoryId", "mergeCommitSha");

-- CreateIndex
CREATE INDEX "PullRequest_repositoryId_mergedAt_idx" ON "PullRequest"("repositoryId", "mergedAt");

-- CreateIndex
CREATE INDEX "PullRequest_authorPersonId_idx" ON "PullRequest"("authorPersonId");

-- CreateIndex
CREATE UNIQUE INDEX "PullRequest_integrationId_externalId_key" ON "PullRequest"("integrationId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "PullRequest_repositoryId_number_key" ON "PullRequest"("repositoryId", "number");

-- CreateIndex
CREATE INDEX "Deployment_serviceId_environment_finishedAt_idx" ON "Deployment"("serviceId", "environment", "finishedAt");

-- CreateIndex
CREATE INDEX "Deployment_isProduction_finishedAt_idx" ON "Deployment"("isProduction", "finishedAt");

-- CreateIndex
CREATE INDEX "Deployment_methodology_isProduction_finishedAt_idx" ON "Deployment"("methodology", "isProduction", "finishedAt");

-- CreateIndex
CREATE INDEX "Deployment_gitOpsAppId_startedAt_idx" ON "Deployment"("gitOpsAppId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Deployment_integrationId_source_externalId_key" ON "Deployment"("integrationId", "source", "externalId");

-- CreateIndex
CREATE INDEX "DeploymentChange_pullRequestId_idx" ON "DeploymentChange"("pullRequestId");

-- CreateIndex
CREATE INDEX "DeploymentChange_integrationId_idx" ON "DeploymentChange"("integrationId");

-- CreateIndex
CREATE UNIQUE INDEX "DeploymentChange_deploymentId_commitSha_key" ON "DeploymentChange"("deploymentId", "commitSha");

-- CreateIndex
CREATE INDEX "Incident_serviceId_openedAt_idx" ON "Incident"("serviceId", "openedAt");

-- CreateIndex
CREATE INDEX "Incident_deploymentId_idx" ON "Incident"("deploymentId");

-- CreateIndex
CREATE UNIQUE INDEX "Incident_integrationId_externalId_key" ON "Incident"("integrationId", "externalId");

-- CreateIndex
CREATE INDEX "GitOpsApp_serviceId_idx" ON "GitOpsApp"("serviceId");

-- CreateIndex
CREATE UNIQUE INDEX "GitOpsApp_integrationId_kind_cluster_namespace_name_key" ON "GitOpsApp"("integrationId", "kind", "cluster", "namespace", "name");

-- CreateIndex
CREATE UNIQUE INDEX "GitOpsApp_integrationId_externalId_key" ON "GitOpsApp"("integrationId", "externalId");

-- CreateIndex
CREATE INDEX "Workload_serviceId_idx" ON "Workload"("serviceId");

-- CreateIndex
CREATE UNIQUE INDEX "Workload_integrationId_cluster_namespace_name_key" ON "Workload"("integrationId", "cluster", "namespace", "name");

-- CreateIndex
CREATE INDEX "DriftEpisode_serviceId_startedAt_idx" ON "DriftEpisode"("serviceId", "startedAt");

-- CreateIndex
CREATE INDEX "DriftEpisode_gitOpsAppId_startedAt_idx" ON "DriftEpisode"("gitOpsAppId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "DriftEpisode_integrationId_externalKey_key" ON "DriftEpisode"("integrationId", "externalKey");

-- CreateIndex
CREATE INDEX "SyncRequest_gitOpsAppId_status_idx" ON "SyncRequest"("gitOpsAppId", "status");

-- CreateIndex
CREATE INDEX "SyncRequest_status_createdAt_idx" ON "SyncRequest"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SyncApproval_syncRequestId_approverPersonId_key" ON "SyncApproval"("syncRequestId", "approverPersonId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_dedupeKey_key" ON "AuditEvent"("dedupeKey");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_prevHash_key" ON "AuditEvent"("prevHash");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_hash_key" ON "AuditEvent"("hash");

-- CreateIndex
CREATE INDEX "AuditEvent_occurredAt_idx" ON "AuditEvent"("occurredAt");

-- CreateIndex
CREATE INDEX "AuditEvent_serviceId_occurredAt_idx" ON "AuditEvent"("serviceId", "occurredAt");

-- CreateIndex
CREATE INDEX "AuditEvent_personId_occurredAt_idx" ON "AuditEvent"("personId", "occurredAt");

-- CreateIndex
CREATE INDEX "AuditEvent_action_occurredAt_idx" ON "AuditEvent"("action", "occurredAt");

-- CreateIndex
CREATE INDEX "AuditVerification_verifiedAt_idx" ON "AuditVerification"("verifiedAt");

-- CreateIndex
CREATE INDEX "PersonIdentity_personId_idx" ON "PersonIdentity"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "PersonIdentity_kind_value_key" ON "PersonIdentity"("kind", "value");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "User_personId_key" ON "User"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "Session_token_key" ON "Session"("token");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE INDEX "Account_userId_idx" ON "Account"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Account_providerId_accountId_key" ON "Account"("providerId", "accountId");

-- CreateIndex
CREATE INDEX "Verification_identifier_idx" ON "Verification"("identifier");

-- CreateIndex
CREATE INDEX "IngestRun_integrationId_startedAt_idx" ON "IngestRun"("integrationId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SourceCursor_integrationId_scope_key" ON "SourceCursor"("integrationId", "scope");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_deliveryId_key" ON "WebhookDelivery"("deliveryId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_receivedAt_idx" ON "WebhookDelivery"("status", "receivedAt");

-- AddForeignKey
ALTER TABLE "Service" ADD CONSTRAINT "Service_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceBinding" ADD CONSTRAINT "ServiceBinding_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceBinding" ADD CONSTRAINT "ServiceBinding_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Repository" ADD CONSTRAINT "Repository_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commit" ADD CONSTRAINT "Commit_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commit" ADD CONSTRAINT "Commit_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commit" ADD CONSTRAINT "Commit_authorPersonId_fkey" FOREIGN KEY ("authorPersonId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequest" ADD CONSTRAINT "PullRequest_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequest" ADD CONSTRAINT "PullRequest_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequest" ADD CONSTRAINT "PullRequest_authorPersonId_fkey" FOREIGN KEY ("authorPersonId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PullRequest" ADD CONSTRAINT "PullRequest_revertsPullRequestId_fkey" FOREIGN KEY ("revertsPullRequestId") REFERENCES "PullRequest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_gitOpsAppId_fkey" FOREIGN KEY ("gitOpsAppId") REFERENCES "GitOpsApp"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_initiatedByPersonId_fkey" FOREIGN KEY ("initiatedByPersonId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_previousDeploymentId_fkey" FOREIGN KEY ("previousDeploymentId") REFERENCES "Deployment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_remediatedById_fkey" FOREIGN KEY ("remediatedById") REFERENCES "Deployment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentChange" ADD CONSTRAINT "DeploymentChange_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentChange" ADD CONSTRAINT "DeploymentChange_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentChange" ADD CONSTRAINT "DeploymentChange_pullRequestId_fkey" FOREIGN KEY ("pullRequestId") REFERENCES "PullRequest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_repositoryId_fkey" FOREIGN KEY ("repositoryId") REFERENCES "Repository"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GitOpsApp" ADD CONSTRAINT "GitOpsApp_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GitOpsApp" ADD CONSTRAINT "GitOpsApp_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Workload" ADD CONSTRAINT "Workload_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Workload" ADD CONSTRAINT "Workload_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DriftEpisode" ADD CONSTRAINT "DriftEpisode_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DriftEpisode" ADD CONSTRAINT "DriftEpisode_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DriftEpisode" ADD CONSTRAINT "DriftEpisode_gitOpsAppId_fkey" FOREIGN KEY ("gitOpsAppId") REFERENCES "GitOpsApp"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DriftEpisode" ADD CONSTRAINT "DriftEpisode_workloadId_fkey" FOREIGN KEY ("workloadId") REFERENCES "Workload"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncRequest" ADD CONSTRAINT "SyncRequest_gitOpsAppId_fkey" FOREIGN KEY ("gitOpsAppId") REFERENCES "GitOpsApp"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncRequest" ADD CONSTRAINT "SyncRequest_requesterPersonId_fkey" FOREIGN KEY ("requesterPersonId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncRequest" ADD CONSTRAINT "SyncRequest_supersededById_fkey" FOREIGN KEY ("supersededById") REFERENCES "SyncRequest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncApproval" ADD CONSTRAINT "SyncApproval_syncRequestId_fkey" FOREIGN KEY ("syncRequestId") REFERENCES "SyncRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncApproval" ADD CONSTRAINT "SyncApproval_approverPersonId_fkey" FOREIGN KEY ("approverPersonId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PersonIdentity" ADD CONSTRAINT "PersonIdentity_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Account" ADD CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IngestRun" ADD CONSTRAINT "IngestRun_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SourceCursor" ADD CONSTRAINT "SourceCursor_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;
