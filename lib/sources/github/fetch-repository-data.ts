import type { GithubClient } from "@/lib/sources/github/client";
import { fetchAll, fetchNewestFirst, type PagedResult } from "@/lib/sources/github/fetch-pages";
import type { RawCommit, RawDeployment, RawDeploymentStatus, RawIssue, RawPullRequest, RawPullRequestReview, RawRepository, RawWorkflow, RawWorkflowRun } from "@/lib/sources/github/types";

/** One fetcher per GitHub resource the ingestion reads; each takes the client and its cursor. */

export interface RepoRef {
  owner: string;
  name: string;
}

export async function fetchOrgRepositories(client: GithubClient, org: string, etag: string | null): Promise<PagedResult<RawRepository>> {
  return await fetchNewestFirst<RawRepository>(client, "GET /orgs/{org}/repos", { org, type: "all", sort: "full_name", direction: "asc" }, { etag });
}

export async function fetchRepository(client: GithubClient, repo: RepoRef): Promise<RawRepository> {
  const response = await client.request("GET /repos/{owner}/{repo}", { owner: repo.owner, repo: repo.name });
  return response.data as RawRepository;
}

/** PRs updated since `since`, newest update first. */
export async function fetchPullRequestsUpdatedSince(client: GithubClient, repo: RepoRef, since: Date, etag: string | null): Promise<PagedResult<RawPullRequest>> {
  return await fetchNewestFirst<RawPullRequest>(
    client,
    "GET /repos/{owner}/{repo}/pulls",
    { owner: repo.owner, repo: repo.name, state: "all", sort: "updated", direction: "desc" },
    { etag, isOlderThanNeeded: (pull) => new Date(pull.updated_at) < since },
  );
}

export async function fetchPullRequestCommits(client: GithubClient, repo: RepoRef, number: number): Promise<RawCommit[]> {
  return await fetchAll<RawCommit>(client, "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", { owner: repo.owner, repo: repo.name, pull_number: number });
}

export async function fetchPullRequestReviews(client: GithubClient, repo: RepoRef, number: number): Promise<RawPullRequestReview[]> {
  return await fetchAll<RawPullRequestReview>(client, "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { owner: repo.owner, repo: repo.name, pull_number: number });
}

/** Commits on `branch` committed since `since`, newest first. */
export async function fetchBranchCommitsSince(client: GithubClient, repo: RepoRef, branch: string, since: Date, etag: string | null): Promise<PagedResult<RawCommit>> {
  return await fetchNewestFirst<RawCommit>(client, "GET /repos/{owner}/{repo}/commits", { owner: repo.owner, repo: repo.name, sha: branch, since: since.toISOString() }, { etag });
}

/** Deployments created since `since`, newest first. */
export async function fetchDeploymentsSince(client: GithubClient, repo: RepoRef, since: Date, etag: string | null): Promise<PagedResult<RawDeployment>> {
  return await fetchNewestFirst<RawDeployment>(
    client,
    "GET /repos/{owner}/{repo}/deployments",
    { owner: repo.owner, repo: repo.name },
    { etag, isOlderThanNeeded: (deployment) => new Date(deployment.created_at) < since },
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

/** Runs of one workflow created since `since` (day resolution, as GitHub's `created` filter), newest first. */
export async function fetchWorkflowRunsSince(client: GithubClient, repo: RepoRef, workflowId: number, since: Date, etag: string | null): Promise<PagedResult<RawWorkflowRun>> {
  return await fetchNewestFirst<RawWorkflowRun, { workflow_runs: RawWorkflowRun[] }>(
    client,
    "GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs",
    { owner: repo.owner, repo: repo.name, workflow_id: workflowId, created: `>=${since.toISOString().slice(0, 10)}` },
    { etag, unwrap: (page) => page.workflow_runs, isOlderThanNeeded: (run) => new Date(run.created_at) < since },
  );
}

/** Issues labelled `incident` updated since `since`; GitHub lists PRs as issues too, so they are dropped. */
export async function fetchIncidentIssuesSince(client: GithubClient, repo: RepoRef, since: Date, etag: string | null): Promise<PagedResult<RawIssue>> {
  const result = await fetchNewestFirst<RawIssue>(
    client,
    "GET /repos/{owner}/{repo}/issues",
    { owner: repo.owner, repo: repo.name, labels: "incident", state: "all", sort: "updated", direction: "desc", since: since.toISOString() },
    { etag },
  );
  return result.changed ? { ...result, items: result.items.filter((issue) => !issue.pull_request) } : result;
}
