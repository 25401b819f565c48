import { DEPLOY_BOT_LOGIN } from "./catalog";
import { environmentOf, latestLanded, planningStreams, teamMembers, type DeploymentRecord, type EnvironmentState, type LandedChange, type RepoSim } from "./context";
import { finishAttempt, markSuperseded, startAttempt, type AttemptOutcome, type StartedAttempt } from "./deploy-targets";
import { decideFailure, type FailurePlan } from "./failures";
import type { GroundTruthDeployment } from "./ground-truth";
import { openIncident, planEdgeIncident, releaseIncident } from "./incidents";
import { openPullRequest, planHotfixPullRequest, planRevertPullRequest } from "./pull-requests";
import { DAY, dayOfWeek, HOUR, isWeekend, MINUTE, startOfDay, toIso, type Seconds } from "./time";

/**
 * The release pipeline of a push-based service: at its team's cadence, the default-branch head goes
 * to staging, then to production; failed attempts are retried; some successful production releases
 * are made bad on purpose (see failures.ts) and then remediated. Every deployment's ground truth is
 * written when it finishes, from what this file decided.
 */

const STAGING = "staging";
const PRODUCTION = "production";

interface PipelineOptions {
  /** A remediation release: quick, goes through even while releases are held. */
  urgent: boolean;
  toProduction: boolean;
  /** The one production release of a single-production service must not fail or retry. */
  forceSuccess: boolean;
}

export function installReleases(sim: RepoSim): void {
  sim.onChangeLanded = (change) => onChangeLanded(sim, change);
  planReleaseSlots(sim);
}

/** Release slots by cadence; a slot releases only if there is something new and nothing holds it. */
function planReleaseSlots(sim: RepoSim): void {
  const { ctx, service } = sim;
  const releaseWeekday = sim.random.pick([2, 3, 4]);
  const firstDay = startOfDay(Date.parse(sim.repo.createdAt) / 1000) + sim.random.int(4, 8) * DAY;
  const streamFor = planningStreams(sim, "release-slots");
  for (let day = firstDay; day < ctx.end; day += DAY) {
    if (isWeekend(day)) continue;
    const random = streamFor(day);
    const weekday = dayOfWeek(day);
    let slot: Seconds | null = null;
    if (service.cadence === "daily" && random.chance(0.85)) slot = day + 10 * HOUR + random.int(0, 6 * HOUR);
    if (service.cadence === "twice-weekly" && (weekday === 2 || weekday === 4) && random.chance(0.95)) slot = day + 13 * HOUR + random.int(0, 3 * HOUR);
    if ((service.cadence === "weekly" || service.cadence === "single-production") && weekday === releaseWeekday) slot = day + 14 * HOUR + random.int(0, 2 * HOUR);
    if (slot !== null) {
      const at = slot;
      ctx.queue.at(at, () => onReleaseSlot(sim, at));
    }
  }
}

function onReleaseSlot(sim: RepoSim, at: Seconds): void {
  const { ctx, release } = sim;
  const quiet = ctx.quietPeriod;
  if (release.busy || release.blockedBy !== null || (quiet && at >= quiet.start && at < quiet.end)) return;
  const head = latestLanded(sim);
  const production = environmentOf(sim, PRODUCTION);
  const single = sim.service.cadence === "single-production";
  // The single-production service goes live once, a good while into the history, and never again.
  const productionAllowed = single ? !production.seeded && production.lastAttemptAt === null && at >= ctx.start + Math.floor((ctx.anchor - ctx.start) * 0.35) : true;
  const toProduction = productionAllowed && !production.successfulShas.has(head.sha);
  if (!toProduction && environmentOf(sim, STAGING).successfulShas.has(head.sha)) return;
  runPipeline(sim, at, head.index, { urgent: false, toProduction, forceSuccess: single });
}

