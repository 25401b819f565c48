import type { SandboxCommit, SandboxPullRequest } from "@/lib/sandbox/github/model";
import type { DeploymentRecord, LandedChange, RepoSim } from "./context";
import type { GroundTruthChange } from "./ground-truth";
import { toIso, type Seconds } from "./time";
import { runCi } from "./workflow-runs";

/**
 * Records a change the moment it lands on the default branch: its ground truth (written from what
 * the generator just did, not read back from the graph), its CI build, and the release hook.
 */
export function landPullRequest(
  sim: RepoSim,
  pr: SandboxPullRequest,
  landedSha: string,
  at: Seconds,
  kind: "feature" | "revert" | "hotfix",
  meta: { revertsPullRequestNumber: number | null; remediationFor: DeploymentRecord | null },
): LandedChange {
  const firstCommit = sim.repo.commits.get(pr.commitShas[0] ?? "");
  if (!firstCommit) throw new Error(`PR #${pr.number} has no commits`);
  const truth: GroundTruthChange = {
    repository: sim.repo.fullName,
    kind: "pull_request",
    pullRequestNumber: pr.number,
    mergeMethod: pr.mergeMethod,
    landedSha,
    landedAt: toIso(at),
    firstCommitAuthoredAt: firstCommit.author.date,
    openedAt: pr.createdAt,
    mergedAt: toIso(at),
    approvedByAnother: pr.reviews.some((review) => review.state === "APPROVED" && review.userLogin !== pr.authorLogin),
    labels: [...pr.labels],
    revertsPullRequestNumber: meta.revertsPullRequestNumber,
  };
  return land(sim, { sha: landedSha, landedAt: at, truth, pullRequest: pr, kind, remediationFor: meta.remediationFor }, pr.mergedByLogin ?? pr.authorLogin);
}

export function landDirectPush(sim: RepoSim, commit: SandboxCommit, at: Seconds): LandedChange {
  const truth: GroundTruthChange = {
    repository: sim.repo.fullName,
    kind: "direct_push",
    pullRequestNumber: null,
    mergeMethod: null,
    landedSha: commit.sha,
    landedAt: toIso(at),
    firstCommitAuthoredAt: commit.author.date,
    openedAt: null,
    mergedAt: null,
    approvedByAnother: false,
    labels: [],
    revertsPullRequestNumber: null,
  };
  return land(sim, { sha: commit.sha, landedAt: at, truth, pullRequest: null, kind: "direct_push", remediationFor: null }, commit.author.login ?? "");
}

function land(sim: RepoSim, change: Omit<LandedChange, "index">, actorLogin: string): LandedChange {
  const landed: LandedChange = { ...change, index: sim.landed.length };
  sim.landed.push(landed);
  sim.ctx.truth.changes.push(change.truth);
  runCi(sim, "push", sim.repo.defaultBranch, change.sha, actorLogin, change.landedAt + 2);
  sim.onChangeLanded(landed);
  return landed;
}
