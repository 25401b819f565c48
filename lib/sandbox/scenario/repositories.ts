import type { SandboxIssue, SandboxRepository } from "@/lib/sandbox/github/model";
import { teamOf, type ServiceSpec } from "./catalog";
import { landDirectPush } from "./changes";
import { pushToDefaultBranch } from "./commit-graph";
import { planningStreams, teamMembers, touchRepository, type RepoProfile, type RepoSim, type ScenarioContext } from "./context";
import type { GroundTruthService } from "./ground-truth";
import { canOpenUnrelatedIncident, openIncident, planUnrelatedIncidents, unrelatedIncident } from "./incidents";
import { directPushMessage, pullRequestTitle } from "./names";
import { openPullRequest, planFeaturePullRequest } from "./pull-requests";
import type { Random } from "./random";
import { installReleases } from "./releases";
import { DAY, HOUR, isWeekend, MINUTE, startOfDay, toIso, type Seconds } from "./time";
import { createWorkflow } from "./workflow-runs";

/** Merge habits; repositories are dealt these in turn so that every method is in use somewhere. */
const MERGE_HABITS: readonly RepoProfile["mergeMethodWeights"][] = [
  [["squash", 1]],
  [
    ["merge", 0.8],
    ["squash", 0.2],
  ],
  [
    ["rebase", 0.7],
    ["squash", 0.2],
    ["merge", 0.1],
  ],
  [
    ["merge", 0.35],
    ["squash", 0.45],
    ["rebase", 0.2],
  ],
];

/** Builds one service's repository, makes its first commit and plans its whole history. */
export function createRepository(ctx: ScenarioContext, service: ServiceSpec, random: Random, mergeHabit: RepoProfile["mergeMethodWeights"]): RepoSim {
  const createdAt = ctx.start + random.int(0, 6 * HOUR);
  const repo: SandboxRepository = {
    id: ctx.ids.next("repository"),
    name: service.slug,
    fullName: `${ctx.org.login}/${service.slug}`,
    description: service.description,
    defaultBranch: service.defaultBranch,
    createdAt: toIso(createdAt),
    updatedAt: toIso(createdAt),
    pushedAt: toIso(createdAt),
    archived: false,
    topics: [`team-${service.teamSlug}`],
    commits: new Map(),
    branches: new Map(),
    branchHistory: new Map(),
    pullRequests: [],
    deployments: [],
    workflows: [],
    workflowRuns: [],
    issues: [],
  };
  ctx.org.repositories.push(repo);
  const truthService: GroundTruthService = {
    slug: service.slug,
    name: service.name,
    teamSlug: service.teamSlug,
    repository: repo.fullName,
    defaultBranch: repo.defaultBranch,
    deployVia: service.deployVia,
    methodology: service.methodology,
  };
  ctx.truth.services.push(truthService);

  let lastNumber = 0;
  const sim: RepoSim = {
    ctx,
    random,
    profile: drawProfile(random, mergeHabit),
    service,
    team: teamOf(service),
    truthService,
    repo,
    landed: [],
    environments: new Map(),
    release: { busy: false, blockedBy: null, successesSinceFailure: 0, edgeIncidentDone: false },
    ciWorkflow: createWorkflow({ ctx, repo }, "ci", ".github/workflows/ci.yml", createdAt),
    deployWorkflow: service.deployVia === "actions_workflow" ? createWorkflow({ ctx, repo }, "Deploy", ".github/workflows/deploy.yml", createdAt) : null,
    runNumbers: new Map(),
    nextNumber: () => ++lastNumber,
    onChangeLanded: () => {},
    onDeploymentLive: () => {},
  };

  const founder = random.pick(teamMembers(sim));
  landDirectPush(sim, pushToDefaultBranch(sim, founder, "Initial commit", createdAt), createdAt);
  if (service.methodology === "devops") {
    installReleases(sim);
    planUnrelatedIncidents(sim);
  }
  if (service.cadence === "single-production") planStillOpenIncident(sim);
  planDailyWork(sim, createdAt);
  return sim;
}

