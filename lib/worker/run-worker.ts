import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import path from "node:path";
import PgBoss from "pg-boss";
import type { Db } from "@/lib/db/client";
import { getClock } from "@/lib/clock";
import { HEARTBEAT_JOB_CRON, WORKER_BEAT_INTERVAL_MS } from "@/lib/worker/liveness";
import { QUEUES, type SyncJobData, type WebhookJobData } from "@/lib/worker/queues";

import { type Env, getEnv } from "@/lib/env";
import { runGithubSync } from "@/lib/ingest/github/run-github-sync";
import { runArgoCdSync } from "@/lib/ingest/argocd/run-argocd-sync";
import { runKubernetesSync } from "@/lib/ingest/kubernetes/run-kubernetes-sync";
import { refreshGitOpsHistory } from "@/lib/ingest/gitops/refresh-gitops-history";
import { DEFAULT_FOLLOWERS, createSourceWatchers } from "@/lib/worker/source-watchers";
import { processGithubWebhook } from "@/lib/ingest/github/process-webhook";
import { GithubRateLimitedError } from "@/lib/sources/github/errors";
import { argoCdClientFor } from "@/lib/ingest/argocd/run-argocd-sync";
import { AUDIT_CHAIN_JOB_CRON, AUDIT_CHAIN_QUEUE, runAuditChainJob } from "@/lib/audit/chain-head";
import { linkPersons } from "@/lib/data/people/link-persons";
import { executeSyncRequest, sweepSyncRequests } from "@/lib/approvals/execute-sync-request";
import { SYNC_EXECUTION_QUEUE, SYNC_SWEEP_CRON, SYNC_SWEEP_QUEUE, type SyncExecutionJobData, enqueueSyncExecution, ensureSyncExecutionQueue } from "@/lib/worker/sync-execution-queue";

/** Links persons to the identities ingested data shows (a pass after each sync). */
const PEOPLE_LINK_QUEUE = "people.link";

export interface RunningWorker {
  workerId: string;
  boss: PgBoss;
  stop(): Promise<void>;
}

interface WorkerIdentity {
  workerId: string;
  startedAt: Date;
}

/**
 * Marks this worker alive (its own timer) and, for a heartbeat job, that the queue delivered work
 * to it: the queue, its schedule and this worker all function.
 */
export async function recordWorkerBeat(db: Db, worker: WorkerIdentity, options: { fromQueue: boolean }): Promise<void> {
  const at = getClock().now();
  const seen = options.fromQueue ? { lastBeatAt: at, lastJobAt: at } : { lastBeatAt: at };
  await db.workerHeartbeat.upsert({
    where: { workerId: worker.workerId },
    create: { workerId: worker.workerId, hostname: hostname(), pid: process.pid, startedAt: worker.startedAt, ...seen },
    update: seen,
  });
}

/**
 * Starts a pg-boss worker on the product's database. Several workers may share one database:
 * pg-boss hands each job to one of them and keeps one copy of each cron schedule.
 */
