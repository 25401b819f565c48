import type { components } from "@octokit/openapi-types";

/** Raw GitHub payloads as the REST API returns them (GitHub's own OpenAPI types). */
type Schemas = components["schemas"];

export type RawRepository = Schemas["minimal-repository"];
export type RawPullRequest = Schemas["pull-request-simple"];
export type RawPullRequestReview = Schemas["pull-request-review"];
export type RawCommit = Schemas["commit"];
export type RawDeployment = Schemas["deployment"];
export type RawDeploymentStatus = Schemas["deployment-status"];
export type RawWorkflow = Schemas["workflow"];
export type RawWorkflowRun = Schemas["workflow-run"];
export type RawIssue = Schemas["issue"];
