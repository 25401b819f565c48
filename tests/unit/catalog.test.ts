import { describe, expect, it } from "vitest";
import type { CatalogEffectDto } from "@/lib/data/catalog/catalog-types";
import { describeCatalogEffect } from "@/lib/data/catalog/describe-catalog-effect";
import { classifyEnvironment, compileEnvironmentRules, exactNameOf, exactNamePattern } from "@/lib/ingest/environment-rules";
import { catalogChangeSchema, catalogChangeResultSchema } from "@/lib/queries/catalog";

const production = /^prod(uction)?([-_].*)?$/;
const service = (slug: string) => ({ id: `id-${slug}`, slug, name: slug });

describe("environment classification", () => {
  it("lets the first matching rule decide, then the production pattern, then calls the rest non-production", () => {
    const rules = compileEnvironmentRules(production, [
      { id: "broad", pattern: "^pr", environment: "", isProduction: false, priority: 100 },
      { id: "live", pattern: exactNamePattern("live"), environment: "production", isProduction: true, priority: 10 },
      { id: "preview", pattern: "^pr-\\d+$", environment: "preview", isProduction: false, priority: 50 },
    ]);
    expect(classifyEnvironment("live", rules)).toEqual({ environment: "production", isProduction: true, by: "rule", ruleId: "live" });
    expect(classifyEnvironment("pr-12", rules)).toEqual({ environment: "preview", isProduction: false, by: "rule", ruleId: "preview" });
    expect(classifyEnvironment("prod-eu", rules)).toEqual({ environment: "prod-eu", isProduction: false, by: "rule", ruleId: "broad" });
    expect(classifyEnvironment("prod-eu", { production })).toEqual({ environment: "prod-eu", isProduction: true, by: "production-pattern", ruleId: null });
    expect(classifyEnvironment("staging", rules)).toEqual({ environment: "staging", isProduction: false, by: "default", ruleId: null });
  });

  it("skips a stored pattern that does not compile instead of failing every sync, and names it", () => {
    const rules = compileEnvironmentRules(production, [{ id: "bad", pattern: "([", environment: "", isProduction: true, priority: 1 }]);
    expect(rules.invalid.map((rule) => rule.id)).toEqual(["bad"]);
    expect(classifyEnvironment("([", rules).by).toBe("default");
  });

  it("writes an exact-name pattern that matches only that name, and reads the name back", () => {
    for (const name of ["live", "prod.eu (blue)", "a+b", "^$"]) {
      const pattern = exactNamePattern(name);
      expect(new RegExp(pattern).test(name)).toBe(true);
      expect(new RegExp(pattern).test(`${name}x`)).toBe(false);
      expect(exactNameOf(pattern)).toBe(name);
    }
    expect(exactNameOf("^prod(uction)?$")).toBeNull();
    expect(exactNameOf("live")).toBeNull();
  });
});

describe("catalog change schema", () => {
  it("accepts each change kind and defaults the rename to none", () => {
    expect(catalogChangeSchema.parse({ kind: "classify-environment", name: "live", isProduction: true })).toEqual({ kind: "classify-environment", name: "live", isProduction: true, environment: "" });
    expect(catalogChangeSchema.safeParse({ kind: "move-service", serviceId: "6f1e9a52-3c0b-4d8e-9a51-0c2b7f4e1a01", team: { type: "none" } }).success).toBe(true);
  });

  it("refuses bad slugs, padded names and unknown kinds, naming the field", () => {
    const bad = catalogChangeSchema.safeParse({
      kind: "bind-repository",
      repositoryId: "6f1e9a52-3c0b-4d8e-9a51-0c2b7f4e1a01",
      target: { type: "new", slug: "Not A Slug", name: "x", team: { type: "none" } },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["target", "slug"]);
    expect(catalogChangeSchema.safeParse({ kind: "classify-environment", name: " live", isProduction: true }).success).toBe(false);
    expect(catalogChangeSchema.safeParse({ kind: "delete-everything" }).success).toBe(false);
  });
});

describe("catalog effect sentences", () => {
  it("says which rows move where, and that an emptied service stays", () => {
    const effect: CatalogEffectDto = {
      kind: "bind-repository",
      repository: { id: "r", fullName: "acme/api-worker" },
      from: service("api-worker"),
      fromOrigin: "convention",
      to: service("api"),
      createdService: null,
      createdTeam: null,
      moved: [{ from: service("api-worker"), deployments: 12, incidents: 3 }],
      emptiedService: { ...service("api-worker"), deploymentsLeft: 0 },
    };
    expect(describeCatalogEffect(effect, true)).toEqual([
      "acme/api-worker moves from service api-worker (bound by convention) to api; the binding is manual, so ingestion keeps it.",
      "12 deployments and 3 incidents move from service api-worker to api.",
      "Service api-worker is left without bindings; it stays in the catalog with its audit history.",
    ]);
    expect(describeCatalogEffect({ ...effect, moved: [] }, true)).toContain("No deployments or incidents of acme/api-worker are recorded, so no rows move.");
    expect(describeCatalogEffect(effect, false)).toEqual(["acme/api-worker is already bound to service api; nothing changes."]);
  });

  it("counts deployments that become production, singular and plural, with a total across names", () => {
    const effect: CatalogEffectDto = {
      kind: "classify-environment",
      name: "live",
      before: null,
      after: { id: "x", pattern: "^live$", environment: "production", isProduction: true },
      reclassified: [
        { sourceName: "live", from: { environment: "live", isProduction: false }, to: { environment: "production", isProduction: true }, deployments: 40 },
        { sourceName: "prod-old", from: { environment: "prod-old", isProduction: false }, to: { environment: "prod-old", isProduction: true }, deployments: 1 },
      ],
    };
    expect(describeCatalogEffect(effect, true)).toEqual([
      "A rule is added: “live” is production, recorded as “production”.",
      "40 deployments named “live” become production and are recorded as “production” instead of “live”.",
      "1 deployment named “prod-old” becomes production.",
      "In all, 41 deployments become production.",
    ]);
  });

  it("describes a team move and a rule removal", () => {
    const team = (slug: string) => ({ id: slug, slug, name: slug.toUpperCase() });
    expect(
      describeCatalogEffect({ kind: "move-service", service: service("api"), from: team("core"), to: team("pay"), createdTeam: team("pay"), deployments: 120, emptiedTeam: team("core") }, true),
    ).toEqual(["A new team PAY (pay) is created.", "Service api moves from team CORE to team PAY; its 120 deployments now count for PAY.", "Team CORE is left without services; it stays in the catalog."]);
    expect(describeCatalogEffect({ kind: "remove-environment-rule", removed: { id: "x", pattern: "^live$", environment: "", isProduction: true }, reclassified: [] }, true)).toEqual([
      "The rule for “live” (production) is removed; what it matched falls back to the PRODUCTION_ENVIRONMENTS pattern, or to non-production.",
      "No recorded deployment changes environment or production status.",
    ]);
  });

  it("round-trips an effect through the wire schema the browser checks", () => {
    const result = { changed: true, effect: { kind: "remove-environment-rule", removed: { id: "x", pattern: "^live$", environment: "", isProduction: true }, reclassified: [] }, summary: ["s"], fingerprint: "f".repeat(64) };
    expect(catalogChangeResultSchema.parse(JSON.parse(JSON.stringify(result)))).toEqual(result);
  });
});
