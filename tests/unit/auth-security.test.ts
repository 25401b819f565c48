import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { safeNextPath } from "@/lib/data/auth/sign-in-options";
import { resolveClientIp } from "@/lib/security/client-ip";
import { assertSameOriginJson } from "@/lib/security/same-origin";
import { MissingSecretsError, resolveSecrets } from "@/lib/security/secrets";
import { parseEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";

describe("where sign-in sends a person next", () => {
  it("keeps paths on this site, with their query", () => {
    expect(safeNextPath("/settings")).toBe("/settings");
    expect(safeNextPath("/services?team=payments&from=2026-01-01")).toBe("/services?team=payments&from=2026-01-01");
    expect(safeNextPath(["/audit", "/drift"])).toBe("/audit");
  });

  it("never leaves the site, however the address is disguised", () => {
    for (const attack of [
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r/evil.example",
      "https://evil.example/",
      "javascript:alert(1)",
      "evil.example",
      "/%2F%2Fevil.example/..//evil.example",
      "",
    ]) {
      const next = safeNextPath(attack);
      expect(new URL(next, "http://dashboard.test").origin, attack).toBe("http://dashboard.test");
      expect(next.startsWith("//"), attack).toBe(false);
    }
    expect(safeNextPath(undefined)).toBe("/");
  });

  it("does not loop back to sign-in", () => {
    expect(safeNextPath("/sign-in?next=/settings")).toBe("/");
  });
});

describe("the client address behind trusted proxies", () => {
  it("takes the entry as many places from the right as there are trusted proxies", () => {
    expect(resolveClientIp("203.0.113.9", 0)).toBe("203.0.113.9");
    expect(resolveClientIp("198.51.100.1, 203.0.113.9", 1)).toBe("198.51.100.1");
    // A client that forges a leading entry behind one proxy still gets its real address recorded.
    expect(resolveClientIp("10.0.0.66, 198.51.100.1, 203.0.113.9", 1)).toBe("198.51.100.1");
    expect(resolveClientIp("::ffff:192.0.2.4", 0)).toBe("192.0.2.4");
    expect(resolveClientIp("[2001:db8::1]:443", 0)).toBe("2001:db8::1");
  });

  it("refuses what is not an address", () => {
    expect(resolveClientIp(null, 0)).toBeNull();
    expect(resolveClientIp("not-an-ip", 0)).toBeNull();
    expect(resolveClientIp("1.2.3.4\r\nx: y", 0)).toBeNull();
  });
});

describe("changes come only as JSON from our own pages", () => {
  const request = (headers: Record<string, string>) => new Request("http://dash.test/api/catalog/changes", { method: "POST", headers: { host: "dash.test", ...headers } });
  const codeOf = (fn: () => void) => {
    try {
      fn();
      return "ok";
    } catch (error) {
      return error instanceof AppError ? error.code : "other";
    }
  };

  it("accepts same-origin JSON and scripts without an Origin", () => {
    expect(codeOf(() => assertSameOriginJson(request({ "content-type": "application/json", origin: "http://dash.test", "sec-fetch-site": "same-origin" })))).toBe("ok");
    expect(codeOf(() => assertSameOriginJson(request({ "content-type": "application/json; charset=utf-8" })))).toBe("ok");
  });

  it("refuses forms, other origins and cross-site fetches", () => {
    expect(codeOf(() => assertSameOriginJson(request({ "content-type": "application/x-www-form-urlencoded", origin: "http://dash.test" })))).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(codeOf(() => assertSameOriginJson(request({ "content-type": "text/plain" })))).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(codeOf(() => assertSameOriginJson(request({ "content-type": "application/json", origin: "https://evil.example" })))).toBe("FORBIDDEN");
    expect(codeOf(() => assertSameOriginJson(request({ "content-type": "application/json", origin: "null" })))).toBe("FORBIDDEN");
    expect(codeOf(() => assertSameOriginJson(request({ "content-type": "application/json", "sec-fetch-site": "cross-site" })))).toBe("FORBIDDEN");
  });
});

describe("installation secrets", () => {
  const dataDir = () => mkdtempSync(path.join(tmpdir(), "ph-secrets-"));

  it("uses the environment's when both are set, and writes nothing", () => {
    const dir = dataDir();
    const env = parseEnv({ PIPELINE_HEALTH_DATA_DIR: dir, AUTH_SECRET: "a".repeat(32), ENCRYPTION_KEY: "b".repeat(32) });
    expect(resolveSecrets(env, { generateIfMissing: true })).toEqual({ authSecret: "a".repeat(32), encryptionKey: "b".repeat(32) });
    expect(() => statSync(path.join(dir, "secrets.json"))).toThrow();
  });

  it("generates them once in sandbox mode, readable only by the owner, and reads the same ones back", () => {
    const dir = dataDir();
    const env = parseEnv({ PIPELINE_HEALTH_DATA_DIR: dir });
    const first = resolveSecrets(env, { generateIfMissing: true });
    expect(first.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.encryptionKey).not.toBe(first.authSecret);
    expect(statSync(path.join(dir, "secrets.json")).mode & 0o777).toBe(0o600);
    expect(resolveSecrets(env, { generateIfMissing: true })).toEqual(first);
    expect(resolveSecrets(env, { generateIfMissing: false })).toEqual(first);
    expect(JSON.parse(readFileSync(path.join(dir, "secrets.json"), "utf8"))).toEqual(first);
  });

  it("names what is missing outside sandbox mode, and refuses a damaged file", () => {
    const env = parseEnv({ PIPELINE_HEALTH_DATA_DIR: dataDir(), AUTH_SECRET: "a".repeat(32) });
    expect(() => resolveSecrets(env, { generateIfMissing: false })).toThrow(MissingSecretsError);
    expect(() => resolveSecrets(env, { generateIfMissing: false })).toThrow(/ENCRYPTION_KEY is required/);
    const damaged = dataDir();
    writeFileSync(path.join(damaged, "secrets.json"), "{not json");
    expect(() => resolveSecrets(parseEnv({ PIPELINE_HEALTH_DATA_DIR: damaged }), { generateIfMissing: true })).toThrow(/damaged/);
  });
});