export function mergeHabitsFor(random: Random): readonly RepoProfile["mergeMethodWeights"][] {
  return random.shuffle(MERGE_HABITS);
}

function drawProfile(random: Random, mergeHabit: RepoProfile["mergeMethodWeights"]): RepoProfile {
  return {
    pullRequestsPerWorkingDay: 0.5 + random.float() * 1.1,
    directPushesPerWorkingDay: random.pick([0, 0.02, 0.05, 0.1]),
    mergeMethodWeights: mergeHabit,
    deleteBranchOnMerge: random.chance(0.75),
  };
}

/**
 * Plans each working day's PR openings, direct pushes and ordinary issues. The plan draws from the
 * day's planning stream; what happens when an event runs draws from the repository's stream.
 */
function planDailyWork(sim: RepoSim, createdAt: Seconds): void {
  const { ctx, profile } = sim;
  const queue = ctx.queue;
  const streamFor = planningStreams(sim, "daily-work");
  for (let day = startOfDay(createdAt) + DAY; day < ctx.end; day += DAY) {
    if (isWeekend(day)) continue;
    const random = streamFor(day);
    const quiet = ctx.quietPeriod !== null && day >= ctx.quietPeriod.start && day < ctx.quietPeriod.end;
    // Over the holidays a skeleton crew keeps a little going.
    const activity = quiet ? 0.15 : 1;
    const workingMoment = (): Seconds => day + 8 * HOUR + 30 * MINUTE + random.int(0, 10 * HOUR);

    for (let n = poisson(random, profile.pullRequestsPerWorkingDay * activity); n > 0; n--) {
      const at = workingMoment();
      queue.at(at, () => openPullRequest(sim, planFeaturePullRequest(sim, at)));
    }
    if (random.chance(profile.directPushesPerWorkingDay * activity)) {
      const at = workingMoment();
      queue.at(at, () => {
        const author = sim.random.pick(teamMembers(sim));
        landDirectPush(sim, pushToDefaultBranch(sim, author, directPushMessage(sim.random), at), at);
      });
    }
    if (random.chance(0.04 * activity)) {
      const at = workingMoment();
      queue.at(at, () => openOrdinaryIssue(sim, at));
    }
  }
}

/** Bugs and feature requests: issues that are not incidents, so consumers must look at labels. */
function openOrdinaryIssue(sim: RepoSim, at: Seconds): void {
  const random = sim.random;
  const issue: SandboxIssue = {
    id: sim.ctx.ids.next("issue"),
    number: sim.nextNumber(),
    title: pullRequestTitle(random),
    body: "Noticed while working on something else.",
    authorLogin: random.pick(teamMembers(sim)).login,
    state: "open",
    labels: [random.pick(["bug", "enhancement", "question"])],
    createdAt: toIso(at),
    updatedAt: toIso(at),
    closedAt: null,
  };
  sim.repo.issues.push(issue);
  touchRepository(sim.repo, issue.createdAt, false);
  if (random.chance(0.7)) {
    const closedAt = at + random.int(HOUR, 30 * DAY);
    sim.ctx.queue.at(closedAt, () => {
      issue.state = "closed";
      issue.closedAt = toIso(closedAt);
      issue.updatedAt = issue.closedAt;
      touchRepository(sim.repo, issue.closedAt, false);
    });
  }
}

/** An incident opened a few hours before the anchor and not yet resolved at it. */
function planStillOpenIncident(sim: RepoSim): void {
  const at = sim.ctx.anchor - sim.random.int(2 * HOUR, 6 * HOUR);
  if (at <= sim.ctx.start) return;
  sim.ctx.queue.at(at, () => {
    if (canOpenUnrelatedIncident(sim, at)) openIncident(sim, unrelatedIncident(sim, at, 2 * DAY));
  });
}

/** Knuth's method; rates here are small. */
function poisson(random: Random, rate: number): number {
  const limit = Math.exp(-rate);
  let count = 0;
  for (let product = random.float(); product > limit; product *= random.float()) count++;
  return count;
}
