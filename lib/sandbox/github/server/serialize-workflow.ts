/** Actions workflows and runs in GitHub's `workflow` and `workflow-run` shapes. */
import type { SandboxRepository, SandboxWorkflow, SandboxWorkflowRun } from "../model";
import { type ApiContext, memo } from "./context";
import { type Schemas, nodeId } from "./schemas";
import { serializeMinimalRepository } from "./serialize-repo";
import { serializeSimpleUser } from "./serialize-user";
import { pullsAt } from "./visibility";

export function serializeWorkflow(ctx: ApiContext, repo: SandboxRepository, workflow: SandboxWorkflow): Schemas["workflow"] {
  const file = workflow.path.split("/").at(-1) ?? workflow.path;
  return {
    id: workflow.id,
    node_id: nodeId("Workflow", workflow.id),
    name: workflow.name,
    path: workflow.path,
    state: workflow.state,
    created_at: workflow.createdAt,
    updated_at: workflow.updatedAt,
    url: `${ctx.apiBase}/repos/${repo.fullName}/actions/workflows/${workflow.id}`,
    html_url: `${ctx.htmlBase}/${repo.fullName}/blob/${repo.defaultBranch}/${workflow.path}`,
    badge_url: `${ctx.htmlBase}/${repo.fullName}/workflows/${encodeURIComponent(file)}/badge.svg`,
  };
}

function headCommit(repo: SandboxRepository, sha: string): Schemas["nullable-simple-commit"] {
  const commit = repo.commits.get(sha);
  if (!commit) return null;
  return {
    id: commit.sha,
    tree_id: commit.treeSha,
    message: commit.message,
    timestamp: commit.committer.date,
    author: { name: commit.author.name, email: commit.author.email },
    committer: { name: commit.committer.name, email: commit.committer.email },
  };
}

/** Open PRs whose head matches the run, as GitHub lists them on the run (not necessarily what triggered it). */
function pullRequestsFor(ctx: ApiContext, repo: SandboxRepository, run: SandboxWorkflowRun): Schemas["pull-request-minimal"][] {
  const api = `${ctx.apiBase}/repos/${repo.fullName}`;
  const repoRef = { id: repo.id, url: api, name: repo.name };
  // Computed once per request: a page of 100 runs would otherwise replay every PR 100 times.
  const openPulls = memo(ctx, `open-pulls:${repo.id}`, () => pullsAt(repo, ctx.now).filter((pr) => pr.state === "open"));
  return openPulls
    .filter((pr) => pr.headSha === run.headSha || pr.headRef === run.headBranch)
    .map((pr) => ({
      id: pr.id,
      number: pr.number,
      url: `${api}/pulls/${pr.number}`,
      head: { ref: pr.headRef, sha: pr.headSha, repo: repoRef },
      base: { ref: pr.baseRef, sha: pr.baseSha, repo: repoRef },
    }));
}

export function serializeWorkflowRun(
  ctx: ApiContext,
  repo: SandboxRepository,
  run: SandboxWorkflowRun,
  options: { excludePullRequests?: boolean } = {},
): Schemas["workflow-run"] {
  const api = `${ctx.apiBase}/repos/${repo.fullName}`;
  const runUrl = `${api}/actions/runs/${run.id}`;
  const workflow = repo.workflows.find((candidate) => candidate.id === run.workflowId);
  const minimal = memo(ctx, `minimal-repository:${repo.id}`, () => serializeMinimalRepository(ctx, repo));
  // Check suites are not modelled; a derived id keeps check_suite_url well-formed and stable.
  const checkSuiteId = run.id * 10 + run.runAttempt;
  const actor = serializeSimpleUser(ctx, run.actorLogin);
  const commit = repo.commits.get(run.headSha);
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId("WorkflowRun", run.id),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: workflow?.path ?? ".github/workflows/unknown.yml",
    // Deploy workflows name their target in `run-name` (GitHub's display_title), since runs carry no inputs.
    display_title: run.inputs.environment ? `${run.name} to ${run.inputs.environment}` : (commit?.message.split("\n")[0] ?? run.name),
    run_number: run.runNumber,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    check_suite_id: checkSuiteId,
    check_suite_node_id: nodeId("CheckSuite", checkSuiteId),
    url: runUrl,
    html_url: `${ctx.htmlBase}/${repo.fullName}/actions/runs/${run.id}`,
    pull_requests: options.excludePullRequests ? [] : pullRequestsFor(ctx, repo, run),
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    actor,
    run_attempt: run.runAttempt,
    referenced_workflows: [],
    run_started_at: run.runStartedAt,
    triggering_actor: actor,
    jobs_url: `${runUrl}/jobs`,
    logs_url: `${runUrl}/logs`,
    check_suite_url: `${api}/check-suites/${checkSuiteId}`,
    artifacts_url: `${runUrl}/artifacts`,
    cancel_url: `${runUrl}/cancel`,
    rerun_url: `${runUrl}/rerun`,
    previous_attempt_url: run.runAttempt > 1 ? `${runUrl}/attempts/${run.runAttempt - 1}` : null,
    workflow_url: `${api}/actions/workflows/${run.workflowId}`,
    head_commit: headCommit(repo, run.headSha),
    repository: minimal,
    head_repository: minimal,
  };
}
