import type { DbTransaction } from "@/lib/db/client";
import { batchUpsert } from "@/lib/ingest/batch-upsert";
import type { CommitRecord, DeploymentRecord, IncidentRecord, PullRequestRecord, RepositoryRecord } from "@/lib/ingest/records";

/** Batched, idempotent upserts of GitHub records, keyed on outside ids, guarded by source time. */

export async function upsertRepositories(tx: DbTransaction, integrationId: string, records: RepositoryRecord[]): Promise<Map<string, string>> {
  await batchUpsert(
    tx,
    {
      table: "Repository",
      columns: [{ name: "integrationId", cast: "uuid" }, { name: "externalId" }, { name: "owner" }, { name: "name" }, { name: "fullName" }, { name: "defaultBranch" }, { name: "archived" }],
      values: (r: RepositoryRecord) => [integrationId, r.externalId, r.owner, r.name, r.fullName, r.defaultBranch, r.archived],
      conflict: ["integrationId", "externalId"],
    },
    records,
  );
  const rows = await tx.repository.findMany({ where: { integrationId, externalId: { in: records.map((r) => r.externalId) } }, select: { id: true, externalId: true } });
  return new Map(rows.map((row) => [row.externalId, row.id]));
}

export async function upsertCommits(tx: DbTransaction, integrationId: string, repositoryId: string, records: CommitRecord[]): Promise<number> {
  const unique = [...new Map(records.map((record) => [record.sha, record])).values()];
  return await batchUpsert(
    tx,
    {
      table: "Commit",
      columns: [
        { name: "integrationId", cast: "uuid" },
        { name: "repositoryId", cast: "uuid" },
        { name: "sha" },
        { name: "parentShas", cast: "text[]" },
        { name: "authoredAt", cast: "timestamptz" },
        { name: "committedAt", cast: "timestamptz" },
        { name: "authorName" },
        { name: "authorEmail" },
        { name: "authorLogin" },
        { name: "messageHeadline" },
        { name: "signatureVerified" },
      ],
      values: (c: CommitRecord) => [integrationId, repositoryId, c.sha, c.parentShas, c.authoredAt, c.committedAt, c.authorName, c.authorEmail, c.authorLogin, c.messageHeadline, c.signatureVerified],
      conflict: ["repositoryId", "sha"],
      touchesUpdatedAt: false,
    },
    unique,
  );
}

export async function upsertPullRequests(tx: DbTransaction, integrationId: string, repositoryId: string, records: PullRequestRecord[]): Promise<number> {
  const changed = await batchUpsert(
    tx,
    {
      table: "PullRequest",
      columns: [
        { name: "integrationId", cast: "uuid" },
        { name: "repositoryId", cast: "uuid" },
        { name: "externalId" },
        { name: "number", cast: "integer" },
        { name: "title" },
        { name: "state" },
        { name: "authorLogin" },
        { name: "baseBranch" },
        { name: "headBranch" },
        { name: "openedAt", cast: "timestamptz" },
        { name: "mergedAt", cast: "timestamptz" },
        { name: "closedAt", cast: "timestamptz" },
        { name: "mergeCommitSha" },
        { name: "firstCommitAt", cast: "timestamptz" },
        { name: "labels", cast: "text[]" },
        { name: "approvingReviewers", cast: "text[]" },
        { name: "sourceUpdatedAt", cast: "timestamptz" },
      ],
      values: (p: PullRequestRecord) => [
        integrationId,
        repositoryId,
        p.externalId,
        p.number,
        p.title,
        p.state,
        p.authorLogin,
        p.baseBranch,
        p.headBranch,
        p.openedAt,
        p.mergedAt,
        p.closedAt,
        p.mergeCommitSha,
        p.firstCommitAt,
        p.labels,
        p.approvingReviewers,
        p.sourceUpdatedAt,
      ],
      conflict: ["integrationId", "externalId"],
      newerBy: "sourceUpdatedAt",
    },
    records,
  );
  // A revert names the PR it reverts by number; link them, in one statement, once both rows exist.
  const reverts = records.filter((record) => record.revertsNumber !== null);
  if (reverts.length) {
    await tx.$executeRaw`UPDATE "PullRequest" AS revert SET "revertsPullRequestId" = target.id
      FROM unnest(${reverts.map((r) => r.externalId)}::text[], ${reverts.map((r) => r.revertsNumber!)}::int[]) AS link("externalId", "number"),
           "PullRequest" AS target
      WHERE revert."integrationId" = ${integrationId}::uuid AND revert."externalId" = link."externalId"
        AND target."repositoryId" = ${repositoryId}::uuid AND target."number" = link."number"
        AND revert."revertsPullRequestId" IS DISTINCT FROM target.id`;
  }
  return changed;
}