export async function startWorker(options: {
  connectionString: string;
  db: Db;
  env?: Env;
  log?: (line: string) => void;
  /** Which sources are watched continuously (default: Argo CD's stream); tests pass none. */
  followers?: Parameters<typeof createSourceWatchers>[2];
}): Promise<RunningWorker> {
  const env = options.env ?? getEnv();
  const log = options.log ?? (() => {});
  // Host and pid say where to look; the suffix keeps two workers of one process (tests) apart.
  const identity: WorkerIdentity = { workerId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, startedAt: getClock().now() };
  // A small pool: on the embedded database every connection shares one session anyway.
  const boss = new PgBoss({ connectionString: options.connectionString, max: 4, schema: "pgboss" });
  boss.on("error", (error) => log(`queue error: ${error.message}`));
  await boss.start();

  await recordWorkerBeat(options.db, identity, { fromQueue: false });
  const beat = setInterval(() => {
    recordWorkerBeat(options.db, identity, { fromQueue: false }).catch((error: Error) => log(`heartbeat not recorded: ${error.message}`));
  }, WORKER_BEAT_INTERVAL_MS);
  beat.unref();

  await boss.createQueue(QUEUES.heartbeat);
  await boss.work(QUEUES.heartbeat, async () => {
    await recordWorkerBeat(options.db, identity, { fromQueue: true });
  });
  await boss.schedule(QUEUES.heartbeat, HEARTBEAT_JOB_CRON);

  await boss.createQueue(QUEUES.syncAll);
  // Singleton per key: a scheduled sync and a "sync now" of one integration never run side by side.
  await boss.createQueue(QUEUES.sync, { name: QUEUES.sync, policy: "singleton", retryLimit: 2, retryDelay: 30, retryBackoff: true });
  // Cluster sources are also watched continuously; each fan-out picks up added or removed ones.
  const watchers = createSourceWatchers(options.db, env, options.followers ?? DEFAULT_FOLLOWERS, log);
  await boss.work<Record<string, never>>(QUEUES.syncAll, async () => {
    // Watches first, so the queued passes of watched sources see them running and step aside.
    await watchers.refresh();
    await enqueueAllSyncs(boss, options.db);
  });
  await boss.work<SyncJobData>(QUEUES.sync, async ([job]) => {
    if (!job) return;
    // A watched cluster source is written as it changes, its own first pass included; listing it
    // again would race the watch with a list older than its events. What the schedule adds is what
    // the cluster cannot say: bindings, images and history that GitHub's data now allows.
    if (watchers.isWatching(job.data.integrationId)) {
      const integration = await options.db.integration.findUnique({ where: { id: job.data.integrationId } });
      if (!integration?.enabled) return;
      const refreshed = await refreshGitOpsHistory(options.db, integration, { env, clock: getClock() });
      log(`refreshed ${integration.name} (watched): ${refreshed.appsRederived} apps derived again, ${refreshed.reconstructed} deployments reconstructed`);
      return;
    }
    await runSyncJob(boss, options.db, env, job.data, log, (id) => watchers.isWatching(id), (id) => watchers.resync(id));
    await boss.send(PEOPLE_LINK_QUEUE, {}, { singletonKey: "all" });
  });
  await boss.schedule(QUEUES.syncAll, env.SYNC_CRON);
  // Catch up at start rather than waiting for the first scheduled run.
  await boss.send(QUEUES.syncAll, {});

  await boss.createQueue(QUEUES.webhook, { name: QUEUES.webhook, retryLimit: 3, retryDelay: 10, retryBackoff: true });
  await boss.work<WebhookJobData>(QUEUES.webhook, async ([job]) => {
    if (!job) return;
    try {
      log(`webhook ${job.data.deliveryId}: ${await processGithubWebhook(options.db, job.data.deliveryId, { env, clock: getClock() })}`);
    } catch (error) {
      if (!(error instanceof GithubRateLimitedError)) throw error;
      // GitHub says wait: the delivery stays FAILED and is queued again for the reset time.
      await boss.send(QUEUES.webhook, job.data, { startAfter: error.retryAt });
    }
  });
  // Approved GitOps syncs (DESIGN §6): one job per request at a time (stately queue), retried after a
  // crash; the job itself makes a retry safe. The sweep expires requests and re-queues waiting ones.
  await ensureSyncExecutionQueue(boss);
  await boss.work<SyncExecutionJobData>(SYNC_EXECUTION_QUEUE, async ([job]) => {
    if (!job) return;
    const outcome = await executeSyncRequest(
      {
        db: options.db,
        clock: getClock(),
        argoCdFor: async (integrationId) => await argoCdClientFor(options.db, await options.db.integration.findUniqueOrThrow({ where: { id: integrationId } }), env),
      },
      job.data.requestId,
    );
    log(`sync request ${job.data.requestId}: ${outcome.kind === "waiting" ? `waiting (${outcome.reason})` : outcome.status}`);
  });
  await boss.createQueue(SYNC_SWEEP_QUEUE);
  await boss.work(SYNC_SWEEP_QUEUE, async () => {
    await sweepSyncRequests(options.db, getClock(), (requestId) => enqueueSyncExecution(boss, requestId));
  });
  await boss.schedule(SYNC_SWEEP_QUEUE, SYNC_SWEEP_CRON);
  await boss.send(SYNC_SWEEP_QUEUE, {});
  // Persons (DESIGN §2) are linked after each sync brings new identities: one pass at a time
  // (stately), and a pass queued while one runs covers what that one missed.
  await boss.createQueue(PEOPLE_LINK_QUEUE, { name: PEOPLE_LINK_QUEUE, policy: "stately", retryLimit: 2, retryDelay: 30 });
  await boss.work(PEOPLE_LINK_QUEUE, async () => {
    const result = await linkPersons(options.db, getClock());
    log(`persons linked: ${result.commitsUpdated} commits, ${result.pullRequestsUpdated} pull requests, ${result.deploymentsUpdated} deployments updated`);
  });
  await boss.send(PEOPLE_LINK_QUEUE, {}, { singletonKey: "all" });
  // The audit chain is verified and its head copied outside the database (DESIGN §5) every hour.
  await boss.createQueue(AUDIT_CHAIN_QUEUE);
  await boss.work(AUDIT_CHAIN_QUEUE, async () => {
    await runAuditChainJob(options.db, getClock(), { log, dataDir: path.resolve(env.PIPELINE_HEALTH_DATA_DIR) });
  });
  await boss.schedule(AUDIT_CHAIN_QUEUE, AUDIT_CHAIN_JOB_CRON);
  await boss.send(AUDIT_CHAIN_QUEUE, {});
  // One job now, so a fresh install shows a working queue without waiting for the next minute.
  await boss.send(QUEUES.heartbeat, {});
  log(`worker ${identity.workerId} started`);

  return {
    workerId: identity.workerId,
    boss,
    async stop() {
      clearInterval(beat);
      await watchers.stop();
      await boss.stop({ graceful: true, timeout: 10_000, wait: true });
    },
  };
}

