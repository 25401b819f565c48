import type { DeploymentRecord, LandedChange, RepoSim } from "./context";
import type { FailedChangeRule } from "./ground-truth";
import { DAY, HOUR, MINUTE, type Seconds } from "./time";

/**
 * Deciding, at the moment a production release succeeds, whether the generator wants it to be a
 * failed change, and how that will show. The decision is written to the ground truth right away;
 * the events that reveal it (rollback, revert, hotfix PR, incident) are planned from this plan and
 * all land well inside the 7-day (24 h for incidents) windows of DESIGN §3.
 */

export type FailurePlan =
  | { rule: "rollback"; rollbackAt: Seconds; target: DeploymentRecord; incidentAt: Seconds | null }
  | { rule: "revert"; openAt: Seconds; reverted: LandedChange; incidentAt: Seconds | null }
  | { rule: "hotfix"; openAt: Seconds; incidentAt: Seconds | null }
  | { rule: "incident"; incidentAt: Seconds };

/** Everything a failure sets in motion finishes within this. */
const SETTLE_TIME = 5 * DAY;
/** Consecutive releases that stay healthy after a failure: keeps remediations from overlapping. */
const HEALTHY_RELEASES_BETWEEN_FAILURES = 3;

export function decideFailure(sim: RepoSim, release: DeploymentRecord, previousLive: DeploymentRecord | null, shipped: readonly LandedChange[]): FailurePlan | null {
  if (!canFail(sim, release, previousLive)) return null;
  const random = sim.random;
  if (!random.chance(sim.team.failureRate)) return null;

  const revertable = shipped.filter((change) => change.kind === "feature" && change.pullRequest !== null);
  const canRollBack = sim.truthService.deployVia === "github_deployments" && previousLive !== null;
  const rule = random.weighted<FailedChangeRule>([
    ["rollback", canRollBack ? 0.3 : 0],
    ["revert", revertable.length > 0 ? 0.25 : 0],
    ["hotfix", 0.25],
    ["incident", 0.2],
  ]);
  const finished = release.finishedAt;
  /** Sometimes an incident is opened too, before the remediation starts and inside 24 h. */
  const maybeIncidentBefore = (remediationAt: Seconds): Seconds | null => {
    const latest = Math.min(remediationAt - 2 * MINUTE, finished + 20 * HOUR);
    return latest > finished + 5 * MINUTE && random.chance(0.35) ? random.int(finished + 5 * MINUTE, latest) : null;
  };

  switch (rule) {
    case "rollback": {
      const rollbackAt = finished + random.int(20 * MINUTE, 6 * HOUR);
      return { rule, rollbackAt, target: previousLive!, incidentAt: maybeIncidentBefore(rollbackAt) };
    }
    case "revert": {
      const openAt = finished + random.int(40 * MINUTE, 10 * HOUR);
      return { rule, openAt, reverted: random.pick(revertable), incidentAt: maybeIncidentBefore(openAt) };
    }
    case "hotfix": {
      const openAt = finished + random.int(30 * MINUTE, 20 * HOUR);
      return { rule, openAt, incidentAt: maybeIncidentBefore(openAt) };
    }
    case "incident":
      return { rule, incidentAt: finished + random.int(10 * MINUTE, 20 * HOUR) };
  }
}

function canFail(sim: RepoSim, release: DeploymentRecord, previousLive: DeploymentRecord | null): boolean {
  const { ctx } = sim;
  const finished = release.finishedAt;
  const quiet = ctx.quietPeriod;
  const settlesInQuietPeriod = quiet !== null && finished + SETTLE_TIME > quiet.start && finished < quiet.end;
  return (
    release.truth.production &&
    !release.truth.isRollback &&
    release.truth.remediates === null &&
    // A seed is not compared with anything; keep it clean.
    previousLive !== null &&
    sim.service.cadence !== "single-production" &&
    // Nothing a failure sets in motion is cut off at the anchor: frozen there, every failed change is fully revealed.
    (finished > ctx.anchor || finished + SETTLE_TIME <= ctx.anchor) &&
    !settlesInQuietPeriod &&
    sim.release.successesSinceFailure >= HEALTHY_RELEASES_BETWEEN_FAILURES
  );
}
