/**
 * The sandbox org living past its anchor, over HTTP: frozen at the anchor it serves exactly the org
 * that ends there; as the clock moves, new commits and deployments appear, what was there stays as
 * it was, changed lists lose their 304 and unchanged resources keep it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { SANDBOX_GITHUB_TOKEN } from "@/lib/ingest/integrations";
import { type GithubSandbox, startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { type RunningSandbox, SANDBOX_LIVE_DAYS, startSandbox } from "@/lib/sandbox/start-sandbox";

const DAY_MS = 86_400_000;
const ANCHOR = new Date("2026-06-15T12:00:00Z");
const REPO = "/repos/acme-sandbox/payments-api";
const AUTH = { authorization: `token ${SANDBOX_GITHUB_TOKEN}` };

interface DeploymentItem {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  created_at: string;
  creator: { login: string };
}
interface CommitItem {
  sha: string;
  commit: { committer: { date: string } };
}

const clock = frozenClock(ANCHOR);
let live: RunningSandbox;
let endsAtAnchor: GithubSandbox;

function get(base: string, path: string, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, { headers: { ...AUTH, ...headers } });
}

/** Every item of a paginated list, following `Link: rel="next"`. */
async function getAll<T>(base: string, path: string): Promise<T[]> {
  const items: T[] = [];
  let url: string | null = `${base}${path}`;
  while (url) {
    const response: Response = await fetch(url, { headers: AUTH });
    expect(response.status).toBe(200);
    items.push(...((await response.json()) as T[]));
    url = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get("link") ?? "")?.[1] ?? null;
  }
  return items;
}

beforeAll(async () => {
  clock.set(ANCHOR);
  live = await startSandbox({ clock, port: 0, anchor: ANCHOR });
  endsAtAnchor = await startGithubSandbox({ org: generateScenario({ anchor: ANCHOR }).org, clock, port: 0, token: SANDBOX_GITHUB_TOKEN, rateLimit: { limit: 100_000, windowSeconds: 3600 } });
});

afterAll(async () => {
  await live?.stop();
  await endsAtAnchor?.stop();
});

