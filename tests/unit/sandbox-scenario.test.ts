import { describe, expect, it } from "vitest";
import type { SandboxRepository } from "@/lib/sandbox/github/model";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { createRandom } from "@/lib/sandbox/scenario/random";

const ANCHOR = new Date("2026-06-15T12:00:00Z");
const DAY_MS = 86_400_000;
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const SHA = /^[0-9a-f]{40}$/;

const started = performance.now();
const { org, truth } = generateScenario({ anchor: ANCHOR });
const generationMs = performance.now() - started;

const ms = (iso: string): number => Date.parse(iso);

function repoOf(name: string): SandboxRepository {
  const repo = org.repositories.find((candidate) => candidate.name === name);
  if (!repo) throw new Error(`no repository ${name}`);
  return repo;
}

function reachableFrom(repo: SandboxRepository, head: string): Set<string> {
  const seen = new Set<string>();
  const stack = [head];
  while (stack.length > 0) {
    const sha = stack.pop()!;
    if (seen.has(sha)) continue;
    seen.add(sha);
    stack.push(...(repo.commits.get(sha)?.parents ?? []));
  }
  return seen;
}

function defaultHead(repo: SandboxRepository): string {
  return repo.branches.get(repo.defaultBranch)!;
}

/** Every string that looks like a timestamp anywhere in a value (Maps included). */
function timestampsIn(value: unknown, found: string[] = []): string[] {
  if (typeof value === "string") {
    if (/^\d{4}-\d{2}-\d{2}T/.test(value)) found.push(value);
  } else if (value instanceof Map) {
    for (const item of value.values()) timestampsIn(item, found);
  } else if (Array.isArray(value)) {
    for (const item of value) timestampsIn(item, found);
  } else if (value && typeof value === "object") {
    for (const item of Object.values(value)) timestampsIn(item, found);
  }
  return found;
}

const allPullRequests = org.repositories.flatMap((repo) => repo.pullRequests.map((pr) => ({ repo, pr })));
const mergedPullRequests = allPullRequests.filter(({ pr }) => pr.mergedAt !== null);

describe("random", () => {
  it("is a seeded stream with named draws", () => {
    const a = createRandom("x");
    const b = createRandom("x");
    const draws = (r: ReturnType<typeof createRandom>) => [r.int(1, 6), r.pick(["a", "b", "c"]), r.chance(0.5), r.weighted([["p", 1], ["q", 3]] as const), r.shuffle([1, 2, 3, 4]), r.hexSha()];
    expect(draws(a)).toEqual(draws(b));
    expect(createRandom("x").hexSha()).not.toBe(createRandom("y").hexSha());
    expect(createRandom("x").hexSha()).toMatch(SHA);
    const r = createRandom("bounds");
    for (let i = 0; i < 1000; i++) {
      const n = r.int(-3, 3);
      expect(n).toBeGreaterThanOrEqual(-3);
      expect(n).toBeLessThanOrEqual(3);
    }
    expect(r.weighted([["never", 0], ["always", 1]] as const)).toBe("always");
  });
});

describe("generateScenario: determinism and time", () => {
  it("gives a deep-equal org and truth for the same seed and anchor", () => {
    const again = generateScenario({ anchor: ANCHOR });
    expect(again.truth).toEqual(truth);
    expect(again.org).toEqual(org);
  });

  it("gives a different history for a different seed", () => {
    const other = generateScenario({ anchor: ANCHOR, seed: "another-seed", historyDays: 60 });
    const sameSeedShort = generateScenario({ anchor: ANCHOR, historyDays: 60 });
    expect(other.truth.changes.map((change) => change.landedSha)).not.toEqual(sameSeedShort.truth.changes.map((change) => change.landedSha));
    expect(other.truth.changes.length).toBeGreaterThan(0);
  });

  it("keeps every timestamp in [anchor - historyDays, anchor], in GitHub's whole-second format", () => {
    const from = ANCHOR.getTime() - 200 * DAY_MS;
    const stamps = [...timestampsIn(org), ...timestampsIn(truth)];
    expect(stamps.length).toBeGreaterThan(10_000);
    // Collected first: one expect per timestamp would make this test slow for no gain.
    const misfits = stamps.filter((stamp) => !ISO_SECONDS.test(stamp) || ms(stamp) < from || ms(stamp) > ANCHOR.getTime());
    expect(misfits).toEqual([]);
    expect(truth.anchor).toBe(ANCHOR.toISOString().replace(".000Z", "Z"));
    expect(truth.historyDays).toBe(200);
  });

  it("honours a short history too", () => {
    const short = generateScenario({ anchor: ANCHOR, historyDays: 30 });
    const from = ANCHOR.getTime() - 30 * DAY_MS;
    const misfits = [...timestampsIn(short.org), ...timestampsIn(short.truth)].filter((stamp) => ms(stamp) < from || ms(stamp) > ANCHOR.getTime());
    expect(misfits).toEqual([]);
    expect(short.truth.deployments.length).toBeGreaterThan(0);
  });

  it("generates the default org fast", () => {
    // Measured at well under 3 s; the bound is generous for slow CI machines.
    expect(generationMs).toBeLessThan(10_000);
  });
});

