import { spawn } from "node:child_process";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { compareMetrics } from "@/lib/data/metrics/compare-metrics";
import { getComparison } from "@/lib/data/metrics/get-metrics";
import { systemContext, type ViewerContext } from "@/lib/data/viewer";
import type { Db } from "@/lib/db/client";
import { toErrorResponse } from "@/lib/errors";
import { type ComparedMetricDto, type ComparisonDto, type ComparedMetricId, type ServiceSampleDto, compareParamsSchema, comparisonDtoSchema } from "@/lib/queries/compare";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * DevOps versus GitOps (DESIGN §3, Cohorts and Comparison) over a hand-built catalog: deployment
 * rows with their derived flags set by hand (derivation is another module), every expected value
 * worked out by hand in the comments from the definitions, never with the product's code. The
 * bootstrap is checked twice: exactly, by re-running the documented draw order (pure-rand's
 * xoroshiro128+ and uniformInt, seed and resample count as documented) with this file's own
 * resampling, median and percentile code; and approximately, by an unrelated bootstrap (mulberry32),
 * which shows the interval is a bootstrap percentile interval and not merely a deterministic number.
 *
 * Catalog (all in UTC; the clock is frozen at NOW, long after every window, so nothing is provisional):
 * - Team core: DevOps d1..d6, GitOps g1..g4; team "Edge Team" (slug edge): GitOps g5.
 * - Main window W = [2026-01-05 (a Monday), 2026-01-19) = 14 days = 2 ISO weeks; previous P = [2025-12-22, 2026-01-05).
 *   A service's i-th successful deployment of a window is at from + i days, 10:00, except a remediating
 *   deployment, which lands r hours after the failed change it remediates (same day).
 * - Team migrating: DevOps m-d1..m-d5 (first deployed 2026-01-26) and GitOps m-g1..m-g5, first
 *   deployed 2026-02-09 10:00, in the middle of W3 = [2026-02-02, 2026-02-16).
 * - Team stalled: in W4 = [2025-11-03, 2025-11-17), DevOps services whose median deployment frequency is 0.
 */
const NOW = "2026-03-01T00:00:00.000Z";
const W = { from: "2026-01-05T00:00:00.000Z", to: "2026-01-19T00:00:00.000Z" };
const P_FROM = "2025-12-22T00:00:00.000Z";
const W3 = { from: "2026-02-02T00:00:00.000Z", to: "2026-02-16T00:00:00.000Z" };
const W4 = { from: "2025-11-03T00:00:00.000Z", to: "2025-11-17T00:00:00.000Z" };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Floating point only: every expected value below is an exact fraction. */
const EXACT = 12;

let testDb: TestDatabase;
let db: Db;
let integrationId: string;
let sequence = 0;

const ctx = (): ViewerContext => systemContext(frozenClock(NOW));
const deps = (timeZone = "UTC") => ({ db, timeZone });
const compare = (params: Parameters<typeof compareMetrics>[1], timeZone = "UTC") => compareMetrics(ctx(), params, deps(timeZone));
const metricOf = (comparison: ComparisonDto, id: ComparedMetricId): ComparedMetricDto => {
  const found = comparison.metrics.find((metric) => metric.id === id);
  if (!found) throw new Error(`no metric ${id}`);
  return found;
};
const at = (from: string, days: number, hours: number) => new Date(Date.parse(from) + days * DAY + hours * HOUR);

// ── Fixture ─────────────────────────────────────────────────────────────────────────────────────

interface WindowPlan {
  /** Start of the window the days count from. */
  from: string;
  /** Successful production deployments, at from + i days 10:00 (unless `times` says otherwise). */
  successes: number;
  /** Explicit (day, hour) of each success, when two share a day. */
  times?: [number, number][];
  /** Failed changes: the deployment at `index`; with `recoverHours`, deployment index+1 remediates it r hours later. */
  failures?: { index: number; recoverHours: number | null }[];
  /** Days (from `from`) of a FAILURE attempt at 09:00. */
  failedAttempts?: number[];
  /** A measured change shipped by the last deployment, with this lead time. */
  leadHours?: number;
  environment?: string;
}

async function createDeployment(serviceId: string, methodology: "DEVOPS" | "GITOPS", status: "SUCCESS" | "FAILURE", finishedAt: Date, flags: { isFailedChange?: boolean; isRework?: boolean; environment?: string } = {}): Promise<string> {
  sequence += 1;
  const environment = flags.environment ?? "production";
  const row = await db.deployment.create({
    data: {
      integrationId,
      source: methodology === "GITOPS" ? "ARGOCD" : "GITHUB_DEPLOYMENT",
      externalId: `c-${sequence}`,
      methodology,
      serviceId,
      environment,
      isProduction: environment === "production",
      commitSha: `sha-${sequence}`,
      commitResolution: "DEPLOYMENT_SHA",
      status,
      startedAt: new Date(finishedAt.getTime() - 10 * 60_000),
      finishedAt,
      isFailedChange: flags.isFailedChange ?? false,
      isRework: flags.isRework ?? false,
      sourceUpdatedAt: new Date(NOW),
    },
  });
  return row.id;
}

async function deployWindow(serviceId: string, methodology: "DEVOPS" | "GITOPS", plan: WindowPlan): Promise<void> {
  const failures = plan.failures ?? [];
  const remediationOf = new Map(failures.filter((failure) => failure.recoverHours !== null).map((failure) => [failure.index + 1, failure]));
  const times: Date[] = [];
  for (let i = 0; i < plan.successes; i++) {
    const remediation = remediationOf.get(i);
    if (remediation) times.push(new Date(times[remediation.index]!.getTime() + remediation.recoverHours! * HOUR));
    else if (plan.times) times.push(at(plan.from, plan.times[i]![0], plan.times[i]![1]));
    else times.push(at(plan.from, i, 10));
  }
  const ids: string[] = [];
  for (const [i, finishedAt] of times.entries()) {
    ids.push(
      await createDeployment(serviceId, methodology, "SUCCESS", finishedAt, {
        isFailedChange: failures.some((failure) => failure.index === i),
        isRework: remediationOf.has(i),
        environment: plan.environment,
      }),
    );
  }
  for (const failure of failures) {
    if (failure.recoverHours !== null) await db.deployment.update({ where: { id: ids[failure.index]! }, data: { remediatedById: ids[failure.index + 1]! } });
  }
  for (const day of plan.failedAttempts ?? []) await createDeployment(serviceId, methodology, "FAILURE", at(plan.from, day, 9), { environment: plan.environment });
  if (plan.leadHours !== undefined) {
    const deployedAt = times.at(-1)!;
    await db.deploymentChange.create({
      data: {
        integrationId,
        deploymentId: ids.at(-1)!,
        kind: "DIRECT_PUSH",
        commitSha: `change-${serviceId}`,
        firstCommitAt: new Date(deployedAt.getTime() - plan.leadHours * HOUR),
        leadTimeSeconds: plan.leadHours * 3600,
      },
    });
  }
}

