import type { SandboxDeployment, SandboxDeploymentStatus, SandboxWorkflowRun } from "@/lib/sandbox/github/model";
import { touchRepository, type RepoSim } from "./context";
import { DEPLOY_BOT_LOGIN } from "./catalog";
import { toIso, type Seconds } from "./time";
import { completeRun, startRun } from "./workflow-runs";

/**
 * The two push-based ways a service reaches an environment, behind one shape: a GitHub Deployment
 * with statuses, or a dispatch of the repository's deploy workflow. The release logic decides what
 * happens; this file only writes it down the way GitHub would show it.
 */

export type AttemptOutcome = "success" | "failure" | "error" | "cancelled";

export interface AttemptSpec {
  environment: string;
  sha: string;
  ref: string;
  task: string;
  description: string;
  creatorLogin: string;
  startAt: Seconds;
  finishAt: Seconds;
  outcome: AttemptOutcome;
}

export interface StartedAttempt {
  spec: AttemptSpec;
  source: "github_deployment" | "github_workflow";
  externalId: string;
  /** When the deployment began, as the source reports it (deployment creation, run start). */
  startedAt: Seconds;
  githubDeployment: SandboxDeployment | null;
  workflowRun: SandboxWorkflowRun | null;
}

export function startAttempt(sim: RepoSim, spec: AttemptSpec): StartedAttempt {
  return sim.deployWorkflow ? dispatchDeployWorkflow(sim, spec) : createGithubDeployment(sim, spec);
}

/** Writes the attempt's final state at `spec.finishAt` (called from the event at that time). */
export function finishAttempt(sim: RepoSim, attempt: StartedAttempt): void {
  const { spec } = attempt;
  if (attempt.githubDeployment) {
    if (spec.outcome === "cancelled") throw new Error("GitHub deployments are not cancelled");
    addStatus(sim, attempt.githubDeployment, spec.outcome, spec.finishAt, statusDescription(spec.outcome));
  }
  if (attempt.workflowRun) {
    if (spec.outcome === "error") throw new Error("Workflow runs fail, they do not error");
    completeRun(sim, attempt.workflowRun, spec.outcome, spec.finishAt);
  }
}

/** GitHub marks the previous deployment of an environment inactive when a newer one succeeds. */
export function markSuperseded(sim: RepoSim, deployment: SandboxDeployment, at: Seconds): void {
  addStatus(sim, deployment, "inactive", at, "Superseded by a newer deployment");
}

function createGithubDeployment(sim: RepoSim, spec: AttemptSpec): StartedAttempt {
  const deployment: SandboxDeployment = {
    id: sim.ctx.ids.next("deployment"),
    sha: spec.sha,
    ref: spec.ref,
    task: spec.task,
    environment: spec.environment,
    description: spec.description,
    creatorLogin: spec.creatorLogin,
    createdAt: toIso(spec.startAt),
    updatedAt: toIso(spec.startAt),
    productionEnvironment: spec.environment === "production",
    transientEnvironment: false,
    statuses: [],
  };
  sim.repo.deployments.push(deployment);
  addStatus(sim, deployment, "in_progress", spec.startAt + sim.random.int(2, 20), "Deployment started");
  return { spec, source: "github_deployment", externalId: String(deployment.id), startedAt: spec.startAt, githubDeployment: deployment, workflowRun: null };
}

function dispatchDeployWorkflow(sim: RepoSim, spec: AttemptSpec): StartedAttempt {
  const workflow = sim.deployWorkflow!;
  const startedAt = spec.startAt + sim.random.int(5, 40);
  const run = startRun(sim, {
    workflow,
    event: "workflow_dispatch",
    headBranch: sim.repo.defaultBranch,
    headSha: spec.sha,
    actorLogin: spec.creatorLogin,
    createdAt: spec.startAt,
    startedAt,
    inputs: { environment: spec.environment },
  });
  return { spec, source: "github_workflow", externalId: String(run.id), startedAt, githubDeployment: null, workflowRun: run };
}

function addStatus(sim: RepoSim, deployment: SandboxDeployment, state: SandboxDeploymentStatus["state"], at: Seconds, description: string): void {
  const createdAt = toIso(at);
  deployment.statuses.push({
    id: sim.ctx.ids.next("deploymentStatus"),
    state,
    createdAt,
    creatorLogin: state === "inactive" ? DEPLOY_BOT_LOGIN : deployment.creatorLogin,
    description,
    environment: deployment.environment,
  });
  deployment.updatedAt = createdAt;
  touchRepository(sim.repo, createdAt, false);
}

function statusDescription(outcome: "success" | "failure" | "error"): string {
  if (outcome === "success") return "Deployment finished successfully";
  if (outcome === "failure") return "Health checks failed; deployment aborted";
  return "Deployer crashed before the rollout finished";
}
