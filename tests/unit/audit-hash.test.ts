import { describe, expect, it } from "vitest";
import { GENESIS_HASH, type HashedAuditFields, canonicalJson, computeAuditHash } from "@/lib/audit/hash";

const base: HashedAuditFields = {
  occurredAt: new Date("2026-11-01T10:00:00.000Z"),
  recordedAt: new Date("2026-11-01T10:00:01.000Z"),
  dedupeKey: null,
  actorKind: "PERSON",
  actorId: "p-1",
  actorDisplay: "Ada",
  personId: null,
  action: "sync.approved",
  targetType: "sync_request",
  targetId: "s-1",
  targetDisplay: null,
  serviceId: null,
  outcome: "success",
  before: { status: "PENDING" },
  after: { status: "APPROVED" },
  source: "dashboard",
  requestId: "r-1",
  clientIp: "127.0.0.1",
  metadata: null,
  prevHash: GENESIS_HASH,
};

describe("audit hash", () => {
  it("does not depend on key order, as jsonb reorders keys", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(computeAuditHash({ ...base, after: { status: "APPROVED", by: "x" } })).toBe(computeAuditHash({ ...base, after: { by: "x", status: "APPROVED" } }));
  });

  it("changes when any covered field changes, the previous hash included", () => {
    const original = computeAuditHash(base);
    expect(original).toMatch(/^[0-9a-f]{64}$/);
    const variants: Partial<HashedAuditFields>[] = [
      { action: "sync.rejected" },
      { outcome: "denied" },
      { occurredAt: new Date("2026-11-01T10:00:00.001Z") },
      { before: { status: "APPROVED" } },
      { actorDisplay: "Eve" },
      { prevHash: "f".repeat(64) },
      { clientIp: null },
    ];
    for (const variant of variants) expect(computeAuditHash({ ...base, ...variant })).not.toBe(original);
  });
});
