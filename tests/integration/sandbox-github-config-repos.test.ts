/**
 * The GitOps config repositories on the sandbox's GitHub, over HTTP: listed with the org's other
 * repositories and their topics, history by path, single commits with the file they change,
 * compare, branches and contents, all as of the clock's now.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { type GithubSandbox, startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import { generateScenarioWithCluster } from "@/lib/sandbox/scenario/generate-scenario";
import type { GitopsApp, GitopsConfigCommit } from "@/lib/sandbox/scenario/gitops/model";
import type { GroundTruth } from "@/lib/sandbox/scenario/ground-truth";

const DAY_MS = 86_400_000;
const anchor = new Date("2026-11-27T12:00:00Z");
const clock = frozenClock(anchor);

type Json = Record<string, unknown>;

describe("config repositories on the sandbox's GitHub", () => {
  let sandbox: GithubSandbox;
  let truth: GroundTruth;
  let app: GitopsApp;
  let past: GitopsConfigCommit[];
  let future: GitopsConfigCommit[];

  const get = async (path: string): Promise<{ status: number; body: unknown; link: string | null }> => {
    const response = await fetch(`${sandbox.url}${path}`, { headers: { authorization: "token sandbox-token" } });
    return { status: response.status, body: await response.json(), link: response.headers.get("link") };
  };

  beforeAll(async () => {
    const scenario = generateScenarioWithCluster({ anchor, until: new Date(anchor.getTime() + 5 * DAY_MS) });
    truth = scenario.truth;
    app = truth.gitops.apps.find((candidate) => candidate.controller === "flux-helmrelease")!;
    const commits = truth.gitops.configCommits.filter((commit) => commit.repository === app.configRepository);
    past = commits.filter((commit) => Date.parse(commit.committedAt) <= anchor.getTime());
    future = commits.filter((commit) => Date.parse(commit.committedAt) > anchor.getTime());
    sandbox = await startGithubSandbox({ org: scenario.org, clock, port: 0, rateLimit: { limit: 100_000, windowSeconds: 3600 } });
  }, 120_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  it("lists them with the org's repositories, topics gitops-config and the owning team's", async () => {
    const { body } = await get(`/orgs/${truth.org}/repos?per_page=100&sort=full_name`);
    const repos = body as { full_name: string; topics: string[]; language: string | null }[];
    expect(repos).toHaveLength(truth.services.length + truth.gitops.apps.length);
    const configs = repos.filter((repo) => repo.topics.includes("gitops-config"));
    expect(configs.map((repo) => repo.full_name).sort()).toEqual(truth.gitops.apps.map((candidate) => candidate.configRepository).sort());
    for (const repo of configs) {
      const slug = repo.full_name.split("/")[1]!.replace(/-config$/, "");
      expect(repo.topics).toEqual(["gitops-config", `team-${truth.services.find((service) => service.slug === slug)!.teamSlug}`]);
      expect(repo.language).toBeNull();
    }
  });

  it("lists history filtered by path, since and until, paginated, none of it in the future", async () => {
    const base = `/repos/${app.configRepository}/commits?sha=${app.configBranch}&path=${encodeURIComponent(app.file)}`;
    const first = await get(`${base}&per_page=30`);
    expect((first.body as Json[]).map((commit) => commit.sha)).toEqual([...past].reverse().slice(0, 30).map((commit) => commit.sha));
    expect(first.link).toMatch(/rel="next"/);
    const since = past.at(-5)!.committedAt;
    const until = past.at(-2)!.committedAt;
    const window = await get(`${base}&since=${since}&until=${until}`);
    expect((window.body as Json[]).map((commit) => commit.sha)).toEqual(past.slice(-5, -1).reverse().map((commit) => commit.sha));
    const elsewhere = await get(`/repos/${app.configRepository}/commits?path=apps/nothing-here`);
    expect(elsewhere.body).toEqual([]);
  });

  it("serves a single commit with the file it changed, compare with the diff, and the branch at its head as of now", async () => {
    const bump = past.at(-1)!;
    const { body } = await get(`/repos/${app.configRepository}/commits/${bump.sha}`);
    const commit = body as { files: Json[]; stats: Json; commit: { message: string } };
    expect(commit.commit.message).toBe(bump.message);
    expect(commit.files).toHaveLength(1);
    expect(commit.files[0]).toMatchObject({ filename: app.file, status: "modified", additions: 1, deletions: 1 });
    expect(String(commit.files[0]!.patch)).toContain(`+  tag: "${bump.imageTag}"`);
    const compare = (await get(`/repos/${app.configRepository}/compare/${past.at(-3)!.sha}...${app.configBranch}`)).body as { status: string; ahead_by: number; files: Json[] };
    expect(compare).toMatchObject({ status: "ahead", ahead_by: 2 });
    expect(compare.files.map((file) => file.filename)).toEqual([app.file]);
    const branch = (await get(`/repos/${app.configRepository}/branches/${app.configBranch}`)).body as { commit: { sha: string } };
    expect(branch.commit.sha).toBe(bump.sha);
    expect((await get(`/repos/${app.configRepository}/commits/${future[0]!.sha}`)).status).toBe(422);
  });

  it("serves the file at a revision: base64 content, git's blob sha, 404 for a missing path or a future revision", async () => {
    const initial = past[0]!;
    const { status, body } = await get(`/repos/${app.configRepository}/contents/${app.file}?ref=${initial.sha}`);
    expect(status).toBe(200);
    const file = body as Json;
    expect(file).toMatchObject({ type: "file", encoding: "base64", path: app.file, name: app.file.split("/").at(-1), size: Buffer.byteLength(initial.content) });
    expect(Buffer.from(String(file.content), "base64").toString("utf8")).toBe(initial.content);
    const blob = createHash("sha1").update(`blob ${Buffer.byteLength(initial.content)}\0${initial.content}`).digest("hex");
    expect(file.sha).toBe(blob);
    const atBranch = (await get(`/repos/${app.configRepository}/contents/${app.file}?ref=${app.configBranch}`)).body as Json;
    expect(Buffer.from(String(atBranch.content), "base64").toString("utf8")).toBe(past.at(-1)!.content);
    expect((await get(`/repos/${app.configRepository}/contents/${app.path}/missing.yaml`)).status).toBe(404);
    expect((await get(`/repos/${app.configRepository}/contents/${app.file}?ref=${future[0]!.sha}`)).status).toBe(404);
    expect((await get(`/repos/${app.configRepository}/contents/${app.file}?ref=no-such-branch`)).status).toBe(404);
    // App repositories do not model their files: no contents rather than invented ones.
    expect((await get(`/repos/${app.appRepository}/contents/README.md`)).status).toBe(404);
  });
});
