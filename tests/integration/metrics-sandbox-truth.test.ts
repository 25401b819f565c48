import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { computeMetrics } from "@/lib/data/metrics/compute-metrics";
import { systemContext } from "@/lib/data/viewer";
import { parseEnv } from "@/lib/env";
import { runGithubSync } from "@/lib/ingest/github/run-github-sync";
import { registerIntegrations } from "@/lib/ingest/integrations";
import type { MetricValuesDto, MetricsDto } from "@/lib/queries/metrics";
import { type GithubSandbox, startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import type { GroundTruth, GroundTruthChange, GroundTruthDeployment } from "@/lib/sandbox/scenario/ground-truth";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * Every DORA metric of every sandbox service, and of the DevOps cohort, as `computeMetrics` reports
 * it after a GitHub sync of the sandbox org, against the same metric computed here straight from the
 * generator's ground truth (what it meant to deploy, fail, remediate and resolve), never with the
 * product's own code. Windows follow DESIGN §3: production only, `[from, to)` on `finishedAt`.
 */
const ANCHOR = "2026-11-27T12:00:00Z";
const clock = frozenClock(ANCHOR);
const env = parseEnv({});
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Floating point only: every instant in the sandbox is a whole second. */
const TOLERANCE = 1e-6;

/** `percentile_cont(p)`: linear interpolation between the closest ranks; null for no values. */
function percentileCont(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

const median = (values: readonly number[]) => percentileCont(values, 0.5);
const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);
const ms = (iso: string) => Date.parse(iso);

/** The metric values this test checks, under the DTO's names. */
interface Expected {
  attemptCount: number;
  deploymentCount: number;
  deploymentsPerDay: number | null;
  deploymentDaysPerWeekMedian: number | null;
  leadTimeChangeCount: number;
  leadTimeMedianHours: number | null;
  leadTimeP90Hours: number | null;
  codingMedianHours: number | null;
  reviewMedianHours: number | null;
  waitingMedianHours: number | null;
  failedChangeCount: number;
  changeFailRate: number | null;
  recoveredCount: number;
  recoveryTimeMedianHours: number | null;
  reworkCount: number;
  reworkRate: number | null;
  deploymentSuccessRate: number | null;
  changeCount: number;
  approvedChangeCount: number;
  approvedChangeShare: number | null;
}

function actualOf(dto: MetricValuesDto): Expected {
  return {
    attemptCount: dto.attemptCount,
    deploymentCount: dto.deploymentCount,
    deploymentsPerDay: dto.deploymentsPerDay,
    deploymentDaysPerWeekMedian: dto.deploymentDaysPerWeekMedian,
    leadTimeChangeCount: dto.leadTimeChangeCount,
    leadTimeMedianHours: dto.leadTimeMedianHours,
    leadTimeP90Hours: dto.leadTimeP90Hours,
    codingMedianHours: dto.leadTimeBreakdown.codingMedianHours,
    reviewMedianHours: dto.leadTimeBreakdown.reviewMedianHours,
    waitingMedianHours: dto.leadTimeBreakdown.waitingMedianHours,
    failedChangeCount: dto.failedChangeCount,
    changeFailRate: dto.changeFailRate,
    recoveredCount: dto.recoveredCount,
    recoveryTimeMedianHours: dto.recoveryTimeMedianHours,
    reworkCount: dto.reworkCount,
    reworkRate: dto.reworkRate,
    deploymentSuccessRate: dto.deploymentSuccessRate,
    changeCount: dto.changeTraceability.changeCount,
    approvedChangeCount: dto.changeTraceability.approvedChangeCount,
    approvedChangeShare: dto.changeTraceability.approvedChangeShare,
  };
}

/** Monday 00:00 UTC of the week holding `instant`. */
function utcWeekStart(instant: number): number {
  const day = Math.floor(instant / DAY_MS) * DAY_MS;
  const weekday = (new Date(day).getUTCDay() + 6) % 7;
  return day - weekday * DAY_MS;
}

interface Window {
  label: string;
  from: Date;
  to: Date;
}

/** Expected values from the truth alone. */
class TruthMetrics {
  private readonly changeBySha: Map<string, GroundTruthChange>;
  private readonly deploymentById: Map<string, GroundTruthDeployment>;

  constructor(private readonly truth: GroundTruth) {
    this.changeBySha = new Map(truth.changes.map((change) => [`${change.repository}@${change.landedSha}`, change]));
    this.deploymentById = new Map(truth.deployments.map((deployment) => [deployment.externalId, deployment]));
  }

  /** Finished production attempts in the window (cancelled runs are not attempts). */
  attempts(window: Window, serviceSlug: string): GroundTruthDeployment[] {
    return this.truth.deployments.filter(
      (d) =>
        d.serviceSlug === serviceSlug &&
        d.production &&
        d.outcome !== "cancelled" &&
        ms(d.finishedAt) >= window.from.getTime() &&
        ms(d.finishedAt) < window.to.getTime(),
    );
  }

  /** When a failed change D was recovered from, per DESIGN §3; null when it has not been (yet). */
  recoveredAt(failed: GroundTruthDeployment): number | null {
    const flag = failed.failedChange!;
    if (flag.remediatedByExternalId !== null) {
      const remediation = this.deploymentById.get(flag.remediatedByExternalId);
      if (!remediation) throw new Error(`truth: ${failed.externalId} remediated by unknown ${flag.remediatedByExternalId}`);
      if (remediation.outcome === "success") return ms(remediation.finishedAt);
    }
    // No remediating deployment: the incident that flagged it, once resolved.
    const incidents = this.truth.incidents.filter(
      (incident) =>
        incident.repository === failed.repository &&
        (flag.incidentNumber !== null ? incident.number === flag.incidentNumber : incident.causedByExternalId === failed.externalId),
    );
    if (incidents.length === 0 || incidents.some((incident) => incident.resolvedAt === null)) return null;
    return Math.max(...incidents.map((incident) => ms(incident.resolvedAt!)));
  }

  service(window: Window, serviceSlug: string): Expected {
    const attempts = this.attempts(window, serviceSlug);
    const successes = attempts.filter((d) => d.outcome === "success");
    const windowDays = (window.to.getTime() - window.from.getTime()) / DAY_MS;

    const leads: number[] = [];
    const coding: number[] = [];
    const review: number[] = [];
    const waiting: number[] = [];
    let approved = 0;
    let shipped = 0;
    for (const deployment of successes) {
      for (const sha of deployment.shipsChanges) {
        const change = this.changeBySha.get(`${deployment.repository}@${sha}`);
        if (!change) throw new Error(`truth: ${deployment.externalId} ships unknown change ${sha}`);
        shipped += 1;
        if (change.approvedByAnother) approved += 1;
        const finished = ms(deployment.finishedAt);
        leads.push((finished - ms(change.firstCommitAuthoredAt)) / HOUR_MS);
        if (change.kind === "pull_request") {
          coding.push(Math.max(ms(change.openedAt!) - ms(change.firstCommitAuthoredAt), 0) / HOUR_MS);
          review.push(Math.max(ms(change.mergedAt!) - ms(change.openedAt!), 0) / HOUR_MS);
          waiting.push(Math.max(finished - ms(change.mergedAt!), 0) / HOUR_MS);
        }
      }
    }

    const failed = successes.filter((d) => d.failedChange !== null);
    const recoveries = failed.flatMap((d) => {
      const at = this.recoveredAt(d);
      return at === null ? [] : [(at - ms(d.finishedAt)) / HOUR_MS];
    });
    const rework = successes.filter((d) => d.remediates !== null).length;

    // Deployment days per week: every Monday-start UTC week the window touches, 0 for a week without any.
    const weeks = new Map<number, Set<number>>();
    for (let week = utcWeekStart(window.from.getTime()); week <= utcWeekStart(window.to.getTime() - 1); week += 7 * DAY_MS) weeks.set(week, new Set());
    for (const deployment of successes) {
      const at = ms(deployment.finishedAt);
      weeks.get(utcWeekStart(at))!.add(Math.floor(at / DAY_MS));
    }

    const active = attempts.length > 0;
    return {
      attemptCount: attempts.length,
      deploymentCount: successes.length,
      deploymentsPerDay: active ? successes.length / windowDays : null,
      deploymentDaysPerWeekMedian: active ? median([...weeks.values()].map((days) => days.size)) : null,
      leadTimeChangeCount: leads.length,
      leadTimeMedianHours: median(leads),
      leadTimeP90Hours: percentileCont(leads, 0.9),
      codingMedianHours: median(coding),
      reviewMedianHours: median(review),
      waitingMedianHours: median(waiting),
      failedChangeCount: failed.length,
      changeFailRate: ratio(failed.length, successes.length),
      recoveredCount: recoveries.length,
      recoveryTimeMedianHours: median(recoveries),
      reworkCount: rework,
      reworkRate: ratio(rework, successes.length),
      deploymentSuccessRate: ratio(successes.length, attempts.length),
      changeCount: shipped,
      approvedChangeCount: approved,
      approvedChangeShare: ratio(approved, shipped),
    };
  }

  /** A cohort: medians of per-service values (active services only), pooled proportions. */
  cohort(perService: readonly Expected[]): Expected & { activeServiceCount: number } {
    const active = perService.filter((values) => values.attemptCount > 0);
    const sum = (pick: (values: Expected) => number) => active.reduce((total, values) => total + pick(values), 0);
    const medianOf = (pick: (values: Expected) => number | null) => median(active.flatMap((values) => (pick(values) === null ? [] : [pick(values)!])));
    const successes = sum((v) => v.deploymentCount);
    return {
      activeServiceCount: active.length,
      attemptCount: sum((v) => v.attemptCount),
      deploymentCount: successes,
      deploymentsPerDay: medianOf((v) => v.deploymentsPerDay),
      deploymentDaysPerWeekMedian: medianOf((v) => v.deploymentDaysPerWeekMedian),
      leadTimeChangeCount: sum((v) => v.leadTimeChangeCount),
      leadTimeMedianHours: medianOf((v) => v.leadTimeMedianHours),
      leadTimeP90Hours: medianOf((v) => v.leadTimeP90Hours),
      codingMedianHours: medianOf((v) => v.codingMedianHours),
      reviewMedianHours: medianOf((v) => v.reviewMedianHours),
      waitingMedianHours: medianOf((v) => v.waitingMedianHours),
      failedChangeCount: sum((v) => v.failedChangeCount),
      changeFailRate: ratio(sum((v) => v.failedChangeCount), successes),
      recoveredCount: sum((v) => v.recoveredCount),
      recoveryTimeMedianHours: medianOf((v) => v.recoveryTimeMedianHours),
      reworkCount: sum((v) => v.reworkCount),
      reworkRate: ratio(sum((v) => v.reworkCount), successes),
      deploymentSuccessRate: ratio(successes, sum((v) => v.attemptCount)),
      changeCount: sum((v) => v.changeCount),
      approvedChangeCount: sum((v) => v.approvedChangeCount),
      approvedChangeShare: ratio(sum((v) => v.approvedChangeCount), sum((v) => v.changeCount)),
    };
  }
}

/** Every differing metric, as `label metric: product X, truth Y`. */
function differences(label: string, actual: Expected, expected: Expected): string[] {
  const out: string[] = [];
  for (const key of Object.keys(expected) as (keyof Expected)[]) {
    const want = expected[key];
    const got = actual[key];
    const same = want === null || got === null ? want === got : Math.abs(want - got) <= TOLERANCE;
    if (!same) out.push(`${label} ${key}: product ${got}, truth ${want}`);
  }
  return out;
}

describe("every metric of every sandbox service against the generator's truth", () => {
  let truth: GroundTruth;
  let sandbox: GithubSandbox;
  let database: TestDatabase;
  let expectations: TruthMetrics;

  beforeAll(async () => {
    const scenario = generateScenario({ anchor: clock.now() });
    truth = scenario.truth;
    expectations = new TruthMetrics(truth);
    sandbox = await startGithubSandbox({ org: scenario.org, clock, port: 0, rateLimit: { limit: 100_000, windowSeconds: 3600 } });
    database = await createTestDatabase();
    const [integration] = await registerIntegrations(database.db, env, { sandboxUrl: sandbox.url });
    // The sync derives change sets and flags at its end.
    await runGithubSync(database.db, integration!, { env, clock, retryBaseMs: 5 });
  }, 600_000);

  afterAll(async () => {
    await sandbox?.stop();
    await database?.close();
  });

  const anchor = new Date(ANCHOR);
  const windows: Window[] = [
    { label: "90d", from: new Date(anchor.getTime() - 90 * DAY_MS), to: anchor },
    { label: "180d", from: new Date(anchor.getTime() - 180 * DAY_MS), to: anchor },
    // Ends well before the anchor, so every flag in it has settled and a window edge cuts through history.
    { label: "60d-settled", from: new Date(anchor.getTime() - 100 * DAY_MS), to: new Date(anchor.getTime() - 40 * DAY_MS) },
  ];

  it.each(windows)("agrees with the truth on every service and the DevOps cohort for the $label window", async (window) => {
    const metrics: MetricsDto = await computeMetrics(
      systemContext(clock),
      { from: window.from.toISOString(), to: window.to.toISOString() },
      { db: database.db, timeZone: "UTC" },
    );
    const bySlug = new Map(metrics.services.map((service) => [service.slug, service]));
    const mismatches: string[] = [];
    const pushBased: Expected[] = [];
    let compared = 0;
    for (const service of truth.services) {
      const expected = expectations.service(window, service.slug);
      const actual = bySlug.get(service.slug);
      if (!actual) {
        mismatches.push(`${window.label} ${service.slug}: missing from the product's answer`);
        continue;
      }
      compared += 1;
      mismatches.push(...differences(`${window.label} ${service.slug}`, actualOf(actual), expected));
      // Every truth deployment is a GitHub one (DevOps methodology); the cohort is the push-based services.
      if (service.methodology === "devops") pushBased.push(expected);
    }

    const { activeServiceCount, ...cohort } = expectations.cohort(pushBased);
    mismatches.push(...differences(`${window.label} devops cohort`, actualOf(metrics.cohorts.devops), cohort));
    if (metrics.cohorts.devops.activeServiceCount !== activeServiceCount) {
      mismatches.push(`${window.label} devops cohort activeServiceCount: product ${metrics.cohorts.devops.activeServiceCount}, truth ${activeServiceCount}`);
    }
    // Teams: the same aggregation over each team's services (all of them, GitOps ones without attempts included).
    const teamBySlug = new Map(metrics.teams.map((team) => [team.slug, team]));
    for (const team of truth.teams) {
      const members = truth.services.filter((service) => service.teamSlug === team.slug).map((service) => expectations.service(window, service.slug));
      const { activeServiceCount: teamActive, ...expectedTeam } = expectations.cohort(members);
      const actualTeam = teamBySlug.get(team.slug);
      if (!actualTeam) {
        mismatches.push(`${window.label} team ${team.slug}: missing from the product's answer`);
        continue;
      }
      compared += 1;
      mismatches.push(...differences(`${window.label} team ${team.slug}`, actualOf(actualTeam), expectedTeam));
      if (actualTeam.activeServiceCount !== teamActive) mismatches.push(`${window.label} team ${team.slug} activeServiceCount: product ${actualTeam.activeServiceCount}, truth ${teamActive}`);
    }

    // The GitHub sandbox deploys only push-based services; the GitOps cohort has no deployment yet.
    const gitopsDeployments = truth.deployments.filter((d) => truth.services.find((s) => s.slug === d.serviceSlug)?.methodology === "gitops").length;
    expect(gitopsDeployments).toBe(0);
    expect(metrics.cohorts.gitops.attemptCount).toBe(0);

    // A comparison over nothing would prove nothing: every window holds failures of each kind.
    expect(compared).toBe(truth.services.length + truth.teams.length);
    expect(activeServiceCount).toBeGreaterThanOrEqual(5);
    expect(cohort.failedChangeCount).toBeGreaterThan(0);
    expect(cohort.recoveredCount).toBeGreaterThan(0);
    expect(cohort.leadTimeChangeCount).toBeGreaterThan(20);
    expect(cohort.deploymentSuccessRate).toBeLessThan(1);
    expect(mismatches).toEqual([]);
  }, 120_000);

  it("compares over windows that exercise every failed-change rule and both recovery routes", () => {
    const long = windows[1]!;
    const failed = truth.deployments.filter(
      (d) => d.production && d.outcome === "success" && d.failedChange !== null && ms(d.finishedAt) >= long.from.getTime() && ms(d.finishedAt) < long.to.getTime(),
    );
    expect(new Set(failed.map((d) => d.failedChange!.rule))).toEqual(new Set(["rollback", "revert", "hotfix", "incident"]));
    // Recovered by a remediating deployment, and recovered only by an incident's resolution.
    expect(failed.some((d) => d.failedChange!.remediatedByExternalId !== null)).toBe(true);
    expect(failed.some((d) => d.failedChange!.remediatedByExternalId === null && expectations.recoveredAt(d) !== null)).toBe(true);
  });
});
