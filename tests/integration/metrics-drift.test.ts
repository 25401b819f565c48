import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { computeMetrics } from "@/lib/data/metrics/compute-metrics";
import { listServiceMetrics } from "@/lib/data/metrics/list-service-metrics";
import { getServiceDetail } from "@/lib/data/services/get-service";
import { systemContext } from "@/lib/data/viewer";
import type { Db } from "@/lib/db/client";
import { type MetricsDto, type ServiceMetricsDto, metricsDtoSchema } from "@/lib/queries/metrics";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * Drift and sync lag (DESIGN §3, §4) over a hand-built catalog, with every expected value worked out
 * by hand below from the definitions, not with the product's code.
 *
 * Main window [2026-01-01, 2026-01-31) UTC = 30 days; the clock's now is exactly its end, so the
 * drift-observed time ends at `to`.
 *
 * Catalog (teams: platform = gitops-svc + push-svc; apps = quiet-svc + helm-svc):
 * - gitops-svc: two drift-observable Argo CD apps, watched since Jan 6 (app-1) and Jan 11 (app-2):
 *   observed [Jan 6, Jan 31) = 25 days = 600 h. Episodes:
 *   E1 LIVE_DRIFT Jan 8 00:00 → Jan 8 06:00 (inside: starts and ends in the window, 6 h)
 *   E2 LIVE_DRIFT Dec 31 12:00 → Jan 7 00:00 (started before: not counted as started; ended inside: 156 h;
 *      drift time inside the observed period: Jan 6 → Jan 7 = 24 h)
 *   E3 LIVE_DRIFT Jan 19 00:00 → open (started inside; drift to min(to, now) = Jan 31: 288 h)
 *   E6 LIVE_DRIFT on app-2 Jan 20 → Jan 22 (started and ended inside, 48 h; inside E3, so no extra drift time)
 *   E4 PENDING_CHANGE Jan 10 → Jan 12 (never counts)
 *   E5 LIVE_DRIFT starting exactly at `to` (excluded)
 *   started = E1, E3, E6 = 3 → 3 / 25 days × 30 = 3.6 per 30 days
 *   ended = E1 6 h, E2 156 h, E6 48 h → median 48 h
 *   drift time = 24 + 6 + 288 = 318 h → in sync 282 h of 600 h = 0.47
 * - push-svc: a drift-observable push-deployed workload without its own observedSince; its
 *   integration has been watched since Dec 1 → observed the whole window, 720 h.
 *   P1 DEVOPS Jan 2 → Jan 3 (24 h), P2 Jan 10 00:00 → 12:00 (12 h):
 *   2 per 30 days; median to reconcile (12 + 24) / 2 = 18 h; in sync 1 − 36 / 720 = 0.95 (684 h).
 * - quiet-svc: one observable Argo CD app watched since Jan 16 (360 h), no episodes:
 *   0 per 30 days, nothing reconciled (null), in sync 1.
 * - helm-svc: a HelmRelease with drift detection off (driftObservable false) and a workload Flux
 *   manages (not a push workload): drift not observable, so null everywhere and left out of every
 *   cohort, even though an episode is recorded for it.
 * - An episode with no service (excluded).
 *
 * Cohorts: GITOPS = gitops-svc and quiet-svc: per 30 days median(3.6, 0) = 1.8; reconcile median(48) = 48;
 * in sync pooled (282 + 360) / (600 + 360) = 0.66875. DEVOPS = push-svc: 2, 18, 0.95.
 * Team platform (ALL rows): median(3.6, 2) = 2.8; median(48, 18) = 33; (282 + 684) / (600 + 720).
 * Team apps: quiet-svc only: 0, null, 1.
 *
 * Sync lag (successful production GitOps deployments with a desiredAt that finished in the window):
 * gitops-svc 2 h and 6 h (reconstructed) → 4 h; left out: one without desiredAt, a failed one, one
 * finishing exactly at `to`, a staging one. quiet-svc 10 h. helm-svc 20 h (sync lag does not need
 * drift to be observable). push-svc's DEVOPS deployment with a desiredAt is not GitOps: null.
 * GITOPS cohort median(4, 10, 20) = 10; DEVOPS null. Team platform median(4) = 4; apps median(10, 20) = 15.
 */
