import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { frozenClock } from "@/lib/clock";
import { collapseUnchanged, lineDiff, manifestDiff, toYamlLines } from "@/lib/data/drift/document-diff";
import { getDriftFreshness } from "@/lib/data/drift/get-drift-freshness";
import { getDriftTarget } from "@/lib/data/drift/get-drift-target";
import { listDriftEpisodes } from "@/lib/data/drift/list-drift-episodes";
import { listDriftTargets } from "@/lib/data/drift/list-drift-targets";
import { systemContext, type ViewerContext } from "@/lib/data/viewer";
import type { Db } from "@/lib/db/client";
import { AppError, toErrorResponse } from "@/lib/errors";
import type { DriftTargetRowDto, DriftTargetsParams } from "@/lib/queries/drift";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * A hand-built cluster (the ingestion that fills these tables lands separately): Argo CD apps in
 * live drift and with a pending change, a Flux HelmRelease with drift detection off, a push-based
 * workload running a hand-made image, a GitOps-managed workload and an unbound one. The clock is
 * frozen at NOW, so every age below is exact.
 */
const NOW = "2026-03-01T12:00:00.000Z";
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const at = (offsetMs: number) => new Date(Date.parse(NOW) + offsetMs);

let testDb: TestDatabase;
let db: Db;
const ids: Record<string, string> = {};

const ctx = (clock = frozenClock(NOW)): ViewerContext => systemContext(clock);
const deps = () => ({ db });
const list = (params: DriftTargetsParams = {}) => listDriftTargets(ctx(), params, deps());
const names = (rows: DriftTargetRowDto[]) => rows.map((row) => row.name).sort();

