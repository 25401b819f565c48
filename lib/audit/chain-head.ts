import path from "node:path";
import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { type AuditVerificationResult, verifyAndRecordAuditChain } from "@/lib/audit/verify-audit";
import { type ChainHead, appendChainHead, chainHeadPath, readChainHeads } from "@/lib/audit/chain-head-file";

export { type ChainHead, chainHeadPath, readChainHeads } from "@/lib/audit/chain-head-file";

/**
 * When the worker verifies the chain and copies its head: hourly, at minute 7 (off the hour, when
 * other schedules crowd). A verification walks the whole chain, about a second per few hundred
 * thousand events, so more often buys little; the copy bounds what a rewrite could hide to an hour.
 */
export const AUDIT_CHAIN_JOB_CRON = "7 * * * *";
/** The pg-boss queue name suggested for the job. */
export const AUDIT_CHAIN_QUEUE = "audit.chain";

export interface ChainHeadRecord {
  result: AuditVerificationResult;
  /** The file the head is copied to. */
  file: string;
  /** Whether a new line was written: only for a verified chain with a new head. */
  appended: boolean;
}

/** The one log line of a verification, greppable in any log store: `audit chain head seq=… hash=… ok=…`. */
export function chainHeadLogLine(result: AuditVerificationResult): string {
  const broken = result.firstBroken ? ` first_broken=${result.firstBroken.seq} problem=${JSON.stringify(result.firstBroken.problem)}` : "";
  return `audit chain head seq=${result.headSeq ?? "none"} hash=${result.headHash ?? "none"} ok=${result.ok} events=${result.checkedEvents}${broken}`;
}

/**
 * Verifies the chain against the database and against every head copied so far, records the
 * result (AuditVerification, for the page's badge), logs one line, and copies the new head to
 * `<dir>/audit-chain-heads.jsonl`. A broken chain's head is not copied: it would vouch for a
 * history that does not verify (the log line still says where it broke).
 */
export async function recordChainHead(db: Db, clock: Clock, dir: string, log: (line: string) => void = console.log): Promise<ChainHeadRecord> {
  const heads = await readChainHeads(dir);
  const result = await verifyAndRecordAuditChain(db, { heads, clock });
  log(chainHeadLogLine(result));
  const last = heads.at(-1);
  const file = chainHeadPath(dir);
  if (!result.ok || result.headSeq === null || result.headHash === null) return { result, file, appended: false };
  if (last && last.seq === result.headSeq && last.hash === result.headHash) return { result, file, appended: false };
  const head: ChainHead = { recordedAt: clock.now().toISOString(), seq: result.headSeq, hash: result.headHash, checkedEvents: result.checkedEvents };
  await appendChainHead(dir, head);
  return { result, file, appended: true };
}

/** Where the heads are copied by default: the data folder (`PIPELINE_HEALTH_DATA_DIR`, default `.data`). */
export function defaultChainHeadDir(): string {
  return path.resolve(getEnv().PIPELINE_HEALTH_DATA_DIR);
}

/**
 * The worker job: verify, record, log, copy the head. Returns the verification; a broken chain is
 * reported (log line, AuditVerification row, the page's badge), not thrown, so the queue does not
 * retry a verdict that will not change.
 */
export async function runAuditChainJob(db: Db, clock: Clock, options: { dataDir?: string; log?: (line: string) => void } = {}): Promise<ChainHeadRecord> {
  return await recordChainHead(db, clock, options.dataDir ?? defaultChainHeadDir(), options.log);
}
