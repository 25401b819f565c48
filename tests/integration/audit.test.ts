import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type AppendAuditInput, appendAudit, appendAuditMany } from "@/lib/audit/append-audit";
import { GENESIS_HASH } from "@/lib/audit/hash";
import { verifyAndRecordAuditChain, verifyAuditChain } from "@/lib/audit/verify-audit";
import { frozenClock, setClock } from "@/lib/clock";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

function event(action: string, extra: Partial<AppendAuditInput> = {}): AppendAuditInput {
  return {
    occurredAt: new Date("2026-11-01T10:00:00.000Z"),
    actor: { kind: "SYSTEM", display: "test" },
    action,
    target: { type: "deployment", id: "d-1", display: "api → production" },
    outcome: "success",
    source: "test",
    before: { status: "IN_PROGRESS" },
    after: { status: "SUCCESS", nested: { b: 2, a: [1, { z: true, y: null }] } },
    ...extra,
  };
}

describe("audit trail core", () => {
  let database: TestDatabase;
  let sql: pg.Client;
  const clock = frozenClock("2026-11-27T12:00:00.000Z");
  let restoreClock: () => void;

  beforeAll(async () => {
    restoreClock = setClock(clock);
    database = await createTestDatabase();
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  });
  afterAll(async () => {
    restoreClock();
    await sql?.end();
    await database?.close();
  });
  beforeEach(async () => {
    // Each case starts from an empty chain; the triggers must be bypassed to clear it, which only the test does.
    await sql.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
    await sql.query(`DELETE FROM "AuditEvent"`);
    await sql.query(`ALTER TABLE "AuditEvent" ENABLE ALWAYS TRIGGER "AuditEvent_reject_update_delete"`);
    await sql.query(`ALTER TABLE "AuditEvent" ENABLE ALWAYS TRIGGER "AuditEvent_reject_truncate"`);
  });

  it("links each event to the one before it and verifies", async () => {
    const first = await appendAudit(database.db, event("deployment.recorded"));
    clock.advance(1_000);
    const second = await appendAudit(database.db, event("deployment.finished"));
    const rows = await database.db.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(rows.map((row) => row.prevHash)).toEqual([GENESIS_HASH, first.hash]);
    expect(rows.map((row) => row.hash)).toEqual([first.hash, second.hash]);
    expect(rows[1]!.recordedAt.toISOString()).toBe("2026-11-27T12:00:01.000Z");
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, checkedEvents: 2, headSeq: second.seq.toString(), headHash: second.hash, firstBroken: null });
  });

  it("appends a re-ingested event only once (dedupe key)", async () => {
    const first = await appendAudit(database.db, event("deployment.recorded", { dedupeKey: "github:deployment:42:success" }));
    const again = await appendAudit(database.db, event("deployment.recorded", { dedupeKey: "github:deployment:42:success" }));
    expect(first.appended).toBe(true);
    expect(again).toEqual({ seq: first.seq, hash: first.hash, appended: false });
    expect(await database.db.auditEvent.count()).toBe(1);
  });

  it("never forks the chain under concurrent writers", async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => appendAudit(database.db, event(`concurrent.${i}`))));
    const rows = await database.db.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(rows).toHaveLength(30);
    expect(new Set(rows.map((row) => row.prevHash)).size).toBe(30);
    expect((await verifyAuditChain(database.db, { batchSize: 7 })).ok).toBe(true);
  });

  it("commits with the caller's transaction and disappears with its rollback", async () => {
    await expect(
      database.db.$transaction(async (tx) => {
        await appendAudit(tx, event("sync.requested"));
        throw new Error("the state change failed");
      }),
    ).rejects.toThrow("the state change failed");
    expect(await database.db.auditEvent.count()).toBe(0);
  });

  it("rejects UPDATE, DELETE and TRUNCATE for the owner and superuser, replica mode included", async () => {
    await appendAudit(database.db, event("deployment.recorded"));
    const role = await sql.query<{ rolsuper: boolean }>(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`);
    expect(role.rows[0]!.rolsuper).toBe(true);
    await expect(sql.query(`UPDATE "AuditEvent" SET action = 'forged'`)).rejects.toThrow(/append-only: UPDATE/);
    await expect(sql.query(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only: DELETE/);
    await expect(sql.query(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only: TRUNCATE/);
    // Refused even when nothing matches: the statement itself is not allowed.
    await expect(sql.query(`DELETE FROM "AuditEvent" WHERE false`)).rejects.toThrow(/append-only: DELETE/);
    await sql.query(`SET session_replication_role = replica`);
    try {
      await expect(sql.query(`UPDATE "AuditEvent" SET action = 'forged'`)).rejects.toThrow(/append-only: UPDATE/);
    } finally {
      await sql.query(`SET session_replication_role = origin`);
    }
    expect((await database.db.auditEvent.findFirstOrThrow()).action).toBe("deployment.recorded");
  });

  it("refuses to append inside a REPEATABLE READ transaction, whose snapshot could fork the chain", async () => {
    await expect(
      database.db.$transaction((tx) => appendAudit(tx, event("sync.requested")), { isolationLevel: "RepeatableRead" }),
    ).rejects.toThrow("appendAudit needs a READ COMMITTED transaction, not repeatable read.");
    expect(await database.db.auditEvent.count()).toBe(0);
  });

  it("appends a batch as one chain, skipping keys already recorded", async () => {
    await appendAudit(database.db, event("first", { dedupeKey: "k1" }));
    const appended = await database.db.$transaction((tx) =>
      appendAuditMany(tx, [event("a", { dedupeKey: "k1" }), event("b", { dedupeKey: "k2" }), event("c", { dedupeKey: "k2" }), event("d")]),
    );
    expect(appended).toBe(2);
    const rows = await database.db.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(rows.map((row) => row.action)).toEqual(["first", "b", "d"]);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it("names the first broken link when a row is changed or removed behind the triggers' back", async () => {
    const appended = [];
    for (let i = 0; i < 5; i++) appended.push(await appendAudit(database.db, event(`step.${i}`)));
    await sql.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_reject_update_delete"`);
    await sql.query(`UPDATE "AuditEvent" SET outcome = 'failure' WHERE seq = $1`, [appended[3]!.seq.toString()]);
    let result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toEqual({ seq: appended[3]!.seq.toString(), problem: "its contents do not match its hash (the row was changed)" });

    await sql.query(`DELETE FROM "AuditEvent" WHERE seq = $1`, [appended[1]!.seq.toString()]);
    result = await verifyAndRecordAuditChain(database.db);
    expect(result.firstBroken?.seq).toBe(appended[2]!.seq.toString());
    expect(result.firstBroken?.problem).toMatch(/previous hash does not match/);
    const recorded = await database.db.auditVerification.findFirstOrThrow({ orderBy: { verifiedAt: "desc" } });
    expect(recorded).toMatchObject({ ok: false, firstBrokenSeq: appended[2]!.seq });
  });
});
