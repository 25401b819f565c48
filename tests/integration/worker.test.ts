import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock, setClock } from "@/lib/clock";
import { type RunningWorker, startWorker } from "@/lib/worker/run-worker";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

describe("worker", () => {
  let database: TestDatabase;
  const workers: RunningWorker[] = [];
  let restoreClock: () => void;

  beforeAll(async () => {
    restoreClock = setClock(frozenClock("2026-11-27T08:00:00Z"));
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    restoreClock();
    await database?.close();
  });

  it("runs its heartbeat job through the queue and records the beat", async () => {
    const worker = await startWorker({ connectionString: database.url, db: database.db, heartbeatCron: "* * * * *" });
    workers.push(worker);
    let beat = null;
    for (let attempt = 0; attempt < 60 && !beat; attempt++) {
      beat = await database.db.workerHeartbeat.findUnique({ where: { workerId: worker.workerId } });
      if (!beat) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(beat).toMatchObject({ workerId: worker.workerId, pid: process.pid });
    expect(beat!.lastBeatAt.toISOString()).toBe("2026-11-27T08:00:00.000Z");
    // The cron schedule is registered once in the queue, however many workers start.
    const schedules = await database.db.$queryRaw<{ name: string; cron: string }[]>`SELECT name, cron FROM pgboss.schedule`;
    expect(schedules).toEqual([{ name: "system.heartbeat", cron: "* * * * *" }]);
  });
});
