import type { Db } from "@/lib/db/client";
import type { AuditEvent } from "@/lib/db/generated/client";
import { GENESIS_HASH, computeAuditHash, hashedFieldsOf } from "@/lib/audit/hash";
import { getClock } from "@/lib/clock";

export interface AuditVerificationResult {
  ok: boolean;
  checkedEvents: number;
  headSeq: string | null;
  headHash: string | null;
  /** The first link that does not hold, with why. */
  firstBroken: { seq: string; problem: string } | null;
}

/**
 * Walks the whole chain in sequence order (keyset batches, so memory stays flat on millions of
 * rows) and reports the first event whose stored hash, or whose link to the previous event, is wrong.
 */
export async function verifyAuditChain(db: Db, options: { batchSize?: number } = {}): Promise<AuditVerificationResult> {
  const batchSize = options.batchSize ?? 5_000;
  let prevHash = GENESIS_HASH;
  let afterSeq: bigint | null = null;
  let checked = 0;
  let headSeq: bigint | null = null;
  for (;;) {
    const rows: AuditEvent[] = await db.auditEvent.findMany({
      where: afterSeq === null ? {} : { seq: { gt: afterSeq } },
      orderBy: { seq: "asc" },
      take: batchSize,
    });
    if (rows.length === 0) break;
    for (const row of rows) {
      checked += 1;
      if (row.prevHash !== prevHash) {
        return broken(row.seq, checked, `its previous hash does not match event ${headSeq ?? "genesis"} (an event before it was removed, inserted or changed)`);
      }
      if (computeAuditHash(hashedFieldsOf(row)) !== row.hash) return broken(row.seq, checked, "its contents do not match its hash (the row was changed)");
      prevHash = row.hash;
      headSeq = row.seq;
    }
    afterSeq = rows.at(-1)!.seq;
  }
  return { ok: true, checkedEvents: checked, headSeq: headSeq?.toString() ?? null, headHash: headSeq === null ? null : prevHash, firstBroken: null };

  function broken(seq: bigint, count: number, problem: string): AuditVerificationResult {
    return { ok: false, checkedEvents: count, headSeq: headSeq?.toString() ?? null, headHash: headSeq === null ? null : prevHash, firstBroken: { seq: seq.toString(), problem } };
  }
}

/** Verifies and records the result, for the UI badge and the scheduled check. */
export async function verifyAndRecordAuditChain(db: Db): Promise<AuditVerificationResult> {
  const result = await verifyAuditChain(db);
  await db.auditVerification.create({
    data: {
      verifiedAt: getClock().now(),
      ok: result.ok,
      checkedEvents: result.checkedEvents,
      headSeq: result.headSeq === null ? null : BigInt(result.headSeq),
      headHash: result.headHash,
      firstBrokenSeq: result.firstBroken ? BigInt(result.firstBroken.seq) : null,
      problem: result.firstBroken?.problem ?? null,
    },
  });
  return result;
}
