import examples from "@octokit/webhooks-examples";
import { describe, expect, it } from "vitest";
import { compileEnvironmentRules } from "@/lib/ingest/environment-rules";
import { asRateLimit } from "@/lib/sources/github/errors";
import {
  approvingReviewers,
  isDeployWorkflow,
  revertedPullNumber,
  transformDeployment,
  transformIncident,
  transformPullRequest,
  transformWorkflowRun,
  workflowEnvironment,
} from "@/lib/sources/github/transform";
import type { RawDeployment, RawDeploymentStatus, RawIssue, RawPullRequest, RawPullRequestReview, RawWorkflow, RawWorkflowRun } from "@/lib/sources/github/types";

/** GitHub's own example payloads: the objects inside webhook events share the REST shapes. */
function example<T>(event: string, pick: (payload: Record<string, unknown>) => unknown): T {
  const group = examples.find((entry) => entry.name === event);
  if (!group) throw new Error(`no ${event} examples`);
  return pick(group.examples[0] as Record<string, unknown>) as T;
}

const rules = { production: /^prod(uction)?([-_].*)?$/ };

describe("GitHub transforms over real payloads", () => {
  it("maps a pull request, and a merged one with its first commit and approvals", () => {
    const raw = example<RawPullRequest>("pull_request", (p) => p.pull_request);
    const open = transformPullRequest(raw, { fullName: "Codertocat/Hello-World", commits: null, reviews: null });
    expect(open).toMatchObject({ externalId: String(raw.id), number: raw.number, mergedAt: null, mergeCommitSha: null, firstCommitAt: null, openedAt: new Date(raw.created_at) });

    const merged = { ...raw, state: "closed", merged_at: "2026-03-02T10:00:00Z", closed_at: "2026-03-02T10:00:00Z", merge_commit_sha: "a".repeat(40) } as RawPullRequest;
    const commit = (date: string) => ({ sha: date, parents: [], commit: { message: "x", author: { name: "a", email: "a@x", date }, committer: { name: "a", email: "a@x", date } } });
    const record = transformPullRequest(merged, {
      fullName: "Codertocat/Hello-World",
      commits: [commit("2026-03-01T09:00:00Z"), commit("2026-02-28T17:30:00Z")] as never,
      reviews: [{ user: { login: "reviewer" }, state: "APPROVED", submitted_at: "2026-03-02T09:00:00Z" }] as RawPullRequestReview[],
    });
    expect(record).toMatchObject({ state: "merged", mergeCommitSha: "a".repeat(40), firstCommitAt: new Date("2026-02-28T17:30:00Z"), approvingReviewers: ["reviewer"] });
  });

  it("counts only the latest non-comment review of people other than the author", () => {
    const review = (login: string, state: string, at: string) => ({ user: { login }, state, submitted_at: at }) as RawPullRequestReview;
    const reviews = [
      review("ann", "APPROVED", "2026-01-01T10:00:00Z"),
      review("ann", "CHANGES_REQUESTED", "2026-01-01T11:00:00Z"),
      review("bob", "CHANGES_REQUESTED", "2026-01-01T10:00:00Z"),
      review("bob", "APPROVED", "2026-01-01T12:00:00Z"),
      review("bob", "COMMENTED", "2026-01-01T13:00:00Z"),
      review("author", "APPROVED", "2026-01-01T12:00:00Z"),
    ];
    expect(approvingReviewers(reviews, "author")).toEqual(["bob"]);
  });

  it("reads which PR a revert reverts from GitHub's revert body", () => {
    expect(revertedPullNumber({ title: 'Revert "Add cache"', body: "Reverts acme/api#41\n\nBroke checkout" }, "acme/api")).toBe(41);
    expect(revertedPullNumber({ title: "Revert things", body: "Reverts #7" }, "acme/api")).toBe(7);
    expect(revertedPullNumber({ title: "Add cache", body: "See acme/api#41" }, "acme/api")).toBeNull();
    expect(revertedPullNumber({ title: "x", body: null }, "acme/api")).toBeNull();
  });

  it("takes a deployment's outcome from its last final status, ignoring a later inactive", () => {
    const raw = example<RawDeployment>("deployment_status", (p) => p.deployment);
    const status = example<RawDeploymentStatus>("deployment_status", (p) => p.deployment_status);
    const at = (state: string, created: string, id: number) => ({ ...status, id, state, created_at: created }) as RawDeploymentStatus;
    const record = transformDeployment(raw, [at("in_progress", "2019-05-15T15:20:54Z", 1), at("success", "2019-05-15T15:20:55Z", 2), at("inactive", "2019-05-16T09:00:00Z", 3)], rules);
    expect(record).toMatchObject({ source: "GITHUB_DEPLOYMENT", environment: "production", isProduction: true, commitSha: raw.sha, status: "SUCCESS", finishedAt: new Date("2019-05-15T15:20:55Z") });
    expect(transformDeployment({ ...raw, environment: "staging" }, [at("error", "2019-05-15T15:21:00Z", 4)], rules)).toMatchObject({ isProduction: false, status: "FAILURE" });
    expect(transformDeployment(raw, [at("queued", "2019-05-15T15:20:54Z", 5)], rules)).toMatchObject({ status: "IN_PROGRESS", finishedAt: null });
  });

  it("classifies a deployment's environment by admin rules first, keeping the name the source reported", () => {
    const raw = example<RawDeployment>("deployment_status", (p) => p.deployment);
    const status = { ...example<RawDeploymentStatus>("deployment_status", (p) => p.deployment_status), state: "success" } as RawDeploymentStatus;
    const withRules = compileEnvironmentRules(rules.production, [
      { id: "live", pattern: "^live$", environment: "production", isProduction: true, priority: 10 },
      { id: "prod-sandbox", pattern: "^production$", environment: "", isProduction: false, priority: 10 },
    ]);
    expect(transformDeployment({ ...raw, environment: "live" }, [status], withRules)).toMatchObject({ environment: "production", sourceEnvironment: "live", isProduction: true });
    // A rule beats the PRODUCTION_ENVIRONMENTS pattern.
    expect(transformDeployment(raw, [status], withRules)).toMatchObject({ environment: "production", sourceEnvironment: "production", isProduction: false });
    const run = { ...example<RawWorkflowRun>("workflow_run", (p) => p.workflow_run), display_title: "Deploy to staging" };
    expect(transformWorkflowRun(run, { name: "Deploy", path: ".github/workflows/deploy.yml" }, compileEnvironmentRules(rules.production, [{ id: "s", pattern: "^staging$", environment: "", isProduction: true, priority: 100 }]))).toMatchObject({
      environment: "staging",
      sourceEnvironment: "staging",
      isProduction: true,
    });
  });

  it("maps a deploy workflow run, cancelled runs included, with the environment its workflow names", () => {
    const raw = example<RawWorkflowRun>("workflow_run", (p) => p.workflow_run);
    const deploy: Pick<RawWorkflow, "name" | "path"> = { name: "Deploy", path: ".github/workflows/deploy.yml" };
    expect(transformWorkflowRun({ ...raw, status: "completed", conclusion: "success" }, deploy, rules)).toMatchObject({ source: "GITHUB_WORKFLOW", environment: "production", status: "SUCCESS", commitSha: raw.head_sha });
    expect(transformWorkflowRun({ ...raw, status: "completed", conclusion: "cancelled" }, deploy, rules).status).toBe("CANCELLED");
    expect(transformWorkflowRun({ ...raw, status: "in_progress", conclusion: null }, deploy, rules)).toMatchObject({ status: "IN_PROGRESS", finishedAt: null });
    expect(workflowEnvironment({ name: "Deploy to staging", path: ".github/workflows/deploy-staging.yml" })).toBe("staging");
    expect(isDeployWorkflow({ name: "test", path: ".github/workflows/test.yml" })).toBe(false);
    expect(isDeployWorkflow({ name: "Release", path: ".github/workflows/deploy-prod.yml" })).toBe(true);
  });

  it("maps an incident issue, resolved when closed", () => {
    const raw = example<RawIssue>("issues", (p) => p.issue);
    expect(transformIncident(raw)).toMatchObject({ externalId: String(raw.id), number: raw.number, resolvedAt: null });
    expect(transformIncident({ ...raw, state: "closed", closed_at: "2026-01-02T03:04:05Z" }).resolvedAt).toEqual(new Date("2026-01-02T03:04:05Z"));
  });
});

