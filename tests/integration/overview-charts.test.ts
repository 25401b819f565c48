import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ZodError } from "zod";
import { frozenClock } from "@/lib/clock";
import { computeMetrics } from "@/lib/data/metrics/compute-metrics";
import { getLeadTimeDistribution, getOverviewTrends } from "@/lib/data/metrics/get-overview-charts";
import { type ViewerContext, systemContext } from "@/lib/data/viewer";
import { type Db, getDb } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { toErrorResponse } from "@/lib/errors";
import { MAX_TREND_WEEKS } from "@/lib/metrics/definitions/weekly-trends";
import { rebuildRollups } from "@/lib/metrics/rollups";
import type { CohortMetricsDto, MetricsParams } from "@/lib/queries/metrics";
import {
  type LeadTimeDistributionDto,
  type OverviewTrendsDto,
  TREND_METRIC_KEYS,
  type TrendCohortWeekDto,
  leadTimeDistributionDtoSchema,
  overviewTrendsDtoSchema,
} from "@/lib/queries/overview-charts";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * The Overview's weekly trends and lead-time distribution over a hand-built catalog, with expected
 * values worked out by hand below from DESIGN §3 (not with the product's code), plus a check that
 * every week equals `computeMetrics` over that week as the window (one definition per metric).
 *
 * Main window [2026-01-07T00:00Z (a Wednesday), 2026-01-26T00:00Z), UTC. Weeks (Monday start):
 * - W1 week of Jan 5, clipped to [Jan 7, Jan 12) = 5 days: partial.
 * - W2 week of Jan 12, [Jan 12, Jan 19): no production deployment at all (one staging one).
 * - W3 week of Jan 19, [Jan 19, Jan 26): whole.
 *
 * Services: d1, d2 (DEVOPS), g1, g2 (GITOPS); every deployment is production unless said otherwise.
 * W1:
 * - d1: Jan 6 23:00 (same week, before the window: out); Jan 7 10:00 (a PR change of 2 h, approved
 *   by someone else); Jan 8 10:00 failed change (a direct push of 6 h), remediated by the rollback
 *   Jan 8 13:00 (rework) → 3 deployments, 0.6/day, lead median(2, 6) = 4, recovery 3 h.
 * - d2: Jan 9 10:00 (a push of 10 h), a FAILURE Jan 10 10:00 (its change of 500 h never counts)
 *   → 1 of 2 attempts, 0.2/day, lead 10.
 *   DevOps W1: 2 services, 4 deployments of 5 attempts; per day median(0.6, 0.2) = 0.4; lead
 *   median(4, 10) = 7; change fail rate 1/4; recovery 3; rework 1/4; success 4/5; approved 1 of 3
 *   changes; no sync lag (DevOps has none); drift not observable (no push workload) → null.
 * - g1: Jan 7 12:00 (a push of exactly 1 h; sync lag 2 h), Jan 11 23:59:59 (exactly 24 h, no desiredAt).
 *   → 2 deployments, 0.4/day, lead median(1, 24) = 12.5.
 * - g2: Jan 10 00:00 (pushes of 0.5 h and exactly 4 h; sync lag 6 h) → 0.2/day, lead median(0.5, 4) = 2.25.
 *   GitOps W1: 2 services, 3 deployments; per day median(0.4, 0.2) = 0.3; lead median(12.5, 2.25)
 *   = 7.375; change fail rate 0; rework 0; success 1; recovery null; sync lag median(2, 6) = 4;
 *   approved 0 of 4 changes.
 * W2: d2 deploys to staging only (out by default; the one deployment with `environment=staging`).
 *   Every deployment value is null and every count 0 in both cohorts.
 * W3:
 * - d1: Jan 20 10:00 (a push of exactly 168 h) → DevOps: 1 service, 1 deployment, 1/7 per day, lead 168.
 * - g1: Jan 21 10:00 (exactly 672 h), Jan 22 10:00 (exactly 72 h) → GitOps: 1 service, 2/7 per day,
 *   lead median(672, 72) = 372. g2 does not deploy: the medians are over g1 alone.
 * - g1 at exactly `to` (Jan 26 00:00, a change of 1000 h): out of the window.
 * Drift: g1's Argo CD app is drift-observable since Jan 1; one live-drift episode Jan 13 00:00 →
 *   12:00 (in W2). GitOps W1: 0 per 30 days, nothing reconciled, in sync 1. W2: 1 per 7 observed
 *   days = 30/7 per 30 days, 12 h to reconcile, in sync 1 − 12/168 = 13/14 (drift does not need
 *   deployments). W3: 0, null, 1.
 *
 * Lead-time distribution over the window (bins < 1 h, 1–4 h, 4–24 h, 1–3 d, 3–7 d, 1–4 wk, ≥ 4 wk;
 * a value on a bound opens the next bin):
 * - DevOps 2, 6, 10, 168 → [0, 1, 2, 0, 0, 1, 0]; pooled median (6 + 10) / 2 = 8; p90 at rank
 *   0.9·3 = 2.7 → 10 + 0.7·(168 − 10) = 120.6.
 * - GitOps 0.5, 1, 4, 24, 72, 672 → [1, 1, 1, 1, 1, 0, 1]; median (4 + 24) / 2 = 14; p90 at rank
 *   0.9·5 = 4.5 → 72 + 0.5·(672 − 72) = 372.
 * Elsewhere: d2 on Feb 2 ships a change with a lead time of −0.5 h (clock skew): the first bin.
 */
const FROM = "2026-01-07T00:00:00.000Z";
const TO = "2026-01-26T00:00:00.000Z";
const NOW = "2026-03-01T00:00:00.000Z";
const HOUR = 3_600_000;

// The route handlers build their context from the request's session; here it is a signed-in viewer.
const routeViewer = vi.hoisted(() => ({ current: null as ViewerContext | null }));
vi.mock("@/lib/data/context", () => ({
  getViewerContext: async () => {
    if (!routeViewer.current) throw new Error("no route viewer set");
    return routeViewer.current;
  },
}));

let testDb: TestDatabase;
let db: Db;
let sequence = 0;
const ids: Record<string, string> = {};

const ctxAt = (now: string = NOW) => systemContext(frozenClock(now));

async function trends(params: MetricsParams, options: { now?: string; timeZone?: string } = {}): Promise<OverviewTrendsDto> {
  const dto = await getOverviewTrends(ctxAt(options.now), params, { db, timeZone: options.timeZone ?? "UTC" });
  // What the browser parses is exactly what the data layer returns.
  expect(overviewTrendsDtoSchema.parse(dto)).toEqual(dto);
  return dto;
}

async function distribution(params: MetricsParams): Promise<LeadTimeDistributionDto> {
  const dto = await getLeadTimeDistribution(ctxAt(), params, { db, timeZone: "UTC" });
  expect(leadTimeDistributionDtoSchema.parse(dto)).toEqual(dto);
  return dto;
}

interface DeployInput {
  service: string;
  finishedAt: string;
  methodology: "DEVOPS" | "GITOPS";
  status?: "SUCCESS" | "FAILURE";
  environment?: string;
  key?: string;
  isFailedChange?: boolean;
  isRework?: boolean;
  isRollback?: boolean;
  remediatedBy?: string;
  provisional?: boolean;
  syncLagHours?: number;
  /** Lead times of the changes it ships, in hours (direct pushes unless `approvedPr`). */
  changes?: number[];
  /** The first change is a PR by alice approved by bob. */
  approvedPr?: boolean;
}

async function deploy(input: DeployInput): Promise<void> {
  sequence += 1;
  const finishedAt = new Date(input.finishedAt);
  const environment = input.environment ?? "production";
  const row = await db.deployment.create({
    data: {
      integrationId: ids[input.methodology === "GITOPS" ? "argocd" : "github"]!,
      source: input.methodology === "GITOPS" ? "ARGOCD" : "GITHUB_DEPLOYMENT",
      externalId: `d-${sequence}`,
      methodology: input.methodology,
      serviceId: ids[input.service],
      repositoryId: ids.repository,
      environment,
      isProduction: environment === "production",
      commitSha: `sha-${sequence}`,
      commitResolution: "DEPLOYMENT_SHA",
      status: input.status ?? "SUCCESS",
      startedAt: new Date(finishedAt.getTime() - 10 * 60_000),
      finishedAt,
      isFailedChange: input.isFailedChange ?? false,
      isRework: input.isRework ?? false,
      isRollback: input.isRollback ?? false,
      remediatedById: input.remediatedBy ? ids[input.remediatedBy] : null,
      provisional: input.provisional ?? false,
      desiredAt: input.syncLagHours === undefined ? null : new Date(finishedAt.getTime() - input.syncLagHours * HOUR),
      sourceUpdatedAt: new Date(NOW),
    },
  });
  if (input.key) ids[input.key] = row.id;
  for (const [index, leadHours] of (input.changes ?? []).entries()) {
    sequence += 1;
    const firstCommitAt = new Date(finishedAt.getTime() - leadHours * HOUR);
    let pullRequestId: string | null = null;
    if (index === 0 && input.approvedPr) {
      const pr = await db.pullRequest.create({
        data: {
          integrationId: ids.github!,
          repositoryId: ids.repository!,
          externalId: `pr-${sequence}`,
          number: sequence,
          title: `PR ${sequence}`,
          state: "closed",
          authorLogin: "alice",
          baseBranch: "main",
          openedAt: firstCommitAt,
          mergedAt: firstCommitAt,
          mergeCommitSha: `c-${sequence}`,
          firstCommitAt,
          labels: [],
          approvingReviewers: ["bob"],
          sourceUpdatedAt: new Date(NOW),
        },
      });
      pullRequestId = pr.id;
    }
    await db.deploymentChange.create({
      data: {
        integrationId: ids.github!,
        deploymentId: row.id,
        kind: pullRequestId ? "PULL_REQUEST" : "DIRECT_PUSH",
        commitSha: `c-${sequence}`,
        pullRequestId,
        firstCommitAt,
        openedAt: pullRequestId ? firstCommitAt : null,
        mergedAt: pullRequestId ? firstCommitAt : null,
        leadTimeSeconds: Math.round(leadHours * 3600),
      },
    });
  }
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
  ids.github = (await db.integration.create({ data: { kind: "GITHUB", name: "github", origin: "DATABASE", baseUrl: "http://127.0.0.1" } })).id;
  ids.argocd = (await db.integration.create({ data: { kind: "ARGOCD", name: "argocd", origin: "DATABASE", baseUrl: "http://127.0.0.1" } })).id;
  ids.repository = (await db.repository.create({ data: { integrationId: ids.github, externalId: "1", owner: "acme", name: "app", fullName: "acme/app", defaultBranch: "main" } })).id;
  for (const slug of ["d1", "d2", "g1", "g2"]) ids[slug] = (await db.service.create({ data: { slug, name: slug.toUpperCase() } })).id;

  // ── W1 (partial) ──
  await deploy({ service: "d1", methodology: "DEVOPS", finishedAt: "2026-01-06T23:00:00Z", changes: [50] }); // before `from`
  await deploy({ service: "d1", methodology: "DEVOPS", finishedAt: "2026-01-07T10:00:00Z", changes: [2], approvedPr: true });
  await deploy({ service: "d1", methodology: "DEVOPS", finishedAt: "2026-01-08T13:00:00Z", key: "rollback", isRollback: true, isRework: true });
  await deploy({ service: "d1", methodology: "DEVOPS", finishedAt: "2026-01-08T10:00:00Z", changes: [6], isFailedChange: true, remediatedBy: "rollback" });
  await deploy({ service: "d2", methodology: "DEVOPS", finishedAt: "2026-01-09T10:00:00Z", changes: [10] });
  await deploy({ service: "d2", methodology: "DEVOPS", finishedAt: "2026-01-10T10:00:00Z", status: "FAILURE", changes: [500] });
  await deploy({ service: "g1", methodology: "GITOPS", finishedAt: "2026-01-07T12:00:00Z", changes: [1], syncLagHours: 2 });
  await deploy({ service: "g1", methodology: "GITOPS", finishedAt: "2026-01-11T23:59:59Z", changes: [24] });
  await deploy({ service: "g2", methodology: "GITOPS", finishedAt: "2026-01-10T00:00:00Z", changes: [0.5, 4], syncLagHours: 6 });
  // ── W2: staging only ──
  await deploy({ service: "d2", methodology: "DEVOPS", finishedAt: "2026-01-14T10:00:00Z", environment: "staging", changes: [3] });
  // ── W3 ──
  await deploy({ service: "d1", methodology: "DEVOPS", finishedAt: "2026-01-20T10:00:00Z", changes: [168] });
  await deploy({ service: "g1", methodology: "GITOPS", finishedAt: "2026-01-21T10:00:00Z", changes: [672] });
  await deploy({ service: "g1", methodology: "GITOPS", finishedAt: "2026-01-22T10:00:00Z", changes: [72], provisional: true });
  await deploy({ service: "g1", methodology: "GITOPS", finishedAt: TO, changes: [1000] }); // at `to`: out
  // ── elsewhere: clock skew ──
  await deploy({ service: "d2", methodology: "DEVOPS", finishedAt: "2026-02-02T10:00:00Z", changes: [-0.5] });

  // ── drift: g1 watched since Jan 1, one live-drift episode in W2 ──
  const app = await db.gitOpsApp.create({
    data: {
      integrationId: ids.argocd,
      kind: "ARGOCD_APPLICATION",
      externalId: "g1-app",
      cluster: "prod",
      namespace: "default",
      name: "g1-app",
      serviceId: ids.g1,
      repoUrl: "https://example.test/config.git",
      path: "g1",
      targetRevision: "main",
      syncStatus: "Synced",
      healthStatus: "Healthy",
      autoSync: true,
      driftObservable: true,
      observedSince: new Date("2026-01-01T00:00:00Z"),
      sourceUpdatedAt: new Date(NOW),
    },
  });
  await db.driftEpisode.create({
    data: {
      integrationId: ids.argocd,
      externalKey: "g1-episode",
      kind: "LIVE_DRIFT",
      serviceId: ids.g1,
      gitOpsAppId: app.id,
      methodology: "GITOPS",
      startedAt: new Date("2026-01-13T00:00:00Z"),
      endedAt: new Date("2026-01-13T12:00:00Z"),
      endReason: "SYNC",
    },
  });
});

