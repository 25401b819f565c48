import { createHash } from "node:crypto";

/** The hash that precedes the first event of the chain. */
export const GENESIS_HASH = "0".repeat(64);

/** The fields of an audit event that its hash covers (everything but the sequence number and the hash). */
export interface HashedAuditFields {
  occurredAt: Date;
  recordedAt: Date;
  dedupeKey: string | null;
  actorKind: string;
  actorId: string | null;
  actorDisplay: string;
  personId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  targetDisplay: string | null;
  serviceId: string | null;
  outcome: string;
  before: unknown;
  after: unknown;
  source: string;
  requestId: string | null;
  clientIp: string | null;
  metadata: unknown;
  prevHash: string;
}

/**
 * JSON with object keys sorted at every depth. Postgres `jsonb` reorders keys, so the hash must
 * not depend on the order a caller (or the database) happened to use.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  return JSON.stringify(value);
}

/** SHA-256 (hex) over the canonical form of the event, which includes the previous event's hash. */
export function computeAuditHash(fields: HashedAuditFields): string {
  return createHash("sha256").update(canonicalJson(fields), "utf8").digest("hex");
}

const HASHED_KEYS = [
  "occurredAt",
  "recordedAt",
  "dedupeKey",
  "actorKind",
  "actorId",
  "actorDisplay",
  "personId",
  "action",
  "targetType",
  "targetId",
  "targetDisplay",
  "serviceId",
  "outcome",
  "before",
  "after",
  "source",
  "requestId",
  "clientIp",
  "metadata",
  "prevHash",
] as const satisfies readonly (keyof HashedAuditFields)[];

/**
 * Exactly the hashed fields of a stored row. Appender and verifier both go through this, so a
 * column added to the table later never changes what old rows hash to.
 */
export function hashedFieldsOf(row: HashedAuditFields): HashedAuditFields {
  const picked = {} as Record<(typeof HASHED_KEYS)[number], unknown>;
  for (const key of HASHED_KEYS) picked[key] = row[key];
  return picked as unknown as HashedAuditFields;
}
