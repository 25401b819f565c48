import { describe, expect, it } from "vitest";
import { catalogEffectFingerprint } from "@/lib/data/catalog/catalog-fingerprint";
import type { CatalogEffectDto } from "@/lib/data/catalog/catalog-types";
import { catalogApplySchema, catalogChangeResultSchema } from "@/lib/queries/catalog";

const service = (slug: string, id = `id-${slug}`) => ({ id, slug, name: slug });

type BindEffect = Extract<CatalogEffectDto, { kind: "bind-repository" }>;

function bind(overrides: { toId?: string; teamId?: string; deployments?: number } = {}): BindEffect {
  const team = { id: overrides.teamId ?? "team-1", slug: "data", name: "Data" };
  return {
    kind: "bind-repository",
    repository: { id: "repo-1", fullName: "acme/batch" },
    from: null,
    fromOrigin: null,
    to: service("batch", overrides.toId ?? "svc-new-1"),
    createdService: { team },
    createdTeam: team,
    moved: [{ from: null, deployments: overrides.deployments ?? 3, incidents: 1 }],
    emptiedService: null,
  };
}

describe("catalog change fingerprint", () => {
  it("is the same for the same effect, whatever ids the created service and team got", () => {
    const preview = catalogEffectFingerprint(true, bind());
    expect(preview).toMatch(/^[0-9a-f]{64}$/);
    expect(catalogEffectFingerprint(true, bind({ toId: "svc-new-2", teamId: "team-2" }))).toBe(preview);
  });

  it("does not depend on key order, and changes with any number or with `changed`", () => {
    const effect = bind();
    const reordered = Object.fromEntries(Object.entries(effect).reverse()) as CatalogEffectDto;
    expect(catalogEffectFingerprint(true, reordered)).toBe(catalogEffectFingerprint(true, effect));
    expect(catalogEffectFingerprint(true, bind({ deployments: 4 }))).not.toBe(catalogEffectFingerprint(true, effect));
    expect(catalogEffectFingerprint(false, effect)).not.toBe(catalogEffectFingerprint(true, effect));
  });

  it("keeps an existing target's id in the fingerprint: binding to another existing service is another effect", () => {
    const existing = (id: string): CatalogEffectDto => ({ ...bind(), to: service("batch", id), createdService: null, createdTeam: null });
    expect(catalogEffectFingerprint(true, existing("svc-a"))).not.toBe(catalogEffectFingerprint(true, existing("svc-b")));
  });

  it("is part of every result, and Save may send it (API callers may leave it out)", () => {
    expect(catalogChangeResultSchema.safeParse({ changed: true, effect: bind(), summary: [] }).success).toBe(false);
    expect(catalogChangeResultSchema.parse({ changed: true, effect: bind(), summary: [], fingerprint: "a".repeat(64) }).fingerprint).toBe("a".repeat(64));
    const change = { kind: "move-service", serviceId: "6f1e9a52-3c0b-4d8e-9a51-0c2b7f4e1a01", team: { type: "none" } } as const;
    expect(catalogApplySchema.parse({ ...change, expectedFingerprint: "b".repeat(64) })).toEqual({ ...change, expectedFingerprint: "b".repeat(64) });
    expect(catalogApplySchema.parse(change)).toEqual(change);
    expect(catalogApplySchema.safeParse({ ...change, expectedFingerprint: "not-a-hash" }).success).toBe(false);
  });
});