const FROM = "2026-01-01T00:00:00.000Z";
const TO = "2026-01-31T00:00:00.000Z";
const NOW = TO;
const HOUR = 3_600_000;

let testDb: TestDatabase;
let db: Db;
const ids: Record<string, string> = {};
let sequence = 0;

async function run(params: Parameters<typeof computeMetrics>[1], now: string = NOW): Promise<MetricsDto> {
  const report = await computeMetrics(systemContext(frozenClock(now)), params, { db, timeZone: "UTC" });
  // The API's and the CLI's wire contract accepts exactly this.
  expect(metricsDtoSchema.parse(report)).toEqual(report);
  return report;
}

function service(report: MetricsDto, slug: string): ServiceMetricsDto {
  const found = report.services.find((candidate) => candidate.slug === slug);
  if (!found) throw new Error(`no service ${slug} in the report`);
  return found;
}

function team(report: MetricsDto, slug: string) {
  const found = report.teams.find((candidate) => candidate.slug === slug);
  if (!found) throw new Error(`no team ${slug} in the report`);
  return found;
}

const at = (iso: string) => new Date(iso);

async function episode(input: {
  integration: string;
  service: string | null;
  app?: string;
  workload?: string;
  kind?: "LIVE_DRIFT" | "PENDING_CHANGE";
  methodology: "DEVOPS" | "GITOPS";
  startedAt: string;
  endedAt: string | null;
}): Promise<void> {
  sequence += 1;
  await db.driftEpisode.create({
    data: {
      integrationId: ids[input.integration]!,
      externalKey: `episode-${sequence}`,
      kind: input.kind ?? "LIVE_DRIFT",
      serviceId: input.service === null ? null : ids[input.service],
      gitOpsAppId: input.app ? ids[input.app] : null,
      workloadId: input.workload ? ids[input.workload] : null,
      methodology: input.methodology,
      startedAt: at(input.startedAt),
      endedAt: input.endedAt === null ? null : at(input.endedAt),
      endReason: input.endedAt === null ? null : "SYNC",
    },
  });
}

async function deploy(input: {
  service: string;
  methodology?: "DEVOPS" | "GITOPS";
  status?: "SUCCESS" | "FAILURE";
  finishedAt: string;
  lagHours: number | null;
  isProduction?: boolean;
  reconstructed?: boolean;
}): Promise<void> {
  sequence += 1;
  const finishedAt = at(input.finishedAt);
  const methodology = input.methodology ?? "GITOPS";
  await db.deployment.create({
    data: {
      integrationId: ids[methodology === "GITOPS" ? "argocd" : "github"]!,
      source: methodology === "GITOPS" ? "ARGOCD" : "GITHUB_DEPLOYMENT",
      externalId: `deploy-${sequence}`,
      methodology,
      serviceId: ids[input.service],
      environment: input.isProduction === false ? "staging" : "production",
      isProduction: input.isProduction ?? true,
      commitResolution: "DEPLOYMENT_SHA",
      status: input.status ?? "SUCCESS",
      startedAt: new Date(finishedAt.getTime() - 60_000),
      finishedAt,
      reconstructed: input.reconstructed ?? false,
      desiredAt: input.lagHours === null ? null : new Date(finishedAt.getTime() - input.lagHours * HOUR),
      sourceUpdatedAt: at(NOW),
    },
  });
}

