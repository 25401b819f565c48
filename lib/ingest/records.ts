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

/** A GitOps application (Argo CD Application, Flux Kustomization or HelmRelease) as a source reports it. */
export interface GitOpsAppRecord {
  kind: "ARGOCD_APPLICATION" | "FLUX_KUSTOMIZATION" | "FLUX_HELMRELEASE";
  externalId: string;
  cluster: string;
  namespace: string;
  name: string;
  repoUrl: string;
  path: string;
  targetRevision: string;
  syncStatus: string;
  healthStatus: string;
  /** The config revision running now (the last sync that applied one), null before the first. */
  syncedRevision: string | null;
  /** The config revision Git wants now. */
  desiredRevision: string | null;
  autoSync: boolean;
  selfHeal: boolean;
  /** Flux `spec.suspend`: a suspended object waits for a person (DESIGN §6); Argo CD apps never are. */
  suspended: boolean;
  /** False where live drift cannot be seen (a HelmRelease with drift detection off): "not observable", never "clean". */
  driftObservable: boolean;
  /** The `pipeline-health.dev/service` annotation, when set: the binding wins over naming conventions. */
  serviceAnnotation: string | null;
  /** The `pipeline-health.dev/commit` annotation: the app commit of what runs now, when image tags do not say. */
  commitAnnotation: string | null;
  sourceUpdatedAt: Date;
}

/**
 * One operation of a GitOps controller (an Argo CD sync, a self-heal, a Flux reconciliation that
 * applied or failed). Recorded on every change seen, because Argo CD's `status.history` keeps only
 * completed syncs (no self-heal, failed or partial ones) and only the last ten.
 */
export interface GitOpsOperationRecord {
  /** Stable across observations of the same operation: the app and the instant it started. */
  externalId: string;
  phase: string;
  status: DeploymentStatusValue;
  startedAt: Date;
  finishedAt: Date | null;
  /** The config revision it synced (or tried to). */
  revision: string | null;
  initiatedBy: string | null;
  automated: boolean;
  /** Started by the controller to undo drift: an end of a drift episode, never a deployment. */
  selfHeal: boolean;
  /** `operation.info`, e.g. the dashboard's sync request id. */
  info: Record<string, string>;
  message: string | null;
  /** Images of the resources it synced, as Argo CD reports them. */
  images: string[];
}
