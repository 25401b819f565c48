import { appendFile, mkdir, open } from "node:fs/promises";
import path from "node:path";
import type { Db } from "@/lib/db/client";

/**
 * The chain head copied outside the database (DESIGN §5): one JSON line per copy in
 * `<data dir>/audit-chain-heads.jsonl`. Someone able to rewrite the audit table (a superuser can
 * disable its triggers) can recompute every hash after the rows they changed, and the chain then
 * verifies; the copies, kept where that person would also have to reach, say what event N's hash
 * was, and that event N existed.
 */
export interface ChainHead {
  /** When the copy was made (the clock's ISO instant). */
  recordedAt: string;
  seq: string;
  hash: string;
  checkedEvents: number;
}

export const CHAIN_HEAD_FILE = "audit-chain-heads.jsonl";

export function chainHeadPath(dir: string): string {
  return path.join(dir, CHAIN_HEAD_FILE);
}

function isChainHead(value: unknown): value is ChainHead {
  if (value === null || typeof value !== "object") return false;
  const head = value as Record<string, unknown>;
  return typeof head.seq === "string" && /^\d+$/.test(head.seq) && typeof head.hash === "string" && /^[0-9a-f]{64}$/.test(head.hash) && typeof head.recordedAt === "string";
}

/**
 * Every copied head, oldest first; none when the file does not exist yet. A line that does not
 * parse (a write torn by a crash) is skipped, not fatal: the other copies still count.
 */
export async function readChainHeads(dir: string): Promise<ChainHead[]> {
  let text: string;
  try {
    const handle = await open(chainHeadPath(dir), "r");
    try {
      text = await handle.readFile("utf8");
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const heads: ChainHead[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (isChainHead(parsed)) heads.push(parsed);
    } catch {
      // A torn line: skip it.
    }
  }
  return heads;
}

/** Appends one copy (a whole line in one write, so a crash leaves at most one torn line). */
export async function appendChainHead(dir: string, head: ChainHead): Promise<void> {
  await mkdir(dir, { recursive: true });
  await appendFile(chainHeadPath(dir), `${JSON.stringify(head)}\n`, { encoding: "utf8", mode: 0o600 });
}

/**
 * The earliest copied head the database no longer agrees with: its event is gone, or holds
 * another hash. Null when every copy still matches.
 */
export async function checkAgainstChainHeads(db: Db, heads: readonly ChainHead[]): Promise<{ seq: string; problem: string } | null> {
  if (heads.length === 0) return null;
  const seqs = [...new Set(heads.map((head) => head.seq))].map((seq) => BigInt(seq));
  const rows = await db.auditEvent.findMany({ where: { seq: { in: seqs } }, select: { seq: true, hash: true } });
  const stored = new Map(rows.map((row) => [row.seq.toString(), row.hash]));
  const ordered = [...heads].sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : BigInt(a.seq) > BigInt(b.seq) ? 1 : 0));
  for (const head of ordered) {
    const hash = stored.get(head.seq);
    if (hash === undefined) {
      return { seq: head.seq, problem: `it is missing, but its hash was copied outside the database at ${head.recordedAt} (events were removed: the chain was cut or rewritten)` };
    }
    if (hash !== head.hash) {
      return { seq: head.seq, problem: `its hash differs from the copy made outside the database at ${head.recordedAt} (the chain was rewritten from this event or an earlier one)` };
    }
  }
  return null;
}