/** Queues a sync of every enabled integration (one job each, deduplicated per integration). */
export async function enqueueAllSyncs(boss: PgBoss, db: Db): Promise<number> {
  const integrations = await db.integration.findMany({ where: { enabled: true }, select: { id: true } });
  for (const integration of integrations) await enqueueSync(boss, integration.id);
  return integrations.length;
}

export async function enqueueSync(boss: PgBoss, integrationId: string, startAfter?: Date): Promise<string | null> {
  return await boss.send(QUEUES.sync, { integrationId } satisfies SyncJobData, { singletonKey: integrationId, ...(startAfter ? { startAfter } : {}) });
}

/**
 * Runs one integration's sync. When the source says wait, the job ends and a new one is queued for
 * the reset time (never a sleep inside a job); other failures are retried by the queue.
 */
async function runSyncJob(boss: PgBoss, db: Db, env: Env, data: SyncJobData, log: (line: string) => void, watching: (integrationId: string) => boolean, resync: (integrationId: string) => void): Promise<void> {
  const integration = await db.integration.findUnique({ where: { id: data.integrationId } });
  if (!integration || !integration.enabled) return;
  try {
    switch (integration.kind) {
      case "GITHUB": {
        const summary = await runGithubSync(db, integration, { env, clock: getClock() });
        log(`synced ${integration.name}: ${summary.repositories} repositories, ${summary.upserted.deployments} deployments changed`);
        // What GitHub brought (services, config repositories, app commits) completes the GitOps
        // sources' data: a watched one is refreshed right here (no gap in which it looks done), an
        // unwatched one gets its pass queued.
        const clusters = await db.integration.findMany({ where: { enabled: true, kind: { in: ["ARGOCD", "FLUX_KUBERNETES"] } } });
        for (const cluster of clusters) {
          if (!watching(cluster.id)) {
            await enqueueSync(boss, cluster.id);
            continue;
          }
          // Objects seen before their services existed are bound and judged again by a fresh list
          // (push workloads against the deployments GitHub brought); the refresh completes history.
          resync(cluster.id);
          const refreshed = await refreshGitOpsHistory(db, cluster, { env, clock: getClock() }).catch((error: unknown) => {
            log(`refresh of ${cluster.name} failed: ${error instanceof Error ? error.message : String(error)}`);
            return null;
          });
          if (refreshed) log(`refreshed ${cluster.name} after GitHub: ${refreshed.appsRederived} apps derived again, ${refreshed.reconstructed} deployments reconstructed`);
        }
        return;
      }
      case "ARGOCD": {
        const summary = await runArgoCdSync(db, integration, { env, clock: getClock() });
        log(`synced ${integration.name}: ${summary.applications} applications, ${summary.operationsChanged} operations changed`);
        return;
      }
      case "FLUX_KUBERNETES": {
        const summary = await runKubernetesSync(db, integration, { env, clock: getClock() });
        log(`synced ${integration.name}: ${summary.kustomizations + summary.helmReleases} Flux objects, ${summary.deployments} Deployments`);
        return;
      }
      default: {
        const never: never = integration.kind;
        throw new Error(`unknown integration kind ${String(never)}`);
      }
    }
  } catch (error) {
    if (error instanceof GithubRateLimitedError) {
      await enqueueSync(boss, integration.id, error.retryAt);
      log(`${integration.name} rate limited; rescheduled for ${error.retryAt.toISOString()}`);
      return;
    }
    throw error;
  }
}