/** Argo CD managed-resource documents: the live one was scaled by hand and carries server-set fields. */
const targetState = JSON.stringify({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "checkout", namespace: "shop", labels: { app: "checkout" } },
  spec: { replicas: 2, template: { spec: { containers: [{ name: "app", image: "ghcr.io/acme/checkout:1.4.0" }] } } },
});
const liveState = JSON.stringify({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: {
    name: "checkout",
    namespace: "shop",
    labels: { app: "checkout" },
    resourceVersion: "98765",
    uid: "d6b1",
    managedFields: [{ manager: "kubectl-edit" }],
  },
  spec: { replicas: 3, template: { spec: { containers: [{ name: "app", image: "ghcr.io/acme/checkout:1.4.0" }] } } },
  status: { readyReplicas: 3 },
});

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
  const argo = await db.integration.create({
    data: { kind: "ARGOCD", name: "argo-prod", origin: "DATABASE", baseUrl: "https://argo.example", health: "HEALTHY", lastSyncedAt: at(-2 * MIN) },
  });
  const kube = await db.integration.create({
    data: { kind: "FLUX_KUBERNETES", name: "prod-cluster", origin: "DATABASE", baseUrl: "https://kube.example", health: "HEALTHY", lastSyncedAt: at(-20 * MIN) },
  });
  await db.integration.create({
    data: {
      kind: "GITHUB",
      name: "acme",
      origin: "DATABASE",
      baseUrl: "https://api.github.com",
      health: "DEGRADED",
      lastSyncedAt: at(-1 * MIN),
      lastError: "GitHub answered 502",
      lastErrorAt: at(-1 * MIN),
    },
  });
  ids.argo = argo.id;
  ids.kube = kube.id;

  const payments = await db.team.create({ data: { slug: "payments", name: "Payments" } });
  const platform = await db.team.create({ data: { slug: "platform", name: "Platform" } });
  for (const [slug, name, teamId] of [
    ["checkout", "Checkout", payments.id],
    ["ledger", "Ledger", payments.id],
    ["search", "Search", platform.id],
  ] as const) {
    ids[slug] = (await db.service.create({ data: { slug, name, teamId } })).id;
  }

  const app = async (input: {
    key: string;
    kind?: "ARGOCD_APPLICATION" | "FLUX_KUSTOMIZATION" | "FLUX_HELMRELEASE";
    name: string;
    service?: string;
    syncStatus: string;
    driftState: string;
    driftObservable?: boolean;
    since?: Date;
  }) => {
    const kind = input.kind ?? "ARGOCD_APPLICATION";
    const row = await db.gitOpsApp.create({
      data: {
        integrationId: kind === "ARGOCD_APPLICATION" ? argo.id : kube.id,
        kind,
        externalId: `${kind}/${input.name}`,
        cluster: "in-cluster",
        namespace: kind === "ARGOCD_APPLICATION" ? "argocd" : "flux-system",
        name: input.name,
        serviceId: input.service ? ids[input.service] : null,
        repoUrl: "https://github.com/acme/deploy",
        path: `apps/${input.name}`,
        targetRevision: "main",
        syncStatus: input.syncStatus,
        healthStatus: "Healthy",
        syncedRevision: "a".repeat(40),
        desiredRevision: input.driftState === "PENDING_CHANGE" ? "b".repeat(40) : "a".repeat(40),
        autoSync: false,
        driftObservable: input.driftObservable ?? true,
        driftState: input.driftState,
        driftStateSince: input.since ?? null,
        images: ["ghcr.io/acme/checkout:1.4.0"],
        lastObservedAt: at(-MIN),
        sourceUpdatedAt: at(-MIN),
      },
    });
    ids[input.key] = row.id;
  };
  await app({ key: "checkoutApp", name: "checkout-prod", service: "checkout", syncStatus: "OutOfSync", driftState: "LIVE_DRIFT", since: at(-90 * MIN) });
  await app({ key: "ledgerApp", name: "ledger-prod", service: "ledger", syncStatus: "OutOfSync", driftState: "PENDING_CHANGE", since: at(-30 * MIN) });
  // Drift detection off: whatever state was stored, the row must say "not observable", never clean.
  await app({ key: "searchRelease", kind: "FLUX_HELMRELEASE", name: "search", service: "search", syncStatus: "Ready", driftState: "IN_SYNC", driftObservable: false });
  await app({ key: "infra", kind: "FLUX_KUSTOMIZATION", name: "infra", syncStatus: "Ready", driftState: "IN_SYNC", since: at(-5 * DAY) });

  const workload = async (input: { key: string; name: string; service?: string; managedBy?: string; driftState: string; driftObservable: boolean; since?: Date; images: string[]; desiredImages: string[] }) => {
    const row = await db.workload.create({
      data: {
        integrationId: kube.id,
        cluster: "prod",
        namespace: "shop",
        name: input.name,
        serviceId: input.service ? ids[input.service] : null,
        images: input.images,
        desiredImages: input.desiredImages,
        managedBy: input.managedBy ?? "push",
        driftObservable: input.driftObservable,
        driftState: input.driftState,
        driftStateSince: input.since ?? null,
        lastObservedAt: at(-MIN),
        sourceUpdatedAt: at(-MIN),
      },
    });
    ids[input.key] = row.id;
  };
  await workload({
    key: "checkoutApi",
    name: "checkout-api",
    service: "checkout",
    driftState: "LIVE_DRIFT",
    driftObservable: true,
    since: at(-2 * HOUR),
    images: ["ghcr.io/acme/checkout-api:hotfix-by-hand"],
    desiredImages: ["ghcr.io/acme/checkout-api:2.0.1"],
  });
  await workload({
    key: "ledgerWorkload",
    name: "ledger",
    service: "ledger",
    managedBy: "argocd:in-cluster/argocd/ledger-prod",
    driftState: "IN_SYNC",
    driftObservable: true,
    images: ["ghcr.io/acme/ledger:3.1.0"],
    desiredImages: ["ghcr.io/acme/ledger:3.1.0"],
  });
  await workload({ key: "orphan", name: "orphan-worker", driftState: "UNKNOWN", driftObservable: false, images: ["busybox:1.36"], desiredImages: [] });

  const episode = async (input: {
    key: string;
    app?: string;
    workload?: string;
    service?: string;
    kind: "LIVE_DRIFT" | "PENDING_CHANGE";
    methodology: "DEVOPS" | "GITOPS";
    startedAt: Date;
    endedAt?: Date;
    endReason?: "AUTO_HEAL" | "SYNC" | "NEW_DEPLOYMENT" | "SOURCE_REMOVED";
    resources?: (object | string)[];
    actor?: string;
  }) => {
    const row = await db.driftEpisode.create({
      data: {
        integrationId: input.app ? argo.id : kube.id,
        externalKey: input.key,
        kind: input.kind,
        methodology: input.methodology,
        serviceId: input.service ? ids[input.service] : null,
        gitOpsAppId: input.app ? ids[input.app] : null,
        workloadId: input.workload ? ids[input.workload] : null,
        startedAt: input.startedAt,
        endedAt: input.endedAt ?? null,
        endReason: input.endReason ?? null,
        actor: input.actor ?? null,
        resources: input.resources ?? [],
      },
    });
    ids[input.key] = row.id;
  };
  await episode({
    key: "checkout-open",
    app: "checkoutApp",
    service: "checkout",
    kind: "LIVE_DRIFT",
    methodology: "GITOPS",
    startedAt: at(-90 * MIN),
    actor: "kubectl-edit",
    resources: [{ kind: "Deployment", namespace: "shop", name: "checkout", liveState, targetState }, "not an object"],
  });
  await episode({ key: "checkout-healed", app: "checkoutApp", service: "checkout", kind: "LIVE_DRIFT", methodology: "GITOPS", startedAt: at(-3 * DAY), endedAt: at(-3 * DAY + 4 * MIN), endReason: "AUTO_HEAL" });
  await episode({ key: "checkout-old", app: "checkoutApp", service: "checkout", kind: "LIVE_DRIFT", methodology: "GITOPS", startedAt: at(-20 * DAY), endedAt: at(-20 * DAY + HOUR), endReason: "SYNC" });
  await episode({ key: "ledger-pending", app: "ledgerApp", service: "ledger", kind: "PENDING_CHANGE", methodology: "GITOPS", startedAt: at(-30 * MIN) });
  await episode({ key: "api-drift", workload: "checkoutApi", service: "checkout", kind: "LIVE_DRIFT", methodology: "DEVOPS", startedAt: at(-2 * HOUR) });
  // Began before the window, ended inside it: it overlaps, so the timeline draws it.
  await episode({ key: "api-straddle", workload: "checkoutApi", service: "checkout", kind: "LIVE_DRIFT", methodology: "DEVOPS", startedAt: at(-8 * DAY), endedAt: at(-6 * DAY), endReason: "NEW_DEPLOYMENT" });
});

