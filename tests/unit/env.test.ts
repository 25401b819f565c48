import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

describe("environment", () => {
  it("fills in defaults, and treats an empty DATABASE_URL as unset (embedded database)", () => {
    const env = parseEnv({ DATABASE_URL: "  " });
    expect(env).toMatchObject({ DATABASE_URL: undefined, PORT: 3000, EMBEDDED_DB_PORT: 54329, ORG_TIMEZONE: "UTC", PIPELINE_HEALTH_DATA_DIR: ".data", PRODUCTION_ENVIRONMENTS: "^prod(uction)?([-_].*)?$" });
  });

  it("accepts real values", () => {
    const env = parseEnv({ DATABASE_URL: "postgresql://u:p@db:5432/ph", PORT: "8080", ORG_TIMEZONE: "Europe/Berlin", CLOCK_FROZEN_AT: "2026-01-31T12:00:00Z" });
    expect(env).toMatchObject({ DATABASE_URL: "postgresql://u:p@db:5432/ph", PORT: 8080, ORG_TIMEZONE: "Europe/Berlin", CLOCK_FROZEN_AT: "2026-01-31T12:00:00Z" });
  });

  it("lists every problem at once, each with what was given", () => {
    let error: unknown;
    try {
      parseEnv({ DATABASE_URL: "mysql://x", PORT: "http", ORG_TIMEZONE: "Nowhere/City", PRODUCTION_ENVIRONMENTS: "(", CLOCK_FROZEN_AT: "yesterday" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvError);
    const problems = (error as EnvError).problems;
    expect(problems).toHaveLength(5);
    expect(problems).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL (got "mysql://x")');
    expect(problems).toContain('PORT: must be a number (got "http")');
    expect(problems).toContain('ORG_TIMEZONE: must be an IANA time zone such as UTC or Europe/Berlin (got "Nowhere/City")');
    expect(problems).toContain('PRODUCTION_ENVIRONMENTS: must be a valid regular expression (got "(")');
    expect((error as EnvError).message).toContain("See .env.example");
  });

  it("ships a default production pattern that matches production names and nothing else", () => {
    const pattern = new RegExp(parseEnv({}).PRODUCTION_ENVIRONMENTS);
    for (const name of ["prod", "production", "prod-eu", "production_us"]) expect(pattern.test(name)).toBe(true);
    for (const name of ["staging", "preprod", "product-demo", "productionish"]) expect(pattern.test(name)).toBe(false);
  });
});

describe(".env.example", () => {
  it("documents every variable the product reads, and nothing it does not", async () => {
    const { readFileSync } = await import("node:fs");
    const { ENV_KEYS } = await import("@/lib/env");
    const documented = readFileSync(".env.example", "utf8").split("\n").filter((line) => /^[A-Z_]+=/.test(line)).map((line) => line.split("=")[0]!);
    // Set by the product itself, not by a person: the runtime mode and npm start's own marker.
    const internal = new Set(["NODE_ENV", "PIPELINE_HEALTH_EMBEDDED", "PIPELINE_HEALTH_SANDBOX"]);
    // Read by playwright.config.ts, which runs outside the product.
    const testTooling = new Set(["CHROMIUM_PATH"]);
    expect(documented.filter((key) => !testTooling.has(key)).sort()).toEqual(ENV_KEYS.filter((key) => !internal.has(key)).sort());
  });
});
