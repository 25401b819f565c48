import type { SandboxPullRequest, SandboxReview, SandboxUser } from "@/lib/sandbox/github/model";
import { landPullRequest } from "./changes";
import { createCommit, deleteBranch, identityOf, mergeWithMergeCommit, moveBranch, personalCommit, rebaseMerge, squashMerge, WEB_FLOW } from "./commit-graph";
import { defaultBranchHead, teamMembers, touchRepository, userByLogin, type DeploymentRecord, type LandedChange, type RepoSim } from "./context";
import { TEAMS } from "./catalog";
import { followUpMessage, hotfixTitle, kebab, pullRequestTitle } from "./names";
import { DAY, HOUR, laterWorkingTime, MINUTE, toIso, type Seconds } from "./time";
import { runCi } from "./workflow-runs";

export type PullRequestKind = "feature" | "revert" | "hotfix";
/** How reviewing goes; the last two end in a merge without any approving review. */
export type ReviewFlow = "approve" | "changes-then-approve" | "comment-only" | "none";
export type PullRequestOutcome = "merge" | "close" | "stay-open";

export interface PullRequestPlan {
  kind: PullRequestKind;
  author: SandboxUser;
  title: string;
  body: string;
  labels: string[];
  commitMessages: string[];
  /** Author date of the first commit: where lead time starts. */
  codingStartsAt: Seconds;
  openAt: Seconds;
  reviewFlow: ReviewFlow;
  outcome: PullRequestOutcome;
  /** On-call work: fast reviews, any hour. */
  urgent: boolean;
  draft: boolean;
  reverts: LandedChange | null;
  remediationFor: DeploymentRecord | null;
}

export function planFeaturePullRequest(sim: RepoSim, openAt: Seconds): PullRequestPlan {
  const random = sim.random;
  const title = pullRequestTitle(random);
  const commitCount = random.weighted([
    [1, 0.3],
    [2, 0.3],
    [3, 0.2],
    [4, 0.12],
    [5, 0.08],
  ] as const);
  const outcome = random.weighted<PullRequestOutcome>([
    ["merge", 0.9],
    ["close", 0.08],
    ["stay-open", 0.02],
  ]);
  const reviewFlow = random.weighted<ReviewFlow>([
    ["approve", 0.72],
    ["changes-then-approve", 0.16],
    ["comment-only", 0.06],
    ["none", 0.06],
  ]);
  const earliest = Date.parse(sim.repo.createdAt) / 1000 + 10 * MINUTE;
  return {
    kind: "feature",
    author: random.pick(teamMembers(sim)),
    title,
    body: `${title}.\n\nTested locally and in CI.`,
    labels: random.chance(0.15) ? [random.pick(["enhancement", "bug", "dependencies", "tech-debt"])] : [],
    commitMessages: [title, ...Array.from({ length: commitCount - 1 }, () => followUpMessage(random))],
    codingStartsAt: Math.max(earliest, openAt - random.int(20 * MINUTE, 3 * DAY)),
    openAt,
    reviewFlow,
    outcome,
    urgent: false,
    draft: outcome === "stay-open" && random.chance(0.5),
    reverts: null,
    remediationFor: null,
  };
}

/** The PR GitHub's "Revert" button makes: fixed title, body and branch shape. */
export function planRevertPullRequest(sim: RepoSim, reverted: LandedChange, failed: DeploymentRecord, openAt: Seconds): PullRequestPlan {
  const original = reverted.pullRequest;
  if (!original) throw new Error("Only pull requests are reverted");
  const random = sim.random;
  const title = `Revert "${original.title}"`;
  return {
    kind: "revert",
    author: random.pick(teamMembers(sim)),
    title,
    body: `Reverts ${sim.repo.fullName}#${original.number}`,
    labels: [],
    commitMessages: [`${title}\n\nThis reverts commit ${reverted.sha}.`],
    codingStartsAt: openAt - random.int(30, 5 * MINUTE),
    openAt,
    reviewFlow: random.chance(0.7) ? "approve" : "none",
    outcome: "merge",
    urgent: true,
    draft: false,
    reverts: reverted,
    remediationFor: failed,
  };
}

export function planHotfixPullRequest(sim: RepoSim, failed: DeploymentRecord, openAt: Seconds): PullRequestPlan {
  const random = sim.random;
  const title = hotfixTitle(random);
  const commitCount = random.int(1, 2);
  return {
    kind: "hotfix",
    author: random.pick(teamMembers(sim)),
    title,
    body: `Fixes the regression from the last production release.`,
    labels: ["hotfix"],
    commitMessages: [title, ...Array.from({ length: commitCount - 1 }, () => followUpMessage(random))],
    codingStartsAt: openAt - random.int(10 * MINUTE, 2 * HOUR),
    openAt,
    reviewFlow: random.chance(0.6) ? "approve" : "none",
    outcome: "merge",
    urgent: true,
    draft: false,
    reverts: null,
    remediationFor: failed,
  };
}

