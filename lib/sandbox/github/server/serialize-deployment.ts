/** Deployments and their statuses in GitHub's `deployment` and `deployment-status` shapes. */
import type { SandboxDeployment, SandboxDeploymentStatus, SandboxRepository } from "../model";
import type { ApiContext } from "./context";
import { type Schemas, nodeId } from "./schemas";
import { serializeSimpleUser } from "./serialize-user";

export function serializeDeployment(ctx: ApiContext, repo: SandboxRepository, deployment: SandboxDeployment): Schemas["deployment"] {
  const api = `${ctx.apiBase}/repos/${repo.fullName}`;
  return {
    url: `${api}/deployments/${deployment.id}`,
    id: deployment.id,
    node_id: nodeId("Deployment", deployment.id),
    sha: deployment.sha,
    ref: deployment.ref,
    task: deployment.task,
    payload: {},
    original_environment: deployment.environment,
    environment: deployment.environment,
    description: deployment.description === "" ? null : deployment.description,
    creator: serializeSimpleUser(ctx, deployment.creatorLogin),
    created_at: deployment.createdAt,
    updated_at: deployment.updatedAt,
    statuses_url: `${api}/deployments/${deployment.id}/statuses`,
    repository_url: api,
    transient_environment: deployment.transientEnvironment,
    production_environment: deployment.productionEnvironment,
    performed_via_github_app: null,
  };
}

/**
 * GitHub returns `pending` for the API's legacy clients, but the model's states are the ones the
 * current API reports, so they pass through unchanged. `target_url`/`log_url` point at the run page.
 */
export function serializeDeploymentStatus(
  ctx: ApiContext,
  repo: SandboxRepository,
  deployment: SandboxDeployment,
  status: SandboxDeploymentStatus,
): Schemas["deployment-status"] {
  const api = `${ctx.apiBase}/repos/${repo.fullName}`;
  const logUrl = `${ctx.htmlBase}/${repo.fullName}/deployments/${encodeURIComponent(status.environment)}#status-${status.id}`;
  return {
    url: `${api}/deployments/${deployment.id}/statuses/${status.id}`,
    id: status.id,
    node_id: nodeId("DeploymentStatus", status.id),
    state: status.state,
    creator: serializeSimpleUser(ctx, status.creatorLogin),
    description: status.description,
    environment: status.environment,
    target_url: logUrl,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    deployment_url: `${api}/deployments/${deployment.id}`,
    repository_url: api,
    // GitHub sends "" when unset, but the schema types it as a URI, so the sandbox always sets one.
    environment_url: `https://${encodeURIComponent(status.environment)}.${repo.name}.sandbox.example/`,
    log_url: logUrl,
    performed_via_github_app: null,
  };
}