async function service(slug: string, teamId: string | null): Promise<string> {
  return (await db.service.create({ data: { slug, name: slug.toUpperCase(), teamId } })).id;
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
  integrationId = (await db.integration.create({ data: { kind: "GITHUB", name: "compare-test", origin: "DATABASE", baseUrl: "http://127.0.0.1" } })).id;
  const core = (await db.team.create({ data: { slug: "core", name: "Core" } })).id;
  const edge = (await db.team.create({ data: { slug: "edge", name: "Edge Team" } })).id;
  const migrating = (await db.team.create({ data: { slug: "migrating", name: "Migrating" } })).id;
  const stalled = (await db.team.create({ data: { slug: "stalled", name: "Stalled" } })).id;

  // ── Main window W and its previous window P ──
  // DevOps in W: 2, 3, 4, 4, 5, 6 successes = 24; failed changes d3#0 (+2 h), d5#1 (+4 h), d6#2 (+6 h),
  // each remediated by the next deployment (3 rework); one failed attempt (d1). Lead times 10…60 h.
  // In P: 1, 2, 2, 3, 3, 3 = 14 successes, one failed change (d4#0, not remediated).
  const devops: [string, WindowPlan, WindowPlan][] = [
    ["d1", { from: W.from, successes: 2, failedAttempts: [5], leadHours: 10 }, { from: P_FROM, successes: 1 }],
    ["d2", { from: W.from, successes: 3, leadHours: 20 }, { from: P_FROM, successes: 2 }],
    ["d3", { from: W.from, successes: 4, failures: [{ index: 0, recoverHours: 2 }], leadHours: 30 }, { from: P_FROM, successes: 2 }],
    ["d4", { from: W.from, successes: 4, leadHours: 40 }, { from: P_FROM, successes: 3, failures: [{ index: 0, recoverHours: null }] }],
    ["d5", { from: W.from, successes: 5, failures: [{ index: 1, recoverHours: 4 }], leadHours: 50 }, { from: P_FROM, successes: 3 }],
    ["d6", { from: W.from, successes: 6, failures: [{ index: 2, recoverHours: 6 }], leadHours: 60 }, { from: P_FROM, successes: 3 }],
  ];
  // GitOps in W: 6, 8, 8, 10, 12 successes = 44; failed changes 1, 2, 2, 3, 3 = 11, of which 10 are
  // remediated (g5#4 is not); failed attempts on g2 and g5. Lead times 5…25 h.
  // In P: 2, 4, 4, 5, 6 = 21 successes, no failure.
  const gitops: [string, WindowPlan, WindowPlan][] = [
    ["g1", { from: W.from, successes: 6, failures: [{ index: 0, recoverHours: 1 }], leadHours: 5 }, { from: P_FROM, successes: 2 }],
    ["g2", { from: W.from, successes: 8, failures: [{ index: 0, recoverHours: 2 }, { index: 2, recoverHours: 4 }], failedAttempts: [12], leadHours: 10 }, { from: P_FROM, successes: 4 }],
    ["g3", { from: W.from, successes: 8, failures: [{ index: 0, recoverHours: 3 }, { index: 2, recoverHours: 5 }], leadHours: 15 }, { from: P_FROM, successes: 4 }],
    ["g4", { from: W.from, successes: 10, failures: [{ index: 0, recoverHours: 1 }, { index: 2, recoverHours: 2 }, { index: 4, recoverHours: 9 }], leadHours: 20 }, { from: P_FROM, successes: 5 }],
    ["g5", { from: W.from, successes: 12, failures: [{ index: 0, recoverHours: 6 }, { index: 2, recoverHours: 8 }, { index: 4, recoverHours: null }], failedAttempts: [12], leadHours: 25 }, { from: P_FROM, successes: 6 }],
  ];
  for (const [slug, current, previous] of devops) {
    const id = await service(slug, core);
    await deployWindow(id, "DEVOPS", current);
    await deployWindow(id, "DEVOPS", previous);
    // One staging deployment each, on W's day 6 (a Sunday) at 15:00: invisible to the default scope.
    await createDeployment(id, "DEVOPS", "SUCCESS", at(W.from, 6, 15), { environment: "staging" });
  }
  for (const [slug, current, previous] of gitops) {
    const id = await service(slug, slug === "g5" ? edge : core);
    await deployWindow(id, "GITOPS", current);
    await deployWindow(id, "GITOPS", previous);
    await createDeployment(id, "GITOPS", "SUCCESS", at(W.from, 6, 15), { environment: "staging" });
  }

  // ── W3: GitOps first deployed mid-window (2026-02-09 10:00) ──
  // DevOps m-d1..m-d5: first deployed 2026-01-26; in W3 two on days 0 and 1, then 4, 4, 5, 5, 6 from day 7.
  for (const [index, late] of [4, 4, 5, 5, 6].entries()) {
    const id = await service(`m-d${index + 1}`, migrating);
    await createDeployment(id, "DEVOPS", "SUCCESS", new Date("2026-01-26T10:00:00Z"));
    await deployWindow(id, "DEVOPS", { from: W3.from, successes: 2 + late, times: [[0, 10], [1, 10], ...Array.from({ length: late }, (_, j): [number, number] => [7 + j, 10])] });
  }
  // GitOps m-g1..m-g5: 5, 6, 8, 8, 9 deployments from day 7, two a day (10:00 and 12:00).
  for (const [index, count] of [5, 6, 8, 8, 9].entries()) {
    const id = await service(`m-g${index + 1}`, migrating);
    await deployWindow(id, "GITOPS", { from: W3.from, successes: count, times: Array.from({ length: count }, (_, j): [number, number] => [7 + Math.floor(j / 2), 10 + (j % 2) * 2]) });
  }

  // ── W4: z-d1..z-d4 only tried (one failed attempt each), z-d5 and z-d6 deployed 10 times; GitOps 4 each ──
  for (let i = 1; i <= 6; i++) {
    const id = await service(`z-d${i}`, stalled);
    if (i <= 4) await createDeployment(id, "DEVOPS", "FAILURE", at(W4.from, 0, 8));
    else await deployWindow(id, "DEVOPS", { from: W4.from, successes: 10 });
  }
  for (let i = 1; i <= 5; i++) await deployWindow(await service(`z-g${i}`, stalled), "GITOPS", { from: W4.from, successes: 4 });
}, 120_000);

