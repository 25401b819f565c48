import type { Db } from "@/lib/db/client";
import type { AuditEvent } from "@/lib/db/generated/client";
import { GENESIS_HASH, computeAuditHash, hashedFieldsOf } from "@/lib/audit/hash";
import { type Clock, getClock } from "@/lib/clock";
import { type ChainHead, checkAgainstChainHeads } from "@/lib/audit/chain-head-file";

export interface AuditVerificationResult {
  ok: boolean;
  checkedEvents: number;
  headSeq: string | null;
  headHash: string | null;
  /** The first link that does not hold, with why. */
  firstBroken: { seq: string; problem: string } | null;
}

export interface VerifyAuditOptions {
  batchSize?: number;
  /**
   * Chain heads copied outside the database (`lib/audit/chain-head.ts`). A chain rewritten from
   * some event on, every hash recomputed, still links up; only a copy kept elsewhere shows that
   * event N once had another hash, or existed at all.
   */
  heads?: readonly ChainHead[];
}

/**
 * Walks the whole chain in sequence order (keyset batches, so memory stays flat on millions of
 * rows) and reports the first event whose stored hash, or whose link to the previous event, is
 * wrong; then compares the copied heads, if any, and reports whichever break comes first.
 */
export async function verifyAuditChain(db: Db, options: VerifyAuditOptions = {}): Promise<AuditVerificationResult> {
  const walked = await walkAuditChain(db, options.batchSize ?? 5_000);
  if (!options.heads?.length) return walked;
  const copied = await checkAgainstChainHeads(db, options.heads);
  if (!copied) return walked;
  if (walked.firstBroken && BigInt(walked.firstBroken.seq) <= BigInt(copied.seq)) return walked;
  return { ...walked, ok: false, firstBroken: copied };
}

async function walkAuditChain(db: Db, batchSize: number): Promise<AuditVerificationResult> {
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
        // A gap alone proves nothing (a rolled-back append consumes a seq); with a broken link it names what went missing.
        const expected = headSeq === null ? 1n : headSeq + 1n;
        const missing = row.seq > expected ? `; events ${expected}${row.seq - 1n > expected ? `–${row.seq - 1n}` : ""} are missing (removed)` : "";
        return broken(row.seq, checked, `its previous hash does not match event ${headSeq ?? "genesis"} (an event before it was removed, inserted or changed)${missing}`);
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
export async function verifyAndRecordAuditChain(db: Db, options: VerifyAuditOptions & { clock?: Clock } = {}): Promise<AuditVerificationResult> {
  const result = await verifyAuditChain(db, options);
  await db.auditVerification.create({
    data: {
      verifiedAt: (options.clock ?? getClock()).now(),
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
