import { subDays } from "date-fns";
import { type AppendAuditInput, appendAuditMany } from "@/lib/audit/append-audit";
import type { Clock } from "@/lib/clock";
import type { Db, DbTransaction } from "@/lib/db/client";
import { boundServiceId, ensureRepositoryServices, lockCatalogForIngest } from "@/lib/ingest/catalog";
import { mapWithConcurrency } from "@/lib/ingest/concurrency";
import { readCursor, writeCursor } from "@/lib/ingest/cursors";
import { deploymentAuditEvents, incidentAuditEvents, pullRequestAuditEvents } from "@/lib/ingest/github/audit-events";
import { upsertCommits, upsertDeployments, upsertIncidents, upsertPullRequests, upsertRepositories } from "@/lib/ingest/github/upsert-github";
import { type ClassifiedDeploymentRecord, environmentRulesFingerprint, loadEnvironmentRules, reclassifyRecord } from "@/lib/ingest/environment-rules";
import type { PullRequestRecord, RepositoryRecord } from "@/lib/ingest/records";
import type { RawCommit } from "@/lib/sources/github/types";
import type { GithubClient } from "@/lib/sources/github/client";
import { GithubRateLimitedError } from "@/lib/sources/github/errors";
import {
  type ListWindow,
  type RepoRef,
  fetchBranchCommitsSince,
  fetchDeploymentStatuses,
  fetchDeploymentsSince,
  fetchIncidentIssuesSince,
  fetchOrgRepositories,
  fetchPullRequestCommits,
  fetchPullRequestReviews,
  fetchPullRequestsUpdatedSince,
  fetchRepository,
  fetchWorkflowRunsSince,
  fetchWorkflows,
} from "@/lib/sources/github/fetch-repository-data";
import { type EnvironmentRules, isDeployWorkflow, transformCommit, transformDeployment, transformIncident, transformPullRequest, transformRepository, transformWorkflowRun } from "@/lib/sources/github/transform";

export interface GithubSyncConfig {
  integrationId: string;
  /** Read every repository of this organisation… */
  org: string | null;
  /** …or exactly these `owner/name` repositories. */
  repositories: string[];
  backfillDays: number;
  environments: EnvironmentRules;
}

export interface GithubSyncDeps {
  db: Db;
  client: GithubClient;
  clock: Clock;
  onProgress?: (progress: { done: number; total: number; repository: string | null }) => void;
  /**
   * Runs after the last repository and before the run is marked done, so whoever sees a finished
   * run (Settings, tests, the CLI) also sees the data derived from it.
   */
  afterIngest?: () => Promise<void>;
}

export interface GithubSyncSummary {
  runId: string;
  repositories: number;
  upserted: { pullRequests: number; commits: number; deployments: number; incidents: number };
}

/** A list's cursor: the query start in its URL and how far the last sync got. */
interface ListPosition {
  querySince: string;
  watermark: string;
}

interface KnownRepository extends RepositoryRecord {
  id: string;
  /** Null for a GitOps config repository (`isConfigRepository`): it is no service. */
  serviceId: string | null;
}

/** Detail requests in flight at once within one repository. */
const DETAIL_CONCURRENCY = 6;

/** Items per committed chunk of a large list (a chunk of merged PRs costs two requests each). */
const CHUNK = 50;

// Interactive transactions on the embedded database hold its single session; keep them short and bounded.
const TX = { timeout: 120_000, maxWait: 30_000 } as const;

/**
 * One sync of a GitHub integration: repositories, then per repository its pull requests, default
 * branch commits, deployments, deploy workflow runs and incident issues. Each resource commits its
 * rows together with its cursor, so a crash resumes where the last commit left off and a rerun ends
 * with the same data. A rate limit aborts the run with `GithubRateLimitedError`, for rescheduling.
 */
