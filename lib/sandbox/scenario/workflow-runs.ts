import type { SandboxWorkflow, SandboxWorkflowRun } from "@/lib/sandbox/github/model";
import { touchRepository, type RepoSim } from "./context";
import { MINUTE, toIso, type Seconds } from "./time";

export function createWorkflow(sim: Pick<RepoSim, "ctx" | "repo">, name: string, path: string, at: Seconds): SandboxWorkflow {
  const workflow: SandboxWorkflow = { id: sim.ctx.ids.next("workflow"), name, path, state: "active", createdAt: toIso(at), updatedAt: toIso(at) };
  sim.repo.workflows.push(workflow);
  return workflow;
}

export interface RunRequest {
  workflow: SandboxWorkflow;
  event: SandboxWorkflowRun["event"];
  headBranch: string;
  headSha: string;
  actorLogin: string;
  createdAt: Seconds;
  /** When the runner picked the job up. */
  startedAt: Seconds;
  inputs?: Record<string, string>;
}

export function startRun(sim: RepoSim, request: RunRequest): SandboxWorkflowRun {
  const runNumber = (sim.runNumbers.get(request.workflow.id) ?? 0) + 1;
  sim.runNumbers.set(request.workflow.id, runNumber);
  const run: SandboxWorkflowRun = {
    id: sim.ctx.ids.next("workflowRun"),
    workflowId: request.workflow.id,
    name: request.workflow.name,
    runNumber,
    runAttempt: 1,
    event: request.event,
    headBranch: request.headBranch,
    headSha: request.headSha,
    status: "in_progress",
    conclusion: null,
    actorLogin: request.actorLogin,
    createdAt: toIso(request.createdAt),
    runStartedAt: toIso(request.startedAt),
    updatedAt: toIso(request.startedAt),
    inputs: request.inputs ?? {},
  };
  sim.repo.workflowRuns.push(run);
  touchRepository(sim.repo, run.updatedAt, false);
  return run;
}

export function completeRun(sim: RepoSim, run: SandboxWorkflowRun, conclusion: NonNullable<SandboxWorkflowRun["conclusion"]>, at: Seconds): void {
  run.status = "completed";
  run.conclusion = conclusion;
  run.updatedAt = toIso(at);
  touchRepository(sim.repo, run.updatedAt, false);
}

/**
 * A CI build of a pushed commit or a PR head. Builds still running at the scenario's end stay
 * `in_progress`, as they would on GitHub at that moment.
 */
export function runCi(sim: RepoSim, event: "push" | "pull_request", branch: string, sha: string, actorLogin: string, at: Seconds): void {
  const random = sim.random;
  const startedAt = at + random.int(5, 90);
  const run = startRun(sim, { workflow: sim.ciWorkflow, event, headBranch: branch, headSha: sha, actorLogin, createdAt: at, startedAt });
  const conclusion = random.weighted([
    ["success", 0.9],
    ["failure", 0.08],
    ["cancelled", 0.02],
  ] as const);
  const finishedAt = startedAt + random.int(3 * MINUTE, 14 * MINUTE);
  sim.ctx.queue.at(finishedAt, () => completeRun(sim, run, conclusion, finishedAt));
}
