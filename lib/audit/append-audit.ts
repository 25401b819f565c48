import type { Db, DbTransaction } from "@/lib/db/client";
import { type ActorKind, Prisma } from "@/lib/db/generated/client";
import { getClock } from "@/lib/clock";
import { GENESIS_HASH, computeAuditHash } from "@/lib/audit/hash";

/** Serialises appends so that concurrent writers never read the same head and fork the chain. */
export const AUDIT_LOCK_KEY = 7_223_117_301_550_002n;

export interface AuditActor {
  kind: ActorKind;
  id?: string | null;
  display: string;
  personId?: string | null;
}

export interface AppendAuditInput {
  occurredAt: Date;
  actor: AuditActor;
  /** Verb in past tense with a namespace, e.g. `deployment.recorded`, `sync.approved`. */
  action: string;
  target: { type: string; id: string; display?: string | null };
  serviceId?: string | null;
  outcome: "success" | "failure" | "denied" | "info";
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
  /** Where the event came from: `dashboard`, `github`, `argocd`, `worker`, … */
  source: string;
  /** Set for events re-ingested from a source: a second append with the same key is a no-op. */
  dedupeKey?: string | null;
  requestId?: string | null;
  clientIp?: string | null;
  metadata?: Prisma.InputJsonValue | null;
}

export interface AppendAuditResult {
  seq: bigint;
  hash: string;
  /** False when the dedupe key was already recorded and nothing was appended. */
  appended: boolean;
}

/**
 * Appends one event to the hash chain. Runs inside the caller's transaction when given one, so a
 * state change and its audit event commit together; otherwise in a short transaction of its own.
 * The chain head is read under `pg_advisory_xact_lock`, released at commit (DESIGN §5, §10).
 */
export async function appendAudit(db: Db | DbTransaction, input: AppendAuditInput): Promise<AppendAuditResult> {
  if ("$transaction" in db) return await db.$transaction((tx) => appendInTransaction(tx, input));
  return await appendInTransaction(db, input);
}

/**
 * Appends many events in order under one lock and one head read (ingestion records thousands at a
 * time). Events whose dedupe key is already recorded are skipped. Returns how many were appended.
 */
export async function appendAuditMany(tx: DbTransaction, inputs: AppendAuditInput[]): Promise<number> {
  if (inputs.length === 0) return 0;
  await lockChain(tx);
  const keys = inputs.map((input) => input.dedupeKey).filter((key): key is string => !!key);
  const known = new Set(
    keys.length ? (await tx.auditEvent.findMany({ where: { dedupeKey: { in: keys } }, select: { dedupeKey: true } })).map((row) => row.dedupeKey) : [],
  );
  const head = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
  let prevHash = head?.hash ?? GENESIS_HASH;
  const recordedAt = truncateToMillis(getClock().now());
  const rows: Prisma.AuditEventCreateManyInput[] = [];
  for (const input of inputs) {
    if (input.dedupeKey && known.has(input.dedupeKey)) continue;
    if (input.dedupeKey) known.add(input.dedupeKey);
    const fields = hashedFields(input, prevHash, recordedAt);
    const hash = computeAuditHash(fields);
    rows.push({ ...fields, before: json(fields.before), after: json(fields.after), metadata: json(fields.metadata), hash });
    prevHash = hash;
  }
  // createMany keeps the array order, so sequence numbers follow the chain.
  for (let start = 0; start < rows.length; start += 500) await tx.auditEvent.createMany({ data: rows.slice(start, start + 500) });
  return rows.length;
}

/**
 * Takes the chain lock. The head must then be read with a fresh snapshot, which only READ
 * COMMITTED gives: under REPEATABLE READ a caller's older snapshot would miss appends made while it
 * waited for the lock and fork the chain (the unique prevHash would then refuse the insert).
 */
async function lockChain(tx: DbTransaction): Promise<void> {
  const [setting] = await tx.$queryRaw<{ transaction_isolation: string }[]>`SHOW transaction_isolation`;
  if (setting?.transaction_isolation !== "read committed") {
    throw new Error(`appendAudit needs a READ COMMITTED transaction, not ${setting?.transaction_isolation ?? "unknown"}.`);
  }
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`;
}

// A JSON null would hash like SQL NULL but read back differently; store absent values as SQL NULL.
function json(value: Prisma.InputJsonValue | null) {
  return value === null ? Prisma.DbNull : value;
}

function hashedFields(input: AppendAuditInput, prevHash: string, recordedAt: Date) {
  return {
    occurredAt: truncateToMillis(input.occurredAt),
    recordedAt,
    dedupeKey: input.dedupeKey ?? null,
    actorKind: input.actor.kind,
    actorId: input.actor.id ?? null,
    actorDisplay: input.actor.display,
    personId: input.actor.personId ?? null,
    action: input.action,
    targetType: input.target.type,
    targetId: input.target.id,
    targetDisplay: input.target.display ?? null,
    serviceId: input.serviceId ?? null,
    outcome: input.outcome,
    before: input.before ?? null,
    after: input.after ?? null,
    source: input.source,
    requestId: input.requestId ?? null,
    clientIp: input.clientIp ?? null,
    metadata: input.metadata ?? null,
    prevHash,
  };
}

async function appendInTransaction(tx: DbTransaction, input: AppendAuditInput): Promise<AppendAuditResult> {
  await lockChain(tx);
  if (input.dedupeKey) {
    const existing = await tx.auditEvent.findUnique({ where: { dedupeKey: input.dedupeKey }, select: { seq: true, hash: true } });
    if (existing) return { ...existing, appended: false };
  }
  const head = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
  const fields = hashedFields(input, head?.hash ?? GENESIS_HASH, truncateToMillis(getClock().now()));
  const hash = computeAuditHash(fields);
  const row = await tx.auditEvent.create({
    data: { ...fields, before: json(fields.before), after: json(fields.after), metadata: json(fields.metadata), hash },
    select: { seq: true, hash: true },
  });
  return { ...row, appended: true };
}

// timestamptz(3) keeps milliseconds; hashing a finer time would never verify after a round trip.
function truncateToMillis(date: Date): Date {
  return new Date(Math.floor(date.getTime()));
}