describe("generateScenario: org shape", () => {
  it("has the org, teams, services and one repository per service", () => {
    expect(org.login).toBe("acme-sandbox");
    expect(truth.org).toBe("acme-sandbox");
    expect(truth.teams.length).toBeGreaterThanOrEqual(4);
    expect(truth.services.length).toBeGreaterThanOrEqual(24);
    const devops = truth.services.filter((service) => service.methodology === "devops");
    expect(devops.length * 2).toBe(truth.services.length);
    // One app repository per service; the GitOps services' config repositories (topic `gitops-config`) come after them.
    const appRepositories = org.repositories.filter((repo) => !repo.topics.includes("gitops-config"));
    expect(appRepositories.map((repo) => repo.name).sort()).toEqual(truth.services.map((service) => service.slug).sort());
    expect(org.repositories.filter((repo) => repo.topics.includes("gitops-config")).map((repo) => repo.name).sort()).toEqual(
      truth.services.filter((service) => service.deployVia === "gitops").map((service) => `${service.slug}-config`).sort(),
    );
    for (const service of truth.services) {
      expect(service.repository).toBe(`acme-sandbox/${service.slug}`);
      expect(truth.teams.map((team) => team.slug)).toContain(service.teamSlug);
      expect(repoOf(service.slug).defaultBranch).toBe(service.defaultBranch);
      expect(service.deployVia === "gitops").toBe(service.methodology === "gitops");
    }
  });

  it("deploys devops services through Deployments or an Actions deploy workflow, never both", () => {
    const devops = truth.services.filter((service) => service.methodology === "devops");
    const viaWorkflow = devops.filter((service) => service.deployVia === "actions_workflow");
    expect(viaWorkflow.length).toBeGreaterThanOrEqual(3);
    expect(devops.length - viaWorkflow.length).toBeGreaterThan(viaWorkflow.length);
    for (const service of devops) {
      const repo = repoOf(service.slug);
      const deployWorkflows = repo.workflows.filter((workflow) => /deploy/i.test(workflow.name) || /deploy/i.test(workflow.path));
      if (service.deployVia === "actions_workflow") {
        expect(repo.deployments).toEqual([]);
        expect(deployWorkflows).toHaveLength(1);
        const runs = repo.workflowRuns.filter((run) => run.workflowId === deployWorkflows[0]!.id);
        expect(runs.length).toBeGreaterThan(10);
        for (const run of runs) expect(["staging", "production"]).toContain(run.inputs.environment);
      } else {
        expect(repo.deployments.length).toBeGreaterThan(0);
        expect(deployWorkflows).toEqual([]);
      }
    }
  });

  it("gives GitOps services PRs and CI builds on the default branch, and no deployments", () => {
    for (const service of truth.services.filter((candidate) => candidate.methodology === "gitops")) {
      const repo = repoOf(service.slug);
      expect(repo.deployments).toEqual([]);
      expect(repo.pullRequests.length).toBeGreaterThan(10);
      expect(repo.workflows.some((workflow) => /deploy/i.test(workflow.name + workflow.path))).toBe(false);
      const ci = repo.workflows.find((workflow) => workflow.name === "ci")!;
      expect(repo.workflowRuns.some((run) => run.workflowId === ci.id && run.headBranch === repo.defaultBranch && run.event === "push")).toBe(true);
      expect(truth.deployments.some((deployment) => deployment.serviceSlug === service.slug)).toBe(false);
    }
  });

  it("has 15–30 users, humans and a deploy bot", () => {
    expect(org.users.length).toBeGreaterThanOrEqual(15);
    expect(org.users.length).toBeLessThanOrEqual(30);
    expect(org.users.find((user) => user.login === "deploy-bot")?.type).toBe("Bot");
    expect(org.users.filter((user) => user.type === "User").length).toBeGreaterThanOrEqual(14);
  });

  it("has a repository whose default branch is not main", () => {
    const others = org.repositories.filter((repo) => repo.defaultBranch !== "main");
    expect(others.length).toBeGreaterThan(0);
    for (const repo of others) expect(repo.branches.has(repo.defaultBranch)).toBe(true);
    expect(others.some((repo) => truth.services.find((service) => service.slug === repo.name)?.methodology === "devops")).toBe(true);
  });

  it("uses ids unique per kind across the org, and one number sequence for PRs and issues per repository", () => {
    const unique = (values: number[]) => expect(new Set(values).size).toBe(values.length);
    unique(org.users.map((user) => user.id));
    unique(org.repositories.map((repo) => repo.id));
    unique(allPullRequests.map(({ pr }) => pr.id));
    unique(allPullRequests.flatMap(({ pr }) => pr.reviews.map((review) => review.id)));
    unique(org.repositories.flatMap((repo) => repo.issues.map((issue) => issue.id)));
    unique(org.repositories.flatMap((repo) => repo.deployments.map((deployment) => deployment.id)));
    unique(org.repositories.flatMap((repo) => repo.deployments.flatMap((deployment) => deployment.statuses.map((status) => status.id))));
    unique(org.repositories.flatMap((repo) => repo.workflows.map((workflow) => workflow.id)));
    unique(org.repositories.flatMap((repo) => repo.workflowRuns.map((run) => run.id)));
    for (const repo of org.repositories) {
      const numbered = [...repo.pullRequests, ...repo.issues].sort((a, b) => a.number - b.number);
      expect(numbered.map((item) => item.number)).toEqual(numbered.map((_, index) => index + 1));
      const byTime = [...numbered].sort((a, b) => ms(a.createdAt) - ms(b.createdAt) || a.number - b.number);
      expect(byTime.map((item) => item.number)).toEqual(numbered.map((item) => item.number));
    }
  });

  it("allocates deployment ids in creation order", () => {
    const deployments = org.repositories.flatMap((repo) => repo.deployments).sort((a, b) => a.id - b.id);
    for (let i = 1; i < deployments.length; i++) expect(ms(deployments[i]!.createdAt)).toBeGreaterThanOrEqual(ms(deployments[i - 1]!.createdAt));
  });
});