export async function syncGithub(deps: GithubSyncDeps, config: GithubSyncConfig): Promise<GithubSyncSummary> {
  const { db, clock } = deps;
  const startedAt = clock.now();
  const run = await db.ingestRun.create({ data: { integrationId: config.integrationId, job: "github.sync", status: "RUNNING", startedAt } });
  const summary: GithubSyncSummary = { runId: run.id, repositories: 0, upserted: { pullRequests: 0, commits: 0, deployments: 0, incidents: 0 } };
  try {
    const repositories = await syncRepositories(deps, config);
    summary.repositories = repositories.length;
    // A run that follows an interrupted one (rate limit, crash) carries on where it stopped, instead
    // of walking the repositories it had finished again.
    const completed = await inheritedProgress(db, config.integrationId, run.id);
    await db.ingestRun.update({ where: { id: run.id }, data: { itemsTotal: repositories.length, itemsProcessed: completed.length, cursor: { completedRepositories: completed } } });
    deps.onProgress?.({ done: completed.length, total: repositories.length, repository: null });
    const windowStart = subDays(startedAt, config.backfillDays);
    for (const repository of repositories) {
      if (completed.includes(repository.fullName)) continue;
      const counts = await syncRepository(deps, config, repository, windowStart);
      for (const key of Object.keys(counts) as (keyof typeof counts)[]) summary.upserted[key] += counts[key];
      completed.push(repository.fullName);
      await db.ingestRun.update({ where: { id: run.id }, data: { itemsProcessed: completed.length, cursor: { completedRepositories: completed } } });
      deps.onProgress?.({ done: completed.length, total: repositories.length, repository: repository.fullName });
    }
    await deps.afterIngest?.();
    const finishedAt = clock.now();
    await db.$transaction([
      db.ingestRun.update({ where: { id: run.id }, data: { status: "SUCCEEDED", finishedAt } }),
      db.integration.update({ where: { id: config.integrationId }, data: { lastSyncedAt: finishedAt, health: "HEALTHY", lastError: null, lastErrorAt: null } }),
      db.integration.updateMany({ where: { id: config.integrationId, observedSince: null }, data: { observedSince: windowStart } }),
    ]);
    return summary;
  } catch (error) {
    const at = clock.now();
    const rateLimited = error instanceof GithubRateLimitedError;
    const message = error instanceof Error ? error.message : String(error);
    await db.$transaction([
      db.ingestRun.update({ where: { id: run.id }, data: { status: rateLimited ? "RESCHEDULED" : "FAILED", finishedAt: at, error: message, rescheduledFor: rateLimited ? error.retryAt : null } }),
      db.integration.update({ where: { id: config.integrationId }, data: { health: rateLimited ? "DEGRADED" : "FAILING", lastError: message, lastErrorAt: at } }),
    ]);
    throw error;
  }
}

/** Repositories finished by the previous run when it did not complete; empty after a complete run. */
async function inheritedProgress(db: Db, integrationId: string, currentRunId: string): Promise<string[]> {
  const previous = await db.ingestRun.findFirst({ where: { integrationId, job: "github.sync", id: { not: currentRunId } }, orderBy: { startedAt: "desc" } });
  if (!previous || previous.status === "SUCCEEDED") return [];
  const cursor = previous.cursor as { completedRepositories?: unknown } | null;
  return Array.isArray(cursor?.completedRepositories) ? cursor.completedRepositories.filter((name): name is string => typeof name === "string") : [];
}

async function syncRepositories(deps: GithubSyncDeps, config: GithubSyncConfig): Promise<KnownRepository[]> {
  const { db, client } = deps;
  // Each list or repository is read conditionally; only what changed is written, with its new ETag.
  const changed: { records: RepositoryRecord[]; scope: string; etag: string | null }[] = [];
  if (config.org) {
    const scope = `org:${config.org}:repositories`;
    const cursor = await readCursor(db, config.integrationId, scope);
    const result = await fetchOrgRepositories(client, config.org, cursor.etag);
    if (result.changed) changed.push({ records: result.items.map(transformRepository), scope, etag: result.etag });
  } else {
    for (const fullName of config.repositories) {
      const [owner, name] = fullName.split("/") as [string, string];
      const scope = `repository:${fullName.toLowerCase()}`;
      const cursor = await readCursor(db, config.integrationId, scope);
      const result = await fetchRepository(client, { owner, name }, cursor.etag);
      if (result.changed) changed.push({ records: [transformRepository(result.data)], scope, etag: result.etag });
    }
  }
  if (changed.length) {
    await db.$transaction(async (tx) => {
      // Archived ones are written too, so a repository archived on GitHub stops being synced.
      await upsertRepositories(tx, config.integrationId, changed.flatMap((item) => item.records));
      for (const item of changed) await writeCursor(tx, config.integrationId, item.scope, { position: { count: item.records.length }, etag: item.etag });
    }, TX);
  }
  const rows = await db.repository.findMany({ where: { integrationId: config.integrationId, archived: false }, orderBy: { fullName: "asc" } });
  const wanted = config.org ? null : new Set(config.repositories.map((name) => name.toLowerCase()));
  const selected = rows.filter((row) => !wanted || wanted.has(row.fullName.toLowerCase()));
  // Topics are known only for repositories read just now; they name the team of a service created by convention.
  const topics = new Map(changed.flatMap((item) => item.records).map((record) => [record.fullName, record.topics]));
  const services = await db.$transaction(
    (tx) => ensureRepositoryServices(tx, config.integrationId, selected.map((row) => ({ fullName: row.fullName, name: row.name, topics: topics.get(row.fullName) ?? [] }))),
    TX,
  );
  // Repositories left without a service are config repositories (catalog.ts decides).
  return selected.map((row) => ({ ...row, topics: topics.get(row.fullName) ?? [], serviceId: services.get(row.fullName) ?? null }));
}

