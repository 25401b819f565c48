import type { SandboxOrg, SandboxUser } from "@/lib/sandbox/github/model";
import { DEPLOY_BOT_LOGIN, HUMANS, ORG_LOGIN, ORG_NAME, SERVICES, TEAMS } from "./catalog";
import type { ScenarioContext } from "./context";
import { EventQueue } from "./event-queue";
import { addConfigRepositories } from "./gitops/config-repositories";
import type { SandboxConfigRepository } from "./gitops/model";
import { emptyGitopsTruth, installGitops } from "./gitops/simulate-gitops";
import type { GroundTruth } from "./ground-truth";
import { IdSequences, ShaFactory } from "./ids";
import { createRandom } from "./random";
import type { RepoSim } from "./context";
import { createRepository, mergeHabitsFor } from "./repositories";
import { DAY, startOfWeek, toIso, toSeconds, WEEK, type Seconds } from "./time";

export interface ScenarioOptions {
  /** Default "pipeline-health". */
  seed?: string;
  /** The clock's "now" when the org was first made: the history is the `historyDays` before it. */
  anchor: Date;
  /** Default 200. */
  historyDays?: number;
  /**
   * How far the org keeps living past the anchor (new PRs, releases, failures, incidents at the
   * same rates); default the anchor itself, so nothing exists after it. Whatever this is, the org
   * and truth before any instant T <= until are the same: a longer run only adds what comes later.
   */
  until?: Date;
}

export const DEFAULT_SCENARIO_SEED = "pipeline-health";
export const DEFAULT_HISTORY_DAYS = 200;

/**
 * The sandbox org's GitHub side (app repositories, then the GitOps config repositories): a
 * deterministic history of `historyDays` days up to `anchor`,
 * continued to `until`, and the ground truth the generator wrote down while making it (up to
 * `until`; `truthAsOf` cuts it at an earlier instant). Same seed, anchor and until, same result.
 */
export function generateScenario(options: ScenarioOptions): { org: SandboxOrg; truth: GroundTruth } {
  const { org, truth } = generateScenarioWithCluster(options);
  return { org, truth };
}

/**
 * `generateScenario` plus the cluster side's config repositories on their own. The org holds them
 * too (topic `gitops-config`), after the app repositories, which stay exactly as they were.
 */
export function generateScenarioWithCluster(options: ScenarioOptions): { org: SandboxOrg; truth: GroundTruth; configRepositories: SandboxConfigRepository[] } {
  const seed = options.seed ?? DEFAULT_SCENARIO_SEED;
  const historyDays = options.historyDays ?? DEFAULT_HISTORY_DAYS;
  if (!Number.isInteger(historyDays) || historyDays < 14) throw new Error("historyDays must be an integer of at least 14");
  const anchor = toSeconds(options.anchor);
  if (!Number.isFinite(anchor)) throw new Error("anchor must be a valid date");
  const start = anchor - historyDays * DAY;
  const end = options.until === undefined ? anchor : toSeconds(options.until);
  if (!Number.isFinite(end) || end < anchor) throw new Error("until must be a valid date, not before the anchor");

  const random = createRandom(seed);
  const ids = new IdSequences();
  const users = createUsers(ids);
  const org: SandboxOrg = { id: 1_000_000 + random.fork("org").int(1, 8_999_999), login: ORG_LOGIN, name: ORG_NAME, createdAt: toIso(start), users, repositories: [] };
  const truth: GroundTruth = {
    seed,
    anchor: toIso(anchor),
    historyDays,
    until: toIso(end),
    org: ORG_LOGIN,
    teams: TEAMS.map(({ slug, name }) => ({ slug, name })),
    services: [],
    changes: [],
    deployments: [],
    incidents: [],
    gitops: emptyGitopsTruth(),
  };
  const ctx: ScenarioContext = {
    org,
    truth,
    ids,
    shas: new ShaFactory(),
    queue: new EventQueue(end),
    start,
    anchor,
    end,
    quietPeriod: quietPeriodOf(start, anchor),
    usersByLogin: new Map(users.map((user) => [user.login, user])),
    commitSigners: new Set(HUMANS.filter((human) => human.signsCommits).map((human) => human.login)),
  };

  const mergeHabits = mergeHabitsFor(random.fork("merge-habits"));
  const sims: RepoSim[] = SERVICES.map((service, index) =>
    // One stream per repository: a change in one repository's history leaves the others as they were.
    createRepository(ctx, service, random.fork(`repo:${service.slug}`), mergeHabits[index % mergeHabits.length]!),
  );
  // Streams of its own, so the GitHub side is the same with or without the cluster side.
  const configRepositories = installGitops(ctx, sims, random.fork("gitops"), truth.gitops);
  ctx.queue.runAll();
  // Only once the simulation is over: the config repositories take no id or random draw the app
  // repositories' history could have used, so that history is byte for byte what it was.
  addConfigRepositories(org, ids, configRepositories);
  return { org, truth, configRepositories };
}

function createUsers(ids: IdSequences): SandboxUser[] {
  const humans = HUMANS.map<SandboxUser>((human) => ({
    id: ids.next("user"),
    login: human.login,
    name: human.name,
    email: `${human.login.replace("-", ".")}@acme-sandbox.dev`,
    type: "User",
  }));
  const bot: SandboxUser = { id: ids.next("user"), login: DEPLOY_BOT_LOGIN, name: "Deploy Bot", email: "deploy-bot@acme-sandbox.dev", type: "Bot" };
  return [...humans, bot];
}

/**
 * The holiday fortnight: two whole weeks a little past the middle of the history in which nobody
 * releases and little is merged. Too short a history has none.
 */
function quietPeriodOf(start: Seconds, anchor: Seconds): { start: Seconds; end: Seconds } | null {
  const quietStart = startOfWeek(start + Math.floor((anchor - start) * 0.55)) + WEEK;
  const quietEnd = quietStart + 2 * WEEK;
  return quietStart > start + 4 * WEEK && quietEnd < anchor - 2 * WEEK ? { start: quietStart, end: quietEnd } : null;
}
