import type { SandboxIssue } from "@/lib/sandbox/github/model";
import { environmentOf, teamMembers, touchRepository, type DeploymentRecord, type RepoSim } from "./context";
import type { GroundTruthIncident } from "./ground-truth";
import { externalCause, incidentSymptom } from "./names";
import { DAY, HOUR, MINUTE, startOfDay, toIso, type Seconds } from "./time";

/**
 * Incidents are issues labelled `incident`. The product flags a release as a failed change when an
 * incident opens within 24 h of it while it is the latest non-rollback production deployment, so
 * an incident the generator means to be unrelated is only opened when that cannot happen (see
 * `canOpenUnrelatedIncident`), and one caused by a release is always opened inside the window.
 */

/** Margin past the 24 h window, so an unrelated incident is never a second away from counting. */
const UNRELATED_MARGIN = 25 * HOUR;

export interface IncidentSpec {
  at: Seconds;
  causedBy: DeploymentRecord | null;
  /** How long until it is resolved (closed); a resolution past the scenario's end leaves it open. */
  resolvesAfter: Seconds;
  title: string;
  body: string;
}

export function openIncident(sim: RepoSim, spec: IncidentSpec): SandboxIssue {
  const random = sim.random;
  const number = sim.nextNumber();
  const issue: SandboxIssue = {
    id: sim.ctx.ids.next("issue"),
    number,
    title: spec.title,
    body: spec.body,
    authorLogin: random.pick(teamMembers(sim)).login,
    state: "open",
    labels: ["incident", random.pick(["sev1", "sev2", "sev2", "sev3"])],
    createdAt: toIso(spec.at),
    updatedAt: toIso(spec.at),
    closedAt: null,
  };
  sim.repo.issues.push(issue);
  touchRepository(sim.repo, issue.createdAt, false);
  const truth: GroundTruthIncident = { repository: sim.repo.fullName, number, openedAt: issue.createdAt, resolvedAt: null, causedByExternalId: spec.causedBy?.truth.externalId ?? null };
  sim.ctx.truth.incidents.push(truth);
  const resolvedAt = spec.at + spec.resolvesAfter;
  sim.ctx.queue.at(resolvedAt, () => {
    issue.state = "closed";
    issue.closedAt = toIso(resolvedAt);
    issue.updatedAt = issue.closedAt;
    truth.resolvedAt = issue.closedAt;
    touchRepository(sim.repo, issue.closedAt, false);
  });
  return issue;
}

/** An incident the generator means a bad release to have caused. */
export function releaseIncident(sim: RepoSim, causedBy: DeploymentRecord, at: Seconds): IncidentSpec {
  const random = sim.random;
  const symptom = incidentSymptom(random);
  return {
    at,
    causedBy,
    resolvesAfter: random.int(40 * MINUTE, 14 * HOUR),
    title: `${symptom} on ${sim.service.slug}`,
    body: `${symptom} since the production release of ${causedBy.truth.sha.slice(0, 7)}.\n\nOn-call is investigating.`,
  };
}

/** An incident with an outside cause (a provider outage, a failover…), tied to no deployment. */
export function unrelatedIncident(sim: RepoSim, at: Seconds, resolvesAfter?: Seconds): IncidentSpec {
  const random = sim.random;
  const symptom = incidentSymptom(random);
  const cause = externalCause(random);
  return {
    at,
    causedBy: null,
    resolvesAfter: resolvesAfter ?? random.int(30 * MINUTE, 10 * HOUR),
    title: `${symptom} on ${sim.service.slug}`,
    body: `${symptom}. Cause: ${cause}. No recent change to ${sim.service.slug} is involved.`,
  };
}

/** True when an incident opened at `at` cannot be read as flagging any production release. */
export function canOpenUnrelatedIncident(sim: RepoSim, at: Seconds): boolean {
  const production = environmentOf(sim, "production");
  const lastAttempt = production.lastAttemptAt;
  return sim.release.blockedBy === null && (lastAttempt === null || lastAttempt <= at - UNRELATED_MARGIN);
}

/**
 * Past the anchor, unrelated incidents keep coming at about the history's rate (one to three in its
 * 200 days), drawn day by day so that a longer run only adds later ones.
 */
const LIVE_UNRELATED_INCIDENTS_PER_DAY = 0.01;

/**
 * A few unrelated incidents per push-based service, at random moments; a moment too close to a
 * release is dropped rather than moved, which keeps the draw simple and the rule safe.
 */
export function planUnrelatedIncidents(sim: RepoSim): void {
  const { ctx, random } = sim;
  const count = random.int(1, 3);
  const moments = Array.from({ length: count }, () => random.int(ctx.start + 3 * DAY, ctx.anchor - DAY));
  const live = random.fork("live:unrelated-incidents");
  for (let day = startOfDay(ctx.anchor) + DAY; day < ctx.end; day += DAY) {
    if (live.chance(LIVE_UNRELATED_INCIDENTS_PER_DAY)) moments.push(day + live.int(0, DAY - 1));
  }
  for (const at of moments) {
    ctx.queue.at(at, () => {
      if (canOpenUnrelatedIncident(sim, at)) openIncident(sim, unrelatedIncident(sim, at));
    });
  }
}

/**
 * The 24 h edge: an incident opened just over a day after a release, while that release is still
 * the latest one. By the rules it flags nothing, so the generator makes it unrelated
 * (`causedByExternalId: null`) — "caused, but outside the window" is represented as not caused.
 */
export function planEdgeIncident(sim: RepoSim, release: DeploymentRecord): void {
  const at = release.finishedAt + DAY + sim.random.int(3 * MINUTE, 40 * MINUTE);
  sim.ctx.queue.at(at, () => {
    const production = environmentOf(sim, "production");
    const stillLatest = production.latestForward === release && (production.lastAttemptAt ?? 0) <= release.finishedAt;
    if (stillLatest && sim.release.blockedBy === null && !sim.release.edgeIncidentDone) {
      sim.release.edgeIncidentDone = true;
      const spec = unrelatedIncident(sim, at);
      openIncident(sim, { ...spec, body: `${spec.body}\n\nThe last release went out over a day earlier and is not involved.` });
    }
  });
}