/** Opens the PR now (called from an event at `plan.openAt`) and plans its reviews and ending. */
export function openPullRequest(sim: RepoSim, plan: PullRequestPlan): SandboxPullRequest {
  const number = sim.nextNumber();
  const baseSha = defaultBranchHead(sim);
  const headRef = branchName(plan, number);
  const commitShas = createBranchCommits(sim, plan, baseSha);
  const headSha = commitShas.at(-1)!;
  const pr: SandboxPullRequest = {
    id: sim.ctx.ids.next("pullRequest"),
    number,
    title: plan.title,
    body: plan.body,
    authorLogin: plan.author.login,
    state: "open",
    draft: plan.draft,
    createdAt: toIso(plan.openAt),
    updatedAt: toIso(plan.openAt),
    closedAt: null,
    mergedAt: null,
    mergeMethod: null,
    mergeCommitSha: null,
    mergedByLogin: null,
    baseRef: sim.repo.defaultBranch,
    headRef,
    commitShas,
    headSha,
    baseSha,
    labels: [...plan.labels],
    reviews: [],
  };
  sim.repo.pullRequests.push(pr);
  moveBranch(sim, headRef, headSha, plan.openAt);
  runCi(sim, "pull_request", headRef, headSha, pr.authorLogin, plan.openAt + 3);
  planReviewsAndEnding(sim, pr, plan);
  return pr;
}

function branchName(plan: PullRequestPlan, number: number): string {
  if (plan.reverts?.pullRequest) return `revert-${plan.reverts.pullRequest.number}-${plan.reverts.pullRequest.headRef}`;
  if (plan.kind === "hotfix") return `hotfix/${number}-${kebab(plan.title.replace(/^Hotfix: /, ""))}`;
  return `${plan.author.login}/${number}-${kebab(plan.title)}`;
}

/**
 * The PR's commits, authored between `codingStartsAt` and just before opening. When the base moved
 * while the author worked, they rebased before pushing: author dates stay, committer dates move.
 */
function createBranchCommits(sim: RepoSim, plan: PullRequestPlan, baseSha: string): string[] {
  const random = sim.random;
  const baseCommittedAt = Date.parse(sim.repo.commits.get(baseSha)!.committer.date) / 1000;
  const lastAuthoredAt = Math.max(plan.codingStartsAt, plan.openAt - 2 * MINUTE);
  const authoredTimes = [
    plan.codingStartsAt,
    ...Array.from({ length: plan.commitMessages.length - 1 }, () => random.int(plan.codingStartsAt, lastAuthoredAt)).sort((a, b) => a - b),
  ];
  const rebasedAt = plan.codingStartsAt < baseCommittedAt ? Math.max(lastAuthoredAt, plan.openAt - MINUTE) : null;
  const shas: string[] = [];
  let parent = baseSha;
  plan.commitMessages.forEach((message, index) => {
    const authoredAt = authoredTimes[index]!;
    const commit =
      plan.kind === "revert"
        ? createCommit(sim, { parents: [parent], message, author: identityOf(plan.author), authoredAt, committer: WEB_FLOW, committedAt: authoredAt, verified: true })
        : personalCommit(sim, plan.author, [parent], message, authoredAt, rebasedAt ?? authoredAt);
    shas.push(commit.sha);
    parent = commit.sha;
  });
  return shas;
}

function pickReviewer(sim: RepoSim, author: SandboxUser): SandboxUser {
  const random = sim.random;
  // Now and then someone from another team reviews (a platform owner, a domain expert).
  if (random.chance(0.12)) {
    const otherTeam = random.pick(TEAMS.filter((team) => team.slug !== sim.team.slug));
    return userByLogin(sim.ctx, random.pick(otherTeam.memberLogins));
  }
  return random.pick(teamMembers(sim).filter((member) => member.login !== author.login));
}

