/** Pagination as GitHub does it: page contents, `Link` headers, and Octokit's paginate walking them. */
import { Octokit } from "@octokit/core";
import { paginateRest } from "@octokit/plugin-paginate-rest";
import { restEndpointMethods } from "@octokit/plugin-rest-endpoint-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { type GithubSandbox, linkHeader, paginate, startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import { NOW, buildSmallOrg, shaOf } from "@/tests/fixtures/sandbox-small-org";

const R = "/repos/acme/checkout-api";
const SandboxOctokit = Octokit.plugin(paginateRest, restEndpointMethods);

/** `Link` header → `{ rel: url }`. */
function parseLink(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header?.split(",") ?? []) {
    const match = /<([^>]+)>;\s*rel="(\w+)"/.exec(part.trim());
    if (match) out[match[2]!] = match[1]!;
  }
  return out;
}

describe("pagination helpers", () => {
  it("slices pages and reports the last page", () => {
    const items = Array.from({ length: 7 }, (_, index) => index);
    expect(paginate(items, 1, 3)).toEqual({ items: [0, 1, 2], page: 1, perPage: 3, lastPage: 3, total: 7 });
    expect(paginate(items, 3, 3).items).toEqual([6]);
    expect(paginate(items, 4, 3).items).toEqual([]);
    expect(paginate([], 1, 30)).toMatchObject({ items: [], lastPage: 1, total: 0 });
  });

  it("builds GitHub's Link header: prev, next, last, first, keeping other parameters", () => {
    const url = "http://127.0.0.1:1/repos/a/b/pulls?state=all&per_page=2&page=2";
    expect(linkHeader(url, 2, 4)).toBe(
      [
        '<http://127.0.0.1:1/repos/a/b/pulls?state=all&per_page=2&page=1>; rel="prev"',
        '<http://127.0.0.1:1/repos/a/b/pulls?state=all&per_page=2&page=3>; rel="next"',
        '<http://127.0.0.1:1/repos/a/b/pulls?state=all&per_page=2&page=4>; rel="last"',
        '<http://127.0.0.1:1/repos/a/b/pulls?state=all&per_page=2&page=1>; rel="first"',
      ].join(", "),
    );
    expect(linkHeader("http://h/x?per_page=2", 1, 3)).toBe('<http://h/x?per_page=2&page=2>; rel="next", <http://h/x?per_page=2&page=3>; rel="last"');
    expect(linkHeader("http://h/x?page=3", 3, 3)).toBe('<http://h/x?page=2>; rel="prev", <http://h/x?page=1>; rel="first"');
    expect(linkHeader("http://h/x", 1, 1)).toBeUndefined();
  });
});