type Counts = GithubSyncSummary["upserted"];

async function syncRepository(deps: GithubSyncDeps, config: GithubSyncConfig, known: KnownRepository, windowStart: Date): Promise<Counts> {
  // A config repository: only its default branch's commits, kept for rebuilding GitOps deployments
  // from its history. Its PRs, deployments, runs and issues would be a service's (changes, audit
  // events, metrics), and it is none.
  if (known.serviceId === null) return await syncCommitsOnly(deps, config, known, windowStart);
  const repository = { ...known, serviceId: known.serviceId };
  const ref: RepoRef = { owner: repository.owner, name: repository.name };
  const counts: Counts = { pullRequests: 0, commits: 0, deployments: 0, incidents: 0 };
  const scope = (resource: string) => `repo:${repository.externalId}:${resource}`;
  // Where each list is read from: a stable query start (re-anchored only when it falls a week behind the
  // backfill window, which costs one full read) and the watermark the last sync reached.
  const windowOf = (cursor: { position: ListPosition | null; etag: string | null }) => listWindowOf(cursor, windowStart);
  const positionOf = (window: ListWindow, watermark: Date): ListPosition => ({ querySince: window.querySince.toISOString(), watermark: watermark.toISOString() });
  const { db, client } = deps;
  const { integrationId } = config;

  // Pull requests; merged ones also need their commits (lead time) and reviews (four eyes). Listed newest
  // update first, processed oldest first in chunks, each committed with its cursor: a rate limit or a
  // crash in the middle of a large backfill loses at most one chunk.
  {
    const { window, etag } = windowOf(await readCursor<ListPosition>(db, integrationId, scope("pulls")));
    const result = await fetchPullRequestsUpdatedSince(client, ref, window, etag);
    if (result.changed) {
      const oldestFirst = [...result.items].reverse();
      for (let start = 0; start < oldestFirst.length || start === 0; start += CHUNK) {
        const chunk = oldestFirst.slice(start, start + CHUNK);
        const last = start + CHUNK >= oldestFirst.length;
        const detailed: { commits: RawCommit[] | null; record: PullRequestRecord }[] = await mapWithConcurrency(chunk, DETAIL_CONCURRENCY, async (raw) => {
          const merged = !!raw.merged_at;
          const [commits, reviews] = merged ? await Promise.all([fetchPullRequestCommits(client, ref, raw.number), fetchPullRequestReviews(client, ref, raw.number)]) : [null, null];
          return { commits, record: transformPullRequest(raw, { fullName: repository.fullName, commits, reviews }) };
        });
        const records = detailed.map((item) => item.record);
        const newest = records.at(-1)?.sourceUpdatedAt ?? window.watermark;
        await db.$transaction(async (tx) => {
          // Merge events name the service the repository is bound to now, as deployments and incidents do:
          // an admin may have re-bound it since the run resolved its service.
          await lockCatalogForIngest(tx);
          const serviceId = (await boundServiceId(tx, repository.fullName)) ?? repository.serviceId;
          counts.pullRequests += await upsertPullRequests(tx, integrationId, repository.id, records);
          counts.commits += await upsertCommits(tx, integrationId, repository.id, detailed.flatMap((item) => (item.commits ?? []).map(transformCommit)));
          await appendAuditMany(tx, sortEvents(records.flatMap((record) => pullRequestAuditEvents(record, { serviceId, repository: repository.fullName, defaultBranch: repository.defaultBranch }))));
          // The ETag only once the whole list is in: an interrupted run must not see the list as unchanged.
          await writeCursor(tx, integrationId, scope("pulls"), { position: { ...positionOf(window, newest) }, etag: last ? result.etag : null });
        }, TX);
      }
    }
  }

  // Commits on the default branch (direct pushes, merge and squash commits, signatures).
  counts.commits += await syncDefaultBranchCommits(deps, config, repository, windowStart);

  // GitHub Deployments. Statuses are read only for deployments that are new or changed since last time;
  // processed oldest first in chunks, like pull requests.
  {
    const { window, etag } = windowOf(await readCursor<ListPosition>(db, integrationId, scope("deployments")));
    const result = await fetchDeploymentsSince(client, ref, window, etag);
    if (result.changed) {
      const known = await db.deployment.findMany({
        where: { integrationId, source: "GITHUB_DEPLOYMENT", externalId: { in: result.items.map((raw) => String(raw.id)) } },
        select: { externalId: true, status: true, sourceUpdatedAt: true },
      });
      const knownById = new Map(known.map((row) => [row.externalId, row]));
      const oldestFirst = [...result.items].reverse();
      const seen: { createdAt: Date; open: boolean }[] = [];
      // At least one pass, so an empty but changed list still stores its new ETag.
      for (let start = 0; start < oldestFirst.length || start === 0; start += CHUNK) {
        const chunk = oldestFirst.slice(start, start + CHUNK);
        const last = start + CHUNK >= oldestFirst.length;
        const unchanged = (raw: (typeof chunk)[number]) => {
          const stored = knownById.get(String(raw.id));
          return !!stored && stored.status !== "IN_PROGRESS" && stored.sourceUpdatedAt >= new Date(raw.updated_at);
        };
        const toRead = chunk.filter((raw) => !unchanged(raw));
        const records: ClassifiedDeploymentRecord[] = await mapWithConcurrency(toRead, DETAIL_CONCURRENCY, async (raw) =>
          transformDeployment(raw, await fetchDeploymentStatuses(client, ref, Number(raw.id)), config.environments),
        );
        for (const raw of chunk) seen.push({ createdAt: new Date(raw.created_at), open: isOpen(records, String(raw.id), knownById.get(String(raw.id))?.status) });
        await commitDeployments(deps, config, repository, records, scope("deployments"), positionOf(window, nextOpenSince(seen, window.watermark)), last ? result.etag : null, counts);
      }
    }
  }

  // Deploy workflow runs, for repositories that deploy from Actions instead of Deployments.
  {
    const listCursor = await readCursor<{ workflows: { id: number; name: string; path: string }[] }>(db, integrationId, scope("workflows"));
    const list = await fetchWorkflows(client, ref, listCursor.etag);
    const workflows = list.changed ? list.items.filter(isDeployWorkflow).map((w) => ({ id: w.id, name: w.name, path: w.path })) : (listCursor.position?.workflows ?? []);
    if (list.changed) {
      await db.$transaction((tx) => writeCursor(tx, integrationId, scope("workflows"), { position: { workflows }, etag: list.etag }), TX);
    }
    for (const workflow of workflows) {
      const runScope = scope(`workflow:${workflow.id}:runs`);
      const { window, etag } = windowOf(await readCursor<ListPosition>(db, integrationId, runScope));
      const result = await fetchWorkflowRunsSince(client, ref, workflow.id, window, etag);
      if (!result.changed) continue;
      const records = result.items.map((raw) => transformWorkflowRun(raw, workflow, config.environments));
      const openSince = nextOpenSince(result.items.map((raw, index) => ({ createdAt: new Date(raw.created_at), open: records[index]!.status === "IN_PROGRESS" })), window.watermark);
      await commitDeployments(deps, config, repository, records, runScope, positionOf(window, openSince), result.etag, counts);
    }
  }

  // Incidents: issues labelled `incident`.
  {
    const { window, etag } = windowOf(await readCursor<ListPosition>(db, integrationId, scope("incidents")));
    const result = await fetchIncidentIssuesSince(client, ref, window, etag);
    if (result.changed) {
      const records = result.items.map(transformIncident).sort((a, b) => a.sourceUpdatedAt.getTime() - b.sourceUpdatedAt.getTime());
      const newest = records.at(-1)?.sourceUpdatedAt ?? window.watermark;
      await db.$transaction(async (tx) => {
        await lockCatalogForIngest(tx);
        const serviceId = (await boundServiceId(tx, repository.fullName)) ?? repository.serviceId;
        counts.incidents += await upsertIncidents(tx, integrationId, repository.id, serviceId, records);
        await appendAuditMany(tx, sortEvents(records.flatMap((record) => incidentAuditEvents(record, { serviceId, repository: repository.fullName }))));
        await writeCursor(tx, integrationId, scope("incidents"), { position: { ...positionOf(window, newest) }, etag: result.etag });
      }, TX);
    }
  }
  return counts;
}

