/**
 * Domain records that source transforms produce and ingestion upserts. Plain data with outside
 * ids; database ids are resolved at upsert time. Times are Dates (UTC instants).
 */

export interface RepositoryRecord {
  externalId: string;
  owner: string;
  name: string;
  fullName: string;
  defaultBranch: string;
  archived: boolean;
  /** Topics name the owning team by convention: `team-<slug>`. */
  topics: string[];
}

export interface CommitRecord {
  sha: string;
  parentShas: string[];
  authoredAt: Date;
  committedAt: Date;
  authorName: string | null;
  authorEmail: string | null;
  authorLogin: string | null;
  messageHeadline: string;
  signatureVerified: boolean;
}

export interface PullRequestRecord {
  externalId: string;
  number: number;
  title: string;
  state: "open" | "closed" | "merged";
  authorLogin: string | null;
  baseBranch: string;
  headBranch: string | null;
  openedAt: Date;
  mergedAt: Date | null;
  closedAt: Date | null;
  mergeCommitSha: string | null;
  /** Author time of the PR's first commit; null until its commits are read. */
  firstCommitAt: Date | null;
  labels: string[];
  /** Reviewers other than the author whose latest review approves. */
  approvingReviewers: string[];
  /** The PR number this one reverts, read from GitHub's revert-button body or title. */
  revertsNumber: number | null;
  sourceUpdatedAt: Date;
}

export type DeploymentStatusValue = "SUCCESS" | "FAILURE" | "IN_PROGRESS" | "CANCELLED";

export interface DeploymentRecord {
  source: "GITHUB_DEPLOYMENT" | "GITHUB_WORKFLOW";
  externalId: string;
  environment: string;
  isProduction: boolean;
  commitSha: string;
  status: DeploymentStatusValue;
  startedAt: Date;
  finishedAt: Date | null;
  initiatedBy: string | null;
  sourceUpdatedAt: Date;
}

export interface IncidentRecord {
  externalId: string;
  number: number;
  title: string;
  openedAt: Date;
  resolvedAt: Date | null;
  sourceUpdatedAt: Date;
}
