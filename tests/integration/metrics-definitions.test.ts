import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { computeMetrics } from "@/lib/data/metrics/compute-metrics";
import { getMetrics } from "@/lib/data/metrics/get-metrics";
import { systemContext, type ViewerContext } from "@/lib/data/viewer";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { MetricsDto, ServiceMetricsDto } from "@/lib/queries/metrics";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * Hand-built deployments with derived flags set by hand (the derivation is another module), and
 * expected values worked out below from the definitions in DESIGN §3, not with the product's code.
 *
 * Main window: [2026-01-05T00:00Z (a Monday), 2026-01-19T00:00Z) = 14 days, 2 ISO weeks, in UTC.
 */
const FROM = "2026-01-05T00:00:00.000Z";
const TO = "2026-01-19T00:00:00.000Z";
const WINDOW_DAYS = 14;
const NOW = "2026-03-01T00:00:00.000Z";
const HOUR = 3_600_000;

let testDb: TestDatabase;
let db: Db;
let integrationId: string;
let repositoryId: string;
let sequence = 0;
const ids: Record<string, string> = {};

function ctxAt(now: string = NOW): ViewerContext {
  return systemContext(frozenClock(now));
}

async function run(params: Parameters<typeof computeMetrics>[1], options: { now?: string; timeZone?: string } = {}): Promise<MetricsDto> {
  return await computeMetrics(ctxAt(options.now), params, { db, timeZone: options.timeZone ?? "UTC" });
}

function service(report: MetricsDto, slug: string): ServiceMetricsDto {
  const found = report.services.find((candidate) => candidate.slug === slug);
  if (!found) throw new Error(`no service ${slug} in the report`);
  return found;
}

interface DeployInput {
  key: string;
  service: string;
  status: "SUCCESS" | "FAILURE" | "IN_PROGRESS" | "CANCELLED";
  finishedAt: string | null;
  methodology?: "DEVOPS" | "GITOPS";
  isProduction?: boolean;
  isFailedChange?: boolean;
  isRework?: boolean;
  isRollback?: boolean;
  remediatedBy?: string;
  provisional?: boolean;
}

async function deploy(input: DeployInput): Promise<string> {
  sequence += 1;
  const finishedAt = input.finishedAt === null ? null : new Date(input.finishedAt);
  const row = await db.deployment.create({
    data: {
      integrationId,
      source: input.methodology === "GITOPS" ? "ARGOCD" : "GITHUB_DEPLOYMENT",
      externalId: `d-${sequence}`,
      methodology: input.methodology ?? "DEVOPS",
      serviceId: ids[input.service],
      repositoryId,
      environment: input.isProduction === false ? "staging" : "production",
      isProduction: input.isProduction ?? true,
      commitSha: `sha-${sequence}`,
      commitResolution: "DEPLOYMENT_SHA",
      status: input.status,
      startedAt: new Date((finishedAt ?? new Date("2026-01-10T00:00:00Z")).getTime() - 10 * 60_000),
      finishedAt,
      isFailedChange: input.isFailedChange ?? false,
      isRework: input.isRework ?? false,
      isRollback: input.isRollback ?? false,
      remediatedById: input.remediatedBy ? ids[input.remediatedBy] : null,
      provisional: input.provisional ?? false,
      sourceUpdatedAt: new Date(NOW),
    },
  });
  ids[input.key] = row.id;
  return row.id;
}

interface ChangeInput {
  deployment: string;
  deployedAt: string;
  sha: string;
  /** Null for a change with no lead time (a seed). */
  leadHours: number | null;
  /** Coding and review hours of a PR change; waiting is the rest of the lead time. */
  pr?: { number: number; author: string; approvers: string[]; codingHours: number; reviewHours: number; authorPersonId?: string };
}

