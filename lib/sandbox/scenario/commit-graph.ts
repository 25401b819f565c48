import type { SandboxCommit, SandboxPullRequest, SandboxUser } from "@/lib/sandbox/github/model";
import { defaultBranchHead, touchRepository, type RepoSim } from "./context";
import { toIso, type Seconds } from "./time";

/** Who a commit names as author or committer. */
export interface GitIdentity {
  name: string;
  email: string;
  login: string | null;
}

/** GitHub itself commits what is made in its web UI (merge buttons, revert) and signs it. */
export const WEB_FLOW: GitIdentity = { name: "GitHub", email: "noreply@github.com", login: "web-flow" };

export function identityOf(user: SandboxUser): GitIdentity {
  return { name: user.name, email: user.email, login: user.login };
}

interface NewCommit {
  parents: string[];
  message: string;
  author: GitIdentity;
  authoredAt: Seconds;
  committer: GitIdentity;
  committedAt: Seconds;
  verified: boolean;
}

/** Adds a commit object to the repository (no branch moves). */
export function createCommit(sim: RepoSim, spec: NewCommit): SandboxCommit {
  for (const parent of spec.parents) {
    if (!sim.repo.commits.has(parent)) throw new Error(`Parent ${parent} is not in ${sim.repo.fullName}`);
  }
  const commit: SandboxCommit = {
    sha: sim.ctx.shas.next(sim.random),
    parents: spec.parents,
    message: spec.message,
    author: { ...spec.author, date: toIso(spec.authoredAt) },
    committer: { ...spec.committer, date: toIso(spec.committedAt) },
    verified: spec.verified,
    treeSha: sim.ctx.shas.next(sim.random),
  };
  sim.repo.commits.set(commit.sha, commit);
  return commit;
}

/** A commit made by a person on their machine: signed or not depending on their setup. */
export function personalCommit(sim: RepoSim, user: SandboxUser, parents: string[], message: string, authoredAt: Seconds, committedAt: Seconds): SandboxCommit {
  return createCommit(sim, {
    parents,
    message,
    author: identityOf(user),
    authoredAt,
    committer: identityOf(user),
    committedAt,
    verified: sim.ctx.commitSigners.has(user.login),
  });
}

/** Creates or moves a branch; its creation time is kept so that earlier views of the org lack it. */
export function moveBranch(sim: RepoSim, branch: string, sha: string, at: Seconds): void {
  if (!sim.repo.branches.has(branch)) sim.repo.branchHistory?.set(branch, { createdAt: toIso(at), deleted: null });
  sim.repo.branches.set(branch, sha);
  touchRepository(sim.repo, toIso(at), true);
}

/** Deletes a branch as the "Delete branch" button does, keeping when and its head, so earlier views still have it. */
export function deleteBranch(sim: RepoSim, branch: string, at: Seconds): void {
  const head = sim.repo.branches.get(branch);
  if (head === undefined) return;
  sim.repo.branches.delete(branch);
  const life = sim.repo.branchHistory?.get(branch);
  if (life) life.deleted = { at: toIso(at), headSha: head };
}

/** A direct push: one commit straight onto the default branch. */
export function pushToDefaultBranch(sim: RepoSim, user: SandboxUser, message: string, at: Seconds): SandboxCommit {
  const parents = sim.repo.commits.size === 0 ? [] : [defaultBranchHead(sim)];
  const commit = personalCommit(sim, user, parents, message, at, at);
  moveBranch(sim, sim.repo.defaultBranch, commit.sha, at);
  return commit;
}

/** Merge commit: first parent the base head, second the PR head, as the "Create a merge commit" button does. */
export function mergeWithMergeCommit(sim: RepoSim, pr: SandboxPullRequest, mergedBy: SandboxUser, at: Seconds): string {
  const commit = createCommit(sim, {
    parents: [defaultBranchHead(sim), pr.headSha],
    message: `Merge pull request #${pr.number} from ${sim.ctx.org.login}/${pr.headRef}\n\n${pr.title}`,
    author: identityOf(mergedBy),
    authoredAt: at,
    committer: WEB_FLOW,
    committedAt: at,
    verified: true,
  });
  moveBranch(sim, pr.baseRef, commit.sha, at);
  return commit.sha;
}

/**
 * Squash: one new single-parent commit on the base; the PR's own commits stay reachable only from
 * the PR head. GitHub authors it as the PR's author at merge time.
 */
export function squashMerge(sim: RepoSim, pr: SandboxPullRequest, author: SandboxUser, at: Seconds): string {
  const bullets = pr.commitShas.map((sha) => `* ${firstLine(sim.repo.commits.get(sha)?.message ?? "")}`).join("\n");
  const commit = createCommit(sim, {
    parents: [defaultBranchHead(sim)],
    message: `${pr.title} (#${pr.number})\n\n${bullets}`,
    author: identityOf(author),
    authoredAt: at,
    committer: WEB_FLOW,
    committedAt: at,
    verified: true,
  });
  moveBranch(sim, pr.baseRef, commit.sha, at);
  return commit.sha;
}

/**
 * Rebase: each PR commit re-created on top of the base, in order, with new shas. Authors and author
 * dates are kept; GitHub becomes the committer at merge time. Returns the last re-created sha.
 */
export function rebaseMerge(sim: RepoSim, pr: SandboxPullRequest, at: Seconds): string {
  let parent = defaultBranchHead(sim);
  for (const sha of pr.commitShas) {
    const original = sim.repo.commits.get(sha);
    if (!original) throw new Error(`PR commit ${sha} missing`);
    const copy = createCommit(sim, {
      parents: [parent],
      message: original.message,
      author: { name: original.author.name, email: original.author.email, login: original.author.login },
      authoredAt: Date.parse(original.author.date) / 1000,
      committer: WEB_FLOW,
      committedAt: at,
      verified: true,
    });
    parent = copy.sha;
  }
  moveBranch(sim, pr.baseRef, parent, at);
  return parent;
}

function firstLine(message: string): string {
  return message.split("\n", 1)[0] ?? "";
}
