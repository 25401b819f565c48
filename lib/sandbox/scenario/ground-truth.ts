import type { GitopsTruth } from "./gitops/model";

/**
 * What the scenario generator meant to happen, written down as it makes each event. Tests compare
 * the product's numbers with this; it is never computed with the product's own algorithms.
 * References to GitHub objects use their outside ids (repository full name, PR number, commit sha,
 * deployment id, workflow run id, issue number), exactly as the sandbox serves them.
 */

export type GroundTruthMethodology = "devops" | "gitops";

export interface GroundTruthTeam {
  slug: string;
  name: string;
}

export interface GroundTruthService {
  slug: string;
  name: string;
  teamSlug: string;
  /** `org/name` of its app repository (one repository, one service). */
  repository: string;
  defaultBranch: string;
  /** How production is deployed: GitHub Deployments, an Actions deploy workflow, or GitOps (cluster side comes later). */
  deployVia: "github_deployments" | "actions_workflow" | "gitops";
  methodology: GroundTruthMethodology;
}

export interface GroundTruthChange {
  repository: string;
  kind: "pull_request" | "direct_push";
  /** null for a direct push. */
  pullRequestNumber: number | null;
  mergeMethod: "merge" | "squash" | "rebase" | null;
  /** The commit on the default branch that brings the change: merge / squash / last rebased commit, or the pushed commit. */
  landedSha: string;
  /** When it reached the default branch (merge or push). */
  landedAt: string;
  /** Authored time of the first commit of the change (lead time starts here). */
  firstCommitAuthoredAt: string;
  openedAt: string | null;
  mergedAt: string | null;
  /** Approved by someone other than its author. */
  approvedByAnother: boolean;
  labels: string[];
  /** For revert PRs: the number of the PR it reverts. */
  revertsPullRequestNumber: number | null;
}

export type FailedChangeRule = "rollback" | "revert" | "hotfix" | "incident";

export interface GroundTruthDeployment {
  repository: string;
  serviceSlug: string;
  source: "github_deployment" | "github_workflow";
  /** Deployment id or workflow run id, as a string. */
  externalId: string;
  environment: string;
  production: boolean;
  sha: string;
  /** Final outcome the generator chose; `cancelled` only for workflow runs. */
  outcome: "success" | "failure" | "error" | "cancelled";
  startedAt: string;
  finishedAt: string;
  /** Deploys a commit that an earlier deployment of the same environment already deployed, going back. */
  isRollback: boolean;
  /** The earlier deployment whose commit a rollback returns to. */
  rollbackToExternalId: string | null;
  /** Ships a revert PR or a `hotfix` PR, or is a rollback: it remediates an earlier failed change. */
  remediates: string | null;
  /** Set when the generator meant this deployment to be a failed change, with the rule that reveals it. */
  failedChange: { rule: FailedChangeRule; remediatedByExternalId: string | null; incidentNumber: number | null } | null;
  /** Landed shas of the changes this deployment ships for the first time (empty for seeds, failures and rollbacks). */
  shipsChanges: string[];
}

export interface GroundTruthIncident {
  repository: string;
  number: number;
  openedAt: string;
  resolvedAt: string | null;
  /** The deployment the generator made it about, or null for an incident no deployment caused. */
  causedByExternalId: string | null;
}

export interface GroundTruth {
  seed: string;
  /** The clock's "now" the history is anchored to. */
  anchor: string;
  historyDays: number;
  /** The last instant this truth covers: the anchor, or later for an org that keeps living. */
  until: string;
  org: string;
  teams: GroundTruthTeam[];
  services: GroundTruthService[];
  changes: GroundTruthChange[];
  deployments: GroundTruthDeployment[];
  incidents: GroundTruthIncident[];
  /** The cluster side: config repositories, Argo CD and Flux operations, GitOps deployments, live drift. */
  gitops: GitopsTruth;
}