describe("generateScenario: commit graph", () => {
  it("has 40-hex shas unique across the org, parents in the same repository, and a bounded volume", () => {
    const seen = new Set<string>();
    const problems: string[] = [];
    let total = 0;
    for (const repo of org.repositories) {
      for (const [sha, commit] of repo.commits) {
        total++;
        if (!SHA.test(sha) || commit.sha !== sha || !SHA.test(commit.treeSha)) problems.push(`${repo.name}: malformed ${sha}`);
        if (seen.has(sha)) problems.push(`${repo.name}: duplicate ${sha}`);
        seen.add(sha);
        if (commit.parents.length > 2 || commit.parents.some((parent) => !repo.commits.has(parent))) problems.push(`${repo.name}: bad parents of ${sha}`);
      }
      for (const head of repo.branches.values()) expect(repo.commits.has(head)).toBe(true);
      expect([...repo.commits.values()].filter((commit) => commit.parents.length === 0)).toHaveLength(1);
    }
    expect(problems).toEqual([]);
    expect(total).toBeGreaterThan(3_000);
    expect(total).toBeLessThan(40_000);
  });

  it("merges with two-parent merge commits whose first parent is the previous base head", () => {
    const merges = mergedPullRequests.filter(({ pr }) => pr.mergeMethod === "merge");
    expect(merges.length).toBeGreaterThan(20);
    for (const { repo, pr } of merges) {
      const commit = repo.commits.get(pr.mergeCommitSha!)!;
      expect(commit.parents).toHaveLength(2);
      expect(commit.parents[1]).toBe(pr.headSha);
      expect(commit.committer.date).toBe(pr.mergedAt);
      // The first parent is the landed commit of the change merged just before (base head then).
      const changes = truth.changes.filter((change) => change.repository === repo.fullName);
      const index = changes.findIndex((change) => change.landedSha === pr.mergeCommitSha);
      expect(commit.parents[0]).toBe(changes[index - 1]!.landedSha);
    }
  });

  it("squashes into one new commit on the base; the PR's commits stay off the default branch", () => {
    const squashes = mergedPullRequests.filter(({ pr }) => pr.mergeMethod === "squash");
    expect(squashes.length).toBeGreaterThan(20);
    const reachableByRepo = new Map(org.repositories.map((repo) => [repo.name, reachableFrom(repo, defaultHead(repo))]));
    for (const { repo, pr } of squashes) {
      const reachable = reachableByRepo.get(repo.name)!;
      const commit = repo.commits.get(pr.mergeCommitSha!)!;
      expect(commit.parents).toHaveLength(1);
      expect(pr.commitShas).not.toContain(pr.mergeCommitSha);
      expect(reachable.has(pr.mergeCommitSha!)).toBe(true);
      for (const sha of pr.commitShas) expect(reachable.has(sha)).toBe(false);
      expect(reachableFrom(repo, pr.headSha).has(pr.commitShas[0]!)).toBe(true);
    }
  });

  it("rebases by re-creating the PR's commits with new shas, same authors and author dates", () => {
    const rebases = mergedPullRequests.filter(({ pr }) => pr.mergeMethod === "rebase");
    expect(rebases.length).toBeGreaterThan(20);
    for (const { repo, pr } of rebases) {
      const chain: string[] = [];
      let sha = pr.mergeCommitSha!;
      for (let i = 0; i < pr.commitShas.length; i++) {
        chain.unshift(sha);
        sha = repo.commits.get(sha)!.parents[0]!;
      }
      chain.forEach((rebasedSha, i) => {
        const rebased = repo.commits.get(rebasedSha)!;
        const original = repo.commits.get(pr.commitShas[i]!)!;
        expect(pr.commitShas).not.toContain(rebasedSha);
        expect(rebased.parents).toHaveLength(1);
        expect(rebased.author).toEqual(original.author);
        expect(rebased.message).toBe(original.message);
        expect(rebased.committer.date).toBe(pr.mergedAt);
      });
    }
  });

  it("lands every change on the default branch", () => {
    // App repositories only: a config repository's commits are image bumps, not changes.
    for (const repo of org.repositories.filter((candidate) => !candidate.topics.includes("gitops-config"))) {
      const reachable = reachableFrom(repo, defaultHead(repo));
      const changes = truth.changes.filter((change) => change.repository === repo.fullName);
      expect(changes.length).toBeGreaterThan(5);
      for (const change of changes) expect(reachable.has(change.landedSha)).toBe(true);
      expect(changes.at(-1)!.landedSha).toBe(defaultHead(repo));
    }
  });

  it("records every merged PR and direct push as a change, with its first commit's author date", () => {
    expect(truth.changes.filter((change) => change.kind === "pull_request")).toHaveLength(mergedPullRequests.length);
    for (const { repo, pr } of mergedPullRequests) {
      const change = truth.changes.find((candidate) => candidate.repository === repo.fullName && candidate.pullRequestNumber === pr.number)!;
      expect(change.landedSha).toBe(pr.mergeCommitSha);
      expect(change.mergeMethod).toBe(pr.mergeMethod);
      expect(change.firstCommitAuthoredAt).toBe(repo.commits.get(pr.commitShas[0]!)!.author.date);
      expect(change.openedAt).toBe(pr.createdAt);
      expect(change.mergedAt).toBe(pr.mergedAt);
      expect(ms(change.firstCommitAuthoredAt)).toBeLessThanOrEqual(ms(pr.createdAt));
      expect(change.labels).toEqual(pr.labels);
    }
    const pushes = truth.changes.filter((change) => change.kind === "direct_push");
    // The initial commit of each repository plus real direct pushes.
    expect(pushes.length).toBeGreaterThan(org.repositories.length);
    for (const push of pushes) {
      const repo = org.repositories.find((candidate) => candidate.fullName === push.repository)!;
      const commit = repo.commits.get(push.landedSha)!;
      expect(push.firstCommitAuthoredAt).toBe(commit.author.date);
      expect(push.pullRequestNumber).toBeNull();
      expect(commit.parents.length).toBeLessThanOrEqual(1);
      expect(repo.pullRequests.some((pr) => pr.commitShas.includes(push.landedSha))).toBe(false);
    }
  });

  it("has signed and unsigned commits", () => {
    const commits = org.repositories.flatMap((repo) => [...repo.commits.values()]);
    expect(commits.some((commit) => commit.verified)).toBe(true);
    expect(commits.some((commit) => !commit.verified)).toBe(true);
  });
});

