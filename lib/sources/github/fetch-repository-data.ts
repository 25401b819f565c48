import { type ConditionalResult, type GithubClient, conditionalGet } from "@/lib/sources/github/client";
import { fetchAll, fetchNewestFirst, type PagedResult } from "@/lib/sources/github/fetch-pages";
import type { RawCommit, RawDeployment, RawDeploymentStatus, RawIssue, RawPullRequest, RawPullRequestReview, RawRepository, RawWorkflow, RawWorkflowRun } from "@/lib/sources/github/types";

/** One fetcher per GitHub resource the ingestion reads; each takes the client and its cursor. */

export interface RepoRef {
  owner: string;
  name: string;
}

/**
 * How far back to read a list. `querySince` goes into the URL and stays put between syncs, so the
 * stored ETag keeps matching and an unchanged list answers 304; `watermark` is where the last
 * sync got to, and paging stops at the first item older than it.
 */
export interface ListWindow {
  querySince: Date;
  watermark: Date;
}

export async function fetchOrgRepositories(client: GithubClient, org: string, etag: string | null): Promise<PagedResult<RawRepository>> {
  return await fetchNewestFirst<RawRepository>(client, "GET /orgs/{org}/repos", { org, type: "all", sort: "full_name", direction: "asc" }, { etag });
}

/** One repository, conditionally: unchanged since `etag` costs a 304 and no rate budget. */
export async function fetchRepository(client: GithubClient, repo: RepoRef, etag: string | null): Promise<ConditionalResult<RawRepository>> {
  return await conditionalGet<RawRepository>(client, "GET /repos/{owner}/{repo}", { owner: repo.owner, repo: repo.name }, etag);
}

/** PRs updated since the watermark, newest update first (the pulls list has no `since`). */
export async function fetchPullRequestsUpdatedSince(client: GithubClient, repo: RepoRef, window: ListWindow, etag: string | null): Promise<PagedResult<RawPullRequest>> {
  return await fetchNewestFirst<RawPullRequest>(
    client,
    "GET /repos/{owner}/{repo}/pulls",
    { owner: repo.owner, repo: repo.name, state: "all", sort: "updated", direction: "desc" },
    { etag, isOlderThanNeeded: (pull) => new Date(pull.updated_at) < window.watermark },
  );
}

export async function fetchPullRequestCommits(client: GithubClient, repo: RepoRef, number: number): Promise<RawCommit[]> {
  return await fetchAll<RawCommit>(client, "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", { owner: repo.owner, repo: repo.name, pull_number: number });
}

export async function fetchPullRequestReviews(client: GithubClient, repo: RepoRef, number: number): Promise<RawPullRequestReview[]> {
  return await fetchAll<RawPullRequestReview>(client, "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { owner: repo.owner, repo: repo.name, pull_number: number });
}

/** Commits on `branch` committed since the watermark, newest first. */
export async function fetchBranchCommitsSince(client: GithubClient, repo: RepoRef, branch: string, window: ListWindow, etag: string | null): Promise<PagedResult<RawCommit>> {
  return await fetchNewestFirst<RawCommit>(
    client,
    "GET /repos/{owner}/{repo}/commits",
    { owner: repo.owner, repo: repo.name, sha: branch, since: window.querySince.toISOString() },
    { etag, isOlderThanNeeded: (commit) => new Date(commit.commit.committer?.date ?? commit.commit.author?.date ?? 0) < window.watermark },
  );
}

/** Deployments created since the watermark, newest first. */
export async function fetchDeploymentsSince(client: GithubClient, repo: RepoRef, window: ListWindow, etag: string | null): Promise<PagedResult<RawDeployment>> {
  return await fetchNewestFirst<RawDeployment>(
    client,
    "GET /repos/{owner}/{repo}/deployments",
    { owner: repo.owner, repo: repo.name },
    { etag, isOlderThanNeeded: (deployment) => new Date(deployment.created_at) < window.watermark },
  );
}

export async function fetchDeploymentStatuses(client: GithubClient, repo: RepoRef, deploymentId: number): Promise<RawDeploymentStatus[]> {
  return await fetchAll<RawDeploymentStatus>(client, "GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
    owner: repo.owner,
    repo: repo.name,
    deployment_id: deploymentId,
  });
}

export async function fetchWorkflows(client: GithubClient, repo: RepoRef, etag: string | null): Promise<PagedResult<RawWorkflow>> {
  return await fetchNewestFirst<RawWorkflow, { workflows: RawWorkflow[] }>(client, "GET /repos/{owner}/{repo}/actions/workflows", { owner: repo.owner, repo: repo.name }, { etag, unwrap: (page) => page.workflows });
}

/** Runs of one workflow created since the watermark, newest first (`created` has day resolution). */
export async function fetchWorkflowRunsSince(client: GithubClient, repo: RepoRef, workflowId: number, window: ListWindow, etag: string | null): Promise<PagedResult<RawWorkflowRun>> {
  return await fetchNewestFirst<RawWorkflowRun, { workflow_runs: RawWorkflowRun[] }>(
    client,
    "GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs",
    { owner: repo.owner, repo: repo.name, workflow_id: workflowId, created: `>=${window.querySince.toISOString().slice(0, 10)}` },
    { etag, unwrap: (page) => page.workflow_runs, isOlderThanNeeded: (run) => new Date(run.created_at) < window.watermark },
  );
}

/** Issues labelled `incident` updated since the watermark; GitHub lists PRs as issues too, so they are dropped. */
export async function fetchIncidentIssuesSince(client: GithubClient, repo: RepoRef, window: ListWindow, etag: string | null): Promise<PagedResult<RawIssue>> {
  const result = await fetchNewestFirst<RawIssue>(
    client,
    "GET /repos/{owner}/{repo}/issues",
    { owner: repo.owner, repo: repo.name, labels: "incident", state: "all", sort: "updated", direction: "desc", since: window.querySince.toISOString() },
    { etag, isOlderThanNeeded: (issue) => new Date(issue.updated_at) < window.watermark },
  );
  return result.changed ? { ...result, items: result.items.filter((issue) => !issue.pull_request) } : result;
}
