import "server-only";
import { invalidateRollups } from "@/lib/metrics/rollups";
import { appendAudit } from "@/lib/audit/append-audit";
import type { Db, DbTransaction } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { type ViewerContext, actorOf, assertCan } from "@/lib/data/viewer";
import { AppError } from "@/lib/errors";
import { removeIntegrationSchema } from "@/lib/queries/integrations";
import { WORKER_ALIVE_WITHIN_MS } from "@/lib/worker/liveness";
import { type IntegrationDeps, defaultIntegrationDeps } from "./integration-deps";

/** Rows removing an integration deletes, per kind. */
export type RemovalCounts = {
  repositories: number;
  commits: number;
  pullRequests: number;
  deployments: number;
  deploymentChanges: number;
  incidents: number;
  gitOpsApps: number;
  gitOpsOperations: number;
  workloads: number;
  driftEpisodes: number;
  syncRequests: number;
  syncApprovals: number;
  bindings: number;
  ingestRuns: number;
  sourceCursors: number;
  webhookDeliveries: number;
};

export type RemovalPreviewDto = {
  integration: { id: string; name: string; origin: "ENV" | "DATABASE" | "SANDBOX" };
  removable: boolean;
  /** Why it cannot be removed now, in words; null when it can. */
  blockedBy: string | null;
  deletes: RemovalCounts;
  /** Sync runs still marked running whose worker is gone; removal marks them failed ("abandoned") instead of waiting for them. */
  abandonedRuns: number;
  /** Kept: the audit trail is append-only, and services stay because audit events name them. */
  keeps: { auditEvents: number; services: number };
};

export type RemovalResultDto = { removed: { id: string; name: string }; deleted: RemovalCounts };

type Tx = Db | DbTransaction;

// ───────────── what removal deletes: one table drives both the preview's counts and the deletes ─────────────

/** The models removal deletes from, each with the type of its `where`, so every step is type-checked. */
interface RemovalWhere {
  syncApproval: Prisma.SyncApprovalWhereInput;
  syncRequest: Prisma.SyncRequestWhereInput;
  driftEpisode: Prisma.DriftEpisodeWhereInput;
  gitOpsOperation: Prisma.GitOpsOperationWhereInput;
  deploymentChange: Prisma.DeploymentChangeWhereInput;
  incident: Prisma.IncidentWhereInput;
  deployment: Prisma.DeploymentWhereInput;
  pullRequest: Prisma.PullRequestWhereInput;
  commit: Prisma.CommitWhereInput;
  workload: Prisma.WorkloadWhereInput;
  gitOpsApp: Prisma.GitOpsAppWhereInput;
  serviceBinding: Prisma.ServiceBindingWhereInput;
  sourceCursor: Prisma.SourceCursorWhereInput;
  ingestRun: Prisma.IngestRunWhereInput;
  webhookDelivery: Prisma.WebhookDeliveryWhereInput;
  repository: Prisma.RepositoryWhereInput;
}
type RemovalModel = keyof RemovalWhere;
type RemovalStep = { [M in RemovalModel]: { key: keyof RemovalCounts; model: M; where: RemovalWhere[M] } }[RemovalModel];

/** What every delegate above can do; Prisma's delegates share these shapes but no common type. */
interface RowDelegate {
  count(args: { where: unknown }): Promise<number>;
  findMany(args: { where: unknown; select: { id: true }; take: number }): Promise<{ id: string }[]>;
  deleteMany(args: { where: unknown }): Promise<{ count: number }>;
}

function rows(tx: Tx, model: RemovalModel): RowDelegate {
  return tx[model] as unknown as RowDelegate;
}

const step = <M extends RemovalModel>(key: keyof RemovalCounts, model: M, where: RemovalWhere[M]): RemovalStep => ({ key, model, where }) as RemovalStep;

/**
 * One step per kind of row, children before parents, each reaching its rows by every path the
 * foreign keys' ON DELETE CASCADE would (a commit of another integration in one of these
 * repositories goes with the repository). Preview counts and removal deletes run the same WHEREs,
 * so the preview is exactly what removal does. Rows of other integrations that merely share a
 * service (or sit in one of these repositories through a SET NULL key) are on no path here.
 */