async function change(input: ChangeInput): Promise<void> {
  const deployedAt = new Date(input.deployedAt).getTime();
  const firstCommitAt = new Date(deployedAt - (input.leadHours ?? 1) * HOUR);
  let pullRequestId: string | null = null;
  let openedAt: Date | null = null;
  let mergedAt: Date | null = null;
  if (input.pr) {
    openedAt = new Date(firstCommitAt.getTime() + input.pr.codingHours * HOUR);
    mergedAt = new Date(openedAt.getTime() + input.pr.reviewHours * HOUR);
    const pr = await db.pullRequest.create({
      data: {
        integrationId,
        repositoryId,
        externalId: `pr-${input.pr.number}`,
        number: input.pr.number,
        title: `PR ${input.pr.number}`,
        state: "closed",
        authorLogin: input.pr.author,
        authorPersonId: input.pr.authorPersonId ?? null,
        baseBranch: "main",
        openedAt,
        mergedAt,
        mergeCommitSha: input.sha,
        firstCommitAt,
        labels: [],
        approvingReviewers: input.pr.approvers,
        sourceUpdatedAt: new Date(NOW),
      },
    });
    pullRequestId = pr.id;
  }
  await db.deploymentChange.create({
    data: {
      integrationId,
      deploymentId: ids[input.deployment]!,
      kind: input.pr ? "PULL_REQUEST" : "DIRECT_PUSH",
      commitSha: input.sha,
      pullRequestId,
      firstCommitAt,
      openedAt,
      mergedAt,
      leadTimeSeconds: input.leadHours === null ? null : Math.round(input.leadHours * 3600),
    },
  });
}

async function commit(sha: string, signatureVerified: boolean): Promise<void> {
  await db.commit.create({
    data: { integrationId, repositoryId, sha, parentShas: [], authoredAt: new Date(FROM), committedAt: new Date(FROM), messageHeadline: sha, signatureVerified },
  });
}

