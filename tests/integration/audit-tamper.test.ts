import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type AppendAuditInput, appendAuditMany } from "@/lib/audit/append-audit";
import { computeAuditHash, hashedFieldsOf } from "@/lib/audit/hash";
import { AUDIT_CHAIN_JOB_CRON, chainHeadPath, readChainHeads, recordChainHead, runAuditChainJob } from "@/lib/audit/chain-head";
import { verifyAuditChain } from "@/lib/audit/verify-audit";
import { frozenClock, setClock } from "@/lib/clock";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * Someone with the table owner's or a superuser's rights can switch the append-only triggers off
 * (migration 20261127160100_audit_append_only). These tests do exactly that and check that the
 * verifier names the event that was changed or removed, and that a tail rewritten with freshly
 * recomputed hashes (which links up again) is caught by the head copied outside the database.
 */
describe("audit chain tampering", () => {
  let database: TestDatabase;
  let sql: pg.Client;
  const clock = frozenClock("2026-12-01T12:00:00.000Z");
  let restoreClock: () => void;

  const event = (i: number): AppendAuditInput => ({
    occurredAt: new Date(Date.UTC(2026, 10, 1) + i * 60_000),
    actor: { kind: "SOURCE", id: "bob", display: "bob" },
    action: "deployment.success",
    target: { type: "deployment", id: `github_deployment:${i}`, display: `acme/api → production` },
    outcome: "success",
    source: "github",
    after: { index: i },
  });

  /** Runs `statement` with the append-only triggers off, as an attacker with owner rights could. */
  async function tamper(statement: string, values: unknown[] = []): Promise<void> {
    await sql.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
    try {
      await sql.query(statement, values);
    } finally {
      await sql.query(`ALTER TABLE "AuditEvent" ENABLE ALWAYS TRIGGER "AuditEvent_reject_update_delete"`);
      await sql.query(`ALTER TABLE "AuditEvent" ENABLE ALWAYS TRIGGER "AuditEvent_reject_truncate"`);
    }
  }

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
    await tamper(`DELETE FROM "AuditEvent"`);
    await sql.query(`DELETE FROM "AuditVerification"`);
    await sql.query(`ALTER SEQUENCE "AuditEvent_seq_seq" RESTART WITH 1`);
    await database.db.$transaction((tx) => appendAuditMany(tx, Array.from({ length: 10 }, (_, i) => event(i + 1))));
  });

  it("still refuses UPDATE and DELETE with the triggers on", async () => {
    await expect(sql.query(`UPDATE "AuditEvent" SET outcome = 'failure' WHERE seq = 4`)).rejects.toThrow(/append-only/);
    await expect(sql.query(`DELETE FROM "AuditEvent" WHERE seq = 4`)).rejects.toThrow(/append-only/);
  });

  it("names exactly the changed event", async () => {
    await tamper(`UPDATE "AuditEvent" SET outcome = 'failure' WHERE seq = 4`);
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toEqual({ seq: "4", problem: "its contents do not match its hash (the row was changed)" });
    expect(result.headSeq).toBe("3");
  });

  it("names the event after a deleted one, and the missing seq", async () => {
    await tamper(`DELETE FROM "AuditEvent" WHERE seq = 6`);
    const result = await verifyAuditChain(database.db);
    expect(result.firstBroken?.seq).toBe("7");
    expect(result.firstBroken?.problem).toMatch(/does not match event 5 .*events 6 are missing/);
  });

  it("catches a tail rewritten with recomputed hashes through the copied head, and says so in the job", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ph-audit-heads-"));
    const lines: string[] = [];
    const first = await runAuditChainJob(database.db, clock, { dataDir: dir, log: (line) => lines.push(line) });
    expect(first).toMatchObject({ appended: true, result: { ok: true, headSeq: "10" } });
    expect(lines[0]).toMatch(/^audit chain head seq=10 hash=[0-9a-f]{64} ok=true events=10$/);
    const heads = await readChainHeads(dir);
    expect(heads).toEqual([{ recordedAt: "2026-12-01T12:00:00.000Z", seq: "10", hash: first.result.headHash, checkedEvents: 10 }]);
    // A second run with nothing new copies nothing.
    expect((await recordChainHead(database.db, clock, dir, () => {})).appended).toBe(false);

    // Rewrite events 8..10 (change 8, recompute every hash after it) so that the chain links up again.
    const rows = await database.db.auditEvent.findMany({ where: { seq: { gte: 7n } }, orderBy: { seq: "asc" } });
    let prevHash = rows[0]!.hash;
    await sql.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
    // prevHash and hash are unique: move the old tail out of the way first.
    await sql.query(`UPDATE "AuditEvent" SET "prevHash" = 'x' || seq, hash = 'y' || seq WHERE seq >= 8`);
    for (const row of rows.slice(1)) {
      const changed = { ...row, outcome: row.seq === 8n ? "failure" : row.outcome, prevHash };
      const hash = computeAuditHash(hashedFieldsOf(changed));
      await sql.query(`UPDATE "AuditEvent" SET outcome = $1, "prevHash" = $2, hash = $3 WHERE seq = $4`, [changed.outcome, prevHash, hash, row.seq.toString()]);
      prevHash = hash;
    }
    await sql.query(`ALTER TABLE "AuditEvent" ENABLE ALWAYS TRIGGER "AuditEvent_reject_update_delete"`);
    await sql.query(`ALTER TABLE "AuditEvent" ENABLE ALWAYS TRIGGER "AuditEvent_reject_truncate"`);

    // The walk alone is fooled...
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
    // ...the copied head is not.
    const second = await runAuditChainJob(database.db, clock, { dataDir: dir, log: (line) => lines.push(line) });
    expect(second.appended).toBe(false);
    expect(second.result.ok).toBe(false);
    expect(second.result.firstBroken).toEqual({ seq: "10", problem: expect.stringMatching(/hash differs from the copy made outside the database at 2026-12-01T12:00:00.000Z/) });
    expect(lines[1]).toMatch(/^audit chain head seq=10 hash=[0-9a-f]{64} ok=false events=10 first_broken=10 problem=".*rewritten/);
    // A broken chain's head is not copied: the file still holds the honest one.
    expect(readFileSync(chainHeadPath(dir), "utf8").trim().split("\n")).toHaveLength(1);
    // The badge reads the recorded verdict.
    const recorded = await database.db.auditVerification.findFirst({ orderBy: { verifiedAt: "desc" }, where: { ok: false } });
    expect(recorded).toMatchObject({ ok: false, firstBrokenSeq: 10n });
  });

  it("catches a truncated tail through the copied head", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ph-audit-heads-"));
    await runAuditChainJob(database.db, clock, { dataDir: dir, log: () => {} });
    await tamper(`DELETE FROM "AuditEvent" WHERE seq >= 9`);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
    const result = await verifyAuditChain(database.db, { heads: await readChainHeads(dir) });
    expect(result.firstBroken).toEqual({ seq: "10", problem: expect.stringMatching(/it is missing/) });
  });

  it("has an hourly schedule for the worker", () => {
    expect(AUDIT_CHAIN_JOB_CRON).toBe("7 * * * *");
  });
});