function removalPlan(id: string): RemovalStep[] {
  const own = { integrationId: id };
  const syncRequest = { gitOpsApp: own };
  return [
    step("syncApprovals", "syncApproval", { syncRequest }),
    step("syncRequests", "syncRequest", syncRequest),
    step("driftEpisodes", "driftEpisode", { OR: [own, { gitOpsApp: own }, { workload: own }] }),
    step("gitOpsOperations", "gitOpsOperation", { OR: [own, { gitOpsApp: own }] }),
    step("deploymentChanges", "deploymentChange", { OR: [own, { deployment: own }] }),
    step("incidents", "incident", own),
    step("deployments", "deployment", own),
    step("pullRequests", "pullRequest", { OR: [own, { repository: own }] }),
    step("commits", "commit", { OR: [own, { repository: own }] }),
    step("workloads", "workload", own),
    step("gitOpsApps", "gitOpsApp", own),
    step("bindings", "serviceBinding", own),
    step("sourceCursors", "sourceCursor", own),
    step("ingestRuns", "ingestRun", own),
    step("webhookDeliveries", "webhookDelivery", own),
    step("repositories", "repository", own),
  ];
}

function zeroCounts(): RemovalCounts {
  return Object.fromEntries(removalPlan("00000000-0000-0000-0000-000000000000").map(({ key }) => [key, 0])) as RemovalCounts;
}

/** The preview: every step counted, in one snapshot. */
async function countPlan(tx: Tx, id: string): Promise<RemovalCounts> {
  const counts = zeroCounts();
  // In sequence: one transaction runs one statement at a time anyway.
  for (const { key, model, where } of removalPlan(id)) counts[key] = await rows(tx, model).count({ where });
  return counts;
}

/** Every step deleted at once, adding to `counts`: for the last, short transaction (normally nothing is left). */
async function deletePlan(tx: Tx, id: string, counts: RemovalCounts): Promise<void> {
  for (const { key, model, where } of removalPlan(id)) counts[key] += (await rows(tx, model).deleteMany({ where })).count;
}

/** Rows per delete transaction: small enough that no transaction holds the embedded database for long. */
export const REMOVAL_BATCH = 2_000;

/**
 * Deletes every step in batches, each batch its own short transaction, children before parents,
 * and adds what each delete removed to `counts`. Safe to interrupt: a rerun of the removal carries on.
 */
async function deletePlanInBatches(db: Db, id: string, counts: RemovalCounts, batch: number): Promise<void> {
  for (const { key, model, where } of removalPlan(id)) {
    for (;;) {
      const removed = await db.$transaction(
        async (tx) => {
          const ids = (await rows(tx, model).findMany({ where, select: { id: true }, take: batch })).map((row) => row.id);
          return ids.length === 0 ? 0 : (await rows(tx, model).deleteMany({ where: { id: { in: ids } } })).count;
        },
        { timeout: 30_000, maxWait: 10_000 },
      );
      counts[key] += removed;
      if (removed < batch) break;
    }
  }
}

// ───────────── sync runs left behind ─────────────

/** A run younger than this is never taken for abandoned (a sync just starting, a CLI sync, clock skew between hosts). */
export const ABANDONED_RUN_GRACE_MS = 15 * 60_000;
/**
 * A run older than this is abandoned whatever the heartbeats say: a run ends at the first rate
 * limit (and is rescheduled), so hours of one run mean its worker lost it (e.g. it could not
 * record the failure) even if the worker itself lives on.
 */
export const ABANDONED_RUN_MAX_MS = 6 * 3600_000;

/**
 * RUNNING runs of the integration that nobody is running any more. IngestRun does not record its
 * worker, but WorkerHeartbeat records when each worker started and last beat: the worker that
 * started a run was already running then, so once the grace period is over a run is abandoned when
 * no worker that started before it has beaten within WORKER_ALIVE_WITHIN_MS (its worker crashed;
 * a restarted worker has a later start and does not count), or when it is older than
 * ABANDONED_RUN_MAX_MS. A CLI sync (no heartbeat) older than the grace period counts as abandoned
 * too: removal is an explicit admin act, and that sync then fails on the missing integration.
 */
