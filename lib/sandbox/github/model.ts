/**
 * The sandbox's GitHub state, in GitHub's own terms: what a real org would hold, before any of our
 * transforms. The scenario generator (lib/sandbox/scenario) fills it; the sandbox HTTP server
 * (lib/sandbox/github/server) serves it at GitHub's REST paths and shapes. Times are ISO 8601 UTC
 * strings with a `Z` and whole seconds, as GitHub sends them. Ids are positive integers unique per
 * kind across the org, as on GitHub.
 */

export interface SandboxUser {
  id: number;
  login: string;
  name: string;
  /** The e-mail used on this user's commits. */
  email: string;
  type: "User" | "Bot";
}

export interface SandboxCommit {
  sha: string;
  /** Parent shas, first parent first: 0 for a root, 2 for a merge commit. */
  parents: string[];
  message: string;
  author: { name: string; email: string; date: string; login: string | null };
  committer: { name: string; email: string; date: string; login: string | null };
  /** GitHub's `commit.verification.verified`. */
  verified: boolean;
  /** Tree sha: git's tree hash where `files` are modelled, else a unique stand-in per commit. */
  treeSha: string;
  /**
   * The files this commit changed, with their whole content after it. Only where file contents are
   * modelled (config repositories); an app repository's commits leave it out, and the server then
   * neither filters by path nor lists files for them.
   */
  files?: SandboxCommitFile[];
}

export interface SandboxCommitFile {
  /** Path from the repository root, `/`-separated, no leading slash. */
  filename: string;
  status: "added" | "modified" | "removed";
  /** Content after the commit; null when removed. */
  content: string | null;
}

export interface SandboxReview {
  id: number;
  userLogin: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED";
  submittedAt: string;
  /** The PR head commit the review was made on. */
  commitId: string;
  body: string;
}

export interface SandboxPullRequest {
  id: number;
  number: number;
  title: string;
  body: string;
  authorLogin: string;
  state: "open" | "closed";
  draft: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  /** How it was merged, when it was: decides the shape of the merge commit on the base branch. */
  mergeMethod: "merge" | "squash" | "rebase" | null;
  /** For merge: the two-parent merge commit; squash: the single new commit; rebase: the last rebased commit. */
  mergeCommitSha: string | null;
  mergedByLogin: string | null;
  baseRef: string;
  headRef: string;
  /** The PR's own commits (on its head branch), oldest first; `headSha` is the last. */
  commitShas: string[];
  headSha: string;
  /** Base branch head when the PR was opened. */
  baseSha: string;
  labels: string[];
  reviews: SandboxReview[];
}

export interface SandboxDeploymentStatus {
  id: number;
  state: "queued" | "in_progress" | "success" | "failure" | "error" | "inactive";
  createdAt: string;
  creatorLogin: string;
  description: string;
  environment: string;
}

export interface SandboxDeployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  description: string;
  creatorLogin: string;
  createdAt: string;
  updatedAt: string;
  productionEnvironment: boolean;
  transientEnvironment: boolean;
  /** Oldest first. */
  statuses: SandboxDeploymentStatus[];
}

export interface SandboxWorkflow {
  id: number;
  name: string;
  /** e.g. `.github/workflows/deploy.yml` */
  path: string;
  state: "active" | "disabled_manually";
  createdAt: string;
  updatedAt: string;
}

export interface SandboxWorkflowRun {
  id: number;
  workflowId: number;
  name: string;
  runNumber: number;
  runAttempt: number;
  event: "push" | "workflow_dispatch" | "pull_request";
  headBranch: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: "success" | "failure" | "cancelled" | "skipped" | "timed_out" | null;
  actorLogin: string;
  createdAt: string;
  runStartedAt: string;
  updatedAt: string;
  /** Free-form inputs of a dispatch, e.g. `{ environment: "production" }` for deploy workflows. */
  inputs: Record<string, string>;
}

export interface SandboxIssue {
  id: number;
  number: number;
  title: string;
  body: string;
  authorLogin: string;
  state: "open" | "closed";
  labels: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface SandboxBranchLife {
  createdAt: string;
  deleted: { at: string; headSha: string } | null;
}

export interface SandboxRepository {
  id: number;
  name: string;
  /** `org/name` */
  fullName: string;
  description: string;
  defaultBranch: string;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  archived: boolean;
  /** Repository topics; `team-<slug>` names the owning team, as many orgs do. */
  topics: string[];
  /** GitHub's detected language; absent means the org's usual "TypeScript", null none (YAML only). */
  language?: string | null;
  /** Every commit of the repository by sha (all branches, merged PR heads included). */
  commits: Map<string, SandboxCommit>;
  /** Branch name → head sha. */
  branches: Map<string, string>;
  /**
   * When each branch was created and, once deleted (a merged PR's head branch), when and with which
   * head: the org as of an earlier instant shows exactly the branches that existed then. Without
   * it, a branch counts as existing once its first commit does, and a deleted one is gone.
   */
  branchHistory?: Map<string, SandboxBranchLife>;
  pullRequests: SandboxPullRequest[];
  /** Empty for repositories that deploy through an Actions workflow instead. */
  deployments: SandboxDeployment[];
  workflows: SandboxWorkflow[];
  workflowRuns: SandboxWorkflowRun[];
  issues: SandboxIssue[];
}

export interface SandboxOrg {
  id: number;
  login: string;
  name: string;
  createdAt: string;
  users: SandboxUser[];
  repositories: SandboxRepository[];
}
