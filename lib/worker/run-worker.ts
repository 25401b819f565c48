import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import PgBoss from "pg-boss";
import type { Db } from "@/lib/db/client";
import { getClock } from "@/lib/clock";
import { HEARTBEAT_JOB_CRON, WORKER_BEAT_INTERVAL_MS } from "@/lib/worker/liveness";

/** Queue names; one place so producers and the worker agree. */
export const QUEUES = {
  heartbeat: "system.heartbeat",
} as const;

export interface RunningWorker {
  workerId: string;
  boss: PgBoss;
  stop(): Promise<void>;
}

interface WorkerIdentity {
  workerId: string;
  startedAt: Date;
}

/** This process is alive (its own timer). */
export async function recordWorkerBeat(db: Db, worker: WorkerIdentity): Promise<void> {
  const at = getClock().now();
  await db.workerHeartbeat.upsert({
    where: { workerId: worker.workerId },
    create: { workerId: worker.workerId, hostname: hostname(), pid: process.pid, startedAt: worker.startedAt, lastBeatAt: at },
    update: { lastBeatAt: at },
  });
}

/** This process took a job from the queue: the queue, its schedule and this worker all work. */
export async function recordHeartbeatJob(db: Db, worker: WorkerIdentity): Promise<void> {
  const at = getClock().now();
  await db.workerHeartbeat.upsert({
    where: { workerId: worker.workerId },
    create: { workerId: worker.workerId, hostname: hostname(), pid: process.pid, startedAt: worker.startedAt, lastBeatAt: at, lastJobAt: at },
    update: { lastBeatAt: at, lastJobAt: at },
  });
}

/**
 * Starts a pg-boss worker on the product's database. Several workers may share one database:
 * pg-boss hands each job to one of them and keeps one copy of each cron schedule.
 */
export async function startWorker(options: { connectionString: string; db: Db; log?: (line: string) => void }): Promise<RunningWorker> {
  const log = options.log ?? (() => {});
  // Host and pid say where to look; the suffix keeps two workers of one process (tests) apart.
  const identity: WorkerIdentity = { workerId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, startedAt: getClock().now() };
  // A small pool: on the embedded database every connection shares one session anyway.
  const boss = new PgBoss({ connectionString: options.connectionString, max: 4, schema: "pgboss" });
  boss.on("error", (error) => log(`queue error: ${error.message}`));
  await boss.start();

  await recordWorkerBeat(options.db, identity);
  const beat = setInterval(() => {
    recordWorkerBeat(options.db, identity).catch((error: Error) => log(`heartbeat not recorded: ${error.message}`));
  }, WORKER_BEAT_INTERVAL_MS);
  beat.unref();

  await boss.createQueue(QUEUES.heartbeat);
  await boss.work(QUEUES.heartbeat, async () => {
    await recordHeartbeatJob(options.db, identity);
  });
  await boss.schedule(QUEUES.heartbeat, HEARTBEAT_JOB_CRON);
  // One job now, so a fresh install shows a working queue without waiting for the next minute.
  await boss.send(QUEUES.heartbeat, {});
  log(`worker ${identity.workerId} started`);

  return {
    workerId: identity.workerId,
    boss,
    async stop() {
      clearInterval(beat);
      await boss.stop({ graceful: true, timeout: 10_000, wait: true });
    },
  };
}
