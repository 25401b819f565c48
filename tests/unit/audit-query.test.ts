import { describe, expect, it } from "vitest";
import { auditLinksOf } from "@/lib/data/audit/audit-links";
import { normaliseSearch, resolveAuditWindow } from "@/lib/data/audit/audit-query";
import { auditListParamsSchema, auditPageUrl, auditExportUrl } from "@/lib/queries/audit";

describe("audit search text", () => {
  it("splits identifiers the way the index does, keeping websearch syntax", () => {
    expect(normaliseSearch("acme/payments-api#42")).toBe("acme payments api 42");
    expect(normaliseSearch('"api gateway" or web -failed')).toBe('"api gateway" or web -failed');
    expect(normaliseSearch("alice@example.com")).toBe("alice example com");
    expect(normaliseSearch("  --  ")).toBeNull();
    expect(normaliseSearch(undefined)).toBeNull();
  });
});

describe("audit parameters", () => {
  it("parse comma lists and are idempotent", () => {
    const parsed = auditListParamsSchema.parse({ service: "api, web,api", action: "sync.*", limit: "10" });
    expect(parsed).toEqual({ service: ["api", "web"], action: ["sync.*"], limit: 10 });
    expect(auditListParamsSchema.parse(parsed)).toEqual(parsed);
    expect(auditListParamsSchema.safeParse({ service: "," }).data).toEqual({});
  });
  it("refuse a range with from/to, and from after to", () => {
    expect(auditListParamsSchema.safeParse({ range: "7d", to: "2026-01-01T00:00:00Z" }).success).toBe(false);
    expect(auditListParamsSchema.safeParse({ from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }).success).toBe(false);
  });
  it("resolve a range against the clock", () => {
    expect(resolveAuditWindow({ range: "24h" }, new Date("2026-01-02T00:00:00Z"))).toEqual({ from: new Date("2026-01-01T00:00:00Z"), to: null });
  });
  it("build page and export URLs", () => {
    expect(auditPageUrl({ service: ["payments-api"] })).toBe("/audit?service=payments-api");
    expect(auditExportUrl("json", { action: ["sync.*"], q: "a b" })).toBe("/api/audit/export?action=sync.*&q=a+b&format=json");
  });
});

describe("audit links", () => {
  const lookups = { repositoryWeb: new Map([["acme/api", "https://github.com"], ["acme/sandboxed", null]]), gitOpsApps: new Map(), workloads: new Map() };
  it("links a PR and its merge commit only where GitHub has web pages", () => {
    const pr = { targetType: "pull_request", targetId: "acme/api#7", targetDisplay: "x", serviceSlug: "api", after: { mergeCommitSha: "abcdef1234567" } };
    expect(auditLinksOf(pr, lookups).map((link) => link.href)).toEqual(["https://github.com/acme/api/pull/7", "https://github.com/acme/api/commit/abcdef1234567"]);
    expect(auditLinksOf({ ...pr, targetId: "acme/sandboxed#7" }, lookups)).toEqual([]);
  });
  it("links a sync request only when its id is a UUID, and nothing for unknown targets", () => {
    expect(auditLinksOf({ targetType: "sync_request", targetId: "not-a-uuid", targetDisplay: null, serviceSlug: null, after: null }, lookups)).toEqual([]);
    expect(auditLinksOf({ targetType: "setting", targetId: "PRODUCTION_ENVIRONMENTS", targetDisplay: null, serviceSlug: null, after: null }, lookups)).toEqual([]);
  });
});