async function gitOpsApp(key: string, input: { integration: string; service: string; kind?: "ARGOCD_APPLICATION" | "FLUX_HELMRELEASE"; driftObservable: boolean; observedSince: string | null }): Promise<void> {
  const row = await db.gitOpsApp.create({
    data: {
      integrationId: ids[input.integration]!,
      kind: input.kind ?? "ARGOCD_APPLICATION",
      externalId: key,
      cluster: "prod",
      namespace: "default",
      name: key,
      serviceId: ids[input.service],
      repoUrl: "https://example.test/config.git",
      path: key,
      targetRevision: "main",
      syncStatus: "Synced",
      healthStatus: "Healthy",
      autoSync: true,
      driftObservable: input.driftObservable,
      observedSince: input.observedSince === null ? null : at(input.observedSince),
      sourceUpdatedAt: at(NOW),
    },
  });
  ids[key] = row.id;
}

async function workload(key: string, input: { service: string; managedBy: string; driftObservable: boolean; observedSince: string | null }): Promise<void> {
  const row = await db.workload.create({
    data: {
      integrationId: ids.kubernetes!,
      cluster: "prod",
      namespace: "default",
      name: key,
      serviceId: ids[input.service],
      images: [],
      desiredImages: [],
      managedBy: input.managedBy,
      driftObservable: input.driftObservable,
      observedSince: input.observedSince === null ? null : at(input.observedSince),
      sourceUpdatedAt: at(NOW),
    },
  });
  ids[key] = row.id;
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
  ids.github = (await db.integration.create({ data: { kind: "GITHUB", name: "github", origin: "DATABASE", baseUrl: "http://127.0.0.1" } })).id;
  ids.argocd = (await db.integration.create({ data: { kind: "ARGOCD", name: "argocd", origin: "DATABASE", baseUrl: "http://127.0.0.1" } })).id;
  // Watched since before the window: a workload without its own observedSince falls back to this.
  ids.kubernetes = (
    await db.integration.create({ data: { kind: "FLUX_KUBERNETES", name: "kubernetes", origin: "DATABASE", baseUrl: "http://127.0.0.1", observedSince: at("2025-12-01T00:00:00Z") } })
  ).id;
  const platform = await db.team.create({ data: { slug: "platform", name: "Platform" } });
  const apps = await db.team.create({ data: { slug: "apps", name: "Apps" } });
  for (const [slug, teamId] of [["gitops-svc", platform.id], ["push-svc", platform.id], ["quiet-svc", apps.id], ["helm-svc", apps.id]] as const) {
    ids[slug] = (await db.service.create({ data: { slug, name: slug, teamId } })).id;
  }

  // ── gitops-svc ──
  await gitOpsApp("app-1", { integration: "argocd", service: "gitops-svc", driftObservable: true, observedSince: "2026-01-06T00:00:00Z" });
  await gitOpsApp("app-2", { integration: "argocd", service: "gitops-svc", driftObservable: true, observedSince: "2026-01-11T00:00:00Z" });
  const gitops = { integration: "argocd", service: "gitops-svc", app: "app-1", methodology: "GITOPS" } as const;
  await episode({ ...gitops, startedAt: "2026-01-08T00:00:00Z", endedAt: "2026-01-08T06:00:00Z" }); // E1
  await episode({ ...gitops, startedAt: "2025-12-31T12:00:00Z", endedAt: "2026-01-07T00:00:00Z" }); // E2
  await episode({ ...gitops, startedAt: "2026-01-19T00:00:00Z", endedAt: null }); // E3
  await episode({ ...gitops, kind: "PENDING_CHANGE", startedAt: "2026-01-10T00:00:00Z", endedAt: "2026-01-12T00:00:00Z" }); // E4
  await episode({ ...gitops, startedAt: TO, endedAt: null }); // E5
  await episode({ ...gitops, app: "app-2", startedAt: "2026-01-20T00:00:00Z", endedAt: "2026-01-22T00:00:00Z" }); // E6
  await episode({ integration: "argocd", service: null, app: "app-1", methodology: "GITOPS", startedAt: "2026-01-09T00:00:00Z", endedAt: "2026-01-10T00:00:00Z" });
  await deploy({ service: "gitops-svc", finishedAt: "2026-01-10T02:00:00Z", lagHours: 2 });
  await deploy({ service: "gitops-svc", finishedAt: "2026-01-12T06:00:00Z", lagHours: 6, reconstructed: true });
  await deploy({ service: "gitops-svc", finishedAt: "2026-01-13T06:00:00Z", lagHours: null }); // no desiredAt: left out
  await deploy({ service: "gitops-svc", status: "FAILURE", finishedAt: "2026-01-14T10:00:00Z", lagHours: 10 }); // failed: left out
  await deploy({ service: "gitops-svc", finishedAt: TO, lagHours: 100 }); // at `to`: outside
  await deploy({ service: "gitops-svc", finishedAt: "2026-01-15T00:00:00Z", lagHours: 50, isProduction: false }); // staging

  // ── push-svc ──
  await workload("push-workload", { service: "push-svc", managedBy: "push", driftObservable: true, observedSince: null });
  const push = { integration: "kubernetes", service: "push-svc", workload: "push-workload", methodology: "DEVOPS" } as const;
  await episode({ ...push, startedAt: "2026-01-02T00:00:00Z", endedAt: "2026-01-03T00:00:00Z" });
  await episode({ ...push, startedAt: "2026-01-10T00:00:00Z", endedAt: "2026-01-10T12:00:00Z" });
  await deploy({ service: "push-svc", methodology: "DEVOPS", finishedAt: "2026-01-05T00:00:00Z", lagHours: 1 }); // not GitOps

  // ── quiet-svc ──
  await gitOpsApp("quiet-app", { integration: "argocd", service: "quiet-svc", driftObservable: true, observedSince: "2026-01-16T00:00:00Z" });
  await deploy({ service: "quiet-svc", finishedAt: "2026-01-20T00:00:00Z", lagHours: 10 });

  // ── helm-svc: drift not observable ──
  await gitOpsApp("helm-release", { integration: "kubernetes", service: "helm-svc", kind: "FLUX_HELMRELEASE", driftObservable: false, observedSince: "2025-12-01T00:00:00Z" });
  await workload("helm-workload", { service: "helm-svc", managedBy: "FLUX_HELMRELEASE", driftObservable: true, observedSince: "2025-12-01T00:00:00Z" });
  await episode({ integration: "kubernetes", service: "helm-svc", app: "helm-release", methodology: "GITOPS", startedAt: "2026-01-05T00:00:00Z", endedAt: "2026-01-06T00:00:00Z" });
  await deploy({ service: "helm-svc", finishedAt: "2026-01-25T00:00:00Z", lagHours: 20 });
});