async function partitionRuns(tx: Tx, id: string, now: Date): Promise<{ live: number; abandoned: { id: string; startedAt: Date }[] }> {
  const running = await tx.ingestRun.findMany({ where: { integrationId: id, status: "RUNNING" }, select: { id: true, startedAt: true }, orderBy: { startedAt: "asc" } });
  if (running.length === 0) return { live: 0, abandoned: [] };
  const workers = await tx.workerHeartbeat.findMany({ where: { lastBeatAt: { gte: new Date(now.getTime() - WORKER_ALIVE_WITHIN_MS) } }, select: { startedAt: true } });
  const abandoned = running.filter((run) => {
    const age = now.getTime() - run.startedAt.getTime();
    if (age < ABANDONED_RUN_GRACE_MS) return false;
    if (age >= ABANDONED_RUN_MAX_MS) return true;
    return !workers.some((worker) => worker.startedAt <= run.startedAt);
  });
  return { live: running.length - abandoned.length, abandoned };
}

async function kept(tx: Tx, id: string): Promise<RemovalPreviewDto["keeps"]> {
  const [auditEvents, services] = await Promise.all([
    tx.auditEvent.count({ where: { OR: [{ targetType: "integration", targetId: id }, { service: { OR: [{ deployments: { some: { integrationId: id } } }, { bindings: { some: { integrationId: id } } }] } }] } }),
    tx.service.count({ where: { OR: [{ deployments: { some: { integrationId: id } } }, { bindings: { some: { integrationId: id } } }, { incidents: { some: { integrationId: id } } }] } }),
  ]);
  return { auditEvents, services };
}

/** Why an integration cannot be removed now, or null. */
function blocker(integration: { name: string; origin: RemovalPreviewDto["integration"]["origin"] }, liveRuns: number): { code: "CONFLICT"; message: string } | null {
  if (integration.origin !== "DATABASE") {
    const where = integration.origin === "SANDBOX" ? "start without --sandbox (with GitHub configured)" : "remove its variables (GITHUB_TOKEN, GITHUB_ORG, GITHUB_REPOS) from the environment";
    return { code: "CONFLICT", message: `${integration.name} is defined by ${integration.origin === "SANDBOX" ? "the sandbox" : "environment variables"}, not stored here; to remove it, ${where} and restart.` };
  }
  // A run writing rows while they are deleted would fail half-way and leave its job retrying, so wait for it.
  if (liveRuns > 0) return { code: "CONFLICT", message: `A sync of ${integration.name} is running; remove it once the run has finished.` };
  return null;
}

async function findIntegration(tx: Tx, id: string) {
  const integration = await tx.integration.findUnique({ where: { id }, select: { id: true, name: true, origin: true } });
  if (!integration) throw new AppError("NOT_FOUND", "No such integration.");
  return integration;
}

/**
 * Cancels the integration's queued `source.sync` jobs the way pg-boss's `cancel` does (state
 * `cancelled`), so none of them starts after the removal. An active one is left alone: the worker
 * skips an integration that is disabled or gone. Nothing to do before the worker made the queue.
 */
async function cancelQueuedSyncs(tx: DbTransaction, id: string): Promise<number> {
  const [queue] = await tx.$queryRaw<{ exists: boolean }[]>`SELECT to_regclass('pgboss.job') IS NOT NULL AS "exists"`;
  if (!queue?.exists) return 0;
  return await tx.$executeRaw`
    UPDATE pgboss.job SET state = 'cancelled', completed_on = now()
    WHERE name = 'source.sync' AND state IN ('created', 'retry') AND data->>'integrationId' = ${id}`;
}

/** What removing an integration would delete and keep, counted with the statements removal runs. Admins only. */
export async function previewIntegrationRemoval(ctx: ViewerContext, id: string, deps: Pick<IntegrationDeps, "db"> = defaultIntegrationDeps()): Promise<RemovalPreviewDto> {
  assertCan(ctx, "settings:manage");
  const now = ctx.clock.now();
  return await deps.db.$transaction(
    async (tx) => {
      const integration = await findIntegration(tx, id);
      const runs = await partitionRuns(tx, id, now);
      const block = blocker(integration, runs.live);
      return { integration, removable: block === null, blockedBy: block?.message ?? null, deletes: await countPlan(tx, id), abandonedRuns: runs.abandoned.length, keeps: await kept(tx, id) };
    },
    // One snapshot, so the numbers add up even while a sync writes.
    { isolationLevel: "RepeatableRead", timeout: 30_000, maxWait: 10_000 },
  );
}