async function incident(key: string, deployment: string, openedAt: string, resolvedAt: string | null): Promise<void> {
  await db.incident.create({
    data: {
      integrationId,
      externalId: key,
      title: key,
      openedAt: new Date(openedAt),
      resolvedAt: resolvedAt === null ? null : new Date(resolvedAt),
      deploymentId: ids[deployment],
      attribution: "WINDOW",
      sourceUpdatedAt: new Date(NOW),
    },
  });
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
  integrationId = (await db.integration.create({ data: { kind: "GITHUB", name: "metrics-test", origin: "DATABASE", baseUrl: "http://127.0.0.1" } })).id;
  repositoryId = (await db.repository.create({ data: { integrationId, externalId: "1", owner: "acme", name: "app", fullName: "acme/app", defaultBranch: "main" } })).id;
  const payments = await db.team.create({ data: { slug: "payments", name: "Payments" } });
  const platform = await db.team.create({ data: { slug: "platform", name: "Platform Team" } });
  for (const [slug, teamId] of [["alpha", payments.id], ["beta", payments.id], ["delta", platform.id], ["gamma", null], ["tz", null]] as const) {
    ids[slug] = (await db.service.create({ data: { slug, name: slug.toUpperCase(), teamId } })).id;
  }
  const alice = await db.person.create({ data: { displayName: "Alice" } });
  await db.personIdentity.createMany({
    data: [
      { personId: alice.id, kind: "GITHUB", value: "alice" },
      { personId: alice.id, kind: "GITHUB", value: "alice-work" },
    ],
  });

  // ── alpha (DEVOPS, team payments) ──
  await deploy({ key: "a0", service: "alpha", status: "SUCCESS", finishedAt: "2026-01-04T23:59:59.999Z" }); // 1 ms before the window
  await deploy({ key: "a1", service: "alpha", status: "SUCCESS", finishedAt: FROM }); // exactly at `from`: inside
  await deploy({ key: "a2", service: "alpha", status: "SUCCESS", finishedAt: "2026-01-05T15:00:00Z" });
  await deploy({ key: "a3", service: "alpha", status: "FAILURE", finishedAt: "2026-01-06T09:00:00Z" }); // failed attempt…
  await deploy({ key: "a4", service: "alpha", status: "SUCCESS", finishedAt: "2026-01-06T10:00:00Z" }); // …then its retry
  await deploy({ key: "a5", service: "alpha", status: "CANCELLED", finishedAt: "2026-01-07T10:00:00Z" }); // not an attempt
  await deploy({ key: "a6", service: "alpha", status: "IN_PROGRESS", finishedAt: null }); // not finished
  await deploy({ key: "a8", service: "alpha", status: "SUCCESS", finishedAt: "2026-01-13T15:00:00Z", isRollback: true, isRework: true });
  await deploy({ key: "a7", service: "alpha", status: "SUCCESS", finishedAt: "2026-01-13T12:00:00Z", isFailedChange: true, remediatedBy: "a8" });
  await deploy({ key: "a9", service: "alpha", status: "SUCCESS", finishedAt: TO }); // exactly at `to`: outside
  await deploy({ key: "a-staging", service: "alpha", status: "SUCCESS", finishedAt: "2026-01-08T10:00:00Z", isProduction: false, isFailedChange: true });
  // alpha's changes: lead times 1, 2, 10 (direct push), 4 hours; a seed change without lead time; two outside.
  await change({ deployment: "a1", deployedAt: FROM, sha: "c0", leadHours: null, pr: { number: 100, author: "alice", approvers: ["ALICE"], codingHours: 0, reviewHours: 0 } });
  await change({ deployment: "a4", deployedAt: "2026-01-06T10:00:00Z", sha: "c1", leadHours: 1, pr: { number: 1, author: "alice", approvers: ["bob"], codingHours: 0.5, reviewHours: 0.25, authorPersonId: alice.id } });
  await change({ deployment: "a4", deployedAt: "2026-01-06T10:00:00Z", sha: "c2", leadHours: 2, pr: { number: 2, author: "alice", approvers: ["alice-work"], codingHours: 1, reviewHours: 0.5, authorPersonId: alice.id } });
  await change({ deployment: "a4", deployedAt: "2026-01-06T10:00:00Z", sha: "c3", leadHours: 10 });
  await change({ deployment: "a7", deployedAt: "2026-01-13T12:00:00Z", sha: "c4", leadHours: 4, pr: { number: 4, author: "alice", approvers: ["carol"], codingHours: 1, reviewHours: 2 } });
  await change({ deployment: "a9", deployedAt: TO, sha: "c9", leadHours: 100 });
  await change({ deployment: "a3", deployedAt: "2026-01-06T09:00:00Z", sha: "c-failed", leadHours: 200 });
  await commit("c1", true);
  await commit("c2", false);
  await commit("c3", true);

  // ── beta (GITOPS, plus one DEVOPS deployment; team payments) ──
  await deploy({ key: "b1", service: "beta", status: "SUCCESS", methodology: "GITOPS", finishedAt: "2026-01-07T12:00:00Z", isFailedChange: true });
  await incident("inc-b1", "b1", "2026-01-07T13:00:00Z", "2026-01-07T17:00:00Z"); // recovered after 5 h, by the incident
  await deploy({ key: "b2", service: "beta", status: "SUCCESS", methodology: "GITOPS", finishedAt: "2026-01-08T12:00:00Z", isFailedChange: true });
  await incident("inc-b2", "b2", "2026-01-08T13:00:00Z", null); // still open: no recovery time
  await deploy({ key: "b3", service: "beta", status: "SUCCESS", methodology: "GITOPS", finishedAt: "2026-01-09T12:00:00Z", provisional: true });
  await change({ deployment: "b3", deployedAt: "2026-01-09T12:00:00Z", sha: "c-b3", leadHours: 48 });
  await deploy({ key: "b5", service: "beta", status: "SUCCESS", methodology: "GITOPS", finishedAt: "2026-01-10T14:00:00Z", isRework: true });
  await deploy({ key: "b4", service: "beta", status: "SUCCESS", methodology: "GITOPS", finishedAt: "2026-01-10T12:00:00Z", isFailedChange: true, remediatedBy: "b5" });
  await incident("inc-b4", "b4", "2026-01-10T12:30:00Z", "2026-01-11T12:00:00Z"); // the remediating deployment (2 h) wins
  await deploy({ key: "b-dev", service: "beta", status: "SUCCESS", methodology: "DEVOPS", finishedAt: "2026-01-15T12:00:00Z" });

  // ── delta (DEVOPS, team platform): one failed attempt, nothing live ──
  await deploy({ key: "d1", service: "delta", status: "FAILURE", finishedAt: "2026-01-08T10:00:00Z" });
  // gamma: no deployments at all.

  // ── tz: a Sunday-night/Monday-morning pair, in February ──
  await deploy({ key: "t1", service: "tz", status: "SUCCESS", finishedAt: "2026-02-08T23:30:00Z" });
  await deploy({ key: "t2", service: "tz", status: "SUCCESS", finishedAt: "2026-02-09T01:00:00Z" });
});