/** Plans each step as its own event, so steps that would fall past the scenario's end simply never happen. */
function planReviewsAndEnding(sim: RepoSim, pr: SandboxPullRequest, plan: PullRequestPlan): void {
  const random = sim.random;
  const queue = sim.ctx.queue;
  const after = (from: Seconds, min: Seconds, max: Seconds): Seconds => (plan.urgent ? from + random.int(min, max) : laterWorkingTime(from, min, max, random));
  const reviewer = pickReviewer(sim, plan.author);
  const reviewDelay: [Seconds, Seconds] = plan.urgent ? [3 * MINUTE, 40 * MINUTE] : [20 * MINUTE, DAY];
  let last = plan.openAt;

  if (plan.reviewFlow === "changes-then-approve") {
    const requestedAt = after(last, ...reviewDelay);
    const fixedAt = after(requestedAt, HOUR, DAY);
    const approvedAt = after(fixedAt, 20 * MINUTE, 8 * HOUR);
    queue.at(requestedAt, () => addReview(sim, pr, reviewer, "CHANGES_REQUESTED", "Please cover the error path with a test.", requestedAt));
    queue.at(fixedAt, () => addFollowUpCommit(sim, pr, plan.author, fixedAt));
    queue.at(approvedAt, () => addReview(sim, pr, reviewer, "APPROVED", "Thanks, looks good now.", approvedAt));
    last = approvedAt;
  } else if (plan.reviewFlow === "approve") {
    const approvedAt = after(last, ...reviewDelay);
    queue.at(approvedAt, () => addReview(sim, pr, reviewer, "APPROVED", random.pick(["LGTM", "", "Nice one."]), approvedAt));
    last = approvedAt;
  } else if (plan.reviewFlow === "comment-only") {
    const commentedAt = after(last, ...reviewDelay);
    queue.at(commentedAt, () => addReview(sim, pr, reviewer, "COMMENTED", "Left a couple of nits, nothing blocking.", commentedAt));
    last = commentedAt;
  }

  if (plan.outcome === "merge") {
    const mergedAt = plan.urgent ? last + random.int(2 * MINUTE, 30 * MINUTE) : laterWorkingTime(last, 5 * MINUTE, 8 * HOUR, random);
    const mergedBy = plan.reviewFlow !== "none" && random.chance(0.3) ? reviewer : plan.author;
    queue.at(mergedAt, () => mergePullRequest(sim, pr, plan, mergedBy, mergedAt));
  } else if (plan.outcome === "close") {
    const closedAt = laterWorkingTime(last, DAY, 10 * DAY, random);
    queue.at(closedAt, () => closeWithoutMerge(sim, pr, closedAt));
  }
}

function addReview(sim: RepoSim, pr: SandboxPullRequest, reviewer: SandboxUser, state: SandboxReview["state"], body: string, at: Seconds): void {
  if (pr.state !== "open") return;
  pr.reviews.push({ id: sim.ctx.ids.next("review"), userLogin: reviewer.login, state, submittedAt: toIso(at), commitId: pr.headSha, body });
  touchPullRequest(sim, pr, at);
}

function addFollowUpCommit(sim: RepoSim, pr: SandboxPullRequest, author: SandboxUser, at: Seconds): void {
  if (pr.state !== "open") return;
  const commit = personalCommit(sim, author, [pr.headSha], followUpMessage(sim.random), at, at);
  pr.commitShas.push(commit.sha);
  pr.headSha = commit.sha;
  moveBranch(sim, pr.headRef, commit.sha, at);
  runCi(sim, "pull_request", pr.headRef, commit.sha, author.login, at + 3);
  touchPullRequest(sim, pr, at);
}

function mergePullRequest(sim: RepoSim, pr: SandboxPullRequest, plan: PullRequestPlan, mergedBy: SandboxUser, at: Seconds): void {
  if (pr.state !== "open") return;
  // A draft cannot be merged; the author marks it ready first.
  pr.draft = false;
  const method = sim.random.weighted(sim.profile.mergeMethodWeights);
  const landedSha =
    method === "merge" ? mergeWithMergeCommit(sim, pr, mergedBy, at) : method === "squash" ? squashMerge(sim, pr, plan.author, at) : rebaseMerge(sim, pr, at);
  pr.state = "closed";
  pr.mergeMethod = method;
  pr.mergeCommitSha = landedSha;
  pr.mergedByLogin = mergedBy.login;
  pr.mergedAt = toIso(at);
  pr.closedAt = toIso(at);
  touchPullRequest(sim, pr, at);
  if (sim.profile.deleteBranchOnMerge) deleteBranch(sim, pr.headRef, at);
  landPullRequest(sim, pr, landedSha, at, plan.kind, {
    revertsPullRequestNumber: plan.reverts?.pullRequest?.number ?? null,
    remediationFor: plan.remediationFor,
  });
}

function closeWithoutMerge(sim: RepoSim, pr: SandboxPullRequest, at: Seconds): void {
  if (pr.state !== "open") return;
  pr.state = "closed";
  pr.closedAt = toIso(at);
  touchPullRequest(sim, pr, at);
  if (sim.random.chance(0.5)) deleteBranch(sim, pr.headRef, at);
}

function touchPullRequest(sim: RepoSim, pr: SandboxPullRequest, at: Seconds): void {
  pr.updatedAt = toIso(at);
  touchRepository(sim.repo, pr.updatedAt, false);
}