/**
 * Removes a stored integration and everything mirrored from it, with an audit event recording what
 * was deleted. Audit events and services stay. Refused for integrations the environment or sandbox
 * defines, while a (live) sync of it runs, and unless `confirmName` repeats its name.
 *
 * Why several transactions: a large integration has millions of rows, and one transaction deleting
 * them all would hold the embedded database's single session for minutes (DESIGN §10). So:
 *   1. A short transaction checks, marks abandoned runs FAILED, disables the integration (the
 *      schedule, "sync now" and the worker all skip a disabled one) and cancels its queued syncs.
 *      It holds the row FOR UPDATE: a sync starting at that moment inserts its run with a key-share
 *      lock on the row, so it is either seen here as live (and refused) or starts after, disabled.
 *   2. Every step of the plan is deleted in batches of REMOVAL_BATCH rows, one short transaction
 *      each, children first, with the preview's own WHEREs, summing what each delete removed.
 *   3. A last short transaction, again FOR UPDATE, deletes whatever a racing sync still wrote with
 *      the same WHEREs (normally nothing), deletes the integration and appends the audit event with
 *      the summed counts. So the counts are what was really deleted, and equal the preview's when
 *      nothing changed in between.
 * Interrupted half-way, the integration stays disabled with part of its rows; removing it again finishes.
 */
export async function removeIntegration(
  ctx: ViewerContext,
  id: string,
  body: { confirmName: string },
  deps: Pick<IntegrationDeps, "db"> = defaultIntegrationDeps(),
  options: { batch?: number } = {},
): Promise<RemovalResultDto> {
  assertCan(ctx, "settings:manage");
  const { confirmName } = removeIntegrationSchema.parse(body);
  const now = ctx.clock.now();
  const short = { timeout: 30_000, maxWait: 10_000 } as const;

  const { integration, abandoned, cancelledJobs } = await deps.db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Integration" WHERE id = ${id}::uuid FOR UPDATE`;
    if (locked.length === 0) throw new AppError("NOT_FOUND", "No such integration.");
    const found = await findIntegration(tx, id);
    const runs = await partitionRuns(tx, id, now);
    const block = blocker(found, runs.live);
    if (block) throw new AppError(block.code, block.message);
    if (confirmName.trim() !== found.name) {
      throw new AppError("UNPROCESSABLE", `Type the integration's name, ${found.name}, to confirm its removal.`, [{ path: "confirmName", message: "does not match the integration's name" }]);
    }
    if (runs.abandoned.length > 0) {
      await tx.ingestRun.updateMany({
        where: { id: { in: runs.abandoned.map((run) => run.id) }, status: "RUNNING" },
        data: { status: "FAILED", finishedAt: now, error: "abandoned: its worker stopped without finishing the run; marked failed when the integration was removed" },
      });
    }
    await tx.integration.update({ where: { id }, data: { enabled: false } });
    // The batches below delete deployments: metrics read the raw rows until the next rebuild.
    await invalidateRollups(tx);
    return { integration: found, abandoned: runs.abandoned, cancelledJobs: await cancelQueuedSyncs(tx, id) };
  }, short);

  const deleted = zeroCounts();
  await deletePlanInBatches(deps.db, id, deleted, options.batch ?? REMOVAL_BATCH);

  return await deps.db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Integration" WHERE id = ${id}::uuid FOR UPDATE`;
    if (locked.length === 0) throw new AppError("NOT_FOUND", `${integration.name} was removed by someone else meanwhile.`);
    await deletePlan(tx, id, deleted);
    await tx.integration.delete({ where: { id } });
    // Again: a rebuild may have run between the batches, over rows deleted since.
    await invalidateRollups(tx);
    await appendAudit(tx, {
      occurredAt: now,
      actor: actorOf(ctx),
      action: "integration.removed",
      target: { type: "integration", id, display: integration.name },
      outcome: "success",
      before: { name: integration.name, origin: integration.origin },
      after: null,
      source: "dashboard",
      requestId: ctx.requestId,
      clientIp: ctx.clientIp,
      metadata: { deleted, abandonedRuns: abandoned.map((run) => ({ id: run.id, startedAt: run.startedAt.toISOString() })), cancelledJobs },
    });
    return { removed: { id, name: integration.name }, deleted };
  }, short);
}
