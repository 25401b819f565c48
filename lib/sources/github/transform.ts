import { type ClassifiedDeploymentRecord, type EnvironmentRules, classifyEnvironment } from "@/lib/ingest/environment-rules";
import type { CommitRecord, DeploymentStatusValue, IncidentRecord, PullRequestRecord, RepositoryRecord } from "@/lib/ingest/records";
import type { RawCommit, RawDeployment, RawDeploymentStatus, RawIssue, RawPullRequest, RawPullRequestReview, RawRepository, RawWorkflow, RawWorkflowRun } from "@/lib/sources/github/types";

/** Pure mapping from GitHub payloads to domain records: no I/O, no clock, tested over real payloads. */

export type { EnvironmentRules };

/** The environment fields of a deployment record: the rules' environment, and the name the source used. */
function environmentFields(sourceName: string, rules: EnvironmentRules) {
  const classified = classifyEnvironment(sourceName, rules);
  return { environment: classified.environment, sourceEnvironment: sourceName, isProduction: classified.isProduction };
}

export function transformRepository(raw: RawRepository): RepositoryRecord {
  return {
    externalId: String(raw.id),
    owner: raw.owner.login,
    name: raw.name,
    fullName: raw.full_name,
    defaultBranch: raw.default_branch ?? "main",
    archived: raw.archived ?? false,
    topics: raw.topics ?? [],
  };
}

export function transformCommit(raw: RawCommit): CommitRecord {
  const author = raw.commit.author;
  const committer = raw.commit.committer;
  const authoredAt = new Date(author?.date ?? committer?.date ?? 0);
  return {
    sha: raw.sha,
    parentShas: raw.parents.map((parent) => parent.sha),
    authoredAt,
    committedAt: new Date(committer?.date ?? author?.date ?? 0),
    authorName: author?.name ?? null,
    authorEmail: author?.email?.toLowerCase() ?? null,
    authorLogin: raw.author && "login" in raw.author ? raw.author.login : null,
    messageHeadline: raw.commit.message.split("\n", 1)[0] ?? "",
    signatureVerified: raw.commit.verification?.verified ?? false,
  };
}

/** GitHub's revert button writes "Reverts owner/repo#123" in the body and `Revert "…"` as the title. */
export function revertedPullNumber(raw: Pick<RawPullRequest, "body" | "title">, fullName: string): number | null {
  const escaped = fullName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = raw.body?.match(new RegExp(`^Reverts (?:${escaped})?#(\\d+)`, "m"));
  return match ? Number(match[1]) : null;
}

/**
 * Latest review per reviewer decides; the author's own reviews never count (four eyes).
 * COMMENTED reviews do not change a reviewer's standing.
 */
export function approvingReviewers(reviews: RawPullRequestReview[], authorLogin: string | null): string[] {
  const latest = new Map<string, string>();
  const ordered = [...reviews].sort((a, b) => (a.submitted_at ?? "").localeCompare(b.submitted_at ?? ""));
  for (const review of ordered) {
    const login = review.user?.login;
    if (!login || login === authorLogin || review.state === "COMMENTED") continue;
    latest.set(login, review.state);
  }
  return [...latest].filter(([, state]) => state === "APPROVED").map(([login]) => login).sort();
}

export function transformPullRequest(
  raw: RawPullRequest,
  details: { fullName: string; commits: RawCommit[] | null; reviews: RawPullRequestReview[] | null },
): PullRequestRecord {
  const authorLogin = raw.user?.login ?? null;
  const firstCommitAt = details.commits?.length
    ? new Date(Math.min(...details.commits.map((commit) => new Date(commit.commit.author?.date ?? commit.commit.committer?.date ?? 0).getTime())))
    : null;
  return {
    externalId: String(raw.id),
    number: raw.number,
    title: raw.title,
    state: raw.merged_at ? "merged" : raw.state === "open" ? "open" : "closed",
    authorLogin,
    baseBranch: raw.base.ref,
    headBranch: raw.head.ref ?? null,
    openedAt: new Date(raw.created_at),
    mergedAt: raw.merged_at ? new Date(raw.merged_at) : null,
    closedAt: raw.closed_at ? new Date(raw.closed_at) : null,
    mergeCommitSha: raw.merged_at ? (raw.merge_commit_sha ?? null) : null,
    firstCommitAt,
    labels: raw.labels.map((label) => label.name).sort(),
    approvingReviewers: details.reviews ? approvingReviewers(details.reviews, authorLogin) : [],
    revertsNumber: revertedPullNumber(raw, details.fullName),
    sourceUpdatedAt: new Date(raw.updated_at),
  };
}

