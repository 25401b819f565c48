/**
 * Turning the commits a deployment brings for the first time into changes (DESIGN §3, "Change set
 * and lead time"). Pure: the graph walk that finds the commits is SQL (see recompute.ts); this file
 * decides which of them are changes, so the merge/squash/rebase and direct-push cases are unit-testable.
 */

/** A commit of the set: reachable from the deployment and from no earlier deployment of the chain. */
export interface SetCommit {
  sha: string;
  parentShas: string[];
  authoredAt: Date;
  committedAt: Date;
}

/** A merged pull request whose merge commit (merge, squash, or last rebased commit) is in the set. */
export interface MergedPullRequest {
  id: string;
  mergeCommitSha: string;
  /** Authored time of the PR's first commit, when ingestion knew its commits. */
  firstCommitAt: Date | null;
  openedAt: Date;
  mergedAt: Date;
}

export interface DerivedChange {
  kind: "PULL_REQUEST" | "DIRECT_PUSH";
  /** Merge commit of the PR, or the pushed commit. */
  commitSha: string;
  pullRequestId: string | null;
  firstCommitAt: Date;
  openedAt: Date | null;
  mergedAt: Date | null;
  /** D.finishedAt − firstCommitAt, in whole seconds, never negative (author clocks can be ahead). */
  leadTimeSeconds: number;
}

/**
 * The changes of one deployment from its set of new commits.
 *
 * - A commit that is some merged PR's merge commit is that PR's change.
 * - Commits off the first-parent line from the deployed commit came in through a merge: they are
 *   the merged branch's own commits, part of a PR, never separate changes.
 * - A rebase merge re-creates the PR's commits on the base with the merge time as committer time;
 *   GitHub names only the last one as merge commit. Walking the first-parent line back from that
 *   commit, the preceding commits committed at exactly the PR's merge time are its other copies.
 * - Any other first-parent commit belongs to no PR: a direct push.
 */
export function changesOfSet(deployedSha: string, finishedAt: Date, commits: readonly SetCommit[], pullRequests: readonly MergedPullRequest[]): DerivedChange[] {
  const bySha = new Map(commits.map((commit) => [commit.sha, commit]));
  const prByMerge = new Map(pullRequests.filter((pr) => bySha.has(pr.mergeCommitSha)).map((pr) => [pr.mergeCommitSha, pr]));
  const changes: DerivedChange[] = [];
  const lead = (from: Date) => Math.max(0, Math.round((finishedAt.getTime() - from.getTime()) / 1000));
  const prChange = (pr: MergedPullRequest): DerivedChange => {
    // Without the PR's commits, the PR's opening is the earliest moment known to belong to it.
    const firstCommitAt = pr.firstCommitAt ?? pr.openedAt;
    return { kind: "PULL_REQUEST", commitSha: pr.mergeCommitSha, pullRequestId: pr.id, firstCommitAt, openedAt: pr.openedAt, mergedAt: pr.mergedAt, leadTimeSeconds: lead(firstCommitAt) };
  };

  const firstParentLine = new Set<string>();
  let rebaseRunAt: number | null = null;
  for (let sha: string | undefined = deployedSha; sha !== undefined && bySha.has(sha) && !firstParentLine.has(sha); ) {
    const commit: SetCommit = bySha.get(sha)!;
    firstParentLine.add(sha);
    const pr = prByMerge.get(sha);
    if (pr) {
      changes.push(prChange(pr));
      rebaseRunAt = pr.mergedAt.getTime();
    } else if (rebaseRunAt !== null && commit.committedAt.getTime() === rebaseRunAt) {
      // An earlier copy of the same rebase-merged PR: part of that change.
    } else {
      rebaseRunAt = null;
      changes.push({ kind: "DIRECT_PUSH", commitSha: sha, pullRequestId: null, firstCommitAt: commit.authoredAt, openedAt: null, mergedAt: null, leadTimeSeconds: lead(commit.authoredAt) });
    }
    sha = commit.parentShas[0];
  }
  // A PR merged into a branch that was merged later still counts by its merge commit.
  for (const [sha, pr] of prByMerge) if (!firstParentLine.has(sha)) changes.push(prChange(pr));
  return changes.sort((a, b) => a.firstCommitAt.getTime() - b.firstCommitAt.getTime() || a.commitSha.localeCompare(b.commitSha));
}
