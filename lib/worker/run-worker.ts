import { hostname } from "node:os";
import PgBoss from "pg-boss";
import type { Db } from "@/lib/db/client";
import { getClock } from "@/lib/clock";

/** Queue names; one place so producers and the worker agree. */
export const QUEUES = {
  heartbeat: "system.heartbeat",
} as const;

export interface RunningWorker {
  workerId: string;
  boss: PgBoss;
  stop(): Promise<void>;
}

/** Records that this worker is alive; health and Settings read the latest beat. */
export async function recordHeartbeat(db: Db, worker: { workerId: string; startedAt: Date }): Promise<void> {
  const at = getClock().now();
  await db.workerHeartbeat.upsert({
    where: { workerId: worker.workerId },
    create: { workerId: worker.workerId, hostname: hostname(), pid: process.pid, startedAt: worker.startedAt, lastBeatAt: at },
    update: { lastBeatAt: at },
  });
}

/**
 * Starts a pg-boss worker on the product's database. Several workers may share one database:
 * pg-boss hands each job to one of them and coordinates cron schedules itself.
 */
export async function startWorker(options: { connectionString: string; db: Db; heartbeatCron: string; log?: (line: string) => void }): Promise<RunningWorker> {
  const log = options.log ?? (() => {});
  const workerId = `${hostname()}:${process.pid}`;
  const startedAt = getClock().now();
  // A small pool: on the embedded database every connection shares one session anyway.
  const boss = new PgBoss({ connectionString: options.connectionString, max: 4, schema: "pgboss" });
  boss.on("error", (error) => log(`queue error: ${error.message}`));
  await boss.start();

  await boss.createQueue(QUEUES.heartbeat);
  await boss.work(QUEUES.heartbeat, async () => {
    await recordHeartbeat(options.db, { workerId, startedAt });
  });
  await boss.schedule(QUEUES.heartbeat, options.heartbeatCron, {}, { singletonKey: "heartbeat" });
  // Beat once now rather than waiting up to a minute for the first scheduled run.
  await boss.send(QUEUES.heartbeat, {});
  log(`worker ${workerId} started (heartbeat ${options.heartbeatCron})`);

  return {
    workerId,
    boss,
    async stop() {
      await boss.stop({ graceful: true, timeout: 10_000, wait: true });
    },
  };
}