describe("GitHub's ways of saying wait", () => {
  const now = new Date("2026-11-27T12:00:00Z");
  const error = (status: number, headers: Record<string, string>, message = "") => ({ status, message, response: { headers, data: { message } } });
  it("waits for the reset when the primary limit is spent", () => {
    expect(asRateLimit(error(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now.getTime() / 1000 + 600) }), now)).toMatchObject({ kind: "primary", retryAt: new Date(now.getTime() + 600_000) });
  });
  it("waits retry-after on a secondary limit or a 429", () => {
    expect(asRateLimit(error(403, { "retry-after": "30" }, "You have exceeded a secondary rate limit"), now)).toMatchObject({ kind: "secondary", retryAt: new Date(now.getTime() + 30_000) });
    expect(asRateLimit(error(429, {}), now)).toMatchObject({ kind: "secondary", retryAt: new Date(now.getTime() + 60_000) });
  });
  it("leaves other errors alone", () => {
    expect(asRateLimit(error(403, { "x-ratelimit-remaining": "10" }, "Resource not accessible by integration"), now)).toBeNull();
    expect(asRateLimit(error(502, {}), now)).toBeNull();
  });
});

describe("deploy workflow environments", () => {
  it("reads the target from the run title first (run-name), then the workflow", () => {
    const deploy = { name: "Deploy", path: ".github/workflows/deploy.yml" };
    expect(workflowEnvironment(deploy, "Deploy to staging")).toBe("staging");
    expect(workflowEnvironment(deploy, "Deploy to production")).toBe("production");
    expect(workflowEnvironment(deploy, "Bump dependencies")).toBe("production");
  });
});