function onChangeLanded(sim: RepoSim, change: LandedChange): void {
  // A revert or hotfix goes out at once, without waiting for the next slot.
  if (change.remediationFor === null || sim.release.blockedBy !== change.remediationFor) return;
  releaseRemediation(sim, change.landedAt + sim.random.int(10 * MINUTE, 45 * MINUTE));
}

function releaseRemediation(sim: RepoSim, at: Seconds): void {
  sim.ctx.queue.at(at, () => {
    // A pipeline still running (a staging retry…) finishes first; the remediation follows it.
    if (sim.release.busy) return releaseRemediation(sim, at + 20 * MINUTE);
    runPipeline(sim, at, latestLanded(sim).index, { urgent: true, toProduction: true, forceSuccess: true });
  });
}

function runPipeline(sim: RepoSim, at: Seconds, landedIndex: number, options: PipelineOptions): void {
  sim.release.busy = true;
  attemptStaging(sim, at, landedIndex, options, 1);
}

function attemptStaging(sim: RepoSim, at: Seconds, landedIndex: number, options: PipelineOptions, attempt: number): void {
  const random = sim.random;
  const outcome: AttemptOutcome = !options.urgent && attempt === 1 && random.chance(0.05) ? "failure" : "success";
  runAttempt(sim, { environment: STAGING, at, landedIndex, outcome, duration: random.int(2 * MINUTE, 8 * MINUTE) }, (record) => {
    if (record.truth.outcome !== "success") {
      attemptStaging(sim, record.finishedAt + random.int(10 * MINUTE, 40 * MINUTE), landedIndex, options, attempt + 1);
    } else if (options.toProduction) {
      const gap = options.urgent ? random.int(3 * MINUTE, 15 * MINUTE) : random.int(15 * MINUTE, 2 * HOUR);
      attemptProduction(sim, record.finishedAt + gap, landedIndex, options, 1);
    } else {
      sim.release.busy = false;
    }
  });
}

function attemptProduction(sim: RepoSim, at: Seconds, landedIndex: number, options: PipelineOptions, attempt: number): void {
  const random = sim.random;
  const outcome = options.urgent || options.forceSuccess ? "success" : productionOutcome(sim);
  runAttempt(sim, { environment: PRODUCTION, at, landedIndex, outcome, duration: random.int(3 * MINUTE, 15 * MINUTE) }, (record) => {
    const finished = record.finishedAt;
    if (record.truth.outcome === "success") {
      sim.release.busy = false;
      afterProductionSuccess(sim, record);
    } else if (record.truth.outcome === "cancelled") {
      // Someone cancelled the run (a wrong input, a newer commit); it is dispatched again.
      attemptProduction(sim, finished + random.int(3 * MINUTE, 15 * MINUTE), landedIndex, options, attempt);
    } else if (attempt < 3 && random.chance(0.8)) {
      // A failed or errored attempt never went live; the same commit is usually retried.
      attemptProduction(sim, finished + random.int(15 * MINUTE, 90 * MINUTE), landedIndex, options, attempt + 1);
    } else {
      sim.release.busy = false;
    }
  });
}

function productionOutcome(sim: RepoSim): AttemptOutcome {
  const viaWorkflow = sim.deployWorkflow !== null;
  return sim.random.weighted<AttemptOutcome>([
    ["success", 0.87],
    ["failure", 0.07],
    ["error", viaWorkflow ? 0 : 0.04],
    ["cancelled", viaWorkflow ? 0.05 : 0],
  ]);
}

interface AttemptRequest {
  environment: string;
  at: Seconds;
  /** Which landed change's commit to deploy. */
  landedIndex: number;
  outcome: AttemptOutcome;
  duration: Seconds;
  extras?: RecordExtras;
}

interface RecordExtras {
  rollbackTo: DeploymentRecord | null;
  remediates: DeploymentRecord | null;
  description?: string;
  creatorLogin?: string;
}

/**
 * Starts an attempt at `at` and plans its end; `onFinish` runs at the end with the written record.
 * An attempt decided up to the anchor that could not finish by it is not started: a clock frozen at
 * the anchor sees nothing in flight, whether or not the org lives on past it. Past the anchor,
 * attempts run whatever the horizon: one still running at the real clock's now shows in progress.
 */