/** A deployment to upsert; records from the transforms carry the source's own environment name too. */
type DeploymentUpsert = DeploymentRecord & { sourceEnvironment?: string };

/**
 * Upserts deployments of one repository under the service its binding names today; with
 * `repositoryId` the rows remember that repository, so a later re-binding can move exactly them.
 */
export async function upsertDeployments(tx: DbTransaction, integrationId: string, serviceId: string, records: DeploymentUpsert[], repositoryId?: string): Promise<number> {
  const columns = [
    { name: "integrationId", cast: "uuid" },
    { name: "source", cast: '"DeploymentSource"' },
    { name: "externalId" },
    { name: "methodology", cast: '"Methodology"' },
    { name: "serviceId", cast: "uuid" },
    { name: "environment" },
    { name: "sourceEnvironment" },
    { name: "isProduction" },
    { name: "commitSha" },
    { name: "commitResolution", cast: '"CommitResolution"' },
    { name: "status", cast: '"DeploymentStatus"' },
    { name: "startedAt", cast: "timestamptz" },
    { name: "finishedAt", cast: "timestamptz" },
    { name: "initiatedBy" },
    { name: "sourceUpdatedAt", cast: "timestamptz" },
  ];
  const values = (d: DeploymentUpsert): unknown[] => [
    integrationId,
    d.source,
    d.externalId,
    "DEVOPS",
    serviceId,
    d.environment,
    d.sourceEnvironment ?? d.environment,
    d.isProduction,
    d.commitSha,
    "DEPLOYMENT_SHA",
    d.status,
    d.startedAt,
    d.finishedAt,
    d.initiatedBy,
    d.sourceUpdatedAt,
  ];
  // Without a repository the column is left out entirely, so an existing link is never cleared.
  return await batchUpsert(
    tx,
    {
      table: "Deployment",
      columns: repositoryId ? [...columns, { name: "repositoryId", cast: "uuid" }] : columns,
      values: repositoryId ? (d: DeploymentUpsert) => [...values(d), repositoryId] : values,
      conflict: ["integrationId", "source", "externalId"],
      newerBy: "sourceUpdatedAt",
    },
    records,
  );
}

export async function upsertIncidents(tx: DbTransaction, integrationId: string, repositoryId: string, serviceId: string, records: IncidentRecord[]): Promise<number> {
  return await batchUpsert(
    tx,
    {
      table: "Incident",
      columns: [
        { name: "integrationId", cast: "uuid" },
        { name: "externalId" },
        { name: "repositoryId", cast: "uuid" },
        { name: "number", cast: "integer" },
        { name: "title" },
        { name: "serviceId", cast: "uuid" },
        { name: "openedAt", cast: "timestamptz" },
        { name: "resolvedAt", cast: "timestamptz" },
        { name: "sourceUpdatedAt", cast: "timestamptz" },
      ],
      values: (i: IncidentRecord) => [integrationId, i.externalId, repositoryId, i.number, i.title, serviceId, i.openedAt, i.resolvedAt, i.sourceUpdatedAt],
      conflict: ["integrationId", "externalId"],
      newerBy: "sourceUpdatedAt",
    },
    records,
  );
}
