import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify-audit";
import { frozenClock } from "@/lib/clock";
import { applyCatalogChange, previewCatalogChange } from "@/lib/data/catalog/change-catalog";
import { getCatalog } from "@/lib/data/catalog/get-catalog";
import type { ViewerContext } from "@/lib/data/viewer";
import { parseEnv } from "@/lib/env";
import { gitOpsMatchKey, resolveObjectService, workloadMatchKey } from "@/lib/ingest/gitops/gitops-binding";
import type { CatalogApplyInput, CatalogChangeInput } from "@/lib/queries/catalog";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * GitOps objects and live workloads in the service catalog, over hand-inserted rows: what is
 * unmapped, binds whose preview (run, then rolled back) reports exactly what Save then moves, the
 * fingerprint refusing a changed effect, manual bindings that ingestion's resolver keeps, unbinding,
 * and the audit trail.
 */
const now = new Date("2026-11-27T12:00:00Z");
const clock = frozenClock(now);
const env = parseEnv({});
const MIN = 60_000;
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);

const admin: ViewerContext = {
  viewer: { kind: "user", userId: "6f1e9a52-3c0b-4d8e-9a51-0c2b7f4e1a01", personId: null, role: "ADMIN", display: "Ada Admin" },
  requestId: "req-catalog-gitops",
  clientIp: "203.0.113.5",
  clock,
};
const viewer: ViewerContext = { ...admin, viewer: { kind: "user", userId: "0b0e4c1d-8a2f-4c55-9d7e-3e2f1a0c9b02", personId: null, role: "VIEWER", display: "Val Viewer" } };

