import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock, setClock } from "@/lib/clock";
import { getHealth } from "@/lib/data/health/get-health";
import { type RunningWorker, startWorker } from "@/lib/worker/run-worker";
import { WORKER_ALIVE_WITHIN_MS } from "@/lib/worker/liveness";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

async function eventually<T>(read: () => Promise<T | null | undefined>, what: string): Promise<T> {
  for (let attempt = 0; attempt < 80; attempt++) {
    const value = await read();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("worker", () => {
  let database: TestDatabase;
  const workers: RunningWorker[] = [];
  const clock = frozenClock("2026-11-27T08:00:00Z");
  let restoreClock: () => void;

  beforeAll(async () => {
    restoreClock = setClock(clock);
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    restoreClock();
    await database?.close();
  });

  it("marks itself alive and runs the heartbeat job through the queue", async () => {
    const worker = await startWorker({ connectionString: database.url, db: database.db });
    workers.push(worker);
    const beat = await eventually(() => database.db.workerHeartbeat.findFirst({ where: { workerId: worker.workerId, lastJobAt: { not: null } } }), "the heartbeat job");
    expect(beat).toMatchObject({ workerId: worker.workerId, pid: process.pid });
    expect(beat.lastBeatAt.toISOString()).toBe("2026-11-27T08:00:00.000Z");
    expect(beat.lastJobAt!.toISOString()).toBe("2026-11-27T08:00:00.000Z");
  });

  it("keeps one cron schedule however many workers start, and health counts the live ones", async () => {
    const second = await startWorker({ connectionString: database.url, db: database.db });
    workers.push(second);
    const schedules = await database.db.$queryRaw<{ name: string; cron: string }[]>`SELECT name, cron FROM pgboss.schedule ORDER BY name`;
    expect(schedules).toEqual([
      { name: "audit.chain", cron: "7 * * * *" },
      { name: "source.sync-all", cron: "*/5 * * * *" },
      { name: "sync.sweep", cron: "* * * * *" },
      { name: "system.heartbeat", cron: "* * * * *" },
    ]);

    const ctx = { viewer: { kind: "anonymous", role: "VIEWER" } as const, requestId: "t", clientIp: null, clock };
    const health = await getHealth(ctx, database.db);
    expect(health.workers).toEqual({ running: 2, lastQueueJobAt: "2026-11-27T08:00:00.000Z" });

    // Three missed beats later the workers count as gone.
    clock.advance(WORKER_ALIVE_WITHIN_MS + 1);
    expect((await getHealth(ctx, database.db)).workers.running).toBe(0);
  });
});
