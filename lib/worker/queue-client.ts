import PgBoss from "pg-boss";
import { getEnv } from "@/lib/env";

const globalForQueue = globalThis as unknown as { pipelineHealthQueue?: Promise<PgBoss> };

/**
 * A send-only pg-boss for the web process (route handlers enqueue, workers run). It neither
 * supervises nor schedules: that is the workers' job.
 */
export function getQueueClient(): Promise<PgBoss> {
  globalForQueue.pipelineHealthQueue ??= (async () => {
    const url = getEnv().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set in this process.");
    const boss = new PgBoss({ connectionString: url, max: 2, schema: "pgboss", supervise: false, schedule: false });
    boss.on("error", (error) => console.error(`[pipeline-health] queue error: ${error.message}`));
    await boss.start();
    return boss;
  })();
  return globalForQueue.pipelineHealthQueue;
}
