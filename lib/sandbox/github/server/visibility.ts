/**
 * The org as it stood at `now`. The scenario records each object's whole life (created, merged,
 * closed, statuses over time); the sandbox serves only what had happened by the clock's now, the
 * way a real org would look at that instant. These functions return adjusted copies (a PR merged in
 * the future is still open now) or null for what does not exist yet; the model is never mutated.
 */
import { headAt } from "../commit-graph";
import type {
  SandboxCommit,
  SandboxDeployment,
  SandboxIssue,
  SandboxPullRequest,
  SandboxRepository,
  SandboxWorkflow,
  SandboxWorkflowRun,
} from "../model";
import { existsAt, latestPast, pastOrNull } from "./context";

export function commitAt(repo: SandboxRepository, sha: string, now: Date): SandboxCommit | null {
  const commit = repo.commits.get(sha);
  return commit && existsAt(commit.committer.date, now) ? commit : null;
}

/**
 * Branch name → head sha at `now`: branches not created yet are absent (or, without a recorded
 * creation, those whose first commit is in the future), and a branch deleted later is still there.
 */
export function branchesAt(repo: SandboxRepository, now: Date): Map<string, string> {
  const out = new Map<string, string>();
  const history = repo.branchHistory;
  for (const name of new Set([...repo.branches.keys(), ...(history?.keys() ?? [])])) {
    const life = history?.get(name);
    if (life && (!existsAt(life.createdAt, now) || (life.deleted !== null && existsAt(life.deleted.at, now)))) continue;
    const sha = repo.branches.get(name) ?? life?.deleted?.headSha;
    const head = sha === undefined ? null : headAt(repo.commits, sha, now);
    if (head !== null) out.set(name, head);
  }
  return out;
}

export function pullAt(repo: SandboxRepository, pr: SandboxPullRequest, now: Date): SandboxPullRequest | null {
  if (!existsAt(pr.createdAt, now)) return null;
  const mergedAt = pastOrNull(pr.mergedAt, now);
  const closedAt = pastOrNull(pr.closedAt, now);
  // Commits pushed to the PR after now have not been pushed yet; the head is the last one that has.
  const commitShas = pr.commitShas.filter((sha) => commitAt(repo, sha, now) !== null);
  const reviews = pr.reviews.filter((review) => existsAt(review.submittedAt, now));
  return {
    ...pr,
    state: closedAt !== null ? "closed" : "open",
    closedAt,
    mergedAt,
    mergeMethod: mergedAt !== null ? pr.mergeMethod : null,
    mergeCommitSha: mergedAt !== null ? pr.mergeCommitSha : null,
    mergedByLogin: mergedAt !== null ? pr.mergedByLogin : null,
    commitShas,
    headSha: commitShas.at(-1) ?? pr.headSha,
    reviews,
    // Pushes count too: the stored updatedAt may be a later merge that has not happened yet.
    updatedAt: latestPast(now, pr.createdAt, pr.updatedAt, closedAt, mergedAt, ...reviews.map((review) => review.submittedAt), ...commitShas.map((sha) => repo.commits.get(sha)?.committer.date)),
  };
}

export function pullsAt(repo: SandboxRepository, now: Date): SandboxPullRequest[] {
  return repo.pullRequests.flatMap((pr) => pullAt(repo, pr, now) ?? []);
}

export function issueAt(issue: SandboxIssue, now: Date): SandboxIssue | null {
  if (!existsAt(issue.createdAt, now)) return null;
  const closedAt = pastOrNull(issue.closedAt, now);
  return {
    ...issue,
    state: closedAt !== null ? "closed" : "open",
    closedAt,
    updatedAt: latestPast(now, issue.createdAt, issue.updatedAt, closedAt),
  };
}

export function issuesAt(repo: SandboxRepository, now: Date): SandboxIssue[] {
  return repo.issues.flatMap((issue) => issueAt(issue, now) ?? []);
}

export function deploymentAt(deployment: SandboxDeployment, now: Date): SandboxDeployment | null {
  if (!existsAt(deployment.createdAt, now)) return null;
  const statuses = deployment.statuses.filter((status) => existsAt(status.createdAt, now));
  return {
    ...deployment,
    statuses,
    updatedAt: latestPast(now, deployment.createdAt, deployment.updatedAt, ...statuses.map((status) => status.createdAt)),
  };
}

export function deploymentsAt(repo: SandboxRepository, now: Date): SandboxDeployment[] {
  return repo.deployments.flatMap((deployment) => deploymentAt(deployment, now) ?? []);
}

export function workflowsAt(repo: SandboxRepository, now: Date): SandboxWorkflow[] {
  return repo.workflows.filter((workflow) => existsAt(workflow.createdAt, now));
}

/** A run that has not finished by now is still running (or still queued if it has not started). */
export function runAt(run: SandboxWorkflowRun, now: Date): SandboxWorkflowRun | null {
  if (!existsAt(run.createdAt, now)) return null;
  if (existsAt(run.updatedAt, now)) return run;
  const started = existsAt(run.runStartedAt, now);
  return {
    ...run,
    status: started ? "in_progress" : "queued",
    conclusion: null,
    updatedAt: started ? run.runStartedAt : run.createdAt,
  };
}

export function runsAt(repo: SandboxRepository, now: Date): SandboxWorkflowRun[] {
  return repo.workflowRuns.flatMap((run) => runAt(run, now) ?? []);
}

/**
 * `now` in the model's own format (whole seconds, `Z`), so that the hot loops below compare strings
 * instead of parsing thousands of dates per request: in that format, string order is time order.
 */
function isoSecondsOf(now: Date): string {
  return new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * When anything last happened in the repository by `now` (a push, a PR or review, an issue, a run,
 * a deployment status): what GitHub shows as its `updated_at`. Computed from what is visible, since
 * the stored `updatedAt` may already include activity still to come.
 */
export function lastActivityAt(repo: SandboxRepository, now: Date, pushedAt: string, pulls: readonly SandboxPullRequest[], issues: readonly SandboxIssue[]): string {
  const limit = isoSecondsOf(now);
  let latest = latestPast(now, repo.createdAt, pushedAt, ...pulls.map((pr) => pr.updatedAt), ...issues.map((issue) => issue.updatedAt));
  const consider = (iso: string) => {
    if (iso <= limit && iso > latest) latest = iso;
  };
  // A run still going shows its start (or creation), as `runAt` does.
  for (const run of repo.workflowRuns) consider(run.updatedAt <= limit ? run.updatedAt : run.runStartedAt <= limit ? run.runStartedAt : run.createdAt);
  for (const deployment of repo.deployments) {
    consider(deployment.createdAt);
    for (const status of deployment.statuses) consider(status.createdAt);
  }
  return latest;
}

/**
 * How many commits had been pushed by `now`: those dated by then, except the commits of a PR opened
 * later (written before they were pushed, so their dates are earlier than their arrival).
 */
export function commitCountAt(repo: SandboxRepository, now: Date): number {
  const limit = isoSecondsOf(now);
  const unpushed = new Set(repo.pullRequests.filter((pr) => pr.createdAt > limit).flatMap((pr) => pr.commitShas));
  let count = 0;
  for (const commit of repo.commits.values()) if (commit.committer.date <= limit && !unpushed.has(commit.sha)) count++;
  return count;
}
