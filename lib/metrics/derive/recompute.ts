import type { Clock } from "@/lib/clock";
import type { Db, DbTransaction } from "@/lib/db/client";
import { type DerivedChange, type MergedPullRequest, type SetCommit, changesOfSet } from "@/lib/metrics/derive/change-sets";
import { recordPendingTargetsIn } from "@/lib/metrics/rollups";
import { type ChainAttempt, type ChainIncident, type ChainPullRequest, type DeploymentFlags, HOTFIX_LABEL, INCIDENT_WINDOW_MS, chainOrder, deriveChainFlags } from "@/lib/metrics/derive/flags";

/**
 * Derived delivery data (DESIGN §3): per production chain — one (service, environment) — each
 * deployment's previous successful deployment, its change set (DeploymentChange rows), the rollback,
 * rework, failed-change and provisional flags, and the incidents' attribution. Derived data is not
 * delivery state: nothing here writes audit events, and source `updatedAt` columns are left alone
 * so that "touched by a sync" keeps meaning touched by a source.
 */

export type DeriveScope = { all: true } | { integrationId: string } | { serviceId: string; environment?: string };

export interface DeriveSummary {
  services: number;
  chains: number;
  /** Successful deployments whose change set was walked again. */
  changeSetsComputed: number;
  /** The failed-change rule of every flagged deployment touched, by id (also stored in `Deployment.failedChangeRule`). */
  failedChangeRules: Map<string, NonNullable<DeploymentFlags["failedChangeRule"]>>;
  /**
   * Per service, the earliest `finishedAt` of a deployment whose derived data this run changed (flags,
   * remediation, change set, attributed incidents): what the metric rollups must compute again.
   */
  changedSince: Map<string, Date>;
}

/**
 * Notes that derived data of a deployment finished at `finishedAt` changed: in the summary, and as a
 * pending rollup target in the same transaction as the change, so no failure can separate the two.
 */
async function noteChanged(tx: DbTransaction, summary: DeriveSummary, serviceId: string | null, finishedAt: Date | null): Promise<void> {
  if (!serviceId || !finishedAt) return;
  const current = summary.changedSince.get(serviceId);
  if (!current || finishedAt < current) summary.changedSince.set(serviceId, finishedAt);
  await recordPendingTargetsIn(tx, [{ serviceId, since: finishedAt }]);
}

const TX = { timeout: 120_000, maxWait: 30_000 } as const;

/** Recomputes everything derived for the scope, from the seed of each chain on (idempotent). */
export async function recomputeDerivedData(db: Db, clock: Clock, scope: DeriveScope): Promise<DeriveSummary> {
  if ("all" in scope) await resetOutsideChains(db, clock, null);
  const serviceIds =
    "serviceId" in scope
      ? [scope.serviceId]
      : (
          await db.deployment.findMany({
            where: { ...("integrationId" in scope ? { integrationId: scope.integrationId } : {}), serviceId: { not: null } },
            distinct: ["serviceId"],
            select: { serviceId: true },
          })
        ).map((row) => row.serviceId!);
  const summary = emptySummary();
  for (const serviceId of serviceIds.sort()) {
    await deriveService(db, clock, serviceId, { full: true, environment: "environment" in scope ? scope.environment : undefined }, summary);
  }
  return summary;
}

/**
 * What a sync may have changed: services with deployments never derived (`flagsComputedAt` NULL —
 * new rows, rows still in progress, rows the catalog re-pointed), provisional ones (their 7 days
 * are still open, so a new revert, hotfix or incident may flag them, or the days have passed), a
 * chain whose stored links no longer match its rows, and services whose repository PRs or incidents
 * a source updated at or after `touchedSince` (database time). Change sets are walked again only
 * from the first deployment whose chain position changed; flags are recomputed for the whole chain.
 */