afterAll(async () => {
  await testDb?.close();
});

describe("drift metrics", () => {
  it("per service: episodes per 30 observed days, median hours to reconcile and time in sync", async () => {
    const report = await run({ from: FROM, to: TO });
    const gitops = service(report, "gitops-svc");
    expect(gitops).toMatchObject({ driftObservable: true, driftEpisodeCount: 3, reconciledDriftCount: 3 });
    expect(gitops.driftEpisodesPer30Days).toBeCloseTo(3.6, 12);
    expect(gitops.driftMedianHoursToReconcile).toBeCloseTo(48, 12);
    expect(gitops.timeInSyncRatio).toBeCloseTo(0.47, 12);

    const push = service(report, "push-svc");
    expect(push).toMatchObject({ driftObservable: true, driftEpisodeCount: 2, reconciledDriftCount: 2 });
    expect(push.driftEpisodesPer30Days).toBeCloseTo(2, 12);
    expect(push.driftMedianHoursToReconcile).toBeCloseTo(18, 12);
    expect(push.timeInSyncRatio).toBeCloseTo(0.95, 12);

    // Observed and clean: a real 0 and a ratio of 1, but nothing reconciled.
    expect(service(report, "quiet-svc")).toMatchObject({
      driftObservable: true,
      driftEpisodeCount: 0,
      driftEpisodesPer30Days: 0,
      driftMedianHoursToReconcile: null,
      timeInSyncRatio: 1,
    });
    // Not observable: null, never a clean 0, even with an episode on record.
    expect(service(report, "helm-svc")).toMatchObject({
      driftObservable: false,
      driftEpisodeCount: 0,
      driftEpisodesPer30Days: null,
      reconciledDriftCount: 0,
      driftMedianHoursToReconcile: null,
      timeInSyncRatio: null,
    });
  });

  it("per cohort and team: medians of services for rates and durations, pooled time in sync, not-observable services left out", async () => {
    const report = await run({ from: FROM, to: TO });
    const { gitops, devops } = report.cohorts;
    expect(gitops).toMatchObject({ driftObservable: true, driftObservableServiceCount: 2, driftEpisodeCount: 3, reconciledDriftCount: 3 });
    expect(gitops.driftEpisodesPer30Days).toBeCloseTo(1.8, 12);
    expect(gitops.driftMedianHoursToReconcile).toBeCloseTo(48, 12);
    expect(gitops.timeInSyncRatio).toBeCloseTo(642 / 960, 12);
    expect(devops).toMatchObject({ driftObservable: true, driftObservableServiceCount: 1, driftEpisodeCount: 2 });
    expect(devops.driftEpisodesPer30Days).toBeCloseTo(2, 12);
    expect(devops.driftMedianHoursToReconcile).toBeCloseTo(18, 12);
    expect(devops.timeInSyncRatio).toBeCloseTo(0.95, 12);

    const platform = team(report, "platform");
    expect(platform.driftObservableServiceCount).toBe(2);
    expect(platform.driftEpisodesPer30Days).toBeCloseTo(2.8, 12);
    expect(platform.driftMedianHoursToReconcile).toBeCloseTo(33, 12);
    expect(platform.timeInSyncRatio).toBeCloseTo(966 / 1320, 12);
    expect(team(report, "apps")).toMatchObject({
      driftObservableServiceCount: 1,
      driftEpisodesPer30Days: 0,
      driftMedianHoursToReconcile: null,
      timeInSyncRatio: 1,
    });
  });

  it("ends observed time at the clock's now when the window reaches past it", async () => {
    // [Jan 11, Feb 10) with now = Jan 31: gitops-svc observed [Jan 11, Jan 31) = 20 days = 480 h.
    // Started in the window: E3, E6 and E5 (Jan 31 is inside this window) = 3 → 4.5 per 30 days.
    // Drift: E3 from Jan 19 to now = 288 h (E5 starts at now: no time yet) → 1 − 288 / 480 = 0.4.
    // Ended in the window: E6 (48 h).
    const report = await run({ from: "2026-01-11T00:00:00Z", to: "2026-02-10T00:00:00Z" });
    const gitops = service(report, "gitops-svc");
    expect(gitops.driftEpisodeCount).toBe(3);
    expect(gitops.driftEpisodesPer30Days).toBeCloseTo(4.5, 12);
    expect(gitops.timeInSyncRatio).toBeCloseTo(0.4, 12);
    expect(gitops.driftMedianHoursToReconcile).toBeCloseTo(48, 12);
  });

  it("counts an episode open across a quiet window as drift the whole time", async () => {
    // [Jan 23, Jan 25): nothing starts or ends, E3 covers it all → gitops-svc 0 per 30 days, in sync 0;
    // push-svc 0 and 1; no medians.
    const report = await run({ from: "2026-01-23T00:00:00Z", to: "2026-01-25T00:00:00Z" });
    expect(service(report, "gitops-svc")).toMatchObject({ driftEpisodesPer30Days: 0, timeInSyncRatio: 0, driftMedianHoursToReconcile: null });
    expect(service(report, "push-svc")).toMatchObject({ driftEpisodesPer30Days: 0, timeInSyncRatio: 1, driftMedianHoursToReconcile: null });
    expect(report.cohorts.gitops.driftMedianHoursToReconcile).toBeNull();
  });

  it("has no values for a window before anything was observed", async () => {
    // Every observable object was first watched after this window: observable, but 0 observed time → null.
    const report = await run({ from: "2025-06-01T00:00:00Z", to: "2025-06-08T00:00:00Z" });
    for (const slug of ["gitops-svc", "push-svc", "quiet-svc", "helm-svc"]) {
      expect(service(report, slug), slug).toMatchObject({
        driftEpisodeCount: 0,
        driftEpisodesPer30Days: null,
        driftMedianHoursToReconcile: null,
        timeInSyncRatio: null,
        syncLagMedianHours: null,
      });
    }
    for (const cohort of [report.cohorts.devops, report.cohorts.gitops]) {
      expect(cohort).toMatchObject({ driftEpisodesPer30Days: null, driftMedianHoursToReconcile: null, timeInSyncRatio: null, syncLagMedianHours: null });
    }
  });

  it("respects the team and service filters", async () => {
    // Team apps: the GitOps cohort is quiet-svc alone (helm-svc is not observable); no DevOps drift at all.
    const apps = await run({ from: FROM, to: TO, team: "apps" });
    expect(apps.services.map((row) => row.slug)).toEqual(["helm-svc", "quiet-svc"]);
    expect(apps.cohorts.gitops).toMatchObject({ driftObservableServiceCount: 1, driftEpisodesPer30Days: 0, timeInSyncRatio: 1 });
    expect(apps.cohorts.gitops.syncLagMedianHours).toBeCloseTo(15, 12);
    expect(apps.cohorts.devops).toMatchObject({ driftObservable: false, driftObservableServiceCount: 0, driftEpisodesPer30Days: null, timeInSyncRatio: null });
    const helm = await run({ from: FROM, to: TO, service: "helm-svc" });
    expect(helm.cohorts.gitops).toMatchObject({ driftObservable: false, timeInSyncRatio: null, syncLagMedianHours: 20 });
  });
});

