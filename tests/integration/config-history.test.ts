/**
 * The config-history fetcher with the product's real GitHub client, over HTTP, against the sandbox
 * org: for an Argo CD service, the commits touching its file, the file at each, and the image read
 * from it are exactly the config commits the generator wrote down, as of the clock's now.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { type GithubSandbox, startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import { generateScenarioWithCluster } from "@/lib/sandbox/scenario/generate-scenario";
import type { GitopsApp, GitopsConfigCommit } from "@/lib/sandbox/scenario/gitops/model";
import { createGithubClient, type GithubClient } from "@/lib/sources/github/client";
import { listConfigCommits, readFileAt } from "@/lib/sources/github/config-history";
import { imageFromManifest } from "@/lib/sources/github/config-images";

const DAY_MS = 86_400_000;
const anchor = new Date("2026-11-27T12:00:00Z");
const clock = frozenClock(anchor);

describe("config history over the sandbox's GitHub", () => {
  let sandbox: GithubSandbox;
  let client: GithubClient;
  let app: GitopsApp;
  let owner: string;
  let repo: string;
  /** The truth's config commits of the app that have happened by the clock's now, oldest first. */
  let expected: GitopsConfigCommit[];
  let future: GitopsConfigCommit[];

  beforeAll(async () => {
    // Generated past now: the bumps still to come must not be served.
    const scenario = generateScenarioWithCluster({ anchor, until: new Date(anchor.getTime() + 5 * DAY_MS) });
    app = scenario.truth.gitops.apps.find((candidate) => candidate.controller === "argocd-application")!;
    [owner, repo] = app.configRepository.split("/") as [string, string];
    const commits = scenario.truth.gitops.configCommits.filter((commit) => commit.repository === app.configRepository);
    expected = commits.filter((commit) => Date.parse(commit.committedAt) <= anchor.getTime());
    future = commits.filter((commit) => Date.parse(commit.committedAt) > anchor.getTime());
    sandbox = await startGithubSandbox({ org: scenario.org, clock, port: 0, rateLimit: { limit: 100_000, windowSeconds: 3600 } });
    client = createGithubClient({ baseUrl: sandbox.url, token: "sandbox-token", clock, retryBaseMs: 5 });
  }, 120_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  it("has history to read: more than one page of bumps before now, and bumps still to come", () => {
    expect(expected.length).toBeGreaterThan(100);
    expect(future.length).toBeGreaterThan(0);
  });

  it("lists the commits touching the app's file, oldest first, across pages, none from the future", async () => {
    sandbox.resetLog();
    const commits = await listConfigCommits(client, { owner, repo, branch: app.configBranch, path: app.file, since: null });
    expect(commits.map((commit) => commit.sha)).toEqual(expected.map((commit) => commit.sha));
    expect(commits.map((commit) => commit.committedAt.toISOString())).toEqual(expected.map((commit) => new Date(commit.committedAt).toISOString()));
    expect(commits.map((commit) => commit.authorLogin)).toEqual(expected.map((commit) => commit.authorLogin));
    // Paginated through Link headers.
    expect(sandbox.requests.filter((request) => request.path.endsWith("/commits")).length).toBeGreaterThan(1);
  });

  it("reads the file at each revision, whose image is exactly the truth's image sequence", async () => {
    const commits = await listConfigCommits(client, { owner, repo, branch: app.configBranch, path: app.file, since: null });
    const images: (string | null)[] = [];
    for (const commit of commits) {
      const text = await readFileAt(client, { owner, repo, path: app.file, ref: commit.sha });
      expect(text, commit.sha).not.toBeNull();
      images.push(imageFromManifest(text!)?.reference ?? null);
    }
    expect(images).toEqual(expected.map((commit) => commit.image));
    expect(await readFileAt(client, { owner, repo, path: app.file, ref: app.configBranch })).toBe(expected.at(-1)!.content);
  }, 120_000);

  it("honours since, and a path no commit touched", async () => {
    const since = new Date(expected.at(-10)!.committedAt);
    const recent = await listConfigCommits(client, { owner, repo, branch: app.configBranch, path: app.file, since });
    expect(recent.map((commit) => commit.sha)).toEqual(expected.filter((commit) => Date.parse(commit.committedAt) >= since.getTime()).map((commit) => commit.sha));
    expect(await listConfigCommits(client, { owner, repo, branch: app.configBranch, path: "apps/someone-else/production", since: null })).toEqual([]);
    // The directory of the app matches the file under it.
    expect((await listConfigCommits(client, { owner, repo, branch: app.configBranch, path: app.path, since })).length).toBe(recent.length);
  });

  it("answers null for a missing file or a revision that has not happened yet", async () => {
    expect(await readFileAt(client, { owner, repo, path: `${app.path}/missing.yaml`, ref: app.configBranch })).toBeNull();
    expect(await readFileAt(client, { owner, repo, path: app.file, ref: future[0]!.sha })).toBeNull();
  });
});