export async function recomputeDerivedDataIncrementally(db: Db, clock: Clock, options: { touchedSince?: Date } = {}): Promise<DeriveSummary> {
  await resetOutsideChains(db, clock, null);
  const touched = options.touchedSince ?? null;
  const rows = await db.$queryRaw<{ serviceId: string }[]>`
    SELECT DISTINCT d."serviceId" FROM "Deployment" d
    WHERE d."serviceId" IS NOT NULL AND d."isProduction" AND (
      d."flagsComputedAt" IS NULL OR d.provisional
      OR (d."previousDeploymentId" IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM "Deployment" p WHERE p.id = d."previousDeploymentId" AND p.status = 'SUCCESS' AND p."isProduction"
          AND p."serviceId" = d."serviceId" AND p.environment = d.environment))
      OR (d.status = 'SUCCESS' AND d."previousDeploymentId" IS NULL AND EXISTS (
        SELECT 1 FROM "Deployment" e WHERE e."serviceId" = d."serviceId" AND e.environment = d.environment AND e."isProduction"
          AND e.status = 'SUCCESS' AND e."finishedAt" < d."finishedAt"))
      OR (${touched}::timestamptz IS NOT NULL AND (
        EXISTS (SELECT 1 FROM "PullRequest" pr WHERE pr."repositoryId" = d."repositoryId" AND pr."updatedAt" >= ${touched}::timestamptz)
        OR EXISTS (SELECT 1 FROM "Incident" i WHERE i."serviceId" = d."serviceId" AND i."updatedAt" >= ${touched}::timestamptz))))`;
  const summary = emptySummary();
  for (const { serviceId } of rows.sort((a, b) => a.serviceId.localeCompare(b.serviceId))) await deriveService(db, clock, serviceId, { full: false }, summary);
  return summary;
}

function emptySummary(): DeriveSummary {
  return { services: 0, chains: 0, changeSetsComputed: 0, failedChangeRules: new Map(), changedSince: new Map() };
}

type AttemptRow = Awaited<ReturnType<typeof loadChain>>[number];

async function loadChain(db: Db | DbTransaction, serviceId: string, environment: string) {
  return await db.deployment.findMany({
    where: { serviceId, environment, isProduction: true, status: { not: "CANCELLED" } },
    select: { id: true, integrationId: true, repositoryId: true, status: true, commitSha: true, startedAt: true, finishedAt: true, isRollback: true, previousDeploymentId: true, flagsComputedAt: true },
  });
}

async function deriveService(db: Db, clock: Clock, serviceId: string, options: { full: boolean; environment?: string }, summary: DeriveSummary): Promise<void> {
  summary.services += 1;
  await resetOutsideChains(db, clock, serviceId);
  const environments = (
    await db.deployment.findMany({ where: { serviceId, isProduction: true, ...(options.environment ? { environment: options.environment } : {}) }, distinct: ["environment"], select: { environment: true } })
  ).map((row) => row.environment);
  // Change sets and rollbacks first: incident attribution skips rollbacks, and flags read change sets.
  for (const environment of environments.sort()) {
    summary.chains += 1;
    await db.$transaction((tx) => deriveChangeSets(tx, serviceId, environment, options.full, summary), TX);
  }
  await attributeIncidents(db, serviceId, summary);
  for (const environment of environments) await db.$transaction((tx) => writeFlags(tx, clock, serviceId, environment, summary), TX);
}

/**
 * Walks each successful deployment's new commits, in chain order, from the first one whose position
 * changed (all of them when `full`). `derive_shipped` holds every commit reachable from an earlier
 * successful deployment of the chain; it is closed under ancestry, so a walk stops where it meets it:
 * that is "reachable from D, not from P, minus what an earlier deployment already shipped".
 */
