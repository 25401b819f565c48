/** Every GitHub endpoint the sandbox serves, in match order (specific templates before greedy ones). */
import { actionsRoutes } from "./routes-actions";
import { commitRoutes } from "./routes-commits";
import { contentRoutes } from "./routes-contents";
import { deploymentRoutes } from "./routes-deployments";
import { issueRoutes } from "./routes-issues";
import { metaRoutes } from "./routes-meta";
import { pullRoutes } from "./routes-pulls";
import { type RouteDefinition, createRouter } from "./router";

export const githubRoutes: readonly RouteDefinition[] = [...metaRoutes, ...pullRoutes, ...commitRoutes, ...contentRoutes, ...deploymentRoutes, ...actionsRoutes, ...issueRoutes];

export const matchGithubRoute = createRouter(githubRoutes);