function runAttempt(sim: RepoSim, request: AttemptRequest, onFinish: (record: DeploymentRecord) => void): void {
  const { ctx } = sim;
  const { environment, at, landedIndex, outcome, duration } = request;
  const extras = request.extras ?? { rollbackTo: null, remediates: null };
  const finishAt = at + duration;
  if (ctx.queue.now <= ctx.anchor && finishAt > ctx.anchor) {
    sim.release.busy = false;
    return;
  }
  ctx.queue.at(at, () => {
    const change = sim.landed[landedIndex]!;
    const short = change.sha.slice(0, 7);
    const attempt = startAttempt(sim, {
      environment,
      sha: change.sha,
      ref: extras.rollbackTo ? change.sha : sim.repo.defaultBranch,
      task: "deploy",
      description: extras.description ?? `Deploy ${short} to ${environment}`,
      creatorLogin: extras.creatorLogin ?? (sim.deployWorkflow && sim.random.chance(0.6) ? sim.random.pick(teamMembers(sim)).login : DEPLOY_BOT_LOGIN),
      startAt: at,
      finishAt,
      outcome,
    });
    environmentOf(sim, environment).lastAttemptAt = at;
    ctx.queue.at(finishAt, () => {
      finishAttempt(sim, attempt);
      onFinish(recordAttempt(sim, attempt, landedIndex, extras));
    });
  });
}

function recordAttempt(sim: RepoSim, attempt: StartedAttempt, landedIndex: number, extras: RecordExtras): DeploymentRecord {
  const { spec } = attempt;
  const truth: GroundTruthDeployment = {
    repository: sim.repo.fullName,
    serviceSlug: sim.service.slug,
    source: attempt.source,
    externalId: attempt.externalId,
    environment: spec.environment,
    production: spec.environment === PRODUCTION,
    sha: spec.sha,
    outcome: spec.outcome,
    startedAt: toIso(attempt.startedAt),
    finishedAt: toIso(spec.finishAt),
    isRollback: extras.rollbackTo !== null,
    rollbackToExternalId: extras.rollbackTo?.truth.externalId ?? null,
    remediates: extras.remediates?.truth.externalId ?? null,
    failedChange: null,
    shipsChanges: [],
  };
  sim.ctx.truth.deployments.push(truth);
  const record: DeploymentRecord = { truth, landedIndex, finishedAt: spec.finishAt, githubDeployment: attempt.githubDeployment, previousLive: null, shipped: [] };
  if (spec.outcome === "success") applySuccess(sim, record);
  return record;
}

/** What a successful deployment changes: what it ships, what it remediates, what now runs. */
function applySuccess(sim: RepoSim, record: DeploymentRecord): void {
  const environment = environmentOf(sim, record.truth.environment);
  const shipped = shipChanges(sim, environment, record);
  record.shipped = shipped;
  record.truth.shipsChanges = shipped.map((change) => change.sha);
  if (record.truth.production) linkRemediations(sim, record, shipped);
  record.previousLive = environment.live;
  const superseded = environment.live?.githubDeployment;
  if (superseded) markSuperseded(sim, superseded, record.finishedAt);
  environment.live = record;
  if (!record.truth.isRollback) environment.latestForward = record;
  environment.successfulShas.add(record.truth.sha);
}

/**
 * The changes shipped here for the first time. The first success of a chain is its seed and ships
 * nothing (nothing to compare with), though what it carries counts as shipped from then on; a
 * rollback ships nothing; a forward release ships what landed since the last shipped change.
 */
function shipChanges(sim: RepoSim, environment: EnvironmentState, record: DeploymentRecord): LandedChange[] {
  if (!environment.seeded) {
    environment.seeded = true;
    environment.shippedThroughIndex = record.landedIndex;
    return [];
  }
  if (record.truth.isRollback || record.landedIndex <= environment.shippedThroughIndex) return [];
  const shipped = sim.landed.slice(environment.shippedThroughIndex + 1, record.landedIndex + 1);
  environment.shippedThroughIndex = record.landedIndex;
  return shipped;
}

