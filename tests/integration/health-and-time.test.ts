import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { createPrismaClient } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { listMigrations } from "@/lib/db/migrate";
import { getHealth } from "@/lib/data/health/get-health";
import type { ViewerContext } from "@/lib/data/viewer";
import { bucketStartSql } from "@/lib/time/buckets";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

const ctx: ViewerContext = { viewer: { kind: "anonymous" }, requestId: "test-request", clientIp: null, clock: frozenClock("2026-11-27T09:00:00Z") };

describe("health", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it("reports a reachable database and the latest applied migration", async () => {
    const health = await getHealth(ctx, database.db);
    expect(health).toMatchObject({
      status: "ok",
      database: { reachable: true, error: null },
      migrations: { applied: listMigrations().length, latest: listMigrations().at(-1)!.name, pending: [] },
      workers: { running: 0, lastQueueJobAt: null },
      checkedAt: "2026-11-27T09:00:00.000Z",
    });
    expect(health.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("reports an unreachable database as unavailable without throwing", async () => {
    const unreachable = createPrismaClient("postgresql://postgres:postgres@127.0.0.1:1/postgres");
    const health = await getHealth(ctx, unreachable);
    expect(health).toMatchObject({ status: "unavailable", database: { reachable: false, latencyMs: null, error: "connection refused" }, migrations: { latest: null }, workers: { running: null } });
    await unreachable.$disconnect();
  });

  it("buckets days and Monday weeks in ORG_TIMEZONE", async () => {
    // 23:30 UTC on Sunday 1 March is already Monday 2 March in Berlin.
    const instant = Prisma.sql`${new Date("2026-03-01T23:30:00Z")}::timestamptz`;
    const [row] = await database.db.$queryRaw<{ utcDay: Date; berlinDay: Date; utcWeek: Date; berlinWeek: Date; tokyoDay: Date }[]>(Prisma.sql`
      SELECT ${bucketStartSql(instant, "day", "UTC")} AS "utcDay", ${bucketStartSql(instant, "day", "Europe/Berlin")} AS "berlinDay",
             ${bucketStartSql(instant, "week", "UTC")} AS "utcWeek", ${bucketStartSql(instant, "week", "Europe/Berlin")} AS "berlinWeek",
             ${bucketStartSql(Prisma.sql`${new Date("2026-03-01T14:59:59Z")}::timestamptz`, "day", "Asia/Tokyo")} AS "tokyoDay"`);
    const day = (value: Date) => value.toISOString().slice(0, 10);
    expect(day(row!.utcDay)).toBe("2026-03-01");
    expect(day(row!.berlinDay)).toBe("2026-03-02");
    expect(day(row!.utcWeek)).toBe("2026-02-23");
    expect(day(row!.berlinWeek)).toBe("2026-03-02");
    expect(day(row!.tokyoDay)).toBe("2026-03-01");
  });
});