afterAll(async () => {
  await testDb?.close();
});

// ── Independent statistics (this file's own code) ────────────────────────────────────────────────

/** `percentile_cont(p)` of ascending values. */
function percentile(sorted: readonly number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}
const ascending = (values: readonly number[]) => [...values].sort((a, b) => a - b);
const median = (values: readonly number[]) => percentile(ascending(values), 0.5);
const pooled = (parts: readonly { numerator: number; denominator: number }[]) =>
  parts.reduce((sum, part) => sum + part.numerator, 0) / parts.reduce((sum, part) => sum + part.denominator, 0);

type Statistic = (pick: <T>(values: readonly T[]) => T[]) => number;

/**
 * The effect the product reports, from samples: ratio of medians or difference of pooled shares in
 * points. DevOps is drawn before GitOps, the order bootstrap.ts documents.
 */
function statisticOf(metric: ComparedMetricDto): Statistic {
  const { devops, gitops } = metric.samples;
  if (metric.effect.kind === "ratio") {
    const d = devops.map((sample) => sample.value!);
    const g = gitops.map((sample) => sample.value!);
    return (pick) => {
      const devopsMedian = median(pick(d));
      return median(pick(g)) / devopsMedian;
    };
  }
  const parts = (samples: ServiceSampleDto[]) => samples.map((sample) => ({ numerator: sample.numerator!, denominator: sample.denominator! }));
  const d = parts(devops);
  const g = parts(gitops);
  return (pick) => {
    const devopsShare = pooled(pick(d));
    return (pooled(pick(g)) - devopsShare) * 100;
  };
}

/**
 * The draw order bootstrap.ts documents, re-run here: per resample, `devops.length` indices for
 * DevOps then `gitops.length` for GitOps, each `uniformInt(0, n − 1)` of xoroshiro128+(seed), and
 * the percentile interval of the resampled effects. Only the generator is shared with the product
 * (the method names it); the resampling, the statistic and the percentiles are this file's.
 */
function documentedInterval(metric: ComparedMetricDto, method: ComparisonDto["method"]): { low: number; high: number } {
  const generator = xoroshiro128plus(method.seed);
  const pick = <T,>(values: readonly T[]): T[] => values.map(() => values[uniformInt(generator, 0, values.length - 1)]!);
  const statistic = statisticOf(metric);
  const effects = ascending(Array.from({ length: method.resamples }, () => statistic(pick)));
  const tail = (1 - method.level) / 2;
  return { low: percentile(effects, tail), high: percentile(effects, 1 - tail) };
}

/** mulberry32: an unrelated generator. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A plain bootstrap of the effect with mulberry32, returning the sorted resampled effects. */
function referenceEffects(metric: ComparedMetricDto, resamples = 40_000, seed = 12345): number[] {
  const random = mulberry32(seed);
  const pick = <T,>(values: readonly T[]) => values.map(() => values[Math.floor(random() * values.length)]!);
  const statistic = statisticOf(metric);
  return ascending(Array.from({ length: resamples }, () => statistic(pick)));
}

/**
 * Whether the product's bounds are the 2.5th and 97.5th percentiles of the same bootstrap
 * distribution up to Monte Carlo error. With a handful of services the resampled effect takes few
 * distinct values, so two generators can legitimately land on neighbouring values; a tolerance on
 * the value would be either meaningless or too tight. The honest tolerance is on the level: the
 * empirical CDF at a fixed point has a standard error of √(0.025·0.975/n) ≈ 0.0016 for the
 * product's 10,000 resamples and 0.0008 for the reference's 40,000, about 0.0018 combined; 4 of
 * those (δ = 0.0075) allow for chance, so each bound must lie between the reference's quantiles at
 * 2.5 % ± δ (and 97.5 % ± δ). A different statistic or level moves a bound far outside that band.
 */
function expectCloseToReference(metric: ComparedMetricDto, interval: { low: number; high: number }): void {
  const effects = referenceEffects(metric);
  const delta = 0.0075;
  const band = (p: number) => [percentile(effects, p - delta), percentile(effects, p + delta)] as const;
  const [lowMin, lowMax] = band(0.025);
  const [highMin, highMax] = band(0.975);
  expect(interval.low, `${metric.id} low`).toBeGreaterThanOrEqual(lowMin - 1e-12);
  expect(interval.low, `${metric.id} low`).toBeLessThanOrEqual(lowMax + 1e-12);
  expect(interval.high, `${metric.id} high`).toBeGreaterThanOrEqual(highMin - 1e-12);
  expect(interval.high, `${metric.id} high`).toBeLessThanOrEqual(highMax + 1e-12);
}