const FINAL_DEPLOYMENT_STATES: Record<string, DeploymentStatusValue> = { success: "SUCCESS", failure: "FAILURE", error: "FAILURE" };

/**
 * A GitHub Deployment and its statuses. The outcome is the last final status (success, failure,
 * error); `inactive` only marks a later deployment superseding it and never changes the outcome.
 */
export function transformDeployment(raw: RawDeployment, statuses: RawDeploymentStatus[], rules: EnvironmentRules): ClassifiedDeploymentRecord {
  const ordered = [...statuses].sort((a, b) => a.created_at.localeCompare(b.created_at) || Number(a.id) - Number(b.id));
  const final = ordered.filter((status) => status.state in FINAL_DEPLOYMENT_STATES).at(-1);
  const lastUpdate = [raw.updated_at, ...ordered.map((status) => status.created_at)].sort().at(-1)!;
  return {
    source: "GITHUB_DEPLOYMENT",
    externalId: String(raw.id),
    ...environmentFields(raw.environment, rules),
    commitSha: raw.sha,
    status: final ? FINAL_DEPLOYMENT_STATES[final.state]! : "IN_PROGRESS",
    startedAt: new Date(raw.created_at),
    finishedAt: final ? new Date(final.created_at) : null,
    initiatedBy: raw.creator?.login ?? null,
    sourceUpdatedAt: new Date(lastUpdate),
  };
}

/** A deploy workflow is one whose name or file path says deploy (DESIGN §3). */
export function isDeployWorkflow(workflow: Pick<RawWorkflow, "name" | "path">): boolean {
  return /deploy/i.test(workflow.name) || /deploy/i.test(workflow.path);
}

const NON_PRODUCTION_HINT = /\b(staging|stage|stg|dev|development|qa|test|preview|sandbox)\b/i;

/**
 * Workflow runs carry no inputs in the REST API; the run's title (`run-name: Deploy to ${{ inputs.environment }}`),
 * or else the workflow's name or file ("Deploy staging", `deploy-staging.yml`), says where it deploys.
 * A deploy run naming no other environment deploys production.
 */
export function workflowEnvironment(workflow: Pick<RawWorkflow, "name" | "path">, runTitle = ""): string {
  const text = `${runTitle} ${workflow.name} ${workflow.path.replace(/[/._-]+/g, " ")}`;
  const hint = text.match(NON_PRODUCTION_HINT);
  return hint ? hint[1]!.toLowerCase() : "production";
}

const RUN_CONCLUSIONS: Record<string, DeploymentStatusValue> = {
  success: "SUCCESS",
  failure: "FAILURE",
  timed_out: "FAILURE",
  startup_failure: "FAILURE",
  cancelled: "CANCELLED",
  skipped: "CANCELLED",
};

export function transformWorkflowRun(raw: RawWorkflowRun, workflow: Pick<RawWorkflow, "name" | "path">, rules: EnvironmentRules): ClassifiedDeploymentRecord {
  const completed = raw.status === "completed";
  return {
    source: "GITHUB_WORKFLOW",
    externalId: String(raw.id),
    ...environmentFields(workflowEnvironment(workflow, raw.display_title), rules),
    commitSha: raw.head_sha,
    status: completed ? (RUN_CONCLUSIONS[raw.conclusion ?? ""] ?? "FAILURE") : "IN_PROGRESS",
    startedAt: new Date(raw.run_started_at ?? raw.created_at),
    finishedAt: completed ? new Date(raw.updated_at) : null,
    initiatedBy: raw.triggering_actor?.login ?? raw.actor?.login ?? null,
    sourceUpdatedAt: new Date(raw.updated_at),
  };
}

export function transformIncident(raw: RawIssue): IncidentRecord {
  return {
    externalId: String(raw.id),
    number: raw.number,
    title: raw.title,
    openedAt: new Date(raw.created_at),
    resolvedAt: raw.state === "closed" && raw.closed_at ? new Date(raw.closed_at) : null,
    sourceUpdatedAt: new Date(raw.updated_at),
  };
}