/** A config repository's sync: its default branch's commits, nothing a service would own. */
async function syncCommitsOnly(deps: GithubSyncDeps, config: GithubSyncConfig, repository: KnownRepository, windowStart: Date): Promise<Counts> {
  return { pullRequests: 0, commits: await syncDefaultBranchCommits(deps, config, repository, windowStart), deployments: 0, incidents: 0 };
}

/** Where a list's next read starts: a stable query start (re-anchored only when it falls a week behind the window) and the watermark. */
function listWindowOf(cursor: { position: ListPosition | null; etag: string | null }, windowStart: Date): { window: ListWindow; etag: string | null } {
  const stored = cursor.position?.querySince ? new Date(cursor.position.querySince) : null;
  const querySince = stored && stored >= subDays(windowStart, 7) ? stored : windowStart;
  const watermark = cursor.position?.watermark ? new Date(cursor.position.watermark) : querySince;
  return { window: { querySince, watermark: watermark < querySince ? querySince : watermark }, etag: stored && querySince === stored ? cursor.etag : null };
}

/** Commits on the default branch since the list's cursor, upserted with it; returns how many rows changed. */
async function syncDefaultBranchCommits(deps: GithubSyncDeps, config: GithubSyncConfig, repository: KnownRepository, windowStart: Date): Promise<number> {
  const { db, client } = deps;
  const { integrationId } = config;
  const scope = `repo:${repository.externalId}:commits:${repository.defaultBranch}`;
  const { window, etag } = listWindowOf(await readCursor<ListPosition>(db, integrationId, scope), windowStart);
  const result = await fetchBranchCommitsSince(client, { owner: repository.owner, name: repository.name }, repository.defaultBranch, window, etag);
  if (!result.changed) return 0;
  const records = result.items.map(transformCommit);
  const newest = records.reduce((max, record) => (record.committedAt > max ? record.committedAt : max), window.watermark);
  return await db.$transaction(async (tx) => {
    const upserted = await upsertCommits(tx, integrationId, repository.id, records);
    await writeCursor(tx, integrationId, scope, { position: { querySince: window.querySince.toISOString(), watermark: newest.toISOString() }, etag: result.etag });
    return upserted;
  }, TX);
}

