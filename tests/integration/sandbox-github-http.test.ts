/** HTTP behaviour: ETags and 304s, auth, errors, the primary rate limit, seeded faults, and the clock gating what exists. */
import { Octokit } from "@octokit/core";
import { paginateRest } from "@octokit/plugin-paginate-rest";
import { restEndpointMethods } from "@octokit/plugin-rest-endpoint-methods";
import { retry } from "@octokit/plugin-retry";
import { afterEach, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import type { SandboxOrg } from "@/lib/sandbox/github/model";
import { type FaultKind, type FaultPlan, type GithubSandbox, type GithubSandboxOptions, startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import { NOW, buildSmallOrg } from "@/tests/fixtures/sandbox-small-org";

const R = "/repos/acme/checkout-api";
const AUTH = { authorization: "token sandbox-token" };

let sandbox: GithubSandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

async function start(options: Partial<GithubSandboxOptions> = {}) {
  const clock = frozenClock(NOW);
  sandbox = await startGithubSandbox({ org: buildSmallOrg(), clock, ...options });
  const get = (path: string, headers: Record<string, string> = AUTH, method = "GET") => fetch(`${sandbox!.url}${path}`, { headers, method });
  return { sandbox, clock, get };
}

describe("ETags and conditional requests", () => {
  it("answers a matching If-None-Match with an empty 304 that costs no rate limit", async () => {
    const { sandbox, get } = await start();
    const first = await get(`${R}/pulls?state=all`);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    const remaining = Number(first.headers.get("x-ratelimit-remaining"));

    const second = await get(`${R}/pulls?state=all`, { ...AUTH, "if-none-match": etag });
    expect(second.status).toBe(304);
    expect(await second.text()).toBe("");
    expect(second.headers.get("etag")).toBe(etag);
    expect(Number(second.headers.get("x-ratelimit-remaining"))).toBe(remaining);

    const other = await get(`${R}/pulls?state=all`, { ...AUTH, "if-none-match": 'W/"something-else"' });
    expect(other.status).toBe(200);
    expect(Number(other.headers.get("x-ratelimit-remaining"))).toBe(remaining - 1);
    expect(sandbox.requests.map((entry) => [entry.status, entry.conditional])).toEqual([
      [200, false],
      [304, true],
      [200, true],
    ]);
  });

  it("keeps the ETag while the clock moves without new data, and changes it when something appears", async () => {
    const { clock, get } = await start();
    const first = await get(`${R}/deployments/5002/statuses`);
    const etag = first.headers.get("etag")!;
    clock.advance(60_000);
    expect((await get(`${R}/deployments/5002/statuses`, { ...AUTH, "if-none-match": etag })).status).toBe(304);
    clock.advance(5 * 60_000);
    const changed = await get(`${R}/deployments/5002/statuses`, { ...AUTH, "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });
});

describe("auth and errors", () => {
  it("rejects a missing or wrong token with 401 Bad credentials, accepts token and Bearer schemes", async () => {
    const { get } = await start({ token: ["sandbox-token", "second-token"] });
    const attempts: Array<Record<string, string>> = [{}, { authorization: "token nope" }, { authorization: "Basic c2FuZGJveA==" }];
    for (const headers of attempts) {
      const response = await get("/user", headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ message: "Bad credentials" });
      expect(response.headers.get("x-ratelimit-limit")).toBe("60");
    }
    expect((await get("/user", { authorization: "Bearer sandbox-token" })).status).toBe(200);
    const user = await get("/user", { authorization: "token second-token" });
    expect(await user.json()).toMatchObject({ login: "alice", id: 101 });
  });

  it("answers 404 for unknown paths and objects, 422 for bad parameters", async () => {
    const { get } = await start();
    for (const path of ["/nope", "/repos/acme", "/repos/other-org/checkout-api", `${R}/pulls/99`, `${R}/pulls/abc`, `${R}/deployments/5003`, `${R}/actions/runs/1`, "/orgs/acme/teams"]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ message: "Not Found", documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com\//) });
    }
    for (const path of [`${R}/commits?per_page=abc`, `${R}/pulls?page=x`, `${R}/pulls?direction=up`, `${R}/issues?since=yesterday`, `${R}/actions/runs?created=soon`, `${R}/compare/main`]) {
      const response = await get(path);
      expect(response.status, path).toBe(422);
      expect(await response.json()).toMatchObject({ message: "Validation Failed", errors: [expect.objectContaining({ code: "invalid" })] });
    }
    expect((await get(`${R}/pulls`, AUTH, "POST")).status).toBe(404);
  });

  it("stamps GitHub's headers, with Date from the injected clock", async () => {
    const { get } = await start();
    const response = await get(`${R}/pulls`);
    expect(response.headers.get("date")).toBe(new Date(NOW).toUTCString());
    expect(response.headers.get("x-github-media-type")).toBe("github.v3; format=json");
    expect(response.headers.get("x-github-request-id")).toBeTruthy();
    expect(response.headers.get("x-ratelimit-resource")).toBe("core");
    const head = await get(`${R}/pulls`, AUTH, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(response.headers.get("etag"));
  });
});

describe("primary rate limit", () => {
  it("counts requests, refuses with 403 when exhausted, refills once the clock passes reset", async () => {
    const { clock, get } = await start({ rateLimit: { limit: 3, windowSeconds: 60 } });
    const resetAt = Math.floor(Date.parse(NOW) / 1000) + 60;
    const seen: Array<[number, string | null, string | null]> = [];
    for (let index = 0; index < 4; index += 1) {
      const response = await get("/orgs/acme");
      seen.push([response.status, response.headers.get("x-ratelimit-remaining"), response.headers.get("x-ratelimit-used")]);
      expect(response.headers.get("x-ratelimit-reset")).toBe(String(resetAt));
      expect(response.headers.get("x-ratelimit-limit")).toBe("3");
      if (response.status === 403) {
        expect(await response.json()).toMatchObject({ message: "API rate limit exceeded for user ID 101.", documentation_url: expect.stringContaining("docs.github.com") });
      }
    }
    expect(seen).toEqual([
      [200, "2", "1"],
      [200, "1", "2"],
      [200, "0", "3"],
      [403, "0", "3"],
    ]);
    // /rate_limit is free and reports the same budget.
    const rate = (await (await get("/rate_limit")).json()) as { resources: { core: { remaining: number; used: number; reset: number } } };
    expect(rate.resources.core).toMatchObject({ remaining: 0, used: 3, reset: resetAt });

    clock.advance(59_000);
    expect((await get("/orgs/acme")).status).toBe(403);
    clock.advance(1_000);
    const refilled = await get("/orgs/acme");
    expect(refilled.status).toBe(200);
    expect(refilled.headers.get("x-ratelimit-remaining")).toBe("2");
    expect(refilled.headers.get("x-ratelimit-reset")).toBe(String(resetAt + 60));
  });
});

describe("fault injection", () => {
  const plan: FaultPlan = { rateLimited429: 0.1, secondaryRateLimit403: 0.1, serverError5xx: 0.1, dropConnection: 0.05, slow: 0.05, slowMs: 5, seed: "faults-1" };

  async function run(sandbox: GithubSandbox, count: number): Promise<Array<FaultKind | "ok">> {
    const outcomes: Array<FaultKind | "ok"> = [];
    for (let index = 0; index < count; index += 1) {
      // A fresh connection each time: a dropped socket must not take the next request with it.
      await fetch(`${sandbox.url}${R}/deployments`, { headers: { ...AUTH, connection: "close" } }).then(
        (response) => response.arrayBuffer(),
        () => undefined,
      );
      outcomes.push(sandbox.requests.at(-1)!.fault ?? "ok");
    }
    return outcomes;
  }

  it("injects each kind at about its share, reproducibly for a seed, and never on /rate_limit", async () => {
    const { sandbox, get } = await start({ faults: plan });
    const first = await run(sandbox, 400);
    const count = (kind: FaultKind | "ok") => first.filter((outcome) => outcome === kind).length;
    const within = (observed: number, share: number) => Math.abs(observed - share * 400) <= Math.max(12, share * 400 * 0.5);
    expect(within(count("rate-limited-429"), 0.1)).toBe(true);
    expect(within(count("secondary-rate-limit-403"), 0.1)).toBe(true);
    expect(within(count("server-error-502") + count("server-error-503"), 0.1)).toBe(true);
    expect(count("server-error-502")).toBeGreaterThan(0);
    expect(count("server-error-503")).toBeGreaterThan(0);
    expect(within(count("dropped-connection"), 0.05)).toBe(true);
    expect(within(sandbox.requests.filter((entry) => entry.delayedMs === 5).length, 0.05)).toBe(true);
    expect(sandbox.requests.filter((entry) => entry.fault === "dropped-connection").every((entry) => entry.status === 0)).toBe(true);

    // Same seed, same plan, same request sequence: the same faults.
    sandbox.setFaults(plan);
    sandbox.resetLog();
    expect(await run(sandbox, 400)).toEqual(first);
    // A different seed gives a different sequence.
    sandbox.setFaults({ ...plan, seed: "faults-2" });
    expect(await run(sandbox, 400)).not.toEqual(first);

    sandbox.setFaults({ serverError5xx: 1 });
    expect((await get("/rate_limit")).status).toBe(200);
    expect((await get("/orgs/acme")).status).toBeGreaterThanOrEqual(502);
    sandbox.setFaults(null);
    expect((await get("/orgs/acme")).status).toBe(200);
  });

  it("answers faults the way GitHub does, and a faulted request costs no budget", async () => {
    const { sandbox, get } = await start();
    const remaining = async () => Number((await get("/rate_limit")).headers.get("x-ratelimit-remaining"));
    const before = await remaining();

    sandbox.setFaults({ rateLimited429: 1, retryAfterSeconds: 1 });
    const tooMany = await get("/orgs/acme");
    expect(tooMany.status).toBe(429);
    expect(tooMany.headers.get("retry-after")).toBe("1");

    sandbox.setFaults({ secondaryRateLimit403: 1 });
    const secondary = await get("/orgs/acme");
    expect(secondary.status).toBe(403);
    expect(secondary.headers.get("retry-after")).toBe("1");
    expect(((await secondary.json()) as { message: string }).message).toContain("secondary rate limit");

    sandbox.setFaults({ serverError5xx: 1, seed: "x" });
    const bodies = await Promise.all(Array.from({ length: 12 }, () => get("/orgs/acme").then(async (response) => [response.status, response.headers.get("content-type")] as const)));
    expect(new Set(bodies.map(([status]) => status))).toEqual(new Set([502, 503]));
    expect(bodies.some(([, type]) => type?.startsWith("text/html"))).toBe(true);
    expect(bodies.some(([, type]) => type?.startsWith("application/json"))).toBe(true);

    sandbox.setFaults({ dropConnection: 1 });
    await expect(get("/orgs/acme", { ...AUTH, connection: "close" })).rejects.toThrow();

    sandbox.setFaults({ slow: 1, slowMs: 150 });
    const started = performance.now();
    expect((await get("/orgs/acme")).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);

    sandbox.setFaults(null);
    // Only the slow request (which was answered) counted.
    expect(await remaining()).toBe(before - 1);
  });

  it("lets Octokit with the retry plugin read everything through 5xx faults", async () => {
    const { sandbox } = await start({ faults: { serverError5xx: 0.3, seed: "octokit" } });
    const RetryingOctokit = Octokit.plugin(paginateRest, restEndpointMethods, retry);
    const octokit = new RetryingOctokit({ baseUrl: sandbox.url, auth: "sandbox-token", retry: { retryAfterBaseValue: 1, retries: 8 } });
    const commits = await octokit.paginate(octokit.rest.repos.listCommits, { owner: "acme", repo: "checkout-api", per_page: 2 });
    expect(commits).toHaveLength(9);
    expect(sandbox.requests.some((entry) => entry.status >= 500)).toBe(true);
  });
});

describe("the clock gates what exists", () => {
  it("shows a deployment status only once the clock has passed it, and future objects not at all", async () => {
    const { clock, get } = await start();
    const statuses = async () => ((await (await get(`${R}/deployments/5002/statuses`)).json()) as Array<{ id: number; state: string }>).map((status) => status.state);
    expect(await statuses()).toEqual(["in_progress"]);
    expect(((await (await get(`${R}/deployments/5002`)).json()) as { updated_at: string }).updated_at).toBe("2026-03-06T11:50:10Z");
    clock.advance(10 * 60_000);
    expect(await statuses()).toEqual(["failure", "in_progress"]);

    expect((await get(`${R}/deployments/5003`)).status).toBe(404);
    clock.set("2026-03-07T10:00:00Z");
    expect((await get(`${R}/deployments/5003`)).status).toBe(200);
  });

  it("replays the past: branch heads, PR states and runs as they were", async () => {
    const { clock, get } = await start();
    clock.set("2026-03-02T10:30:00Z");
    const commits = (await (await get(`${R}/commits`)).json()) as Array<{ commit: { message: string } }>;
    expect(commits.map((commit) => commit.commit.message)).toEqual(["Add health endpoint", "Initial commit"]);
    const pr = (await (await get(`${R}/pulls/1`)).json()) as { state: string; merged: boolean; merged_at: string | null; merge_commit_sha: string | null };
    expect(pr).toMatchObject({ state: "open", merged: false, merged_at: null, merge_commit_sha: null });
    expect((await get(`${R}/pulls/2`)).status).toBe(404);
    expect((await get(`${R}/issues/5`)).status).toBe(404);

    clock.set("2026-03-03T10:03:00Z");
    const run = (await (await get(`${R}/actions/runs/8002`)).json()) as { status: string; conclusion: string | null };
    expect(run).toMatchObject({ status: "in_progress", conclusion: null });
  });

  it("serves a swapped org", async () => {
    const { sandbox, get } = await start();
    const org: SandboxOrg = buildSmallOrg();
    org.repositories[0]!.deployments.push({ ...org.repositories[0]!.deployments[0]!, id: 5999, createdAt: "2026-03-06T11:59:00Z", statuses: [] });
    sandbox.setOrg(org);
    const deployments = (await (await get(`${R}/deployments`)).json()) as Array<{ id: number }>;
    expect(deployments.map((deployment) => deployment.id)).toEqual([5999, 5002, 5001]);
  });
});