async function deriveChangeSets(tx: DbTransaction, serviceId: string, environment: string, full: boolean, summary: DeriveSummary): Promise<void> {
  const attempts = chainOrder(await loadChain(tx, serviceId, environment));
  const successful = attempts.filter((a) => a.status === "SUCCESS" && a.finishedAt !== null);
  const start = full ? 0 : firstStale(successful);
  if (start < 0) return;
  await tx.$executeRawUnsafe(`CREATE TEMP TABLE IF NOT EXISTS derive_shipped (sha text PRIMARY KEY) ON COMMIT DROP`);
  await tx.$executeRawUnsafe(`TRUNCATE derive_shipped`);
  const earlier = successful.slice(0, start).filter((d) => d.commitSha && d.repositoryId);
  if (earlier.length) {
    await tx.$executeRaw`INSERT INTO derive_shipped
      WITH RECURSIVE walk(sha, repo) AS (
        SELECT * FROM unnest(${earlier.map((d) => d.commitSha!)}::text[], ${earlier.map((d) => d.repositoryId!)}::uuid[])
        UNION
        SELECT p.parent, w.repo FROM walk w JOIN "Commit" c ON c."repositoryId" = w.repo AND c.sha = w.sha CROSS JOIN LATERAL unnest(c."parentShas") AS p(parent)
      ) SELECT DISTINCT sha FROM walk ON CONFLICT DO NOTHING`;
  }
  // Every change set from here on is written again (and may come out the same).
  await noteChanged(tx, summary, serviceId, successful[start]?.finishedAt ?? null);
  const rollbacks = new Map<string, boolean>();
  for (let index = start; index < successful.length; index++) {
    const deployment = successful[index]!;
    const previous = index > 0 ? successful[index - 1]! : null;
    const isRollback = await detectRollback(tx, deployment, previous, successful.slice(0, index));
    rollbacks.set(deployment.id, isRollback);
    const commits = await walkNewCommits(tx, deployment);
    // The seed has nothing to compare with; what it carries counts as shipped from then on. Nor has
    // a deployment after one whose commit is unresolved (a GitOps image tag without a sha): what
    // that one shipped is unknown, so its commits would be counted again here with inflated lead
    // times. Unresolved means left out of lead time, never guessed (DESIGN §3).
    const unknownBase = index === 0 || !previous?.commitSha;
    const changes = unknownBase || !deployment.repositoryId ? [] : changesOfSet(deployment.commitSha!, deployment.finishedAt!, commits, await mergedPullRequestsOf(tx, deployment.repositoryId, commits));
    await writeChanges(tx, deployment, changes);
    summary.changeSetsComputed += 1;
  }
  const notLive = attempts.filter((a) => a.status !== "SUCCESS" || a.finishedAt === null).map((a) => a.id);
  if (notLive.length) await tx.$executeRaw`DELETE FROM "DeploymentChange" WHERE "deploymentId" = ANY(${notLive}::uuid[])`;
  const ids = [...rollbacks.keys()];
  await tx.$executeRaw`UPDATE "Deployment" d SET "isRollback" = u.rollback
    FROM unnest(${ids}::uuid[], ${ids.map((id) => rollbacks.get(id)!)}::boolean[]) AS u(id, rollback)
    WHERE d.id = u.id AND d."isRollback" IS DISTINCT FROM u.rollback`;
  if (notLive.length) await tx.$executeRaw`UPDATE "Deployment" SET "isRollback" = false WHERE id = ANY(${notLive}::uuid[]) AND "isRollback"`;
}

/** Index (among successes) of the first deployment never derived or whose previous success changed; -1 when none. */
function firstStale(successful: readonly AttemptRow[]): number {
  // A failed attempt never changes a change set; only successes matter here.
  return successful.findIndex((d, index) => d.flagsComputedAt === null || d.previousDeploymentId !== (successful[index - 1]?.id ?? null));
}

/**
 * A rollback deploys a commit an earlier success of the chain already deployed, going back: a proper
 * ancestor of the previous success's commit. When either commit is missing from the graph (outside
 * the backfill), or the previous success's commit is unresolved, "deployed before, and not the
 * commit running now" is taken as going back.
 */
async function detectRollback(tx: DbTransaction, deployment: AttemptRow, previous: AttemptRow | null, earlier: readonly AttemptRow[]): Promise<boolean> {
  const sha = deployment.commitSha;
  if (!sha || !previous || sha === previous.commitSha || !earlier.some((d) => d.commitSha === sha)) return false;
  // The running commit is unknown (a release by a tag without a sha): going back to a commit the
  // chain deployed before is taken as a rollback, as when the graph misses a commit below.
  if (!previous.commitSha || !deployment.repositoryId) return true;
  const [row] = await tx.$queryRaw<{ known: boolean; ancestor: boolean }[]>`
    WITH RECURSIVE up(sha) AS (
      SELECT ${previous.commitSha}::text
      UNION
      SELECT p.parent FROM up JOIN "Commit" c ON c."repositoryId" = ${deployment.repositoryId}::uuid AND c.sha = up.sha CROSS JOIN LATERAL unnest(c."parentShas") AS p(parent)
    )
    SELECT (SELECT count(*) FROM "Commit" c WHERE c."repositoryId" = ${deployment.repositoryId}::uuid AND c.sha IN (${sha}, ${previous.commitSha})) = 2 AS known,
           EXISTS (SELECT 1 FROM up WHERE up.sha = ${sha}) AS ancestor`;
  return row!.known ? row!.ancestor : true;
}

