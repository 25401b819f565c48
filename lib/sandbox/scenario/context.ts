import type { SandboxDeployment, SandboxOrg, SandboxPullRequest, SandboxRepository, SandboxUser, SandboxWorkflow } from "@/lib/sandbox/github/model";
import type { ServiceSpec, TeamSpec } from "./catalog";
import type { EventQueue } from "./event-queue";
import type { GroundTruth, GroundTruthChange, GroundTruthDeployment, GroundTruthService } from "./ground-truth";
import type { IdSequences, ShaFactory } from "./ids";
import type { Random } from "./random";
import type { Seconds } from "./time";

/** What every part of the simulation shares: the org being built, its truth, ids and the timeline. */
export interface ScenarioContext {
  readonly org: SandboxOrg;
  readonly truth: GroundTruth;
  readonly ids: IdSequences;
  readonly shas: ShaFactory;
  readonly queue: EventQueue;
  /** First second of the history. */
  readonly start: Seconds;
  /**
   * The instant the history is anchored to (the org's first "now"). Everything up to any instant
   * depends on the seed, `start` and `anchor` only, never on `end`.
   */
  readonly anchor: Seconds;
  /** Last second simulated: the anchor, or later for a live org that keeps moving past it. */
  readonly end: Seconds;
  /** The org-wide holiday fortnight: no releases, little work. */
  readonly quietPeriod: { start: Seconds; end: Seconds } | null;
  readonly usersByLogin: ReadonlyMap<string, SandboxUser>;
  readonly commitSigners: ReadonlySet<string>;
}

/** A change that landed on the default branch, in landing order. */
export interface LandedChange {
  index: number;
  sha: string;
  landedAt: Seconds;
  truth: GroundTruthChange;
  pullRequest: SandboxPullRequest | null;
  kind: "feature" | "revert" | "hotfix" | "direct_push";
  /** For revert and hotfix PRs: the failed production release they were opened to remediate. */
  remediationFor: DeploymentRecord | null;
}

/** A finished deployment attempt as the release logic remembers it. */
export interface DeploymentRecord {
  truth: GroundTruthDeployment;
  /** Index into the repository's landed changes of the deployed commit. */
  landedIndex: number;
  finishedAt: Seconds;
  /** The GitHub deployment, for deployments (null for workflow runs). */
  githubDeployment: SandboxDeployment | null;
  /** For a success: what ran in its environment just before it went live. */
  previousLive: DeploymentRecord | null;
  /** For a success: the landed changes it shipped for the first time. */
  shipped: LandedChange[];
}

/** One (service, environment) chain. */
export interface EnvironmentState {
  /**
   * Every landed change up to this index has shipped here. Forward releases always deploy the
   * branch head, so what has shipped is always a prefix of the landing order.
   */
  shippedThroughIndex: number;
  seeded: boolean;
  /** Latest successful deployment (a rollback included): what runs now. */
  live: DeploymentRecord | null;
  /** Latest successful deployment that is not a rollback. */
  latestForward: DeploymentRecord | null;
  successfulShas: Set<string>;
  /** Start of the latest attempt, successful or not. */
  lastAttemptAt: Seconds | null;
}

export interface ReleaseState {
  /** A pipeline (staging then production, with retries) is running. */
  busy: boolean;
  /** A failed change waits for its remediation: regular releases hold off until then. */
  blockedBy: DeploymentRecord | null;
  successesSinceFailure: number;
  edgeIncidentDone: boolean;
}

/** Habits of one repository's team, drawn once per repository. */
export interface RepoProfile {
  pullRequestsPerWorkingDay: number;
  directPushesPerWorkingDay: number;
  mergeMethodWeights: readonly (readonly ["merge" | "squash" | "rebase", number])[];
  deleteBranchOnMerge: boolean;
}

export interface RepoSim {
  readonly ctx: ScenarioContext;
  readonly profile: RepoProfile;
  readonly random: Random;
  readonly service: ServiceSpec;
  readonly team: TeamSpec;
  readonly truthService: GroundTruthService;
  readonly repo: SandboxRepository;
  readonly landed: LandedChange[];
  readonly environments: Map<string, EnvironmentState>;
  readonly release: ReleaseState;
  readonly ciWorkflow: SandboxWorkflow;
  readonly deployWorkflow: SandboxWorkflow | null;
  readonly runNumbers: Map<number, number>;
  /** PRs and issues share one number sequence per repository, as on GitHub. */
  nextNumber(): number;
  /** Called after a change lands on the default branch (the release logic listens for remediations). */
  onChangeLanded: (change: LandedChange) => void;
  /** Called when a successful deployment goes live in an environment (the cluster side watches production). */
  onDeploymentLive: (environment: string, record: DeploymentRecord) => void;
}

export function environmentOf(sim: RepoSim, environment: string): EnvironmentState {
  let state = sim.environments.get(environment);
  if (!state) {
    // `live` is an accessor so listeners learn of each release without the release logic knowing them.
    let live: DeploymentRecord | null = null;
    state = {
      shippedThroughIndex: -1,
      seeded: false,
      get live() {
        return live;
      },
      set live(record: DeploymentRecord | null) {
        live = record;
        if (record) sim.onDeploymentLive(environment, record);
      },
      latestForward: null,
      successfulShas: new Set(),
      lastAttemptAt: null,
    };
    sim.environments.set(environment, state);
  }
  return state;
}

export function teamMembers(sim: RepoSim): SandboxUser[] {
  return sim.team.memberLogins.map((login) => userByLogin(sim.ctx, login));
}

export function userByLogin(ctx: ScenarioContext, login: string): SandboxUser {
  const user = ctx.usersByLogin.get(login);
  if (!user) throw new Error(`Unknown user ${login}`);
  return user;
}

export function defaultBranchHead(sim: RepoSim): string {
  const head = sim.repo.branches.get(sim.repo.defaultBranch);
  if (!head) throw new Error(`${sim.repo.fullName} has no ${sim.repo.defaultBranch}`);
  return head;
}

export function latestLanded(sim: RepoSim): LandedChange {
  const change = sim.landed.at(-1);
  if (!change) throw new Error(`${sim.repo.fullName} has no commit yet`);
  return change;
}

/** Keeps the repository's `updatedAt` / `pushedAt` at the latest activity. */
export function touchRepository(repo: SandboxRepository, at: string, pushed: boolean): void {
  if (at > repo.updatedAt) repo.updatedAt = at;
  if (pushed && at > repo.pushedAt) repo.pushedAt = at;
}

/**
 * Picks the stream that plans the work of a day starting at `day`. Days before the anchor draw from
 * the repository's own stream, exactly as when the history ended at the anchor; days past it draw
 * from a stream of their own per purpose. Planning runs up front for every day up to `end`, so this
 * split is what keeps the history (and every later draw of the repository's stream) independent of
 * how far past the anchor the org is generated.
 */
export function planningStreams(sim: Pick<RepoSim, "ctx" | "random">, purpose: string): (day: Seconds) => Random {
  const live = sim.random.fork(`live:${purpose}`);
  return (day) => (day < sim.ctx.anchor ? sim.random : live);
}
