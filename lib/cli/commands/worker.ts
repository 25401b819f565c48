import { createPrismaClient } from "@/lib/db/client";
import { resolveDatabase } from "@/lib/cli/database";
import { startWorker } from "@/lib/worker/run-worker";

/** `npm run worker`: one worker process; run several against one database to scale out. */
export async function runWorker(): Promise<number> {
  const database = await resolveDatabase();
  const db = createPrismaClient(database.url, { poolMax: 4 });
  const worker = await startWorker({ connectionString: database.url, db, log: (line) => console.log(`[worker] ${line}`) });
  return await new Promise<number>((resolve) => {
    const stop = () => {
      void (async () => {
        await worker.stop();
        await db.$disconnect();
        await database.release();
        resolve(0);
      })();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
