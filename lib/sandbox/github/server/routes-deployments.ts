/** GitHub Deployments and their statuses, newest first as GitHub lists them. */
import { findRepository, pathInteger } from "./context";
import { notFound } from "./http-error";
import { pagedList, sortBy } from "./query";
import type { ApiRequest, RouteDefinition } from "./router";
import { serializeDeployment, serializeDeploymentStatus } from "./serialize-deployment";
import { deploymentAt, deploymentsAt } from "./visibility";

function findDeployment({ ctx, params }: ApiRequest) {
  const repo = findRepository(ctx, params.owner!, params.repo!);
  const id = pathInteger(params.deployment_id!);
  const stored = repo.deployments.find((deployment) => deployment.id === id);
  const deployment = stored ? deploymentAt(stored, ctx.now) : null;
  if (!deployment) throw notFound();
  return { repo, deployment };
}

export const deploymentRoutes: RouteDefinition[] = [
  {
    path: "/repos/{owner}/{repo}/deployments",
    handler: (request) => {
      const { ctx, params, query } = request;
      const repo = findRepository(ctx, params.owner!, params.repo!);
      const filters = { sha: query.get("sha"), ref: query.get("ref"), task: query.get("task"), environment: query.get("environment") };
      const deployments = deploymentsAt(repo, ctx.now).filter(
        (deployment) =>
          (!filters.sha || deployment.sha === filters.sha) &&
          (!filters.ref || deployment.ref === filters.ref) &&
          (!filters.task || deployment.task === filters.task) &&
          (!filters.environment || deployment.environment === filters.environment),
      );
      const sorted = sortBy(deployments, (deployment) => Date.parse(deployment.createdAt), (deployment) => deployment.id, "desc");
      return pagedList(request, sorted, (deployment) => serializeDeployment(ctx, repo, deployment));
    },
  },
  {
    path: "/repos/{owner}/{repo}/deployments/{deployment_id}",
    handler: (request) => {
      const { repo, deployment } = findDeployment(request);
      return { body: serializeDeployment(request.ctx, repo, deployment) };
    },
  },
  {
    path: "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
    handler: (request) => {
      const { repo, deployment } = findDeployment(request);
      const statuses = sortBy(deployment.statuses, (status) => Date.parse(status.createdAt), (status) => status.id, "desc");
      return pagedList(request, statuses, (status) => serializeDeploymentStatus(request.ctx, repo, deployment, status));
    },
  },
];
