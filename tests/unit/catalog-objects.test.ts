import { describe, expect, it } from "vitest";
import type { CatalogEffectDto } from "@/lib/data/catalog/catalog-types";
import { catalogEffectFingerprint } from "@/lib/data/catalog/catalog-fingerprint";
import { describeCatalogEffect } from "@/lib/data/catalog/describe-catalog-effect";
import { bindingDisplay } from "@/lib/data/catalog/object-display";
import { gitOpsMatchKey, workloadMatchKey } from "@/lib/ingest/gitops/gitops-binding";
import { catalogChangeResultSchema, catalogChangeSchema } from "@/lib/queries/catalog";

const service = (slug: string) => ({ id: `id-${slug}`, slug, name: slug });
const object = { type: "gitops-app" as const, id: "app-1", display: "Argo CD app argocd/pricing-engine", matchKey: "argocd:in-cluster/argocd/pricing-engine" };

describe("GitOps objects and workloads in the catalog", () => {
  it("names binding keys as people know the objects, whatever the cluster looks like", () => {
    expect(bindingDisplay("GITOPS_APP", gitOpsMatchKey("ARGOCD_APPLICATION", "in-cluster", "argocd", "catalog-api"))).toBe("Argo CD app argocd/catalog-api");
    expect(bindingDisplay("GITOPS_APP", gitOpsMatchKey("ARGOCD_APPLICATION", "https://kubernetes.default.svc", "argocd", "api"))).toBe("Argo CD app argocd/api");
    expect(bindingDisplay("GITOPS_APP", gitOpsMatchKey("FLUX_KUSTOMIZATION", "in-cluster", "flux-system", "infra"))).toBe("Flux Kustomization flux-system/infra");
    expect(bindingDisplay("GITOPS_APP", gitOpsMatchKey("FLUX_HELMRELEASE", "in-cluster", "search", "search"))).toBe("Flux HelmRelease search/search");
    expect(bindingDisplay("WORKLOAD", workloadMatchKey("in-cluster", "payments", "payments-api"))).toBe("Deployment payments/payments-api");
    expect(bindingDisplay("REPOSITORY", "github:acme/api")).toBe("acme/api");
  });

  it("says what a bind moves, from no service or from another, and what an unbind leaves", () => {
    const bind: CatalogEffectDto = {
      kind: "bind-object",
      object,
      from: null,
      fromOrigin: null,
      to: service("pricing-engine"),
      createdService: null,
      createdTeam: null,
      moved: [{ from: null, objects: 1, deployments: 14, driftEpisodes: 2 }],
      emptiedService: null,
    };
    expect(describeCatalogEffect(bind, true)).toEqual([
      "Argo CD app argocd/pricing-engine, unmapped until now, is bound to pricing-engine by hand; ingestion keeps this binding.",
      "14 deployments and 2 drift episodes of Argo CD app argocd/pricing-engine move from — to pricing-engine.",
    ]);
    expect(describeCatalogEffect({ ...bind, moved: [{ from: null, objects: 1, deployments: 0, driftEpisodes: 0 }] }, true)[1]).toBe(
      "No deployments or drift episodes of Argo CD app argocd/pricing-engine are recorded, so no rows move.",
    );
    expect(describeCatalogEffect({ ...bind, from: service("pricing-engine"), fromOrigin: "convention", moved: [] }, true)[0]).toMatch(/stays with service pricing-engine, but its binding becomes manual/);
    expect(describeCatalogEffect({ ...bind, from: service("pricing-engine"), fromOrigin: "manual", moved: [] }, false)).toEqual(["Argo CD app argocd/pricing-engine is already bound to service pricing-engine by hand; nothing changes."]);

    const unbind: CatalogEffectDto = { kind: "unbind-object", object, from: service("pricing-engine"), moved: [{ from: service("pricing-engine"), objects: 1, deployments: 1, driftEpisodes: 0 }], emptiedService: null };
    expect(describeCatalogEffect(unbind, true)[1]).toBe("1 deployment of Argo CD app argocd/pricing-engine moves from service pricing-engine to — (no service).");
    expect(catalogChangeResultSchema.parse({ changed: true, effect: unbind, summary: [], fingerprint: catalogEffectFingerprint(true, unbind) }).effect).toEqual(unbind);
  });

  it("fingerprints a bind to a new service the same in preview and apply, though the created ids differ", () => {
    const effect = (id: string): CatalogEffectDto => ({
      kind: "bind-object",
      object,
      from: null,
      fromOrigin: null,
      to: { id, slug: "pricing", name: "Pricing" },
      createdService: { team: null },
      createdTeam: null,
      moved: [],
      emptiedService: null,
    });
    expect(catalogEffectFingerprint(true, effect("a"))).toBe(catalogEffectFingerprint(true, effect("b")));
  });

  it("accepts only a GitOps app or a workload by id", () => {
    const id = "6f1e9a52-3c0b-4d8e-9a51-0c2b7f4e1a01";
    expect(catalogChangeSchema.safeParse({ kind: "unbind-object", object: { type: "workload", id } }).success).toBe(true);
    expect(catalogChangeSchema.safeParse({ kind: "unbind-object", object: { type: "repository", id } }).success).toBe(false);
    expect(catalogChangeSchema.safeParse({ kind: "bind-object", object: { type: "gitops-app", id: "nope" }, target: { type: "existing", serviceId: id } }).success).toBe(false);
  });
});