async function walkNewCommits(tx: DbTransaction, deployment: AttemptRow): Promise<SetCommit[]> {
  if (!deployment.commitSha || !deployment.repositoryId) return [];
  return await tx.$queryRaw<SetCommit[]>`
    WITH RECURSIVE walk(sha) AS (
      SELECT ${deployment.commitSha}::text WHERE NOT EXISTS (SELECT 1 FROM derive_shipped s WHERE s.sha = ${deployment.commitSha})
      UNION
      SELECT p.parent FROM walk w JOIN "Commit" c ON c."repositoryId" = ${deployment.repositoryId}::uuid AND c.sha = w.sha
        CROSS JOIN LATERAL unnest(c."parentShas") AS p(parent)
      WHERE NOT EXISTS (SELECT 1 FROM derive_shipped s WHERE s.sha = p.parent)
    ), added AS (INSERT INTO derive_shipped SELECT sha FROM walk ON CONFLICT DO NOTHING)
    SELECT c.sha, c."parentShas", c."authoredAt", c."committedAt" FROM walk JOIN "Commit" c ON c."repositoryId" = ${deployment.repositoryId}::uuid AND c.sha = walk.sha`;
}

async function mergedPullRequestsOf(tx: DbTransaction, repositoryId: string, commits: readonly SetCommit[]): Promise<MergedPullRequest[]> {
  if (!commits.length) return [];
  return await tx.$queryRaw<MergedPullRequest[]>`
    SELECT id, "mergeCommitSha", "firstCommitAt", "openedAt", "mergedAt" FROM "PullRequest"
    WHERE "repositoryId" = ${repositoryId}::uuid AND "mergedAt" IS NOT NULL AND "mergeCommitSha" = ANY(${commits.map((c) => c.sha)}::text[])`;
}

/** Keyed on (deployment, commit): rerunning leaves the same rows, with the same ids. */
async function writeChanges(tx: DbTransaction, deployment: AttemptRow, changes: readonly DerivedChange[]): Promise<void> {
  const shas = changes.map((c) => c.commitSha);
  await tx.$executeRaw`DELETE FROM "DeploymentChange" WHERE "deploymentId" = ${deployment.id}::uuid AND NOT ("commitSha" = ANY(${shas}::text[]))`;
  if (!changes.length) return;
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  await tx.$executeRaw`INSERT INTO "DeploymentChange" ("integrationId", "deploymentId", kind, "commitSha", "pullRequestId", "firstCommitAt", "openedAt", "mergedAt", "leadTimeSeconds")
    SELECT ${deployment.integrationId}::uuid, ${deployment.id}::uuid, u.kind::"ChangeKind", u.sha, u.pr, u.first, u.opened, u.merged, u.lead
    FROM unnest(${changes.map((c) => c.kind)}::text[], ${shas}::text[], ${changes.map((c) => c.pullRequestId)}::uuid[], ${changes.map((c) => iso(c.firstCommitAt))}::timestamptz[],
                ${changes.map((c) => iso(c.openedAt))}::timestamptz[], ${changes.map((c) => iso(c.mergedAt))}::timestamptz[], ${changes.map((c) => c.leadTimeSeconds)}::int[])
      AS u(kind, sha, pr, first, opened, merged, lead)
    ON CONFLICT ("deploymentId", "commitSha") DO UPDATE SET kind = EXCLUDED.kind, "pullRequestId" = EXCLUDED."pullRequestId", "firstCommitAt" = EXCLUDED."firstCommitAt",
      "openedAt" = EXCLUDED."openedAt", "mergedAt" = EXCLUDED."mergedAt", "leadTimeSeconds" = EXCLUDED."leadTimeSeconds", "integrationId" = EXCLUDED."integrationId"`;
}