// Formatting as the sentences specify it (two significant digits for a ratio, one decimal for points).
const ratioText = (ratio: number) => (ratio >= 10 ? ratio.toFixed(0) : ratio.toPrecision(2));
const pointsText = (points: number) => {
  const rounded = Number(points.toFixed(1));
  return `${rounded > 0 ? "+" : ""}${rounded === 0 ? "0.0" : rounded.toFixed(1)}`;
};
const compared = (metric: ComparedMetricDto) => {
  if (metric.effect.status !== "compared") throw new Error(`${metric.id} is ${metric.effect.status}: ${metric.sentence}`);
  return metric.effect;
};

// ── Tests ───────────────────────────────────────────────────────────────────────────────────────

describe("cohort values, tiers and change against the previous window", () => {
  let comparison: ComparisonDto;
  beforeAll(async () => {
    comparison = await compare(W);
  });

  it("describes the window, the previous window, the comparison period and the method", () => {
    expect(comparisonDtoSchema.parse(comparison)).toEqual(comparison);
    expect(comparison.window).toEqual(W);
    expect(comparison.previousWindow).toEqual({ from: P_FROM, to: W.from });
    // Both cohorts were first seen long before W (the stalled team, in November): the whole window.
    expect(comparison.comparisonPeriod).toEqual({ ...W, wholeWindow: true });
    // The first finished production attempts in scope: z-d1..z-d4's failed attempts, z-g's first success.
    expect(comparison.observedSince).toEqual({ devops: "2025-11-03T08:00:00.000Z", gitops: "2025-11-03T10:00:00.000Z" });
    expect(comparison.method).toEqual({ resamples: 10_000, seed: 20_231_205, prng: "xoroshiro128+ (pure-rand)", level: 0.95, minServices: 5, minDeployments: 20 });
    expect(comparison.provisional).toBe(false);
    expect(comparison.metrics.map((metric) => metric.id)).toEqual([
      "deploymentFrequency", "leadTime", "changeFailRate", "recoveryTime", "reworkRate", "successRate",
      "syncLag", "driftEpisodesPer30Days", "driftMedianHoursToReconcile", "timeInSyncRatio", "approvedChangeShare", "signedCommitShare",
    ]);
  });

  it("deployment frequency: medians of per-service per-day values, change as a ratio", () => {
    const metric = metricOf(comparison, "deploymentFrequency");
    // DevOps W: 2,3,4,4,5,6 / 14 → median (4+4)/2 / 14 = 4/14. P: 1,2,2,3,3,3 / 14 → (2+3)/2 / 14 = 2.5/14. Change 4/2.5 = 1.6.
    // Deployment days per week (W = 2 weeks; remediations share their failed change's day):
    // d1 {0,1}→[2,0]→1; d2 {0,1,2}→1.5; d3 {0,2,3}→1.5; d4 {0..3}→2; d5 {0,1,3,4}→2; d6 {0,1,2,4,5}→2.5 → median 1.75 → high.
    expect(metric.devops.value).toBeCloseTo(4 / 14, EXACT);
    expect(metric.devops.previous).toBeCloseTo(2.5 / 14, EXACT);
    expect(metric.devops.change).toBeCloseTo(1.6, EXACT);
    expect(metric.devops.tier).toBe("high");
    expect(metric.devops.serviceCount).toBe(6);
    // GitOps W: 6,8,8,10,12 / 14 → 8/14. P: 2,4,4,5,6 → 4/14. Change 2.0.
    // Days per week: g1 {0,2,3,4,5}→[5,0]→2.5; g2, g3 {0,2,4,5,6 | 7}→3; g4 {0,2,4,6 | 7,8,9}→3.5; g5 {0,2,4,5,6 | 7..11}→5 → median 3 → high.
    expect(metric.gitops.value).toBeCloseTo(8 / 14, EXACT);
    expect(metric.gitops.previous).toBeCloseTo(4 / 14, EXACT);
    expect(metric.gitops.change).toBeCloseTo(2, EXACT);
    expect(metric.gitops.tier).toBe("high");
    expect(metric.gitops.serviceCount).toBe(5);
  });

  it("lead time and recovery: medians of per-service medians; no previous value, no change", () => {
    const lead = metricOf(comparison, "leadTime");
    // One change per service: DevOps 10,20,30,40,50,60 h → 35 h (high: < 1 week); GitOps 5..25 h → 15 h (elite: < 1 day).
    expect([lead.devops.value, lead.gitops.value]).toEqual([35, 15]);
    expect([lead.devops.tier, lead.gitops.tier]).toEqual(["high", "elite"]);
    expect([lead.devops.previous, lead.devops.change, lead.gitops.previous, lead.gitops.change]).toEqual([null, null, null, null]);
    const recovery = metricOf(comparison, "recoveryTime");
    // DevOps: d3 2 h, d5 4 h, d6 6 h → 4 h over 3 services. GitOps: g1 [1]→1, g2 [2,4]→3, g3 [3,5]→4,
    // g4 [1,2,9]→2, g5 [6,8]→7 (its third failed change is not remediated) → median of 1,2,3,4,7 = 3 h. Both "high" (< 1 day).
    expect([recovery.devops.value, recovery.gitops.value]).toEqual([4, 3]);
    expect([recovery.devops.serviceCount, recovery.gitops.serviceCount]).toEqual([3, 5]);
    expect([recovery.devops.tier, recovery.gitops.tier]).toEqual(["high", "high"]);
    // P had one failed change (d4), never remediated: no recovery time there.
    expect([recovery.devops.previous, recovery.devops.change]).toEqual([null, null]);
  });

  it("shares: pooled proportions, change in percentage points", () => {
    const cfr = metricOf(comparison, "changeFailRate");
    // DevOps W 3/24 = 12.5 % (medium: ≤ 15 %); P 1/14. Change (3/24 − 1/14)·100 = 5.357… pp.
    expect(cfr.devops.value).toBeCloseTo(3 / 24, EXACT);
    expect(cfr.devops.previous).toBeCloseTo(1 / 14, EXACT);
    expect(cfr.devops.change).toBeCloseTo((3 / 24 - 1 / 14) * 100, 10);
    expect(cfr.devops.tier).toBe("medium");
    // GitOps W 11/44 = 25 % (low); P 0/21 = 0. Change +25 pp.
    expect(cfr.gitops.value).toBeCloseTo(0.25, EXACT);
    expect(cfr.gitops.previous).toBe(0);
    expect(cfr.gitops.change).toBeCloseTo(25, 10);
    expect(cfr.gitops.tier).toBe("low");

    const success = metricOf(comparison, "successRate");
    // DevOps 24 of 25 attempts (d1 failed once); P 14/14. Change −4 pp. GitOps 44/46; P 21/21. Change (44/46 − 1)·100.
    expect(success.devops.value).toBeCloseTo(24 / 25, EXACT);
    expect(success.devops.previous).toBe(1);
    expect(success.devops.change).toBeCloseTo(-4, 10);
    expect(success.gitops.value).toBeCloseTo(44 / 46, EXACT);
    expect(success.gitops.change).toBeCloseTo((44 / 46 - 1) * 100, 10);
    expect([success.devops.tier, success.gitops.tier]).toEqual([null, null]);

    const rework = metricOf(comparison, "reworkRate");
    // DevOps 3 remediations / 24; GitOps 10 / 44; none in P.
    expect(rework.devops.value).toBeCloseTo(3 / 24, EXACT);
    expect(rework.gitops.value).toBeCloseTo(10 / 44, EXACT);
    expect(rework.devops.change).toBeCloseTo(12.5, 10);
    expect(rework.gitops.change).toBeCloseTo((10 / 44) * 100, 10);
  });

  it("the cards' cohorts are the metrics resource's", () => {
    expect(comparison.cohorts.devops).toMatchObject({ deploymentCount: 24, attemptCount: 25, activeServiceCount: 6 });
    expect(comparison.cohorts.gitops).toMatchObject({ deploymentCount: 44, attemptCount: 46, activeServiceCount: 5 });
  });
});