afterAll(async () => {
  await testDb?.close();
});

describe("per-service definitions", () => {
  it("counts successful production deployments in [from, to) exactly, and attempts without cancelled or unfinished ones", async () => {
    const alpha = service(await run({ from: FROM, to: TO }), "alpha");
    // a1 (at from), a2, a4, a7, a8 = 5; a0 before, a9 at `to`, the staging one, a5 and a6 are out.
    expect(alpha.deploymentCount).toBe(5);
    expect(alpha.attemptCount).toBe(6); // + the failed a3
    expect(alpha.deploymentsPerDay).toBeCloseTo(5 / WINDOW_DAYS, 12);
    expect(alpha.deploymentSuccessRate).toBeCloseTo(5 / 6, 12);
    // Week of Jan 5: deployments on the 5th and 6th = 2 days; week of Jan 12: the 13th = 1 day.
    expect(alpha.deploymentDaysPerWeekMedian).toBe(1.5);
    expect(alpha.deploymentDaysPerMonthMedian).toBe(3);
  });

  it("computes lead time median, p90 and breakdown over measured changes of successful deployments only", async () => {
    const alpha = service(await run({ from: FROM, to: TO }), "alpha");
    // Lead times 1, 2, 4, 10 h: median (2+4)/2 = 3; p90 at rank 0.9·3 = 2.7 → 4 + 0.7·(10−4) = 8.2.
    expect(alpha.leadTimeChangeCount).toBe(4);
    expect(alpha.leadTimeMedianHours).toBeCloseTo(3, 9);
    expect(alpha.leadTimeP90Hours).toBeCloseTo(8.2, 9);
    // PR changes only: coding 0.5, 1, 1 → 1; review 0.25, 0.5, 2 → 0.5; waiting 0.25, 0.5, 1 → 0.5.
    expect(alpha.leadTimeBreakdown.codingMedianHours).toBeCloseTo(1, 9);
    expect(alpha.leadTimeBreakdown.reviewMedianHours).toBeCloseTo(0.5, 9);
    expect(alpha.leadTimeBreakdown.waitingMedianHours).toBeCloseTo(0.5, 9);
  });

  it("computes change fail rate, rework and recovery via a remediating deployment", async () => {
    const alpha = service(await run({ from: FROM, to: TO }), "alpha");
    expect(alpha.failedChangeCount).toBe(1); // the staging failed change does not count
    expect(alpha.changeFailRate).toBeCloseTo(1 / 5, 12);
    expect(alpha.reworkRate).toBeCloseTo(1 / 5, 12);
    expect(alpha.recoveryTimeMedianHours).toBeCloseTo(3, 9); // a7 12:00 → a8 15:00
    expect(alpha.tiers).toMatchObject({ deploymentFrequency: "high", leadTime: "elite", changeFailRate: "low", recoveryTime: "high" });
  });

  it("recovers via the incident's resolution when no deployment remediated, skips open incidents, prefers the remediating deployment", async () => {
    const beta = service(await run({ from: FROM, to: TO }), "beta");
    // b1 5 h (incident), b2 open (left out), b4 2 h (b5 wins over its incident) → median 3.5 over 2.
    expect(beta.failedChangeCount).toBe(3);
    expect(beta.recoveredCount).toBe(2);
    expect(beta.recoveryTimeMedianHours).toBeCloseTo(3.5, 9);
    // Both methodologies: 6 successful deployments, 3 failed changes, 1 rework.
    expect(beta.deploymentCount).toBe(6);
    expect(beta.changeFailRate).toBeCloseTo(3 / 6, 12);
    expect(beta.reworkRate).toBeCloseTo(1 / 6, 12);
    expect(beta.deploymentSuccessRate).toBe(1);
    expect(beta.leadTimeMedianHours).toBeCloseTo(48, 9);
    expect(beta.leadTimeP90Hours).toBeCloseTo(48, 9);
  });

  it("reports null, not 0, where nothing was observed, and 0 where it was", async () => {
    const report = await run({ from: FROM, to: TO });
    const gamma = service(report, "gamma");
    expect(gamma).toMatchObject({ deploymentCount: 0, attemptCount: 0, deploymentsPerDay: null, deploymentDaysPerWeekMedian: null, changeFailRate: null, reworkRate: null, deploymentSuccessRate: null, leadTimeMedianHours: null, recoveryTimeMedianHours: null });
    expect(gamma.tiers).toMatchObject({ deploymentFrequency: null, leadTime: null, changeFailRate: null, recoveryTime: null });
    const delta = service(report, "delta");
    // One failed attempt: it tried and shipped nothing.
    expect(delta).toMatchObject({ deploymentCount: 0, attemptCount: 1, deploymentsPerDay: 0, deploymentDaysPerWeekMedian: 0, deploymentSuccessRate: 0, changeFailRate: null, reworkRate: null });
  });

  it("a single deployment gives rates of 0 (it was observed) and no lead time", async () => {
    const beta = service(await run({ from: "2026-01-15T00:00:00Z", to: "2026-01-16T00:00:00Z" }), "beta");
    expect(beta).toMatchObject({ deploymentCount: 1, deploymentsPerDay: 1, changeFailRate: 0, reworkRate: 0, deploymentSuccessRate: 1, leadTimeMedianHours: null, recoveryTimeMedianHours: null });
    expect(beta.tiers.changeFailRate).toBe("elite");
  });

  it("an empty window has counts of 0 and every value null, services and cohorts alike", async () => {
    const report = await run({ from: "2025-01-01T00:00:00Z", to: "2025-02-01T00:00:00Z" });
    expect(report.services.map((entry) => entry.slug)).toEqual(["alpha", "beta", "delta", "gamma", "tz"]);
    for (const entry of [...report.services, report.cohorts.devops, report.cohorts.gitops]) {
      expect(entry).toMatchObject({ deploymentCount: 0, attemptCount: 0, deploymentsPerDay: null, leadTimeMedianHours: null, leadTimeP90Hours: null, changeFailRate: null, recoveryTimeMedianHours: null, reworkRate: null, deploymentSuccessRate: null });
    }
    expect(report.cohorts.devops.activeServiceCount).toBe(0);
  });

  it("counts changes approved by someone other than the author (person-aware) and signed commits", async () => {
    const alpha = service(await run({ from: FROM, to: TO }), "alpha");
    // c0 approved by ALICE (the author, other case), c1 by bob ✓, c2 by alice-work (the author's other login),
    // c3 a direct push, c4 by carol ✓ → 2 of 5. Commits known: c1 ✓, c2 ✗, c3 ✓ → 2 of 3.
    expect(alpha.changeTraceability).toEqual({ changeCount: 5, approvedChangeCount: 2, approvedChangeShare: 0.4, commitCount: 3, signedCommitCount: 2, signedCommitShare: 2 / 3 });
    expect(service(await run({ from: FROM, to: TO }), "gamma").changeTraceability.approvedChangeShare).toBeNull();
  });
});