describe("sandbox GitHub pagination", () => {
  let sandbox: GithubSandbox;
  const get = (path: string) => fetch(`${sandbox.url}${path}`, { headers: { authorization: "Bearer sandbox-token" } });

  beforeAll(async () => {
    sandbox = await startGithubSandbox({ org: buildSmallOrg(), clock: frozenClock(NOW) });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it("pages the commit history newest first with GitHub's Link header on each page", async () => {
    const all = (await (await get(`${R}/commits?per_page=100`)).json()) as Array<{ sha: string; commit: { committer: { date: string } } }>;
    // main: c1, c2, d1, f1, f2, m1, q1, r1', r2' (not s1/s2: squashed; not r1/r2: rebased copies replaced them).
    expect(all.map((commit) => commit.sha)).toEqual(["r2'", "r1'", "q1", "m1", "d1", "f2", "f1", "c2", "c1"].map(shaOf));
    const dates = all.map((commit) => Date.parse(commit.commit.committer.date));
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);

    const seen: string[] = [];
    const expectedRels = [["next", "last"], ["prev", "next", "last", "first"], ["prev", "next", "last", "first"], ["prev", "next", "last", "first"], ["prev", "first"]];
    for (let page = 1; page <= 5; page += 1) {
      const response = await get(`${R}/commits?sha=main&per_page=2&page=${page}`);
      const links = parseLink(response.headers.get("link"));
      expect(Object.keys(links)).toEqual(expectedRels[page - 1]);
      for (const url of Object.values(links)) {
        expect(url.startsWith(`${sandbox.url}${R}/commits?`)).toBe(true);
        expect(new URL(url).searchParams.get("sha")).toBe("main");
        expect(new URL(url).searchParams.get("per_page")).toBe("2");
      }
      if (links.next) expect(new URL(links.next).searchParams.get("page")).toBe(String(page + 1));
      if (links.last) expect(new URL(links.last).searchParams.get("page")).toBe("5");
      if (links.prev) expect(new URL(links.prev).searchParams.get("page")).toBe(String(page - 1));
      if (links.first) expect(new URL(links.first).searchParams.get("page")).toBe("1");
      const body = (await response.json()) as Array<{ sha: string }>;
      expect(body.length).toBe(page === 5 ? 1 : 2);
      seen.push(...body.map((commit) => commit.sha));
    }
    expect(seen).toEqual(all.map((commit) => commit.sha));
  });

  it("defaults per_page to 30, clamps it at 100, answers past the end with an empty page", async () => {
    expect(((await (await get(`${R}/commits`)).json()) as unknown[]).length).toBe(9);
    const clamped = await get(`${R}/commits?per_page=500`);
    expect(clamped.status).toBe(200);
    expect(clamped.headers.get("link")).toBeNull();
    const beyond = await get(`${R}/commits?per_page=2&page=9`);
    expect(await beyond.json()).toEqual([]);
    expect(Object.keys(parseLink(beyond.headers.get("link")))).toEqual(["prev", "first"]);
  });

  it("filters commits by since/until on the committer date and walks from any branch or sha", async () => {
    const since = (await (await get(`${R}/commits?since=2026-03-03T00:00:00Z&until=2026-03-04T11:00:00Z`)).json()) as Array<{ sha: string }>;
    expect(since.map((commit) => commit.sha)).toEqual([shaOf("q1")]);
    const branch = (await (await get(`${R}/commits?sha=feature/cache`)).json()) as Array<{ sha: string }>;
    expect(branch.slice(0, 3).map((commit) => commit.sha)).toEqual(["s2", "s1", "m1"].map(shaOf));
    const fromSha = (await (await get(`${R}/commits?sha=${shaOf("f2").slice(0, 7)}`)).json()) as Array<{ sha: string }>;
    expect(fromSha.map((commit) => commit.sha)).toEqual(["f2", "f1", "c2", "c1"].map(shaOf));
  });

  it("lists and filters PRs, issues (PRs included), deployments and runs in GitHub's orders", async () => {
    const open = (await (await get(`${R}/pulls`)).json()) as Array<{ number: number }>;
    expect(open.map((pr) => pr.number)).toEqual([4]);
    const all = (await (await get(`${R}/pulls?state=all&sort=created&direction=asc`)).json()) as Array<{ number: number }>;
    expect(all.map((pr) => pr.number)).toEqual([1, 2, 3, 4]);
    const byHead = (await (await get(`${R}/pulls?state=all&head=acme:feature/cache`)).json()) as Array<{ number: number }>;
    expect(byHead.map((pr) => pr.number)).toEqual([2]);

    const issues = (await (await get(`${R}/issues?state=all`)).json()) as Array<{ number: number; pull_request?: unknown }>;
    // Newest created first: PRs #4, #3, #2, issue #6, issue #5, PR #1.
    expect(issues.map((issue) => issue.number)).toEqual([4, 3, 2, 6, 5, 1]);
    expect(issues.filter((issue) => issue.pull_request).map((issue) => issue.number).sort()).toEqual([1, 2, 3, 4]);
    const incidents = (await (await get(`${R}/issues?state=all&labels=incident`)).json()) as Array<{ number: number }>;
    expect(incidents.map((issue) => issue.number)).toEqual([5]);
    expect(await (await get(`${R}/issues?state=all&labels=incident,bug`)).json()).toEqual([]);
    const updated = (await (await get(`${R}/issues?state=all&since=2026-03-04T00:00:00Z`)).json()) as Array<{ number: number }>;
    expect(updated.map((issue) => issue.number).sort()).toEqual([3, 4]);

    const deployments = (await (await get(`${R}/deployments`)).json()) as Array<{ id: number }>;
    expect(deployments.map((deployment) => deployment.id)).toEqual([5002, 5001]);
    expect(((await (await get(`${R}/deployments?sha=${shaOf("m1")}&environment=production`)).json()) as Array<{ id: number }>).map((d) => d.id)).toEqual([5001]);

    const runs = (await (await get(`${R}/actions/runs?branch=main&event=push&status=success&created=2026-03-03..2026-03-04`)).json()) as {
      total_count: number;
      workflow_runs: Array<{ id: number }>;
    };
    expect(runs.workflow_runs.map((run) => run.id)).toEqual([8004, 8003]);
    expect(runs.total_count).toBe(2);
    const failed = (await (await get(`${R}/actions/workflows/ci.yml/runs?status=failure`)).json()) as { workflow_runs: Array<{ id: number }> };
    expect(failed.workflow_runs.map((run) => run.id)).toEqual([8002]);
    const before = (await (await get(`${R}/actions/runs?created=<2026-03-03`)).json()) as { total_count: number };
    expect(before.total_count).toBe(1);
  });

  it("lets Octokit's paginate walk every page", async () => {
    const octokit = new SandboxOctokit({ baseUrl: sandbox.url, auth: "sandbox-token" });
    sandbox.resetLog();
    const commits = await octokit.paginate(octokit.rest.repos.listCommits, { owner: "acme", repo: "checkout-api", per_page: 2 });
    expect(commits.map((commit) => commit.sha)).toHaveLength(9);
    expect(sandbox.requests.filter((entry) => entry.path === `${R}/commits`)).toHaveLength(5);

    const runs = await octokit.paginate(octokit.rest.actions.listWorkflowRunsForRepo, { owner: "acme", repo: "checkout-api", per_page: 4 });
    expect(runs.map((run) => run.id)).toEqual([8006, 8005, 8004, 8003, 8002, 8001]);

    const repos = await octokit.paginate(octokit.rest.repos.listForOrg, { org: "acme", per_page: 1, sort: "full_name" });
    expect(repos.map((repo) => repo.name)).toEqual(["checkout-api", "web-app"]);

    const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { owner: "acme", repo: "checkout-api", state: "all", per_page: 1 });
    expect(issues).toHaveLength(6);

    const statuses = await octokit.paginate(octokit.rest.repos.listDeploymentStatuses, { owner: "acme", repo: "checkout-api", deployment_id: 5001, per_page: 1 });
    expect(statuses.map((status) => status.state)).toEqual(["success", "in_progress"]);

    const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { owner: "acme", repo: "checkout-api", pull_number: 2, per_page: 1 });
    expect(reviews.map((review) => review.state)).toEqual(["CHANGES_REQUESTED", "APPROVED"]);

    const workflows = await octokit.paginate(octokit.rest.actions.listRepoWorkflows, { owner: "acme", repo: "checkout-api", per_page: 1 });
    expect(workflows.map((workflow) => workflow.name)).toEqual(["CI", "Deploy"]);
  });
});