describe("the effect GitOps versus DevOps", () => {
  let comparison: ComparisonDto;
  beforeAll(async () => {
    comparison = await compare(W);
  });

  it("publishes per-service samples that reproduce each cohort value exactly", () => {
    for (const metric of comparison.metrics) {
      for (const cohort of ["devops", "gitops"] as const) {
        const samples = metric.samples[cohort];
        if (samples.length === 0) continue;
        const value = metric.effect.kind === "ratio" ? median(samples.map((sample) => sample.value!)) : pooled(samples.map((sample) => ({ numerator: sample.numerator!, denominator: sample.denominator! })));
        expect(value, `${metric.id} ${cohort}`).toBeCloseTo(metric[cohort].value!, EXACT);
      }
    }
    // By hand, the inputs themselves: per day and (failed changes, successes) per service, by slug.
    const frequency = metricOf(comparison, "deploymentFrequency").samples;
    expect(frequency.devops.map((sample) => [sample.slug, sample.value! * 14])).toEqual([["d1", 2], ["d2", 3], ["d3", 4], ["d4", 4], ["d5", 5], ["d6", 6]].map(([slug, n]) => [slug, expect.closeTo(n as number, 10)]));
    expect(frequency.gitops.map((sample) => sample.value! * 14)).toEqual([6, 8, 8, 10, 12].map((n) => expect.closeTo(n, 10)));
    const cfr = metricOf(comparison, "changeFailRate").samples;
    expect(cfr.devops).toEqual([["d1", 0, 2], ["d2", 0, 3], ["d3", 1, 4], ["d4", 0, 4], ["d5", 1, 5], ["d6", 1, 6]].map(([slug, numerator, denominator]) => ({ slug, numerator, denominator })));
    expect(cfr.gitops).toEqual([["g1", 1, 6], ["g2", 2, 8], ["g3", 2, 8], ["g4", 3, 10], ["g5", 3, 12]].map(([slug, numerator, denominator]) => ({ slug, numerator, denominator })));
    const success = metricOf(comparison, "successRate").samples;
    expect(success.devops.map((sample) => [sample.numerator, sample.denominator])).toEqual([[2, 3], [3, 3], [4, 4], [4, 4], [5, 5], [6, 6]]);
    expect(success.gitops.map((sample) => [sample.numerator, sample.denominator])).toEqual([[6, 6], [8, 9], [8, 8], [10, 10], [12, 13]]);
  });

  it("deployment frequency: ratio of medians exactly 2.0, its interval, and the sentence", () => {
    const metric = metricOf(comparison, "deploymentFrequency");
    const effect = compared(metric);
    // (8/14) / (4/14) = 2.
    expect(effect.estimate).toBeCloseTo(2, EXACT);
    expect([effect.devopsValue, effect.gitopsValue]).toEqual([expect.closeTo(4 / 14, EXACT), expect.closeTo(8 / 14, EXACT)]);
    const interval = effect.interval!;
    expect(interval.low).toBeLessThanOrEqual(effect.estimate);
    expect(interval.high).toBeGreaterThanOrEqual(effect.estimate);
    const exact = documentedInterval(metric, comparison.method);
    expect(interval.low).toBeCloseTo(exact.low, EXACT);
    expect(interval.high).toBeCloseTo(exact.high, EXACT);
    expectCloseToReference(metric, interval);
    // The smallest GitOps median a resample can have is 6/14 and the largest DevOps one 6/14: every
    // resampled ratio is ≥ 1, and at least 2.5 % of them are above 1 by far, so the interval leaves 1 out
    // only if its low end is above 1, which decides the verdict and the sentence's ending.
    expect(interval.low).toBeGreaterThanOrEqual(1);
    const verdict = interval.low > 1 ? "gitops-better" : "no-clear-difference";
    expect(effect.verdict).toBe(verdict);
    expect(metric.sentence).toBe(
      `GitOps services deployed to production 2.0× as often as DevOps services (median per service; 95 % CI ${ratioText(interval.low)}–${ratioText(interval.high)}×) from 5 Jan 2026 to 18 Jan 2026.` +
        (verdict === "no-clear-difference" ? " The interval includes 1×: no clear difference." : ""),
    );
  });

  it("change fail rate: difference of pooled shares in points, its interval, and the sentence", () => {
    const metric = metricOf(comparison, "changeFailRate");
    const effect = compared(metric);
    // (11/44 − 3/24) · 100 = (0.25 − 0.125) · 100 = +12.5 pp.
    expect(effect.estimate).toBeCloseTo(12.5, 10);
    const interval = effect.interval!;
    expect(interval.low).toBeLessThanOrEqual(12.5);
    expect(interval.high).toBeGreaterThanOrEqual(12.5);
    const exact = documentedInterval(metric, comparison.method);
    expect(interval.low).toBeCloseTo(exact.low, 10);
    expect(interval.high).toBeCloseTo(exact.high, 10);
    expectCloseToReference(metric, interval);
    // Lower is better for a fail rate: an interval above 0 favours DevOps.
    const verdict = interval.low > 0 ? "devops-better" : interval.high < 0 ? "gitops-better" : "no-clear-difference";
    expect(effect.verdict).toBe(verdict);
    expect(metric.sentence).toBe(
      `GitOps had a change fail rate 12.5 percentage points higher than DevOps (25.0 % vs 12.5 %; 95 % CI ${pointsText(interval.low)} to ${pointsText(interval.high)} pp) from 5 Jan 2026 to 18 Jan 2026.` +
        (verdict === "no-clear-difference" ? " The interval includes 0 pp: no clear difference." : ""),
    );
  });

  it("success rate, rework rate and lead time: estimates by hand, intervals reproduced", () => {
    // Success: (44/46 − 24/25) · 100 = −0.3478… pp. Rework: (10/44 − 3/24) · 100 = +10.227… pp. Lead time: 15 / 35 = 3/7.
    const expected: [ComparedMetricId, number][] = [
      ["successRate", (44 / 46 - 24 / 25) * 100],
      ["reworkRate", (10 / 44 - 3 / 24) * 100],
      ["leadTime", 15 / 35],
    ];
    for (const [id, estimate] of expected) {
      const metric = metricOf(comparison, id);
      const effect = compared(metric);
      expect(effect.estimate, id).toBeCloseTo(estimate, 10);
      const interval = effect.interval!;
      expect(interval.low, id).toBeLessThanOrEqual(effect.estimate + 1e-12);
      expect(interval.high, id).toBeGreaterThanOrEqual(effect.estimate - 1e-12);
      const exact = documentedInterval(metric, comparison.method);
      expect([interval.low, interval.high], id).toEqual([expect.closeTo(exact.low, 10), expect.closeTo(exact.high, 10)]);
      expectCloseToReference(metric, interval);
    }
    expect(metricOf(comparison, "successRate").sentence).toMatch(/^GitOps had a deployment success rate 0\.3 percentage points lower than DevOps \(95\.7 % vs 96\.0 %; 95 % CI /);
    expect(metricOf(comparison, "leadTime").sentence).toMatch(/^GitOps changes took 0\.43× as long as DevOps changes to reach production \(median per service; 95 % CI /);
  });

  it("gives the identical interval on every call (seeded, fresh per metric)", async () => {
    const again = await compare(W);
    expect(again.metrics.map((metric) => metric.effect)).toEqual(comparison.metrics.map((metric) => metric.effect));
    // Fresh per metric: the same samples in another request, alone, give the same interval.
    const alone = await compare({ ...W, team: "core,edge" });
    expect(metricOf(alone, "deploymentFrequency").effect).toEqual(metricOf(comparison, "deploymentFrequency").effect);
  });

  it("a degenerate share (0 of every change approved, both cohorts) gives 0 pp with a zero-width interval", () => {
    const metric = metricOf(comparison, "approvedChangeShare");
    // Every change is a direct push: 0/6 services' changes vs 0/5.
    expect(metric.samples.devops.map((sample) => [sample.numerator, sample.denominator])).toEqual([[0, 1], [0, 1], [0, 1], [0, 1], [0, 1], [0, 1]]);
    expect(compared(metric)).toMatchObject({ estimate: 0, interval: { low: 0, high: 0 }, verdict: "no-clear-difference" });
    expect(metric.sentence).toBe(
      "GitOps had the same share of changes approved by someone other than their author as DevOps (0.0 % vs 0.0 %; 95 % CI 0.0 to 0.0 pp) from 5 Jan 2026 to 18 Jan 2026. The interval includes 0 pp: no clear difference.",
    );
  });
});

describe("what cannot be compared", () => {
  it("sync lag is GitOps only; unobservable drift and unknown commits have no values", async () => {
    const comparison = await compare(W);
    const syncLag = metricOf(comparison, "syncLag");
    expect(syncLag.effect).toEqual({ status: "not-applicable", kind: "ratio" });
    expect(syncLag.sentence).toBe("Sync lag applies to GitOps only: a push-based deployment has no desired revision in Git to lag behind.");
    // No drift is observable for any service here, and no commit is known: not a 0, no value at all.
    expect(metricOf(comparison, "driftEpisodesPer30Days").sentence).toBe(
      "Not enough data to compare drift episodes from 5 Jan 2026 to 18 Jan 2026: DevOps has 0 services with a value (5 needed); GitOps has 0 services with a value (5 needed).",
    );
    expect(metricOf(comparison, "signedCommitShare").effect.status).toBe("not-enough-data");
  });

  it("recovery time: only 3 DevOps services have a value", async () => {
    const metric = metricOf(await compare(W), "recoveryTime");
    expect(metric.effect).toEqual({ status: "not-enough-data", kind: "ratio" });
    expect(metric.samples.devops.map((sample) => [sample.slug, sample.value])).toEqual([["d3", 2], ["d5", 4], ["d6", 6]]);
    expect(metric.sentence).toBe("Not enough data to compare failed deployment recovery time from 5 Jan 2026 to 18 Jan 2026: DevOps has 3 services with a value (5 needed).");
  });

  it("a team filter leaving GitOps with 4 services says so", async () => {
    // team=core drops g5 (team edge): GitOps g1..g4 with 6+8+8+10 = 32 deployments, 4 services.
    const comparison = await compare({ ...W, team: "core" });
    const metric = metricOf(comparison, "deploymentFrequency");
    expect(metric.effect).toEqual({ status: "not-enough-data", kind: "ratio" });
    expect(metric.gitops.serviceCount).toBe(4);
    expect(metric.gitops.value).toBeCloseTo(8 / 14, EXACT); // median of 6, 8, 8, 10 → 8, still shown on the card
    expect(metric.sentence).toBe("Not enough data to compare deployment frequency from 5 Jan 2026 to 18 Jan 2026: GitOps has 4 services with a value (5 needed).");
    expect(metricOf(comparison, "changeFailRate").sentence).toBe("Not enough data to compare change fail rate from 5 Jan 2026 to 18 Jan 2026: GitOps has 4 services with a value (5 needed).");
    // With both teams (a name with a space) everything is back.
    expect(compared(metricOf(await compare({ ...W, team: "core,Edge Team" }), "deploymentFrequency")).estimate).toBeCloseTo(2, EXACT);
  });

  it("an environment filter with a few staging deployments has too few deployments", async () => {
    // One staging deployment per service, all on W's day 6: DevOps 6 services / 6 deployments, GitOps 5 / 5.
    const comparison = await compare({ ...W, environment: "staging" });
    const metric = metricOf(comparison, "deploymentFrequency");
    expect(metric.effect.status).toBe("not-enough-data");
    expect([metric.devops.value, metric.gitops.value]).toEqual([expect.closeTo(1 / 14, EXACT), expect.closeTo(1 / 14, EXACT)]);
    // In staging both cohorts were first seen on W's day 6 (Jan 11), so the period runs from that day:
    // [Jan 11, Jan 19) = 8 days, and the sentence says so.
    expect(comparison.observedSince).toEqual({ devops: "2026-01-11T15:00:00.000Z", gitops: "2026-01-11T15:00:00.000Z" });
    expect(comparison.comparisonPeriod).toEqual({ from: "2026-01-11T00:00:00.000Z", to: W.to, wholeWindow: false });
    expect(metric.sentence).toBe(
      "Not enough data to compare deployment frequency over the 8 days both cohorts were observed (11 Jan 2026 to 18 Jan 2026): DevOps has 6 deployments (20 needed); GitOps has 5 deployments (20 needed).",
    );
  });

  it("a window without any deployment: every value null, not enough data", async () => {
    // [2026-02-16, 2026-03-01): after the last deployment (m-g5's, 2026-02-13); both cohorts were observed before.
    const comparison = await compare({ from: "2026-02-16T00:00:00Z", to: "2026-03-01T00:00:00Z" });
    expect(comparison.comparisonPeriod).toEqual({ from: "2026-02-16T00:00:00.000Z", to: "2026-03-01T00:00:00.000Z", wholeWindow: true });
    for (const metric of comparison.metrics) {
      expect([metric.devops.value, metric.gitops.value, metric.devops.change, metric.gitops.change], metric.id).toEqual([null, null, null, null]);
      expect(metric.samples, metric.id).toEqual({ devops: [], gitops: [] });
      if (metric.id !== "syncLag") expect(metric.effect.status, metric.id).toBe("not-enough-data");
    }
    expect(metricOf(comparison, "deploymentFrequency").sentence).toBe(
      "Not enough data to compare deployment frequency from 16 Feb 2026 to 28 Feb 2026: DevOps has 0 services with a value (5 needed) and 0 deployments (20 needed); GitOps has 0 services with a value (5 needed) and 0 deployments (20 needed).",
    );
    // The previous window [2026-02-03, 2026-02-16) held W3's deployments: a previous value but no change.
    expect(metricOf(comparison, "deploymentFrequency").devops.previous).not.toBeNull();
  });

  it("a window before either cohort was observed has no comparison period", async () => {
    const comparison = await compare({ from: "2025-06-01T00:00:00Z", to: "2025-06-15T00:00:00Z" });
    expect(comparison.comparisonPeriod).toBeNull();
    expect(metricOf(comparison, "changeFailRate").sentence).toBe("Not enough data to compare change fail rate: the two cohorts were never observed in the same period.");
  });

  it("a cohort never deployed: no comparison period, observedSince null", async () => {
    const comparison = await compare({ ...W, service: "d1" });
    expect(comparison.observedSince).toEqual({ devops: "2025-12-22T10:00:00.000Z", gitops: null });
    expect(comparison.comparisonPeriod).toBeNull();
    for (const metric of comparison.metrics.filter((entry) => entry.id !== "syncLag")) {
      expect(metric.effect.status, metric.id).toBe("not-enough-data");
      expect(metric.sentence, metric.id).toBe(`Not enough data to compare ${metric.label.toLowerCase()}: the two cohorts were never observed in the same period.`);
    }
    // The DevOps card is still d1's: 2 deployments in 14 days.
    expect(metricOf(comparison, "deploymentFrequency").devops.value).toBeCloseTo(2 / 14, EXACT);
  });

  it("a DevOps median of 0 is no baseline for a ratio", async () => {
    // W4, team stalled: DevOps per day 0,0,0,0,10/14,10/14 → median (0+0)/2 = 0 over 6 services and 20
    // deployments (thresholds met); GitOps 4/14 each. 0 cannot be divided by.
    const comparison = await compare({ ...W4, team: "stalled" });
    const metric = metricOf(comparison, "deploymentFrequency");
    expect(metric.devops.value).toBe(0);
    expect(metric.gitops.value).toBeCloseTo(4 / 14, EXACT);
    expect(metric.effect).toEqual({ status: "not-applicable", kind: "ratio" });
    expect(metric.sentence).toBe("The DevOps services' median deployment frequency is 0 from 3 Nov 2025 to 16 Nov 2025, so no ratio can be formed.");
    // Shares are still compared: success 20/24 vs 20/20 → +16.67 pp.
    expect(compared(metricOf(comparison, "successRate")).estimate).toBeCloseTo((1 - 20 / 24) * 100, 10);
  });
});

describe("the comparison period when GitOps started mid-window", () => {
  it("compares only the days both cohorts were observed, from the local day GitOps began", async () => {
    const comparison = await compare({ ...W3, team: "migrating" });
    expect(comparison.observedSince).toEqual({ devops: "2026-01-26T10:00:00.000Z", gitops: "2026-02-09T10:00:00.000Z" });
    expect(comparison.comparisonPeriod).toEqual({ from: "2026-02-09T00:00:00.000Z", to: W3.to, wholeWindow: false });
    const metric = metricOf(comparison, "deploymentFrequency");
    // Cards, over all of W3: DevOps 6,6,7,7,8 / 14 → 7/14; GitOps 5,6,8,8,9 / 14 → 8/14 (a ratio of 8/7 ≈ 1.14).
    expect(metric.devops.value).toBeCloseTo(7 / 14, EXACT);
    expect(metric.gitops.value).toBeCloseTo(8 / 14, EXACT);
    // Effect over [Feb 9, Feb 16) = 7 days only: DevOps 4,4,5,5,6 / 7 → 5/7 (24 deployments); GitOps 5,6,8,8,9 / 7 → 8/7 (36). 8/5 = 1.6.
    const effect = compared(metric);
    expect(effect.devopsValue).toBeCloseTo(5 / 7, EXACT);
    expect(effect.gitopsValue).toBeCloseTo(8 / 7, EXACT);
    expect(effect.estimate).toBeCloseTo(1.6, EXACT);
    expect(metric.samples.devops.map((sample) => sample.value! * 7)).toEqual([4, 4, 5, 5, 6].map((n) => expect.closeTo(n, 10)));
    const interval = effect.interval!;
    expect([interval.low <= 1.6, interval.high >= 1.6]).toEqual([true, true]);
    expectCloseToReference(metric, interval);
    const ending = effect.verdict === "no-clear-difference" ? " The interval includes 1×: no clear difference." : "";
    expect(metric.sentence).toBe(
      `GitOps services deployed to production 1.6× as often as DevOps services (median per service; 95 % CI ${ratioText(interval.low)}–${ratioText(interval.high)}×) over the 7 days both cohorts were observed (9 Feb 2026 to 15 Feb 2026).${ending}`,
    );
    // No failure anywhere: 0 vs 0 pp, both cohorts' success 100 %.
    expect(compared(metricOf(comparison, "changeFailRate"))).toMatchObject({ estimate: 0, devopsValue: 0, gitopsValue: 0 });
  });

  it("starts at the local day of ORG_TIMEZONE", async () => {
    // 2026-02-09 10:00 UTC is 19:00 in Tokyo (UTC+9), whose day began at 2026-02-08 15:00 UTC.
    const comparison = await compare({ ...W3, team: "migrating" }, "Asia/Tokyo");
    expect(comparison.comparisonPeriod).toEqual({ from: "2026-02-08T15:00:00.000Z", to: W3.to, wholeWindow: false });
  });
});

describe("GET /api/metrics/compare through the data layer", () => {
  const failure = async (params: Record<string, string>) => {
    const error = await getComparison(ctx(), params, deps()).catch((caught: unknown) => caught);
    return { error, ...toErrorResponse(error, undefined, () => {}) };
  };

  it("answers the route's schema and the data layer alike", async () => {
    // The route parses the query string with compareParamsSchema before calling getComparison.
    expect(compareParamsSchema.parse({ ...W, environment: "production" })).toEqual({ ...W, environment: "production" });
    expect(await getComparison(ctx(), { ...W }, deps())).toEqual(await compare(W));
  });

  it("refuses bad parameters with 422 and unknown names with 404", async () => {
    const backwards = await failure({ from: W.to, to: W.from });
    expect(backwards.error).toBeInstanceOf(ZodError);
    expect(backwards.status).toBe(422);
    expect(backwards.body.error.message).toMatch(/^from: /);
    expect(() => compareParamsSchema.parse({ from: W.to, to: W.from })).toThrow(ZodError);

    // An empty name between commas, or at either end (the whole value is trimmed first).
    for (const environment of ["staging,,production", ",staging", "staging,"]) {
      const malformed = await failure({ ...W, environment });
      expect(malformed.status, environment).toBe(422);
      expect(malformed.body.error.message, environment).toMatch(/^environment: /);
    }
    const team = await failure({ ...W, team: "nobody" });
    expect([team.status, team.body.error.code]).toEqual([404, "NOT_FOUND"]);
    expect(team.body.error.message).toContain("nobody");
    const environment = await failure({ ...W, environment: "production,qa" });
    expect([environment.status, environment.body.error.code]).toEqual([404, "NOT_FOUND"]);
    expect(environment.body.error.message).toBe('environment: no deployment has the environment "qa"');
    const service = await failure({ ...W, service: "nope" });
    expect(service.status).toBe(404);
    // A window over ten years long is the metrics resource's own 422.
    expect((await failure({ from: "2000-01-01T00:00:00Z", to: W.to })).status).toBe(422);
    // Without a viewer: 401.
    const anonymous = await getComparison({ ...ctx(), viewer: { kind: "anonymous" } }, W, deps()).catch((caught: unknown) => caught);
    expect(toErrorResponse(anonymous).status).toBe(401);
  });
});

describe("npm run cli -- metrics --json", () => {
  function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", "lib/cli/main.ts", "metrics", ...args], {
        env: { ...process.env, DATABASE_URL: testDb.url, TEST_DATABASE_URL: "", CLOCK_FROZEN_AT: NOW, ORG_TIMEZONE: "UTC" },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  }

  it("prints the data layer's comparison for the same parameters", async () => {
    const { code, stdout, stderr } = await runCli(["--json", "--from", W3.from, "--to", W3.to, "--team", "migrating"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as { comparison: unknown };
    expect(printed.comparison).toEqual(await compare({ ...W3, team: "migrating" }));
    // And the main window, whose intervals are the ones checked above.
    const main = JSON.parse((await runCli(["--json", "--from", W.from, "--to", W.to])).stdout) as { comparison: ComparisonDto };
    expect(main.comparison).toEqual(await compare(W));
    expect(compared(metricOf(main.comparison, "deploymentFrequency")).estimate).toBeCloseTo(2, EXACT);
  }, 60_000);
});