afterAll(async () => {
  await testDb?.close();
});

describe("listDriftTargets", () => {
  it("lists every GitOps object and workload once, most urgent first, oldest drift first", async () => {
    const result = await list();
    expect(result.observedTotal).toBe(7);
    expect(result.total).toBe(7);
    expect(result.rows.map((row) => [row.name, row.driftState])).toEqual([
      ["checkout-api", "LIVE_DRIFT"],
      ["checkout-prod", "LIVE_DRIFT"],
      ["ledger-prod", "PENDING_CHANGE"],
      ["orphan-worker", "NOT_OBSERVABLE"],
      ["search", "NOT_OBSERVABLE"],
      ["infra", "IN_SYNC"],
      ["ledger", "IN_SYNC"],
    ]);
    const checkout = result.rows.find((row) => row.name === "checkout-prod")!;
    expect(checkout).toMatchObject({
      id: `app-${ids.checkoutApp}`,
      kind: "ARGOCD_APPLICATION",
      methodology: "gitops",
      syncStatus: "OutOfSync",
      healthStatus: "Healthy",
      service: { slug: "checkout", name: "Checkout", team: { slug: "payments", name: "Payments" } },
      integration: { name: "argo-prod", kind: "ARGOCD" },
      openEpisode: { id: ids["checkout-open"], kind: "LIVE_DRIFT", actor: "kubectl-edit", resourceCount: 2, ageSeconds: 90 * 60 },
    });
    const api = result.rows.find((row) => row.name === "checkout-api")!;
    expect(api).toMatchObject({ id: `workload-${ids.checkoutApi}`, kind: "DEPLOYMENT", methodology: "devops", syncStatus: null, managedBy: "push" });
    expect(result.rows.find((row) => row.name === "ledger")!.methodology).toBe("gitops");
    expect(result.teams.map((team) => team.slug)).toEqual(["payments", "platform"]);
    // The result crosses the network as JSON: nothing may be lost on the way.
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it("measures drift age from driftStateSince with the injected clock, for live drift and pending changes only", async () => {
    const clock = frozenClock(NOW);
    const first = await listDriftTargets(ctx(clock), {}, deps());
    const age = (rows: DriftTargetRowDto[], name: string) => rows.find((row) => row.name === name)!.driftAgeSeconds;
    expect(first.generatedAt).toBe(NOW);
    expect(age(first.rows, "checkout-prod")).toBe(90 * 60);
    expect(age(first.rows, "checkout-api")).toBe(2 * 60 * 60);
    expect(age(first.rows, "ledger-prod")).toBe(30 * 60);
    // In sync for five days: not an age of drift.
    expect(age(first.rows, "infra")).toBeNull();
    clock.advance(10 * MIN);
    const later = await listDriftTargets(ctx(clock), {}, deps());
    expect(age(later.rows, "checkout-prod")).toBe(100 * 60);
    expect(later.rows.find((row) => row.name === "checkout-prod")!.openEpisode!.ageSeconds).toBe(100 * 60);
  });

  it("shows rows whose drift cannot be observed as not observable, whatever state was stored", async () => {
    const rows = (await list({ state: "NOT_OBSERVABLE" })).rows;
    expect(names(rows)).toEqual(["orphan-worker", "search"]);
    for (const row of rows) {
      expect(row.driftObservable).toBe(false);
      expect(row.driftAgeSeconds).toBeNull();
    }
    // The HelmRelease stored IN_SYNC: it must not count as clean.
    expect(names((await list({ state: "IN_SYNC" })).rows)).toEqual(["infra", "ledger"]);
  });

  it("filters by methodology, state, team (slug or name) and text, and counts states ignoring the state filter", async () => {
    expect(names((await list({ methodology: "devops" })).rows)).toEqual(["checkout-api", "orphan-worker"]);
    expect(names((await list({ methodology: "gitops" })).rows)).toEqual(["checkout-prod", "infra", "ledger", "ledger-prod", "search"]);
    const live = await list({ state: "LIVE_DRIFT" });
    expect(names(live.rows)).toEqual(["checkout-api", "checkout-prod"]);
    expect(live.total).toBe(2);
    expect(live.stateCounts).toEqual({ LIVE_DRIFT: 2, PENDING_CHANGE: 1, ROLLOUT_IN_PROGRESS: 0, UNKNOWN: 0, NOT_OBSERVABLE: 2, IN_SYNC: 2 });
    expect(names((await list({ team: "payments" })).rows)).toEqual(["checkout-api", "checkout-prod", "ledger", "ledger-prod"]);
    expect(names((await list({ team: "Platform" })).rows)).toEqual(["search"]);
    expect(names((await list({ q: "CHECK" })).rows)).toEqual(["checkout-api", "checkout-prod"]);
    // Matches the service's name too, and the namespace.
    expect(names((await list({ q: "ledger", methodology: "gitops", state: "IN_SYNC" })).rows)).toEqual(["ledger"]);
    expect(names((await list({ q: "flux-system" })).rows)).toEqual(["infra", "search"]);
    // LIKE wildcards are taken literally.
    expect((await list({ q: "%" })).rows).toEqual([]);
    expect((await list({ methodology: "devops", state: "PENDING_CHANGE" })).total).toBe(0);
    // Filters never change what "observed at all" means: the empty state depends on it.
    expect((await list({ q: "nothing-matches" })).observedTotal).toBe(7);
  });

  it("answers 404 for an unknown team and 422 for bad parameters, naming them", async () => {
    await expect(list({ team: "nobody" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    for (const params of [{ state: "DRIFTING" }, { methodology: "both" }, { bogus: "1" }, { q: "x".repeat(101) }]) {
      const error = await list(params as DriftTargetsParams).catch((caught: unknown) => caught);
      expect(error, JSON.stringify(params)).toBeInstanceOf(ZodError);
      const response = toErrorResponse(error);
      expect(response.status).toBe(422);
      expect(response.body.error.message).toMatch(new RegExp(Object.keys(params)[0]!));
    }
  });

  it("is refused without a signed-in viewer", async () => {
    const anonymous: ViewerContext = { viewer: { kind: "anonymous" }, requestId: "t", clientIp: null, clock: frozenClock(NOW) };
    const error = await listDriftTargets(anonymous, {}, deps()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(toErrorResponse(error).status).toBe(401);
    const viewer: ViewerContext = { ...anonymous, viewer: { kind: "user", userId: "u", personId: null, role: "VIEWER", display: "Vera" } };
    expect((await listDriftTargets(viewer, {}, deps())).total).toBe(7);
    await expect(getDriftTarget(anonymous, `app-${ids.checkoutApp}`, deps())).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(listDriftEpisodes(anonymous, {}, deps())).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(getDriftFreshness(anonymous, deps())).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});

describe("listDriftEpisodes", () => {
  it("lists the episodes overlapping the window, open ones up to now, oldest first", async () => {
    const result = await listDriftEpisodes(ctx(), {}, deps());
    expect(result.window).toEqual({ from: at(-7 * DAY).toISOString(), to: NOW });
    expect(result.episodes.map((episode) => episode.id)).toEqual([ids["api-straddle"], ids["checkout-healed"], ids["api-drift"], ids["checkout-open"], ids["ledger-pending"]]);
    const open = result.episodes.find((episode) => episode.id === ids["checkout-open"])!;
    expect(open).toMatchObject({ targetId: `app-${ids.checkoutApp}`, targetLabel: "argocd/checkout-prod", endedAt: null, durationSeconds: 90 * 60, methodology: "gitops" });
    const healed = result.episodes.find((episode) => episode.id === ids["checkout-healed"])!;
    expect(healed).toMatchObject({ endReason: "AUTO_HEAL", durationSeconds: 4 * 60, kind: "LIVE_DRIFT" });
    expect((await listDriftEpisodes(ctx(), { days: 30 }, deps())).episodes).toHaveLength(6);
  });

  it("applies the targets' filters to each episode's app or workload", async () => {
    const devops = await listDriftEpisodes(ctx(), { methodology: "devops" }, deps());
    expect(devops.episodes.map((episode) => episode.id)).toEqual([ids["api-straddle"], ids["api-drift"]]);
    expect(devops.episodes.every((episode) => episode.targetKind === "DEPLOYMENT" && episode.methodology === "devops")).toBe(true);
    const pending = await listDriftEpisodes(ctx(), { state: "PENDING_CHANGE" }, deps());
    expect(pending.episodes.map((episode) => episode.id)).toEqual([ids["ledger-pending"]]);
    expect((await listDriftEpisodes(ctx(), { team: "platform" }, deps())).episodes).toEqual([]);
  });

  it("takes an explicit window, and refuses an empty or over-long one with a 422", async () => {
    const result = await listDriftEpisodes(ctx(), { from: at(-21 * DAY).toISOString(), to: at(-19 * DAY).toISOString() }, deps());
    expect(result.episodes.map((episode) => episode.id)).toEqual([ids["checkout-old"]]);
    for (const params of [{ from: NOW, to: NOW }, { days: 0 }, { days: 400 }, { from: "yesterday" }, { days: 7, from: NOW }]) {
      const error = await listDriftEpisodes(ctx(), params, deps()).catch((caught: unknown) => caught);
      expect(error, JSON.stringify(params)).toBeInstanceOf(ZodError);
      expect(toErrorResponse(error).status).toBe(422);
    }
  });
});

describe("getDriftTarget", () => {
  it("shows an Argo CD app's open episode with the live-vs-desired diff, server-set fields left out", async () => {
    const detail = await getDriftTarget(ctx(), `app-${ids.checkoutApp}`, deps());
    expect(detail.target).toMatchObject({ name: "checkout-prod", driftState: "LIVE_DRIFT", syncedRevision: "a".repeat(40), autoSync: false, repoUrl: "https://github.com/acme/deploy" });
    expect(detail.episode?.id).toBe(ids["checkout-open"]);
    expect(detail.recentEpisodes.map((episode) => episode.id)).toEqual([ids["checkout-open"], ids["checkout-healed"], ids["checkout-old"]]);
    // The entry that is not an object is skipped; the Deployment stays.
    expect(detail.resources).toHaveLength(1);
    const [resource] = detail.resources;
    expect(resource).toMatchObject({ kind: "Deployment", namespace: "shop", name: "checkout" });
    const diff = resource!.diff!;
    expect(diff.note).toBeNull();
    expect(diff.removed).toBe(1);
    expect(diff.added).toBe(1);
    const changed = diff.lines.filter((line) => line.op === "add" || line.op === "remove");
    expect(changed).toEqual([
      { op: "remove", text: "  replicas: 3" },
      { op: "add", text: "  replicas: 2" },
    ]);
    const text = diff.lines.map((line) => ("text" in line ? line.text : `… ${line.count}`)).join("\n");
    expect(text).not.toMatch(/resourceVersion|managedFields|readyReplicas|uid/);
    expect(text).toContain("  template:\n    spec:\n      containers:");
    // Unchanged lines far from the change are folded into a count.
    expect(diff.lines.some((line) => line.op === "skip")).toBe(true);
  });

  it("shows a drifting push-based workload's images as the differing field", async () => {
    const detail = await getDriftTarget(ctx(), `workload-${ids.checkoutApi}`, deps());
    expect(detail.target).toMatchObject({ kind: "DEPLOYMENT", methodology: "devops", images: ["ghcr.io/acme/checkout-api:hotfix-by-hand"], desiredImages: ["ghcr.io/acme/checkout-api:2.0.1"] });
    expect(detail.resources).toEqual([
      {
        kind: "Deployment",
        namespace: "shop",
        name: "checkout-api",
        field: "spec.template.spec.containers[*].image",
        liveValue: "ghcr.io/acme/checkout-api:hotfix-by-hand",
        desiredValue: "ghcr.io/acme/checkout-api:2.0.1",
        diff: null,
      },
    ]);
    const quiet = await getDriftTarget(ctx(), `workload-${ids.orphan}`, deps());
    expect(quiet.target.driftState).toBe("NOT_OBSERVABLE");
    expect(quiet.resources).toEqual([]);
    expect(quiet.episode).toBeNull();
  });

  it("answers 404 for an unknown id and 422 for a malformed one", async () => {
    const unknown = await getDriftTarget(ctx(), "app-00000000-0000-4000-8000-000000000000", deps()).catch((caught: unknown) => caught);
    expect(toErrorResponse(unknown).status).toBe(404);
    // A workload's uuid under the app prefix names nothing.
    expect(toErrorResponse(await getDriftTarget(ctx(), `app-${ids.checkoutApi}`, deps()).catch((caught: unknown) => caught)).status).toBe(404);
    const malformed = await getDriftTarget(ctx(), "checkout-prod", deps()).catch((caught: unknown) => caught);
    const response = toErrorResponse(malformed);
    expect(response.status).toBe(422);
    expect(response.body.error.message).toMatch(/^id: /);
  });
});

describe("getDriftFreshness", () => {
  it("names each source with its last sync by the injected clock, stale when erroring or older than 15 minutes", async () => {
    const freshness = await getDriftFreshness(ctx(), deps());
    expect(freshness.sources.map((source) => source.label)).toEqual(["Argo CD", "Flux / Kubernetes", "GitHub"]);
    const [argo, kube, github] = freshness.sources.map((source) => source.integrations[0]!);
    expect(argo).toMatchObject({ name: "argo-prod", syncedAgoSeconds: 120, stale: false, health: "HEALTHY" });
    expect(kube).toMatchObject({ name: "prod-cluster", syncedAgoSeconds: 20 * 60, stale: true });
    expect(github).toMatchObject({ name: "acme", syncedAgoSeconds: 60, stale: true, lastError: "GitHub answered 502" });
  });
});

describe("the diff of two documents", () => {
  it("prints YAML with sorted keys and quotes what would be misread", () => {
    expect(toYamlLines({ b: [1, "yes", { name: "x", port: 80 }], a: { "app.kubernetes.io/name": "web", empty: {} }, c: "two words", d: "" })).toEqual([
      "a:",
      "  app.kubernetes.io/name: web",
      "  empty: {}",
      "b:",
      "  - 1",
      '  - "yes"',
      "  - name: x",
      "    port: 80",
      "c: two words",
      'd: ""',
    ]);
  });

  it("marks lines only in the live document as removed and only in the desired one as added, folding long unchanged runs", () => {
    const before = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    const after = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "J"];
    expect(collapseUnchanged(lineDiff(before, after), 2)).toEqual([
      { op: "skip", count: 7 },
      { op: "same", text: "h" },
      { op: "same", text: "i" },
      { op: "remove", text: "j" },
      { op: "add", text: "J" },
    ]);
    expect(manifestDiff(null, null)).toBeNull();
    expect(manifestDiff("null", JSON.stringify({ kind: "Service" }))).toMatchObject({ added: 1, removed: 0, note: expect.stringMatching(/Missing from the cluster/) });
  });
});