describe("the live sandbox org", () => {
  it("generates well past now, and at the anchor serves byte for byte the org that ends there", async () => {
    expect(live.until.getTime()).toBe(ANCHOR.getTime() + SANDBOX_LIVE_DAYS * DAY_MS);
    clock.set(ANCHOR);
    const paths = [
      "/orgs/acme-sandbox/repos?per_page=100",
      `${REPO}/deployments?per_page=100`,
      `${REPO}/commits?per_page=100`,
      `${REPO}/pulls?state=all&per_page=100`,
      `${REPO}/issues?state=all&per_page=100`,
      "/repos/acme-sandbox/feature-flags/actions/runs?per_page=100",
    ];
    for (const path of paths) {
      const [ours, reference] = await Promise.all([get(live.githubUrl, path), get(endsAtAnchor.url, path)]);
      expect(ours.status, path).toBe(200);
      // Same bytes but for the server's own address, hence the same ETag from one server: a product
      // that synced before a restart with a longer horizon gets 304s.
      const [ourBody, referenceBody] = await Promise.all([ours.text(), reference.text()]);
      expect(ourBody.replaceAll(live.githubUrl, "BASE"), path).toBe(referenceBody.replaceAll(endsAtAnchor.url, "BASE"));
    }
    expect(live.truthAt(ANCHOR)).toEqual(generateScenario({ anchor: ANCHOR }).truth);
  });

  it("reveals new commits and deployments as the clock moves; old ones stay, changed lists lose their 304", async () => {
    const t0 = new Date(ANCHOR.getTime() + DAY_MS);
    clock.set(t0);
    const deploymentsEtag = (await get(live.githubUrl, `${REPO}/deployments?per_page=100`)).headers.get("etag")!;
    const deploymentsBefore = await getAll<DeploymentItem>(live.githubUrl, `${REPO}/deployments?per_page=100`);
    const commitsBefore = await getAll<CommitItem>(live.githubUrl, `${REPO}/commits?per_page=100`);
    const oldCommit = commitsBefore.at(-5)!.sha;
    const oldCommitEtag = (await get(live.githubUrl, `${REPO}/commits/${oldCommit}`)).headers.get("etag")!;
    expect(deploymentsBefore.length).toBeGreaterThan(0);

    clock.advance(7 * DAY_MS);
    const t1 = clock.now();
    const changed = await get(live.githubUrl, `${REPO}/deployments?per_page=100`, { "if-none-match": deploymentsEtag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(deploymentsEtag);
    const deploymentsAfter = await getAll<DeploymentItem>(live.githubUrl, `${REPO}/deployments?per_page=100`);

    const within = (iso: string) => Date.parse(iso) > t0.getTime() && Date.parse(iso) <= t1.getTime();
    const oldIds = new Set(deploymentsBefore.map((deployment) => deployment.id));
    const added = deploymentsAfter.filter((deployment) => !oldIds.has(deployment.id));
    // A full release at least: staging, then production.
    expect(added.length).toBeGreaterThanOrEqual(2);
    for (const deployment of added) expect(within(deployment.created_at), `deployment ${deployment.id}`).toBe(true);
    // What a deployment is never changes (only its statuses and updated_at move on).
    const identity = ({ id, sha, ref, environment, created_at, creator }: DeploymentItem) => ({ id, sha, ref, environment, created_at, creator: creator.login });
    const afterById = new Map(deploymentsAfter.map((deployment) => [deployment.id, deployment]));
    for (const deployment of deploymentsBefore) expect(identity(afterById.get(deployment.id)!)).toEqual(identity(deployment));

    const commitsAfter = await getAll<CommitItem>(live.githubUrl, `${REPO}/commits?per_page=100`);
    const afterBySha = new Map(commitsAfter.map((commit) => [commit.sha, commit]));
    for (const commit of commitsBefore) expect(afterBySha.get(commit.sha), commit.sha).toEqual(commit);
    const newCommits = commitsAfter.filter((commit) => !commitsBefore.some((old) => old.sha === commit.sha));
    expect(newCommits.length).toBeGreaterThan(2);
    for (const commit of newCommits) expect(within(commit.commit.committer.date), commit.sha).toBe(true);

    // An unchanged resource still answers the old tag with a free 304.
    expect((await get(live.githubUrl, `${REPO}/commits/${oldCommit}`, { "if-none-match": oldCommitEtag })).status).toBe(304);

    // The truth as of now has exactly the finished deployments the API shows.
    const finished = new Set(
      (
        await Promise.all(
          deploymentsAfter.map(async (deployment) => {
            const statuses = (await (await get(live.githubUrl, `${REPO}/deployments/${deployment.id}/statuses`)).json()) as { state: string }[];
            return statuses.some((status) => ["success", "failure", "error"].includes(status.state)) ? [String(deployment.id)] : [];
          }),
        )
      ).flat(),
    );
    const truthIds = live
      .truthAt(t1)
      .deployments.filter((deployment) => deployment.repository === "acme-sandbox/payments-api")
      .map((deployment) => deployment.externalId);
    expect(new Set(truthIds)).toEqual(finished);
  });

  it("shows a release running at now as in progress, and finished once the clock passes its end", async () => {
    const later = live.truthAt(live.until).deployments.find((deployment) => deployment.repository === "acme-sandbox/payments-api" && Date.parse(deployment.startedAt) > ANCHOR.getTime() + 10 * DAY_MS)!;
    const statusesPath = `${REPO}/deployments/${later.externalId}/statuses`;
    clock.set(new Date(Date.parse(later.startedAt) - 1000));
    expect((await get(live.githubUrl, statusesPath)).status).toBe(404);
    clock.set(new Date(Date.parse(later.finishedAt) - 1000));
    const running = (await (await get(live.githubUrl, statusesPath)).json()) as { state: string }[];
    expect(running.map((status) => status.state)).toEqual(["in_progress"]);
    clock.set(later.finishedAt);
    const done = (await (await get(live.githubUrl, statusesPath)).json()) as { state: string }[];
    expect(done[0]!.state).toBe(later.outcome);
  });
});