/**
 * Window attribution, in SQL: an incident of a service belongs to the latest successful non-rollback
 * production deployment of that service finished at or before it opened, when it opened less than
 * 24 h after that deployment finished; otherwise to none. Explicit links (LINKED) are kept.
 */
async function attributeIncidents(db: Db, serviceId: string, summary: DeriveSummary): Promise<void> {
  await db.$transaction((tx) => attributeIncidentsIn(tx, serviceId, summary), TX);
}

async function attributeIncidentsIn(db: DbTransaction, serviceId: string, summary: DeriveSummary): Promise<void> {
  const moved = await db.$queryRaw<{ before: string | null; after: string | null }[]>`UPDATE "Incident" i SET "deploymentId" = a.deployment, attribution = a.attribution::"IncidentAttribution"
    FROM (
      SELECT i2.id, i2."deploymentId" AS previous, latest.id AS deployment, CASE WHEN latest.id IS NULL THEN 'NONE' ELSE 'WINDOW' END AS attribution
      FROM "Incident" i2
      LEFT JOIN LATERAL (
        SELECT d.id, d."finishedAt" FROM "Deployment" d
        WHERE d."serviceId" = i2."serviceId" AND d."isProduction" AND d.status = 'SUCCESS' AND NOT d."isRollback" AND d."finishedAt" <= i2."openedAt"
        ORDER BY d."finishedAt" DESC, d."startedAt" DESC, d.id DESC LIMIT 1
      ) AS candidate ON true
      LEFT JOIN LATERAL (SELECT candidate.id WHERE i2."openedAt" < candidate."finishedAt" + ${INCIDENT_WINDOW_MS / 1000} * interval '1 second') AS latest ON true
      WHERE i2."serviceId" = ${serviceId}::uuid AND i2.attribution <> 'LINKED'
    ) AS a
    WHERE i.id = a.id AND (i."deploymentId" IS DISTINCT FROM a.deployment OR i.attribution::text <> a.attribution)
    RETURNING a.previous::text AS before, a.deployment::text AS after`;
  // Both deployments' recovery (and the failed-change flag, which writeFlags reports) moved.
  const ids = [...new Set(moved.flatMap((row) => [row.before, row.after]).filter((id): id is string => id !== null))];
  if (ids.length === 0) return;
  for (const row of await db.deployment.findMany({ where: { id: { in: ids } }, select: { serviceId: true, finishedAt: true } })) {
    await noteChanged(db, summary, row.serviceId, row.finishedAt);
  }
}

