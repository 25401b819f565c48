/** Compare, computed from the commit graph: merge, squash and rebase merges, identical, ahead, behind, diverged. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { compareCommits, headAt, mergeBase, walkHistory } from "@/lib/sandbox/github/commit-graph";
import type { SandboxCommit } from "@/lib/sandbox/github/model";
import { type GithubSandbox, startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import { NOW, buildSmallOrg, shaOf } from "@/tests/fixtures/sandbox-small-org";

const R = "/repos/acme/checkout-api";

interface CompareBody {
  status: string;
  ahead_by: number;
  behind_by: number;
  total_commits: number;
  base_commit: { sha: string };
  merge_base_commit: { sha: string };
  commits: Array<{ sha: string; parents: Array<{ sha: string }> }>;
}

describe("commit graph", () => {
  /** A criss-cross history: two merge bases candidates, the newer one wins. */
  function graph(edges: Record<string, string[]>, minutes: Record<string, number>): Map<string, SandboxCommit> {
    const person = (label: string) => ({ name: "x", email: "x@x", date: new Date(Date.UTC(2026, 0, 1, 0, minutes[label]!)).toISOString().replace(".000Z", "Z"), login: null });
    return new Map(
      Object.entries(edges).map(([sha, parents]) => [sha, { sha, parents, message: sha, author: person(sha), committer: person(sha), verified: false, treeSha: `t${sha}` }]),
    );
  }
  const commits = graph(
    { a: [], b: ["a"], c: ["a"], x: ["b", "c"], y: ["c", "b"], p: ["x"], q: ["y"] },
    { a: 0, b: 1, c: 2, x: 3, y: 4, p: 5, q: 6 },
  );

  it("finds the best common ancestor, also with criss-cross merges", () => {
    // b and c are both best common ancestors of x and y; the newer (c) is reported.
    expect(mergeBase(commits, "x", "y")).toBe("c");
    expect(mergeBase(commits, "p", "q")).toBe("c");
    expect(mergeBase(commits, "b", "c")).toBe("a");
    expect(mergeBase(commits, "b", "x")).toBe("b");
    expect(mergeBase(commits, "a", "missing")).toBeNull();
  });

  it("walks history newest first and replays a branch head at an earlier time", () => {
    expect(walkHistory(commits, ["p"]).map((commit) => commit.sha)).toEqual(["p", "x", "c", "b", "a"]);
    expect(headAt(commits, "p", new Date("2026-01-01T00:03:30Z"))).toBe("x");
    expect(headAt(commits, "p", new Date("2025-12-31T00:00:00Z"))).toBeNull();
  });

  it("compares ahead, behind, diverged and identical", () => {
    expect(compareCommits(commits, "a", "p")).toMatchObject({ status: "ahead", aheadBy: 4, behindBy: 0 });
    expect(compareCommits(commits, "p", "a")).toMatchObject({ status: "behind", aheadBy: 0, behindBy: 4 });
    expect(compareCommits(commits, "p", "q")).toMatchObject({ status: "diverged", aheadBy: 2, behindBy: 2 });
    expect(compareCommits(commits, "p", "p")).toMatchObject({ status: "identical", aheadBy: 0, behindBy: 0, commits: [] });
  });
});

describe("sandbox GitHub compare", () => {
  let sandbox: GithubSandbox;
  const compare = async (basehead: string, query = "") => {
    const response = await fetch(`${sandbox.url}${R}/compare/${basehead}${query}`, { headers: { authorization: "token sandbox-token" } });
    expect(response.status).toBe(200);
    return { body: (await response.json()) as CompareBody, link: response.headers.get("link") };
  };
  const shas = (body: CompareBody) => body.commits.map((commit) => commit.sha);

  beforeAll(async () => {
    sandbox = await startGithubSandbox({ org: buildSmallOrg(), clock: frozenClock(NOW) });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it("merge commit: the PR's commits and the merge commit arrive, with the direct push, oldest first", async () => {
    const { body } = await compare(`${shaOf("c2")}...${shaOf("m1")}`);
    expect(body).toMatchObject({ status: "ahead", ahead_by: 4, behind_by: 0, total_commits: 4 });
    expect(shas(body)).toEqual(["f1", "f2", "d1", "m1"].map(shaOf));
    expect(body.merge_base_commit.sha).toBe(shaOf("c2"));
    expect(body.commits.at(-1)!.parents.map((parent) => parent.sha)).toEqual([shaOf("d1"), shaOf("f2")]);
  });

  it("squash: the PR's own commits are not in compare from the pre-merge base to main, the squash commit is", async () => {
    const { body } = await compare(`${shaOf("m1")}...main`);
    expect(shas(body)).toEqual(["q1", "r1'", "r2'"].map(shaOf));
    expect(shas(body)).not.toContain(shaOf("s1"));
    expect(shas(body)).not.toContain(shaOf("s2"));
    expect(body).toMatchObject({ status: "ahead", ahead_by: 3, behind_by: 0 });
  });

  it("rebase: main carries new copies of the PR's commits, so the original head has diverged from main", async () => {
    const { body } = await compare(`${shaOf("r2")}...main`);
    expect(body).toMatchObject({ status: "diverged", ahead_by: 3, behind_by: 2, total_commits: 3 });
    expect(body.merge_base_commit.sha).toBe(shaOf("m1"));
    expect(shas(body)).toEqual(["q1", "r1'", "r2'"].map(shaOf));
  });

  it("diverged branches: the kept squash branch against main", async () => {
    const { body } = await compare("feature/cache...main");
    expect(body).toMatchObject({ status: "diverged", ahead_by: 3, behind_by: 2 });
    expect(body.base_commit.sha).toBe(shaOf("s2"));
    expect(body.merge_base_commit.sha).toBe(shaOf("m1"));
  });

  it("identical and behind", async () => {
    const identical = await compare("main...main");
    expect(identical.body).toMatchObject({ status: "identical", ahead_by: 0, behind_by: 0, total_commits: 0, commits: [] });
    const behind = await compare(`main...${shaOf("m1").slice(0, 12)}`);
    expect(behind.body).toMatchObject({ status: "behind", ahead_by: 0, behind_by: 3, commits: [] });
  });

  it("paginates the commit list when asked, keeping totals", async () => {
    const first = await compare(`${shaOf("c1")}...main`, "?per_page=3");
    expect(first.body.total_commits).toBe(8);
    expect(first.body.commits).toHaveLength(3);
    expect(first.link).toContain('rel="last"');
    const last = await compare(`${shaOf("c1")}...main`, "?per_page=3&page=3");
    expect(shas(last.body)).toEqual(["r1'", "r2'"].map(shaOf));
  });

  it("answers 404 for unknown refs and 422 for a malformed basehead", async () => {
    const unknown = await fetch(`${sandbox.url}${R}/compare/main...nope`, { headers: { authorization: "token sandbox-token" } });
    expect(unknown.status).toBe(404);
    const malformed = await fetch(`${sandbox.url}${R}/compare/main..feature/cache`, { headers: { authorization: "token sandbox-token" } });
    expect(malformed.status).toBe(422);
    expect(await malformed.json()).toMatchObject({ message: "Validation Failed" });
  });
});