/** A production release shipping a revert or hotfix remediates the failed change it was opened for. */
function linkRemediations(sim: RepoSim, record: DeploymentRecord, shipped: readonly LandedChange[]): void {
  for (const change of shipped) {
    const failed = change.remediationFor;
    if (!failed?.truth.failedChange) continue;
    record.truth.remediates ??= failed.truth.externalId;
    failed.truth.failedChange.remediatedByExternalId ??= record.truth.externalId;
    if (sim.release.blockedBy === failed) sim.release.blockedBy = null;
  }
}

function afterProductionSuccess(sim: RepoSim, record: DeploymentRecord): void {
  const production = environmentOf(sim, PRODUCTION);
  if (record.truth.isRollback || record.truth.remediates !== null) return;
  const plan = decideFailure(sim, record, record.previousLive, record.shipped);
  if (plan) {
    carryOutFailure(sim, record, plan);
    return;
  }
  sim.release.successesSinceFailure += 1;
  const edgeCadence = sim.service.cadence === "weekly" || sim.service.cadence === "twice-weekly";
  if (edgeCadence && !sim.release.edgeIncidentDone && production.seeded && sim.random.chance(0.15)) planEdgeIncident(sim, record);
}

function carryOutFailure(sim: RepoSim, failed: DeploymentRecord, plan: FailurePlan): void {
  const { ctx, release } = sim;
  const failedChange: NonNullable<GroundTruthDeployment["failedChange"]> = { rule: plan.rule, remediatedByExternalId: null, incidentNumber: null };
  failed.truth.failedChange = failedChange;
  release.blockedBy = failed;
  release.successesSinceFailure = 0;

  const incidentAt = plan.incidentAt;
  if (incidentAt !== null) {
    ctx.queue.at(incidentAt, () => {
      failedChange.incidentNumber = openIncident(sim, releaseIncident(sim, failed, incidentAt)).number;
      // An incident alone remediates nothing; regular releases resume once it is open.
      if (plan.rule === "incident" && release.blockedBy === failed) release.blockedBy = null;
    });
  }
  if (plan.rule === "rollback") {
    const { rollbackAt, target } = plan;
    ctx.queue.at(rollbackAt, () => rollBack(sim, failed, target, rollbackAt));
  } else if (plan.rule === "revert") {
    const { openAt, reverted } = plan;
    ctx.queue.at(openAt, () => openPullRequest(sim, planRevertPullRequest(sim, reverted, failed, openAt)));
  } else if (plan.rule === "hotfix") {
    const { openAt } = plan;
    ctx.queue.at(openAt, () => openPullRequest(sim, planHotfixPullRequest(sim, failed, openAt)));
  }
}

/** Production goes back to the commit that ran before the bad release. */
function rollBack(sim: RepoSim, failed: DeploymentRecord, target: DeploymentRecord, at: Seconds): void {
  const random = sim.random;
  sim.release.busy = true;
  const onCall = random.pick(teamMembers(sim));
  const description = `Rollback to ${target.truth.sha.slice(0, 7)} after bad release ${failed.truth.sha.slice(0, 7)}`;
  const request: AttemptRequest = {
    environment: PRODUCTION,
    at,
    landedIndex: target.landedIndex,
    outcome: "success",
    duration: random.int(2 * MINUTE, 6 * MINUTE),
    extras: { rollbackTo: target, remediates: failed, description, creatorLogin: onCall.login },
  };
  runAttempt(sim, request, (record) => {
    sim.release.busy = false;
    if (failed.truth.failedChange) failed.truth.failedChange.remediatedByExternalId = record.truth.externalId;
    if (sim.release.blockedBy === failed) sim.release.blockedBy = null;
  });
}