describe("sync lag", () => {
  it("is the median of finishedAt − desiredAt over successful production GitOps deployments, per service then across services", async () => {
    const report = await run({ from: FROM, to: TO });
    expect(service(report, "gitops-svc")).toMatchObject({ syncLagDeploymentCount: 2 });
    expect(service(report, "gitops-svc").syncLagMedianHours).toBeCloseTo(4, 12);
    expect(service(report, "quiet-svc").syncLagMedianHours).toBeCloseTo(10, 12);
    expect(service(report, "helm-svc").syncLagMedianHours).toBeCloseTo(20, 12);
    expect(service(report, "push-svc")).toMatchObject({ syncLagDeploymentCount: 0, syncLagMedianHours: null });
    expect(report.cohorts.gitops).toMatchObject({ syncLagDeploymentCount: 4 });
    expect(report.cohorts.gitops.syncLagMedianHours).toBeCloseTo(10, 12);
    expect(report.cohorts.devops).toMatchObject({ syncLagDeploymentCount: 0, syncLagMedianHours: null });
    expect(team(report, "platform").syncLagMedianHours).toBeCloseTo(4, 12);
    expect(team(report, "apps").syncLagMedianHours).toBeCloseTo(15, 12);
  });
});

describe("where the values appear", () => {
  it("on the services list and the service page, equal to the metrics resource", async () => {
    const ctx = systemContext(frozenClock(NOW));
    const deps = { db, timeZone: "UTC" };
    const report = await run({ from: FROM, to: TO });
    const list = await listServiceMetrics(ctx, { from: FROM, to: TO }, deps);
    for (const row of list.rows) {
      const expected = service(report, row.slug);
      expect(row, row.slug).toMatchObject({
        driftObservable: expected.driftObservable,
        driftEpisodesPer30Days: expected.driftEpisodesPer30Days,
        driftMedianHoursToReconcile: expected.driftMedianHoursToReconcile,
        timeInSyncRatio: expected.timeInSyncRatio,
        syncLagMedianHours: expected.syncLagMedianHours,
      });
    }
    expect(list.rows.map((row) => row.slug)).toHaveLength(4);
    const detail = await getServiceDetail(ctx, "gitops-svc", { from: FROM, to: TO }, deps);
    const { slug: _slug, name: _name, team: _team, ...values } = service(report, "gitops-svc");
    expect(detail.metrics).toEqual(values);
  });
});