afterAll(async () => {
  routeViewer.current = null;
  await testDb?.close();
});

/** Every trend value null: a cohort-week in which nothing was measured. */
const NULL_VALUES = Object.fromEntries(TREND_METRIC_KEYS.map((key) => [key, null]));

describe("weekly trends", () => {
  it("lists every week the window touches, clipped to it, and flags the partial one", async () => {
    const dto = await trends({ from: FROM, to: TO });
    expect(dto.window).toEqual({ from: FROM, to: TO });
    expect(dto.weeks.map(({ weekStart, from, to, partial }) => ({ weekStart, from, to, partial }))).toEqual([
      { weekStart: "2026-01-05", from: FROM, to: "2026-01-12T00:00:00.000Z", partial: true },
      { weekStart: "2026-01-12", from: "2026-01-12T00:00:00.000Z", to: "2026-01-19T00:00:00.000Z", partial: false },
      { weekStart: "2026-01-19", from: "2026-01-19T00:00:00.000Z", to: TO, partial: false },
    ]);
  });

  it("gives each cohort's week the median of per-service values and pooled proportions, over the clipped week", async () => {
    const [w1, , w3] = (await trends({ from: FROM, to: TO })).weeks;
    const devops = w1!.devops;
    expect(devops).toMatchObject({ activeServiceCount: 2, deploymentCount: 4, attemptCount: 5, leadTimeChangeCount: 3, failedChangeCount: 1, recoveredCount: 1, changeCount: 3 });
    expect(devops.deploymentsPerDay).toBeCloseTo(0.4, 12); // median(3/5, 1/5): the clipped week has 5 days
    expect(devops.leadTimeMedianHours).toBeCloseTo(7, 9);
    expect(devops.changeFailRate).toBeCloseTo(1 / 4, 12);
    expect(devops.recoveryTimeMedianHours).toBeCloseTo(3, 9);
    expect(devops.reworkRate).toBeCloseTo(1 / 4, 12);
    expect(devops.deploymentSuccessRate).toBeCloseTo(4 / 5, 12);
    expect(devops.approvedChangeShare).toBeCloseTo(1 / 3, 12);
    expect(devops).toMatchObject({ syncLagMedianHours: null, driftEpisodesPer30Days: null, driftMedianHoursToReconcile: null, timeInSyncRatio: null, driftObservableServiceCount: 0 });

    const gitops = w1!.gitops;
    expect(gitops).toMatchObject({ activeServiceCount: 2, deploymentCount: 3, attemptCount: 3, changeFailRate: 0, reworkRate: 0, deploymentSuccessRate: 1, recoveryTimeMedianHours: null, approvedChangeShare: 0, changeCount: 4, syncLagDeploymentCount: 2, driftObservableServiceCount: 1 });
    expect(gitops.deploymentsPerDay).toBeCloseTo(0.3, 12);
    expect(gitops.leadTimeMedianHours).toBeCloseTo(7.375, 9);
    expect(gitops.syncLagMedianHours).toBeCloseTo(4, 9);
    expect(gitops).toMatchObject({ driftEpisodesPer30Days: 0, driftMedianHoursToReconcile: null, timeInSyncRatio: 1 });

    expect(w3!.devops).toMatchObject({ activeServiceCount: 1, deploymentCount: 1 });
    expect(w3!.devops.deploymentsPerDay).toBeCloseTo(1 / 7, 12);
    expect(w3!.devops.leadTimeMedianHours).toBeCloseTo(168, 9);
    expect(w3!.gitops).toMatchObject({ activeServiceCount: 1, deploymentCount: 2, changeFailRate: 0 });
    expect(w3!.gitops.deploymentsPerDay).toBeCloseTo(2 / 7, 12); // g2 did not deploy: not a 0 in the median
    expect(w3!.gitops.leadTimeMedianHours).toBeCloseTo(372, 9);
  });

  it("reports null, not 0, in a week without deployments, and still reports that week's drift", async () => {
    const w2 = (await trends({ from: FROM, to: TO })).weeks[1]!;
    const counts = { deploymentCount: 0, attemptCount: 0, activeServiceCount: 0, leadTimeChangeCount: 0, failedChangeCount: 0, recoveredCount: 0, changeCount: 0, syncLagDeploymentCount: 0 };
    expect(w2.devops).toMatchObject({ ...NULL_VALUES, ...counts, driftObservableServiceCount: 0, thin: true });
    const { driftEpisodesPer30Days, driftMedianHoursToReconcile, timeInSyncRatio, ...gitopsDeploymentValues } = w2.gitops;
    expect(gitopsDeploymentValues).toMatchObject({ ...Object.fromEntries(TREND_METRIC_KEYS.filter((key) => !key.startsWith("drift") && key !== "timeInSyncRatio").map((key) => [key, null])), ...counts });
    expect(driftEpisodesPer30Days).toBeCloseTo(30 / 7, 12);
    expect(driftMedianHoursToReconcile).toBeCloseTo(12, 9);
    expect(timeInSyncRatio).toBeCloseTo(13 / 14, 12);
  });

  it("marks provisional weeks (a flag, or ending within 7 days of now) and thin ones", async () => {
    const settled = await trends({ from: FROM, to: TO });
    expect(settled.weeks.map((week) => [week.devops.provisional, week.gitops.provisional])).toEqual([[false, false], [false, false], [false, true]]);
    // Now Jan 28: W3 ends less than 7 days before, W2 exactly 9 days before.
    const recent = await trends({ from: FROM, to: TO }, { now: "2026-01-28T00:00:00Z" });
    expect(recent.weeks.map((week) => [week.devops.provisional, week.gitops.provisional])).toEqual([[false, false], [false, false], [true, true]]);
    // Fewer than 5 services in every cohort-week of this catalog.
    expect(settled.thinWeek).toEqual({ minServices: 5, minDeployments: 20 });
    expect(settled.weeks.every((week) => week.devops.thin && week.gitops.thin)).toBe(true);
  });

  it("equals computeMetrics over each week as the window: one definition per metric", async () => {
    for (const options of [{ timeZone: "UTC" }, { timeZone: "Asia/Tokyo" }, { timeZone: "UTC", now: "2026-01-28T00:00:00Z" }]) {
      for (const params of [{ from: FROM, to: TO }, { from: FROM, to: TO, environment: "staging" }, { from: FROM, to: TO, service: "g1" }]) {
        const dto = await trends(params, options);
        for (const week of dto.weeks) {
          const report = await computeMetrics(ctxAt(options.now), { ...params, from: week.from, to: week.to }, { db, timeZone: options.timeZone });
          for (const cohort of ["devops", "gitops"] as const) {
            expect(week[cohort], `${JSON.stringify({ ...options, ...params })} ${week.weekStart} ${cohort}`).toEqual(expectedWeek(report.cohorts[cohort]));
          }
        }
      }
    }
  });

  it("passes the filters through: environments replace production, services narrow the cohorts", async () => {
    const staging = await trends({ from: FROM, to: TO, environment: "staging" });
    expect(staging.weeks.map((week) => week.devops.deploymentCount)).toEqual([0, 1, 0]);
    expect(staging.weeks[1]!.devops.leadTimeMedianHours).toBeCloseTo(3, 9);
    // Drift is observed in production only.
    expect(staging.weeks[1]!.gitops.driftEpisodesPer30Days).toBeNull();
    const g1 = await trends({ from: FROM, to: TO, service: "g1" });
    expect(g1.weeks.map((week) => [week.devops.deploymentCount, week.gitops.deploymentCount])).toEqual([[0, 2], [0, 0], [0, 2]]);
    await expect(trends({ from: FROM, to: TO, service: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("buckets weeks in ORG_TIMEZONE, DST-aware", async () => {
    // Tokyo (+9): local Mondays start at Sunday 15:00Z, so the window touches four weeks.
    const tokyo = await trends({ from: FROM, to: TO }, { timeZone: "Asia/Tokyo" });
    expect(tokyo.weeks.map(({ weekStart, from, to, partial }) => ({ weekStart, from, to, partial }))).toEqual([
      { weekStart: "2026-01-05", from: FROM, to: "2026-01-11T15:00:00.000Z", partial: true },
      { weekStart: "2026-01-12", from: "2026-01-11T15:00:00.000Z", to: "2026-01-18T15:00:00.000Z", partial: false },
      { weekStart: "2026-01-19", from: "2026-01-18T15:00:00.000Z", to: "2026-01-25T15:00:00.000Z", partial: false },
      { weekStart: "2026-01-26", from: "2026-01-25T15:00:00.000Z", to: TO, partial: true },
    ]);
    // g1's 23:59:59Z deployment on Sunday Jan 11 is Monday morning in Tokyo: the second week.
    expect(tokyo.weeks.map((week) => week.gitops.deploymentCount)).toEqual([2, 1, 2, 0]);
    // New York springs forward on Sunday March 8, 2026: that week is 167 hours long, and whole.
    const newYork = await trends({ from: "2026-03-02T05:00:00Z", to: "2026-03-16T04:00:00Z" }, { timeZone: "America/New_York" });
    expect(newYork.weeks.map(({ weekStart, from, to, partial }) => ({ weekStart, from, to, partial }))).toEqual([
      { weekStart: "2026-03-02", from: "2026-03-02T05:00:00.000Z", to: "2026-03-09T04:00:00.000Z", partial: false },
      { weekStart: "2026-03-09", from: "2026-03-09T04:00:00.000Z", to: "2026-03-16T04:00:00.000Z", partial: false },
    ]);
  });

  it("an empty window has a week list with counts of 0 and every value null", async () => {
    const dto = await trends({ from: "2025-06-02T00:00:00Z", to: "2025-06-16T00:00:00Z" });
    expect(dto.weeks.map((week) => week.weekStart)).toEqual(["2025-06-02", "2025-06-09"]);
    for (const week of dto.weeks) {
      for (const cohort of [week.devops, week.gitops]) {
        expect(cohort).toMatchObject({ deploymentsPerDay: null, leadTimeMedianHours: null, changeFailRate: null, deploymentSuccessRate: null, approvedChangeShare: null, deploymentCount: 0, attemptCount: 0, activeServiceCount: 0 });
      }
    }
  });

  it("defaults to computeMetrics' window, refuses a bad or over-long window with a 422, and needs metrics:read", async () => {
    const dto = await trends({}, { now: "2026-01-28T12:00:00Z" });
    expect(dto.window).toEqual({ from: "2025-10-30T00:00:00.000Z", to: "2026-01-28T00:00:00.000Z" });
    expect(dto.weeks).toHaveLength(14); // Oct 27 … Jan 26, both ends partial
    expect([dto.weeks[0]!.partial, dto.weeks.at(-1)!.partial]).toEqual([true, true]);
    // `days` counts whole days back from the start of today, like the cohort cards.
    const twoWeeks = await trends({ days: 14 }, { now: "2026-01-26T12:00:00Z" });
    expect(twoWeeks.window).toEqual({ from: "2026-01-12T00:00:00.000Z", to: TO });
    expect(twoWeeks.weeks.map((week) => [week.weekStart, week.partial])).toEqual([["2026-01-12", false], ["2026-01-19", false]]);

    for (const params of [{ from: TO, to: FROM }, { from: "last week" }, { to: "2026-01-01" }, { bogus: "1" }]) {
      const error = await trends(params as MetricsParams).catch((caught: unknown) => caught);
      expect(toErrorResponse(error).status, JSON.stringify(params)).toBe(422);
    }
    const tooLong = await trends({ from: "2024-10-01T00:00:00Z", to: TO }).catch((caught: unknown) => caught);
    expect(toErrorResponse(tooLong)).toMatchObject({ status: 422, body: { error: { message: expect.stringContaining(`at most ${MAX_TREND_WEEKS} weeks`) } } });
    // 60 weeks exactly is allowed: Monday 2025-03-17 to Monday 2026-05-11.
    expect((await trends({ from: "2025-03-17T00:00:00Z", to: "2026-05-11T00:00:00Z" })).weeks).toHaveLength(MAX_TREND_WEEKS);

    const anonymous: ViewerContext = { viewer: { kind: "anonymous" }, requestId: "t", clientIp: null, clock: frozenClock(NOW) };
    await expect(getOverviewTrends(anonymous, { from: FROM, to: TO }, { db, timeZone: "UTC" })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("reads the same values through the stored rollups (day facts and a stored 7-day window)", async () => {
    const now = "2026-01-26T12:00:00Z";
    const raw = await trends({ from: FROM, to: TO }, { now });
    const rawDistribution = await getLeadTimeDistribution(ctxAt(now), { from: FROM, to: TO }, { db, timeZone: "UTC" });
    expect(await rebuildRollups(db, frozenClock(now), "UTC")).not.toBeNull();
    // The 7-day preset before that now is W3 exactly, so W3 reads the stored per-window values.
    const stored = await db.metricState.findMany({ where: { key: "window:2026-01-19:2026-01-26" } });
    expect(stored).toHaveLength(1);
    expect(await trends({ from: FROM, to: TO }, { now })).toEqual(raw);
    expect(await getLeadTimeDistribution(ctxAt(now), { from: FROM, to: TO }, { db, timeZone: "UTC" })).toEqual(rawDistribution);
  });
});

/** The trend's fields of a cohort as `computeMetrics` reports it over the same window. */
function expectedWeek(cohort: CohortMetricsDto): TrendCohortWeekDto {
  return {
    deploymentsPerDay: cohort.deploymentsPerDay,
    leadTimeMedianHours: cohort.leadTimeMedianHours,
    changeFailRate: cohort.changeFailRate,
    recoveryTimeMedianHours: cohort.recoveryTimeMedianHours,
    reworkRate: cohort.reworkRate,
    deploymentSuccessRate: cohort.deploymentSuccessRate,
    syncLagMedianHours: cohort.syncLagMedianHours,
    driftEpisodesPer30Days: cohort.driftEpisodesPer30Days,
    driftMedianHoursToReconcile: cohort.driftMedianHoursToReconcile,
    timeInSyncRatio: cohort.timeInSyncRatio,
    approvedChangeShare: cohort.changeTraceability.approvedChangeShare,
    deploymentCount: cohort.deploymentCount,
    attemptCount: cohort.attemptCount,
    activeServiceCount: cohort.activeServiceCount,
    leadTimeChangeCount: cohort.leadTimeChangeCount,
    failedChangeCount: cohort.failedChangeCount,
    recoveredCount: cohort.recoveredCount,
    changeCount: cohort.changeTraceability.changeCount,
    syncLagDeploymentCount: cohort.syncLagDeploymentCount,
    driftObservableServiceCount: cohort.driftObservableServiceCount,
    provisional: cohort.provisional,
    thin: cohort.activeServiceCount < 5 || cohort.deploymentCount < 20,
  };
}

describe("lead-time distribution", () => {
  it("counts each cohort's measured changes per bin, a value on a bound opening the next bin, with pooled p50/p90", async () => {
    const dto = await distribution({ from: FROM, to: TO });
    expect(dto.bins.map(({ bin, minHours, maxHours }) => [bin, minHours, maxHours])).toEqual([
      ["< 1 h", 0, 1],
      ["1–4 h", 1, 4],
      ["4–24 h", 4, 24],
      ["1–3 d", 24, 72],
      ["3–7 d", 72, 168],
      ["1–4 wk", 168, 672],
      ["≥ 4 wk", 672, null],
    ]);
    expect(dto.bins.map((bin) => bin.devops)).toEqual([0, 1, 2, 0, 0, 1, 0]);
    expect(dto.bins.map((bin) => bin.gitops)).toEqual([1, 1, 1, 1, 1, 0, 1]);
    expect(dto.cohorts.devops).toMatchObject({ changeCount: 4, serviceCount: 2 });
    expect(dto.cohorts.devops.pooledMedianHours).toBeCloseTo(8, 9);
    expect(dto.cohorts.devops.pooledP90Hours).toBeCloseTo(120.6, 9);
    expect(dto.cohorts.gitops).toMatchObject({ changeCount: 6, serviceCount: 2 });
    expect(dto.cohorts.gitops.pooledMedianHours).toBeCloseTo(14, 9);
    expect(dto.cohorts.gitops.pooledP90Hours).toBeCloseTo(372, 9);
  });

  it("describes the same changes as the lead-time metric, but pools them instead of taking the median of services", async () => {
    const dto = await distribution({ from: FROM, to: TO });
    const { cohorts } = await computeMetrics(ctxAt(), { from: FROM, to: TO }, { db, timeZone: "UTC" });
    expect(dto.cohorts.devops.changeCount).toBe(cohorts.devops.leadTimeChangeCount);
    expect(dto.cohorts.gitops.changeCount).toBe(cohorts.gitops.leadTimeChangeCount);
    // GitOps: g1's changes 1, 24, 72, 672 have the median 48, g2's 0.5 and 4 have 2.25, so the
    // cohort value is (48 + 2.25) / 2 = 25.125, while the pooled median of the six changes is 14.
    expect(cohorts.gitops.leadTimeMedianHours).toBeCloseTo(25.125, 9);
    expect(dto.cohorts.gitops.pooledMedianHours).toBeCloseTo(14, 9);
  });

  it("puts a negative lead time (clock skew) in the first bin, and follows the environment filter", async () => {
    const skew = await distribution({ from: "2026-02-02T00:00:00Z", to: "2026-02-03T00:00:00Z" });
    expect(skew.bins.map((bin) => bin.devops)).toEqual([1, 0, 0, 0, 0, 0, 0]);
    expect(skew.cohorts.devops.pooledMedianHours).toBeCloseTo(-0.5, 9);
    const staging = await distribution({ from: FROM, to: TO, environment: "staging" });
    expect(staging.bins.map((bin) => bin.devops)).toEqual([0, 1, 0, 0, 0, 0, 0]);
    expect(staging.cohorts.gitops).toEqual({ changeCount: 0, serviceCount: 0, pooledMedianHours: null, pooledP90Hours: null });
  });

  it("an empty window has empty bins and no percentiles; a bad window is a 422", async () => {
    const empty = await distribution({ from: "2025-06-02T00:00:00Z", to: "2025-06-16T00:00:00Z" });
    expect(empty.bins.every((bin) => bin.devops === 0 && bin.gitops === 0)).toBe(true);
    expect(empty.cohorts.devops).toEqual({ changeCount: 0, serviceCount: 0, pooledMedianHours: null, pooledP90Hours: null });
    const error = await distribution({ from: TO, to: FROM }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ZodError);
    expect(toErrorResponse(error).status).toBe(422);
  });
});

describe("route handlers", () => {
  it("GET /api/metrics/trends and /api/metrics/lead-time-distribution answer JSON, and 422 on bad parameters", async () => {
    const saved = { DATABASE_URL: process.env.DATABASE_URL, ORG_TIMEZONE: process.env.ORG_TIMEZONE };
    process.env.DATABASE_URL = testDb.url;
    process.env.ORG_TIMEZONE = "UTC";
    resetEnvCache();
    routeViewer.current = { viewer: { kind: "user", userId: "u", personId: null, role: "VIEWER", display: "Vera" }, requestId: "r-1", clientIp: null, clock: frozenClock(NOW) };
    try {
      const trendsRoute = await import("@/app/api/metrics/trends/route");
      const distributionRoute = await import("@/app/api/metrics/lead-time-distribution/route");
      const get = (route: typeof trendsRoute, query: string) => route.GET(new NextRequest(`http://127.0.0.1/api/metrics/x?${query}`));

      const ok = await get(trendsRoute, `from=${FROM}&to=${TO}`);
      expect(ok.status).toBe(200);
      expect(overviewTrendsDtoSchema.parse(await ok.json())).toEqual(await trends({ from: FROM, to: TO }));
      const okDistribution = await get(distributionRoute, `from=${FROM}&to=${TO}&environment=staging`);
      expect(okDistribution.status).toBe(200);
      expect(leadTimeDistributionDtoSchema.parse(await okDistribution.json()).bins[1]!.devops).toBe(1);

      for (const route of [trendsRoute, distributionRoute]) {
        for (const query of [`from=${TO}&to=${FROM}`, "from=yesterday", "bogus=1", "service=Not_A_Slug"]) {
          const response = await get(route, query);
          expect(response.status, query).toBe(422);
          expect(((await response.json()) as { error: { code: string } }).error.code).toBe("UNPROCESSABLE");
        }
      }
      expect((await get(trendsRoute, `from=2020-01-01T00:00:00Z&to=${TO}`)).status).toBe(422);

      routeViewer.current = { ...routeViewer.current, viewer: { kind: "anonymous" } };
      expect((await get(trendsRoute, `from=${FROM}&to=${TO}`)).status).toBe(401);
    } finally {
      await getDb().$disconnect();
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      resetEnvCache();
    }
  });
});