describe("service catalog: GitOps apps and workloads", () => {
  let database: TestDatabase;
  let deps: { db: TestDatabase["db"]; productionPattern: string };
  const ids: Record<string, string> = {};
  let episodeSeq = 0;

  const preview = async (change: CatalogChangeInput) => await previewCatalogChange(admin, change, deps);
  const apply = async (change: CatalogApplyInput) => await applyCatalogChange(admin, change, deps);
  /** Everything a change could write, to prove a preview or a refused Save wrote nothing. */
  const writable = async () => {
    const db = database.db;
    return {
      services: await db.service.findMany({ orderBy: { id: "asc" } }),
      bindings: await db.serviceBinding.findMany({ orderBy: { id: "asc" }, select: { id: true, kind: true, matchKey: true, serviceId: true, origin: true } }),
      apps: await db.gitOpsApp.findMany({ orderBy: { id: "asc" }, select: { id: true, serviceId: true } }),
      workloads: await db.workload.findMany({ orderBy: { id: "asc" }, select: { id: true, serviceId: true } }),
      deployments: await db.deployment.findMany({ orderBy: { id: "asc" }, select: { id: true, serviceId: true, flagsComputedAt: true } }),
      episodes: await db.driftEpisode.findMany({ orderBy: { id: "asc" }, select: { id: true, serviceId: true } }),
      audit: await db.auditEvent.count(),
    };
  };
  const episode = async (input: { app?: string; workload?: string; service?: string }) =>
    await database.db.driftEpisode.create({
      data: {
        integrationId: input.app ? ids.argo! : ids.kube!,
        externalKey: `episode-${++episodeSeq}`,
        kind: "LIVE_DRIFT",
        methodology: input.app ? "GITOPS" : "DEVOPS",
        serviceId: input.service ? ids[input.service]! : null,
        gitOpsAppId: input.app ? ids[input.app]! : null,
        workloadId: input.workload ? ids[input.workload]! : null,
        startedAt: at(-(episodeSeq + 10) * MIN),
        endedAt: at(-episodeSeq * MIN),
        endReason: "AUTO_HEAL",
      },
    });
  const deployment = async (input: { app: string; service?: string; n: number; repositoryId?: string }) =>
    await database.db.deployment.create({
      data: {
        integrationId: ids.argo!,
        source: "ARGOCD",
        externalId: `${input.app}-${input.n}`,
        methodology: "GITOPS",
        gitOpsAppId: ids[input.app]!,
        serviceId: input.service ? ids[input.service]! : null,
        repositoryId: input.repositoryId ?? null,
        environment: "production",
        sourceEnvironment: "production",
        isProduction: true,
        commitResolution: "DEPLOYMENT_SHA",
        commitSha: String(input.n).padStart(40, "0"),
        status: "SUCCESS",
        startedAt: at(-(100 - input.n) * MIN),
        finishedAt: at(-(99 - input.n) * MIN),
        sourceUpdatedAt: at(-(99 - input.n) * MIN),
        flagsComputedAt: at(-MIN),
      },
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.db;
    deps = { db, productionPattern: env.PRODUCTION_ENVIRONMENTS };
    ids.argo = (await db.integration.create({ data: { kind: "ARGOCD", name: "argo-prod", origin: "DATABASE", baseUrl: "https://argo.example", health: "HEALTHY" } })).id;
    ids.kube = (await db.integration.create({ data: { kind: "FLUX_KUBERNETES", name: "prod-cluster", origin: "DATABASE", baseUrl: "https://kube.example", health: "HEALTHY" } })).id;
    ids.github = (await db.integration.create({ data: { kind: "GITHUB", name: "acme", origin: "DATABASE", baseUrl: "https://api.github.com", health: "HEALTHY" } })).id;
    for (const slug of ["pricing-engine", "catalog-api", "payments-api"]) ids[slug] = (await db.service.create({ data: { slug, name: slug } })).id;

    const app = async (key: string, name: string, service: string | null) => {
      ids[key] = (
        await db.gitOpsApp.create({
          data: {
            integrationId: ids.argo!,
            kind: "ARGOCD_APPLICATION",
            externalId: `argocd/${name}`,
            cluster: "in-cluster",
            namespace: "argocd",
            name,
            serviceId: service ? ids[service]! : null,
            repoUrl: "https://github.com/acme/deploy",
            path: `apps/${name}`,
            targetRevision: "main",
            syncStatus: "Synced",
            healthStatus: "Healthy",
            autoSync: true,
            sourceUpdatedAt: at(-MIN),
          },
        })
      ).id;
    };
    // Unmapped: neither an annotation nor its name named a service when ingestion saw it.
    await app("pricingApp", "pricing-engine-eu", null);
    // Bound by convention (its name is a service's slug), as resolveObjectService stores it.
    await app("catalogApp", "catalog-api", "catalog-api");
    await db.serviceBinding.create({
      data: { serviceId: ids["catalog-api"]!, kind: "GITOPS_APP", matchKey: gitOpsMatchKey("ARGOCD_APPLICATION", "in-cluster", "argocd", "catalog-api"), integrationId: ids.argo!, origin: "CONVENTION" },
    });
    ids.paymentsWorkload = (
      await db.workload.create({
        data: { integrationId: ids.kube!, cluster: "in-cluster", namespace: "payments", name: "payments-api-v2", images: ["registry.acme/payments-api:1"], sourceUpdatedAt: at(-MIN) },
      })
    ).id;

    for (let n = 1; n <= 14; n++) await deployment({ app: "pricingApp", n });
    for (let n = 1; n <= 3; n++) await deployment({ app: "catalogApp", service: "catalog-api", n });
    await episode({ app: "pricingApp" });
    await episode({ app: "pricingApp" });
    await episode({ app: "catalogApp", service: "catalog-api" });
    await episode({ workload: "paymentsWorkload" });
  });

  afterAll(async () => {
    await database?.close();
  });

  it("lists GitOps apps and workloads without a service as unmapped, with the data that hangs on them, and names bindings for people", async () => {
    const catalog = await getCatalog(viewer, deps);
    expect(catalog.canManage).toBe(false);
    expect(catalog.unmapped.gitOpsApps).toEqual([
      expect.objectContaining({
        id: ids.pricingApp,
        type: "gitops-app",
        kindLabel: "Argo CD app",
        display: "Argo CD app argocd/pricing-engine-eu",
        namespace: "argocd",
        name: "pricing-engine-eu",
        integrationName: "argo-prod",
        service: null,
        binding: null,
        deploymentCount: 14,
        driftEpisodeCount: 2,
      }),
    ]);
    expect(catalog.unmapped.workloads).toEqual([
      expect.objectContaining({ id: ids.paymentsWorkload, type: "workload", display: "Deployment payments/payments-api-v2", integrationName: "prod-cluster", deploymentCount: 0, driftEpisodeCount: 1 }),
    ]);
    const catalogApp = catalog.gitOpsApps.find((row) => row.id === ids.catalogApp)!;
    expect(catalogApp).toMatchObject({ service: { slug: "catalog-api" }, binding: { origin: "convention" }, deploymentCount: 3, driftEpisodeCount: 1 });
    expect(catalog.services.find((service) => service.slug === "catalog-api")!.bindings).toEqual([
      expect.objectContaining({ kind: "GITOPS_APP", display: "Argo CD app argocd/catalog-api", origin: "convention" }),
    ]);
  });

  it("previews binding an unmapped app without writing anything, and Save moves exactly what the preview said, with an audit event", async () => {
    const change: CatalogChangeInput = { kind: "bind-object", object: { type: "gitops-app", id: ids.pricingApp! }, target: { type: "existing", serviceId: ids["pricing-engine"]! } };
    const before = await writable();
    const previewed = await preview(change);
    expect(await writable()).toEqual(before);
    expect(previewed.changed).toBe(true);
    expect(previewed.summary).toContain("14 deployments and 2 drift episodes of Argo CD app argocd/pricing-engine-eu move from — to pricing-engine.");
    expect(previewed.effect).toMatchObject({ kind: "bind-object", from: null, fromOrigin: null, to: { slug: "pricing-engine" }, moved: [{ from: null, objects: 1, deployments: 14, driftEpisodes: 2 }] });
    await expect(previewCatalogChange(viewer, change, deps)).rejects.toMatchObject({ code: "FORBIDDEN" });

    const epochBefore = await database.db.metricState.findUnique({ where: { key: "rollup-epoch" } });
    const applied = await apply({ ...change, expectedFingerprint: previewed.fingerprint });
    expect(applied).toEqual(previewed);

    const db = database.db;
    const pricing = ids["pricing-engine"]!;
    expect(await db.gitOpsApp.findUniqueOrThrow({ where: { id: ids.pricingApp! } })).toMatchObject({ serviceId: pricing });
    expect(await db.deployment.count({ where: { gitOpsAppId: ids.pricingApp!, serviceId: pricing, flagsComputedAt: null } })).toBe(14);
    expect(await db.driftEpisode.count({ where: { gitOpsAppId: ids.pricingApp!, serviceId: pricing } })).toBe(2);
    const binding = await db.serviceBinding.findFirstOrThrow({ where: { kind: "GITOPS_APP", matchKey: "argocd:in-cluster/argocd/pricing-engine-eu" } });
    expect(binding).toMatchObject({ serviceId: pricing, origin: "MANUAL", integrationId: ids.argo });
    // Metrics read the raw rows until the next rebuild: the epoch moved.
    expect((await db.metricState.findUnique({ where: { key: "rollup-epoch" } }))?.fingerprint).not.toBe(epochBefore?.fingerprint ?? null);

    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "catalog.binding.changed", targetType: "gitops_app" } });
    expect(event).toMatchObject({
      targetId: "argocd:in-cluster/argocd/pricing-engine-eu",
      targetDisplay: "Argo CD app argocd/pricing-engine-eu",
      serviceId: pricing,
      before: null,
      after: { service: "pricing-engine", origin: "manual" },
    });
    expect(event.metadata).toMatchObject({ summary: previewed.summary });
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });

    const catalog = await getCatalog(admin, deps);
    expect(catalog.unmapped.gitOpsApps).toEqual([]);
    expect(catalog.services.find((service) => service.slug === "pricing-engine")!.bindings).toEqual([
      expect.objectContaining({ kind: "GITOPS_APP", display: "Argo CD app argocd/pricing-engine-eu", origin: "manual" }),
    ]);

    // Saving the same change again changes nothing and audits nothing.
    const audits = await db.auditEvent.count();
    expect(await apply(change)).toMatchObject({ changed: false });
    expect(await db.auditEvent.count()).toBe(audits);
  });

  it("refuses Save with 409 when the effect changed since the preview, writing nothing, and saves after a new preview", async () => {
    const change: CatalogChangeInput = { kind: "bind-object", object: { type: "workload", id: ids.paymentsWorkload! }, target: { type: "existing", serviceId: ids["payments-api"]! } };
    const previewed = await preview(change);
    expect(previewed.summary).toContain("1 drift episode of Deployment payments/payments-api-v2 moves from — to payments-api.");
    // A sync records another episode in between: Save would now move two.
    await episode({ workload: "paymentsWorkload" });
    const before = await writable();
    await expect(apply({ ...change, expectedFingerprint: previewed.fingerprint })).rejects.toMatchObject({ code: "CONFLICT", status: 409 });
    expect(await writable()).toEqual(before);

    const again = await preview(change);
    expect(again.summary).toContain("2 drift episodes of Deployment payments/payments-api-v2 move from — to payments-api.");
    await apply({ ...change, expectedFingerprint: again.fingerprint });
    expect(await database.db.driftEpisode.count({ where: { workloadId: ids.paymentsWorkload!, serviceId: ids["payments-api"]! } })).toBe(2);
    expect(await database.db.workload.findUniqueOrThrow({ where: { id: ids.paymentsWorkload! } })).toMatchObject({ serviceId: ids["payments-api"] });
    expect((await getCatalog(admin, deps)).unmapped.workloads).toEqual([]);
  });

  it("re-binds a convention-bound app by hand, and ingestion's resolver keeps the manual binding whatever the annotation or name says", async () => {
    const change: CatalogChangeInput = { kind: "bind-object", object: { type: "gitops-app", id: ids.catalogApp! }, target: { type: "existing", serviceId: ids["pricing-engine"]! } };
    const previewed = await preview(change);
    expect(previewed.summary).toEqual([
      "Argo CD app argocd/catalog-api moves from service catalog-api (bound by convention) to pricing-engine; the binding is manual, so ingestion keeps it.",
      "3 deployments and 1 drift episode of Argo CD app argocd/catalog-api move from service catalog-api to pricing-engine.",
      "Service catalog-api is left without bindings; it stays in the catalog with its audit history.",
    ]);
    await apply({ ...change, expectedFingerprint: previewed.fingerprint });

    const matchKey = gitOpsMatchKey("ARGOCD_APPLICATION", "in-cluster", "argocd", "catalog-api");
    // The next observation of the app: its name and annotation both name catalog-api.
    const resolved = await database.db.$transaction(
      async (tx) => await resolveObjectService(tx, { kind: "GITOPS_APP", matchKey, integrationId: ids.argo!, annotation: "catalog-api", name: "catalog-api" }),
    );
    expect(resolved).toBe(ids["pricing-engine"]);
    expect(await database.db.serviceBinding.findMany({ where: { kind: "GITOPS_APP", matchKey } })).toEqual([expect.objectContaining({ serviceId: ids["pricing-engine"], origin: "MANUAL" })]);
    const workloadResolved = await database.db.$transaction(
      async (tx) =>
        await resolveObjectService(tx, { kind: "WORKLOAD", matchKey: workloadMatchKey("in-cluster", "payments", "payments-api-v2"), integrationId: ids.kube!, annotation: "catalog-api", name: "payments-api-v2" }),
    );
    expect(workloadResolved).toBe(ids["payments-api"]);
  });

  it("unbinds a manual binding (its rows lose their service) but refuses to remove a convention one", async () => {
    const change: CatalogChangeInput = { kind: "unbind-object", object: { type: "workload", id: ids.paymentsWorkload! } };
    const previewed = await preview(change);
    expect(previewed.summary[1]).toBe("2 drift episodes of Deployment payments/payments-api-v2 move from service payments-api to — (no service).");
    await apply({ ...change, expectedFingerprint: previewed.fingerprint });
    expect(await database.db.serviceBinding.count({ where: { kind: "WORKLOAD" } })).toBe(0);
    expect(await database.db.driftEpisode.count({ where: { workloadId: ids.paymentsWorkload!, serviceId: null } })).toBe(2);
    expect((await getCatalog(admin, deps)).unmapped.workloads.map((row) => row.id)).toEqual([ids.paymentsWorkload]);
    expect(await database.db.auditEvent.count({ where: { action: "catalog.binding.removed", targetType: "workload" } })).toBe(1);

    const conventionApp = await database.db.gitOpsApp.create({
      data: {
        integrationId: ids.argo!, kind: "ARGOCD_APPLICATION", externalId: "argocd/payments-api", cluster: "in-cluster", namespace: "argocd", name: "payments-api",
        serviceId: ids["payments-api"]!, repoUrl: "https://github.com/acme/deploy", path: "apps/payments-api", targetRevision: "main", syncStatus: "Synced", healthStatus: "Healthy", autoSync: true, sourceUpdatedAt: at(-MIN),
      },
    });
    await database.db.serviceBinding.create({
      data: { serviceId: ids["payments-api"]!, kind: "GITOPS_APP", matchKey: gitOpsMatchKey("ARGOCD_APPLICATION", "in-cluster", "argocd", "payments-api"), integrationId: ids.argo!, origin: "CONVENTION" },
    });
    await expect(preview({ kind: "unbind-object", object: { type: "gitops-app", id: conventionApp.id } })).rejects.toMatchObject({ code: "UNPROCESSABLE" });
    await expect(preview({ kind: "unbind-object", object: { type: "workload", id: ids.paymentsWorkload! } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });

  it("binds an app to a new service, and a repository re-bind leaves the app's GitOps deployments to the app's binding", async () => {
    const db = database.db;
    const repository = await db.repository.create({ data: { integrationId: ids.github!, externalId: "5001", owner: "acme", name: "pricing-engine", fullName: "acme/pricing-engine", defaultBranch: "main" } });
    await db.serviceBinding.create({ data: { serviceId: ids["pricing-engine"]!, kind: "REPOSITORY", matchKey: "github:acme/pricing-engine", integrationId: ids.github!, origin: "CONVENTION" } });
    await db.deployment.updateMany({ where: { gitOpsAppId: ids.pricingApp! }, data: { repositoryId: repository.id } });

    const rebind = await apply({ kind: "bind-repository", repositoryId: repository.id, target: { type: "existing", serviceId: ids["payments-api"]! } });
    expect(rebind.summary).toContain("No deployments or incidents of acme/pricing-engine are recorded, so no rows move.");
    expect(await db.deployment.count({ where: { gitOpsAppId: ids.pricingApp!, serviceId: ids["pricing-engine"]! } })).toBe(14);

    const change: CatalogChangeInput = {
      kind: "bind-object",
      object: { type: "gitops-app", id: ids.pricingApp! },
      target: { type: "new", slug: "pricing-eu", name: "Pricing EU", team: { type: "new", slug: "pricing", name: "Pricing" } },
    };
    const previewed = await preview(change);
    expect(await db.service.count({ where: { slug: "pricing-eu" } })).toBe(0);
    const applied = await apply({ ...change, expectedFingerprint: previewed.fingerprint });
    expect(applied.summary).toEqual(previewed.summary);
    expect(applied.summary.slice(0, 3)).toEqual([
      "A new team Pricing (pricing) is created.",
      "A new service Pricing EU (pricing-eu) is created in team Pricing.",
      "Argo CD app argocd/pricing-engine-eu moves from service pricing-engine (bound by hand) to pricing-eu; the binding is manual, so ingestion keeps it.",
    ]);
    const created = await db.service.findUniqueOrThrow({ where: { slug: "pricing-eu" } });
    expect(await db.deployment.count({ where: { gitOpsAppId: ids.pricingApp!, serviceId: created.id } })).toBe(14);
  });
});