describe("teams and cohorts", () => {
  it("takes the median of per-service values for frequency, lead time and recovery, and pools proportions", async () => {
    const { devops, gitops } = (await run({ from: FROM, to: TO })).cohorts;
    // DEVOPS: alpha (5 of 6 attempts), beta's one DEVOPS deployment (1 of 1), delta (0 of 1); gamma has none.
    expect(devops.activeServiceCount).toBe(3);
    expect(devops.deploymentCount).toBe(6);
    expect(devops.deploymentsPerDay).toBeCloseTo(1 / WINDOW_DAYS, 12); // median of 5/14, 1/14, 0
    expect(devops.deploymentDaysPerWeekMedian).toBe(0.5); // median of 1.5, 0.5 (weeks 0 and 1), 0
    expect(devops.leadTimeMedianHours).toBeCloseTo(3, 9); // only alpha has lead times
    expect(devops.recoveryTimeMedianHours).toBeCloseTo(3, 9);
    expect(devops.changeFailRate).toBeCloseTo(1 / 6, 12); // pooled (1+0)/(5+1), not the mean 0.1 of 0.2 and 0
    expect(devops.reworkRate).toBeCloseTo(1 / 6, 12);
    expect(devops.deploymentSuccessRate).toBeCloseTo(6 / 8, 12); // (5+1+0)/(6+1+1)
    // GITOPS: beta's five GitOps deployments only.
    expect(gitops.activeServiceCount).toBe(1);
    expect(gitops).toMatchObject({ deploymentCount: 5, deploymentSuccessRate: 1 });
    expect(gitops.changeFailRate).toBeCloseTo(3 / 5, 12);
    expect(gitops.reworkRate).toBeCloseTo(1 / 5, 12);
    expect(gitops.recoveryTimeMedianHours).toBeCloseTo(3.5, 9);
    expect(gitops.leadTimeMedianHours).toBeCloseTo(48, 9);
  });

  it("aggregates teams the same way", async () => {
    const report = await run({ from: FROM, to: TO });
    expect(report.teams.map((team) => team.slug)).toEqual(["payments", "platform"]);
    const [payments, platform] = report.teams;
    expect(payments!.activeServiceCount).toBe(2);
    expect(payments!.deploymentsPerDay).toBeCloseTo(5.5 / WINDOW_DAYS, 12); // median of 5/14 and 6/14
    expect(payments!.leadTimeMedianHours).toBeCloseTo(25.5, 9); // median of 3 and 48
    expect(payments!.recoveryTimeMedianHours).toBeCloseTo(3.25, 9); // median of 3 and 3.5
    expect(payments!.changeFailRate).toBeCloseTo(4 / 11, 12); // (1+3)/(5+6)
    expect(payments!.deploymentSuccessRate).toBeCloseTo(11 / 12, 12);
    expect(platform).toMatchObject({ activeServiceCount: 1, deploymentCount: 0, deploymentsPerDay: 0, changeFailRate: null, deploymentSuccessRate: 0 });
  });

  it("filters by team slug or name and by service slug; unknown names are 404s", async () => {
    const byName = await run({ from: FROM, to: TO, team: "Platform Team" });
    expect(byName.services.map((entry) => entry.slug)).toEqual(["delta"]);
    const bySlug = await run({ from: FROM, to: TO, team: "payments" });
    expect(bySlug.services.map((entry) => entry.slug)).toEqual(["alpha", "beta"]);
    expect(bySlug.cohorts.devops.deploymentCount).toBe(6);
    const one = await run({ from: FROM, to: TO, service: "beta" });
    expect(one.services.map((entry) => entry.slug)).toEqual(["beta"]);
    expect(one.cohorts.gitops.deploymentCount).toBe(5);
    await expect(run({ from: FROM, to: TO, team: "nobody" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(run({ from: FROM, to: TO, service: "nope" })).rejects.toBeInstanceOf(AppError);
  });
});

describe("time zones, provisional values and the window", () => {
  const TZ_FROM = "2026-02-02T00:00:00Z";
  const TZ_TO = "2026-02-16T00:00:00Z";

  it("buckets weeks and months in ORG_TIMEZONE", async () => {
    // Deployments at 2026-02-08 23:30Z (Sunday) and 2026-02-09 01:00Z (Monday).
    const utc = service(await run({ from: TZ_FROM, to: TZ_TO, service: "tz" }), "tz");
    expect(utc.deploymentDaysPerWeekMedian).toBe(1); // weeks of Feb 2 and Feb 9: one day each
    expect(utc.deploymentDaysPerMonthMedian).toBe(2);
    // Tokyo (+9): both on Monday Feb 9; the window touches the weeks of Feb 2, Feb 9 and Feb 16 → [0, 1, 0].
    const tokyo = service(await run({ from: TZ_FROM, to: TZ_TO, service: "tz" }, { timeZone: "Asia/Tokyo" }), "tz");
    expect(tokyo.deploymentDaysPerWeekMedian).toBe(0);
    expect(tokyo.deploymentDaysPerMonthMedian).toBe(1);
    // Los Angeles (−8): both on Sunday Feb 8 (week of Feb 2); weeks of Jan 26, Feb 2, Feb 9 → [0, 1, 0].
    const la = service(await run({ from: TZ_FROM, to: TZ_TO, service: "tz" }, { timeZone: "America/Los_Angeles" }), "tz");
    expect(la.deploymentDaysPerWeekMedian).toBe(0);
    // Per day does not depend on the zone.
    expect(tokyo.deploymentsPerDay).toBeCloseTo(2 / 14, 12);
    expect(la.deploymentsPerDay).toBeCloseTo(2 / 14, 12);
  });

  it("marks values provisional when a contributing flag is, or the window ends within 7 days of now", async () => {
    const report = await run({ from: FROM, to: TO });
    expect(report.provisional).toBe(true);
    expect(service(report, "beta").provisional).toBe(true); // b3
    expect(service(report, "alpha").provisional).toBe(false);
    expect(report.cohorts.gitops.provisional).toBe(true);
    expect(report.cohorts.devops.provisional).toBe(false);
    expect(report.teams.find((team) => team.slug === "platform")!.provisional).toBe(false);

    // Window end exactly 7 days before now: settled. One millisecond later: provisional.
    const settled = await run({ from: TZ_FROM, to: "2026-02-22T00:00:00.000Z", service: "tz" });
    expect(settled.provisional).toBe(false);
    expect(settled.services[0]!.provisional).toBe(false);
    const recent = await run({ from: TZ_FROM, to: "2026-02-22T00:00:00.001Z", service: "tz" });
    expect(recent.provisional).toBe(true);
    expect(recent.services[0]!.provisional).toBe(true);
    expect(recent.cohorts.devops.provisional).toBe(true);
  });

  it("defaults to the last 90 complete days before the clock's now and refuses an empty window", async () => {
    const report = await run({}, { now: "2026-02-20T12:00:00.000Z" });
    expect(report.window).toEqual({ from: "2025-11-22T00:00:00.000Z", to: "2026-02-20T00:00:00.000Z" });
    expect(report.generatedAt).toBe("2026-02-20T12:00:00.000Z");
    expect(report.provisional).toBe(true);
    expect(service(report, "tz").deploymentCount).toBe(2);
    // A deployment of today is not in the default window yet: the day is not complete.
    const morning = await run({}, { now: "2026-02-09T12:00:00.000Z" });
    expect(morning.window.to).toBe("2026-02-09T00:00:00.000Z");
    expect(service(morning, "tz").deploymentCount).toBe(1);
    // Only `from`: up to now; `from` after now is an empty window.
    expect((await run({ from: "2026-02-09T00:00:00Z" }, { now: "2026-02-09T12:00:00.000Z" })).window.to).toBe("2026-02-09T12:00:00.000Z");
    await expect(run({ from: "2026-03-05T00:00:00Z" })).rejects.toMatchObject({ code: "UNPROCESSABLE" });
  });

  it("getMetrics is the same function behind the server entry point, and needs metrics:read", async () => {
    const ctx = ctxAt();
    expect(await getMetrics(ctx, { from: FROM, to: TO }, { db, timeZone: "UTC" })).toEqual(await run({ from: FROM, to: TO }));
    await expect(
      getMetrics({ ...ctx, viewer: { kind: "anonymous" } }, { from: FROM, to: TO }, { db, timeZone: "UTC" }),
    ).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});