async function writeFlags(tx: DbTransaction, clock: Clock, serviceId: string, environment: string, summary: DeriveSummary): Promise<void> {
  const rows = await loadChain(tx, serviceId, environment);
  if (!rows.length) return;
  const ids = rows.map((row) => row.id);
  const repositoryIds = [...new Set(rows.map((row) => row.repositoryId).filter((id): id is string => id !== null))];
  const [changes, pullRequests, incidents] = await Promise.all([
    tx.deploymentChange.findMany({ where: { deploymentId: { in: ids }, pullRequestId: { not: null } }, select: { deploymentId: true, pullRequestId: true } }),
    tx.$queryRaw<ChainPullRequest[]>`
      SELECT id, "openedAt", "mergedAt", COALESCE(labels, ARRAY[]::text[]) AS labels, "revertsPullRequestId" FROM "PullRequest"
      WHERE "repositoryId" = ANY(${repositoryIds}::uuid[])
        AND ("revertsPullRequestId" IS NOT NULL OR EXISTS (SELECT 1 FROM unnest(labels) AS l(label) WHERE lower(l.label) = ${HOTFIX_LABEL}))`,
    tx.incident.findMany({ where: { deploymentId: { in: ids }, attribution: { in: ["WINDOW", "LINKED"] } }, select: { id: true, openedAt: true, deploymentId: true } }),
  ]);
  const shipped = new Map<string, string[]>();
  for (const change of changes) shipped.set(change.deploymentId, [...(shipped.get(change.deploymentId) ?? []), change.pullRequestId!]);
  const attempts: ChainAttempt[] = rows.map((row) => ({ ...row, shippedPullRequestIds: shipped.get(row.id) ?? [] }));
  const chainIncidents: ChainIncident[] = incidents.map((incident) => ({ id: incident.id, openedAt: incident.openedAt, deploymentId: incident.deploymentId! }));
  const flags = deriveChainFlags(attempts, pullRequests, chainIncidents, clock.now());
  for (const flag of flags) if (flag.failedChangeRule) summary.failedChangeRules.set(flag.id, flag.failedChangeRule);
  const final = new Set(rows.filter((row) => row.status !== "IN_PROGRESS").map((row) => row.id));
  const now = clock.now().toISOString();
  // Only rows whose flags differ are written, and reported: the metric rollups follow exactly those.
  const changed = await tx.$queryRaw<{ finishedAt: Date | null }[]>`UPDATE "Deployment" d SET "previousDeploymentId" = u.previous, "isRework" = u.rework,
      "isFailedChange" = u.failed, "failedChangeRule" = u.rule, "remediatedById" = u.remediated, provisional = u.provisional
    FROM unnest(${flags.map((f) => f.id)}::uuid[], ${flags.map((f) => f.previousDeploymentId)}::uuid[], ${flags.map((f) => f.isRework)}::boolean[],
                ${flags.map((f) => f.isFailedChange)}::boolean[], ${flags.map((f) => f.failedChangeRule)}::text[], ${flags.map((f) => f.remediatedById)}::uuid[],
                ${flags.map((f) => f.provisional)}::boolean[])
      AS u(id, previous, rework, failed, rule, remediated, provisional)
    WHERE d.id = u.id AND (d."previousDeploymentId" IS DISTINCT FROM u.previous OR d."isRework" IS DISTINCT FROM u.rework
      OR d."isFailedChange" IS DISTINCT FROM u.failed OR d."failedChangeRule" IS DISTINCT FROM u.rule
      OR d."remediatedById" IS DISTINCT FROM u.remediated OR d.provisional IS DISTINCT FROM u.provisional)
    RETURNING d."finishedAt" AS "finishedAt"`;
  const earliest = changed.reduce<Date | null>((min, row) => (row.finishedAt && (!min || row.finishedAt < min) ? row.finishedAt : min), null);
  await noteChanged(tx, summary, serviceId, earliest);
  // An attempt still in progress keeps flagsComputedAt NULL, so the sync that sees it finish derives it again.
  await tx.$executeRaw`UPDATE "Deployment" d SET "flagsComputedAt" = CASE WHEN u.final THEN ${now}::timestamptz END
    FROM unnest(${flags.map((f) => f.id)}::uuid[], ${flags.map((f) => final.has(f.id))}::boolean[]) AS u(id, final)
    WHERE d.id = u.id`;
}

/**
 * Rows outside any production chain (not production, cancelled, or bound to no service) carry no
 * derived data; a re-pointed or re-classified row may still have some from before.
 */
async function resetOutsideChains(db: Db, clock: Clock, serviceId: string | null): Promise<void> {
  const now = clock.now().toISOString();
  await db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      UPDATE "Deployment" SET "previousDeploymentId" = NULL, "isRollback" = false, "isRework" = false, "isFailedChange" = false,
        "failedChangeRule" = NULL, "remediatedById" = NULL, provisional = false, "flagsComputedAt" = ${now}::timestamptz
      WHERE (NOT "isProduction" OR status = 'CANCELLED' OR "serviceId" IS NULL)
        AND (${serviceId}::uuid IS NULL OR "serviceId" = ${serviceId}::uuid)
        AND ("flagsComputedAt" IS NULL OR "previousDeploymentId" IS NOT NULL OR "isRollback" OR "isRework" OR "isFailedChange" OR "failedChangeRule" IS NOT NULL OR "remediatedById" IS NOT NULL OR provisional
          OR EXISTS (SELECT 1 FROM "DeploymentChange" c WHERE c."deploymentId" = "Deployment".id))
      RETURNING id`;
    if (rows.length) await tx.$executeRaw`DELETE FROM "DeploymentChange" WHERE "deploymentId" = ANY(${rows.map((row) => row.id)}::uuid[])`;
  }, TX);
}

/** The database's clock, taken before a sync: source rows it updates get an `updatedAt` at or after it. */
export async function sourceTouchCheckpoint(db: Db): Promise<Date> {
  const [row] = await db.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
  return row!.now;
}
