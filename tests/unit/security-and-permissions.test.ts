import { describe, expect, it } from "vitest";
import { acceptRequestId, buildContentSecurityPolicy, generateNonce } from "@/lib/security/headers";
import { PERMISSIONS, can } from "@/lib/data/viewer";

describe("content security policy", () => {
  it("allows scripts only with this request's nonce, and no framing", () => {
    const csp = buildContentSecurityPolicy("abc123", { development: false });
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(buildContentSecurityPolicy("n", { development: true })).toContain("'unsafe-eval'");
  });

  it("makes a fresh unguessable nonce each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, generateNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64").length).toBe(16);
  });

  it("keeps a plain upstream request id and replaces anything that could inject into logs", () => {
    expect(acceptRequestId("req-01HXYZ.abc:1")).toBe("req-01HXYZ.abc:1");
    for (const bad of [null, "", "short", "evil\r\nSet-Cookie: x=1", "a".repeat(200)]) expect(acceptRequestId(bad)).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("roles", () => {
  it("lets approvers approve but not manage settings, viewers only read, and anonymous callers only probe health", () => {
    const anonymous = { kind: "anonymous" } as const;
    const viewer = { kind: "user", userId: "v", personId: null, role: "VIEWER", display: "V" } as const;
    const approver = { kind: "user", userId: "u", personId: null, role: "APPROVER", display: "U" } as const;
    expect(can(anonymous, "health:read")).toBe(true);
    for (const permission of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) {
      if (permission !== "health:read") expect(can(anonymous, permission)).toBe(false);
    }
    expect(can(viewer, "metrics:read")).toBe(true);
    expect(can(viewer, "sync:request")).toBe(false);
    expect(can(approver, "sync:approve")).toBe(true);
    expect(can(approver, "settings:manage")).toBe(false);
    // Every permission is granted to admins: no action is left without someone who may do it.
    for (const roles of Object.values(PERMISSIONS)) if (roles !== "PUBLIC") expect(roles).toContain("ADMIN");
  });
});
