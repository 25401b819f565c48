/** Actions workflows and runs; run lists are `{ total_count, workflow_runs }`, newest first. */
import type { SandboxRepository, SandboxWorkflowRun } from "../model";
import { type ApiContext, findRepository, pathInteger } from "./context";
import { parseCreatedFilter } from "./created-filter";
import { notFound } from "./http-error";
import { pagedList, sortBy } from "./query";
import type { ApiRequest, ApiResponse, RouteDefinition } from "./router";
import { serializeWorkflow, serializeWorkflowRun } from "./serialize-workflow";
import { runAt, runsAt, workflowsAt } from "./visibility";

/** `status` takes a run status or a conclusion, as on GitHub. */
const RUN_STATUSES = new Set(["queued", "in_progress", "completed", "requested", "waiting", "pending"]);

function listRuns(request: ApiRequest, repo: SandboxRepository, runs: SandboxWorkflowRun[]): ApiResponse {
  const { ctx, query } = request;
  const branch = query.get("branch");
  const event = query.get("event");
  const status = query.get("status");
  const actor = query.get("actor")?.toLowerCase();
  const headSha = query.get("head_sha");
  const createdRaw = query.get("created");
  const created = createdRaw ? parseCreatedFilter(createdRaw) : null;
  const excludePullRequests = query.get("exclude_pull_requests") === "true";
  const filtered = runs.filter((run) => {
    const at = Date.parse(run.createdAt);
    return (
      (!branch || run.headBranch === branch) &&
      (!event || run.event === event) &&
      (!status || (RUN_STATUSES.has(status) ? run.status === status : run.conclusion === status)) &&
      (!actor || run.actorLogin.toLowerCase() === actor) &&
      (!headSha || run.headSha === headSha) &&
      (!created || (at >= created.from && at <= created.to))
    );
  });
  const sorted = sortBy(filtered, (run) => Date.parse(run.createdAt), (run) => run.id, "desc");
  return pagedList(
    request,
    sorted,
    (run) => serializeWorkflowRun(ctx, repo, run, { excludePullRequests }),
    (page, all) => ({ total_count: all.total, workflow_runs: page }),
  );
}

/** `workflow_id` is the numeric id or the workflow's file name (`deploy.yml`), as GitHub accepts both. */
function findWorkflow(ctx: ApiContext, repo: SandboxRepository, workflowId: string) {
  const workflows = workflowsAt(repo, ctx.now);
  const workflow = /^\d+$/.test(workflowId)
    ? workflows.find((candidate) => candidate.id === Number(workflowId))
    : workflows.find((candidate) => candidate.path.split("/").at(-1) === workflowId);
  if (!workflow) throw notFound();
  return workflow;
}

export const actionsRoutes: RouteDefinition[] = [
  {
    path: "/repos/{owner}/{repo}/actions/workflows",
    handler: (request) => {
      const { ctx, params } = request;
      const repo = findRepository(ctx, params.owner!, params.repo!);
      const workflows = sortBy(workflowsAt(repo, ctx.now), (workflow) => workflow.id, (workflow) => workflow.id, "asc");
      return pagedList(
        request,
        workflows,
        (workflow) => serializeWorkflow(ctx, repo, workflow),
        (page, all) => ({ total_count: all.total, workflows: page }),
      );
    },
  },
  {
    path: "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs",
    handler: (request) => {
      const { ctx, params } = request;
      const repo = findRepository(ctx, params.owner!, params.repo!);
      const workflow = findWorkflow(ctx, repo, params.workflow_id!);
      return listRuns(request, repo, runsAt(repo, ctx.now).filter((run) => run.workflowId === workflow.id));
    },
  },
  {
    path: "/repos/{owner}/{repo}/actions/runs",
    handler: (request) => {
      const repo = findRepository(request.ctx, request.params.owner!, request.params.repo!);
      return listRuns(request, repo, runsAt(repo, request.ctx.now));
    },
  },
  {
    path: "/repos/{owner}/{repo}/actions/runs/{run_id}",
    handler: ({ ctx, params, query }) => {
      const repo = findRepository(ctx, params.owner!, params.repo!);
      const id = pathInteger(params.run_id!);
      const stored = repo.workflowRuns.find((run) => run.id === id);
      const run = stored ? runAt(stored, ctx.now) : null;
      if (!run) throw notFound();
      return { body: serializeWorkflowRun(ctx, repo, run, { excludePullRequests: query.get("exclude_pull_requests") === "true" }) };
    },
  },
];