function isOpen(records: ClassifiedDeploymentRecord[], externalId: string, storedStatus: string | undefined): boolean {
  const record = records.find((r) => r.externalId === externalId);
  return (record?.status ?? storedStatus) === "IN_PROGRESS";
}

/**
 * Where the next sync must start reading a newest-first list: at the oldest item still in progress
 * (its final state is yet to come), else at the newest item seen.
 */
export function nextOpenSince(items: { createdAt: Date; open: boolean }[], previous: Date): Date {
  const open = items.filter((item) => item.open).map((item) => item.createdAt.getTime());
  if (open.length) return new Date(Math.min(...open));
  const newest = items.map((item) => item.createdAt.getTime());
  return newest.length ? new Date(Math.max(...newest)) : previous;
}

async function commitDeployments(deps: GithubSyncDeps, config: GithubSyncConfig, repository: KnownRepository & { serviceId: string }, records: ClassifiedDeploymentRecord[], scope: string, position: ListPosition, etag: string | null, counts: Counts): Promise<void> {
  const sorted = [...records].sort((a, b) => a.sourceUpdatedAt.getTime() - b.sourceUpdatedAt.getTime());
  await deps.db.$transaction(async (tx: DbTransaction) => {
    // An admin may have re-bound the repository or changed a rule since the run began: write under
    // what holds now, which the catalog lock keeps steady until this transaction commits.
    await lockCatalogForIngest(tx);
    const serviceId = (await boundServiceId(tx, repository.fullName)) ?? repository.serviceId;
    const rules = await loadEnvironmentRules(tx, config.environments.production.source);
    const ordered = environmentRulesFingerprint(rules) === environmentRulesFingerprint(config.environments) ? sorted : sorted.map((record) => reclassifyRecord(record, rules));
    counts.deployments += await upsertDeployments(tx, config.integrationId, serviceId, ordered, repository.id);
    await appendAuditMany(tx, sortEvents(ordered.flatMap((record) => deploymentAuditEvents(record, { serviceId, repository: repository.fullName }))));
    await writeCursor(tx, config.integrationId, scope, { position: { ...position }, etag });
  }, TX);
}

function sortEvents(events: AppendAuditInput[]): AppendAuditInput[] {
  return events.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}