describe("generateScenario: pull requests", () => {
  it("has merged, closed-unmerged and still-open PRs, branched off the base", () => {
    expect(allPullRequests.some(({ pr }) => pr.state === "closed" && pr.mergedAt === null)).toBe(true);
    const open = allPullRequests.filter(({ pr }) => pr.state === "open");
    expect(open.length).toBeGreaterThanOrEqual(3);
    for (const { repo, pr } of open) expect(repo.branches.get(pr.headRef)).toBe(pr.headSha);
    for (const { repo, pr } of allPullRequests) {
      expect(pr.commitShas.length).toBeGreaterThanOrEqual(1);
      expect(pr.headSha).toBe(pr.commitShas.at(-1));
      expect(repo.commits.get(pr.commitShas[0]!)!.parents).toEqual([pr.baseSha]);
      expect(pr.baseRef).toBe(repo.defaultBranch);
    }
    const sizes = new Set(mergedPullRequests.map(({ pr }) => pr.commitShas.length));
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(5);
  });

  it("reviews by others, merges without approval, and changes requested before approval", () => {
    const approvedByOther = mergedPullRequests.filter(({ pr }) => pr.reviews.some((review) => review.state === "APPROVED" && review.userLogin !== pr.authorLogin));
    expect(approvedByOther.length / mergedPullRequests.length).toBeGreaterThan(0.7);
    expect(allPullRequests.every(({ pr }) => pr.reviews.every((review) => review.userLogin !== pr.authorLogin))).toBe(true);
    const unapproved = mergedPullRequests.filter(({ pr }) => !pr.reviews.some((review) => review.state === "APPROVED"));
    expect(unapproved.length).toBeGreaterThan(0);
    for (const { repo, pr } of unapproved) {
      expect(truth.changes.find((change) => change.repository === repo.fullName && change.pullRequestNumber === pr.number)!.approvedByAnother).toBe(false);
    }
    const changesRequested = mergedPullRequests.filter(({ pr }) => {
      const states = pr.reviews.map((review) => review.state);
      return states.indexOf("CHANGES_REQUESTED") >= 0 && states.lastIndexOf("APPROVED") > states.indexOf("CHANGES_REQUESTED");
    });
    expect(changesRequested.length).toBeGreaterThan(0);
  });

  it("has revert PRs shaped like GitHub's revert button makes them", () => {
    const reverts = truth.changes.filter((change) => change.revertsPullRequestNumber !== null);
    expect(reverts.length).toBeGreaterThan(0);
    for (const revert of reverts) {
      const repo = org.repositories.find((candidate) => candidate.fullName === revert.repository)!;
      const pr = repo.pullRequests.find((candidate) => candidate.number === revert.pullRequestNumber)!;
      const original = repo.pullRequests.find((candidate) => candidate.number === revert.revertsPullRequestNumber)!;
      expect(original.mergedAt).not.toBeNull();
      expect(pr.title).toBe(`Revert "${original.title}"`);
      expect(pr.body).toBe(`Reverts acme-sandbox/${repo.name}#${original.number}`);
      expect(pr.headRef).toBe(`revert-${original.number}-${original.headRef}`);
    }
  });

  it("labels some PRs hotfix", () => {
    const hotfixes = allPullRequests.filter(({ pr }) => pr.labels.includes("hotfix"));
    expect(hotfixes.length).toBeGreaterThan(0);
    expect(truth.changes.some((change) => change.labels.includes("hotfix"))).toBe(true);
  });
});

