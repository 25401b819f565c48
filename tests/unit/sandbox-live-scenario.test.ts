/**
 * The org living on past its anchor: generating further never rewrites what came before (what a
 * client can see at an instant, and the ground truth as of it), and the future has the history's
 * kind of activity at its rates.
 */
import { describe, expect, it } from "vitest";
import type { SandboxOrg } from "@/lib/sandbox/github/model";
import { walkHistory } from "@/lib/sandbox/github/commit-graph";
import { branchesAt, deploymentsAt, issuesAt, lastActivityAt, pullsAt, runsAt, workflowsAt } from "@/lib/sandbox/github/server/visibility";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import type { GroundTruth } from "@/lib/sandbox/scenario/ground-truth";
import { truthAsOf } from "@/lib/sandbox/scenario/truth-as-of";

const DAY_MS = 86_400_000;
const ANCHOR = new Date("2026-06-15T12:00:00Z");
const at = (days: number) => new Date(ANCHOR.getTime() + days * DAY_MS);
const ms = (iso: string) => Date.parse(iso);

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

const toAnchor = timed(() => generateScenario({ anchor: ANCHOR }));
const to60 = timed(() => generateScenario({ anchor: ANCHOR, until: at(60) }));
// A shorter end about 20 days in, chosen while a release is running, so that what is in flight
// at the end must come out the same too.
const inFlight = to60.value.truth.deployments.find((deployment) => ms(deployment.startedAt) > at(20).getTime())!;
const midRelease = new Date(ms(inFlight.startedAt) + 60_000);
const to20 = generateScenario({ anchor: ANCHOR, until: midRelease });
console.log(`generateScenario: ${Math.round(toAnchor.ms)} ms to the anchor (200 days), ${Math.round(to60.ms)} ms to 60 days past it`);

/** Everything the sandbox would serve about the org at `instant`, in one comparable value. */
function visibleAt(org: SandboxOrg, instant: Date) {
  return {
    id: org.id,
    users: org.users,
    repositories: org.repositories.map((repo) => {
      const pulls = pullsAt(repo, instant);
      const issues = issuesAt(repo, instant);
      const branches = branchesAt(repo, instant);
      const pushedAt = [...branches.values()].map((sha) => repo.commits.get(sha)!.committer.date).sort().at(-1) ?? repo.createdAt;
      return {
        id: repo.id,
        name: repo.name,
        createdAt: repo.createdAt,
        updatedAt: lastActivityAt(repo, instant, pushedAt, pulls, issues),
        // What a client can reach: history from the branches, and the PRs' own commits.
        commits: walkHistory(repo.commits, [...branches.values(), ...pulls.flatMap((pr) => pr.commitShas)]),
        branches: [...branches].sort(([a], [b]) => a.localeCompare(b)),
        pulls,
        issues,
        deployments: deploymentsAt(repo, instant),
        workflows: workflowsAt(repo, instant),
        runs: runsAt(repo, instant),
      };
    }),
  };
}

function countIn(truth: GroundTruth, from: Date, to: Date) {
  const within = (iso: string) => ms(iso) > from.getTime() && ms(iso) <= to.getTime();
  return {
    changes: truth.changes.filter((change) => within(change.landedAt)).length,
    mergedPullRequests: truth.changes.filter((change) => change.kind === "pull_request" && within(change.landedAt)).length,
    productionDeployments: truth.deployments.filter((deployment) => deployment.production && within(deployment.finishedAt)).length,
  };
}

describe("prefix stability: generating further never changes the past", () => {
  const pairs = [
    { name: "anchor vs 60 days past it", shorter: toAnchor.value, longer: to60.value, end: ANCHOR },
    { name: "mid-release 20 days past the anchor vs 60 days", shorter: to20, longer: to60.value, end: midRelease },
  ];

  for (const { name, shorter, longer, end } of pairs) {
    it(`serves the same org at every instant up to the shorter end (${name})`, { timeout: 60_000 }, () => {
      for (const instant of [new Date(end.getTime() - 3 * DAY_MS), new Date(end.getTime() - 3_600_000), end]) {
        const short = visibleAt(shorter.org, instant);
        const long = visibleAt(longer.org, instant);
        // Compared as JSON first (a deep toEqual of the whole org is slow), repository by repository
        // so that a failure names where it starts and shows the structural diff.
        for (let i = 0; i < short.repositories.length; i++) {
          if (JSON.stringify(long.repositories[i]) !== JSON.stringify(short.repositories[i])) {
            expect(long.repositories[i], `${short.repositories[i]!.name} at ${instant.toISOString()}`).toEqual(short.repositories[i]);
          }
        }
        expect(JSON.stringify(long)).toBe(JSON.stringify(short));
      }
      // Not vacuous: the longer run does have more, and it is cut away above.
      const total = (org: SandboxOrg) => org.repositories.reduce((sum, repo) => sum + repo.commits.size + repo.deployments.length + repo.workflowRuns.length, 0);
      expect(total(longer.org)).toBeGreaterThan(total(shorter.org));
    });

    it(`has the same ground truth up to the shorter end (${name})`, () => {
      expect(truthAsOf(longer.truth, end)).toEqual(shorter.truth);
      expect(truthAsOf(shorter.truth, end)).toEqual(shorter.truth);
      expect(longer.truth.deployments.length).toBeGreaterThan(shorter.truth.deployments.length);
    });
  }

  it("cuts later facts out of the truth: resolutions, remediations and incident numbers still to come", () => {
    const full = to60.value.truth;
    const resolvedLater = full.incidents.find((incident) => incident.resolvedAt !== null && ms(incident.openedAt) > ANCHOR.getTime());
    expect(resolvedLater).toBeDefined();
    const between = new Date(ms(resolvedLater!.openedAt) + 1000);
    const cut = truthAsOf(full, between);
    expect(cut.incidents.find((incident) => incident.repository === resolvedLater!.repository && incident.number === resolvedLater!.number)?.resolvedAt).toBeNull();
    expect(cut.until).toBe(between.toISOString().replace(".000Z", "Z"));

    const remediated = full.deployments.find((deployment) => ms(deployment.finishedAt) > ANCHOR.getTime() && deployment.failedChange?.remediatedByExternalId);
    expect(remediated).toBeDefined();
    const remediation = full.deployments.find((deployment) => deployment.externalId === remediated!.failedChange!.remediatedByExternalId)!;
    const beforeRemediation = truthAsOf(full, new Date(ms(remediation.finishedAt) - 1000));
    expect(beforeRemediation.deployments.find((deployment) => deployment.externalId === remediated!.externalId)?.failedChange?.remediatedByExternalId).toBeNull();
    expect(beforeRemediation.deployments.some((deployment) => deployment.externalId === remediation.externalId)).toBe(false);
    // The original is untouched.
    expect(remediated!.failedChange!.remediatedByExternalId).toBe(remediation.externalId);
  });

  it("refuses an instant the truth does not reach", () => {
    expect(() => truthAsOf(to20.truth, new Date(midRelease.getTime() + 1000))).toThrow(/covers up to/);
  });
});

describe("the org past its anchor", () => {
  const { org, truth } = to60.value;

  it("keeps everything it generates within the horizon, and says how far that is", () => {
    expect(truth.until).toBe("2026-08-14T12:00:00Z");
    expect(to20.truth.until).toBe(midRelease.toISOString().replace(".000Z", "Z"));
    expect(toAnchor.value.truth.until).toBe(toAnchor.value.truth.anchor);
    const latest = [
      ...truth.changes.map((change) => change.landedAt),
      ...truth.deployments.map((deployment) => deployment.finishedAt),
      ...org.repositories.flatMap((repo) => [...repo.commits.values()].map((commit) => commit.committer.date)),
      ...org.repositories.flatMap((repo) => repo.workflowRuns.map((run) => run.updatedAt)),
    ].sort();
    expect(ms(latest.at(-1)!)).toBeLessThanOrEqual(at(60).getTime());
    expect(ms(latest.at(-1)!)).toBeGreaterThan(at(59).getTime());
    expect(() => generateScenario({ anchor: ANCHOR, until: at(-1) })).toThrow(/until/);
  });

  it("keeps merging, releasing, failing and having incidents at the history's rates", () => {
    const before = countIn(truth, at(-60), ANCHOR);
    const after = countIn(truth, ANCHOR, at(60));
    for (const key of Object.keys(before) as (keyof typeof before)[]) {
      expect(after[key], key).toBeGreaterThan(before[key] * 0.7);
      expect(after[key], key).toBeLessThan(before[key] * 1.3);
    }
    const later = (iso: string) => ms(iso) > ANCHOR.getTime();
    const future = truth.deployments.filter((deployment) => later(deployment.finishedAt));
    expect(future.some((deployment) => deployment.outcome === "failure" || deployment.outcome === "error")).toBe(true);
    expect(new Set(future.flatMap((deployment) => deployment.failedChange?.rule ?? [])).size).toBeGreaterThanOrEqual(3);
    expect(future.some((deployment) => deployment.isRollback)).toBe(true);
    expect(truth.incidents.filter((incident) => later(incident.openedAt)).length).toBeGreaterThan(0);
    expect(truth.changes.some((change) => later(change.landedAt) && change.revertsPullRequestNumber !== null)).toBe(true);
  });

  it("lands every later change on the default branch, whose head is the last change", () => {
    // App repositories only: a config repository's commits are image bumps, not changes.
    for (const repo of org.repositories.filter((candidate) => !candidate.topics.includes("gitops-config"))) {
      const changes = truth.changes.filter((change) => change.repository === repo.fullName);
      expect(changes.at(-1)!.landedSha).toBe(repo.branches.get(repo.defaultBranch));
      const reachable = new Set<string>();
      const stack = [repo.branches.get(repo.defaultBranch)!];
      while (stack.length > 0) {
        const sha = stack.pop()!;
        if (reachable.has(sha)) continue;
        reachable.add(sha);
        stack.push(...repo.commits.get(sha)!.parents);
      }
      for (const change of changes.filter((candidate) => ms(candidate.landedAt) > ANCHOR.getTime())) expect(reachable.has(change.landedSha)).toBe(true);
    }
  });

  it("has nothing in flight at the anchor: every deployment visible then has finished", () => {
    for (const repo of org.repositories) {
      for (const deployment of deploymentsAt(repo, ANCHOR)) {
        expect(["success", "failure", "error", "inactive"], `${repo.name} deployment ${deployment.id}`).toContain(deployment.statuses.at(-1)?.state);
      }
      const deployWorkflow = repo.workflows.find((workflow) => workflow.name === "Deploy");
      for (const run of runsAt(repo, ANCHOR).filter((candidate) => candidate.workflowId === deployWorkflow?.id)) expect(run.status, `${repo.name} run ${run.id}`).toBe("completed");
    }
  });

  it("has nothing in flight at other anchors either, chosen in release hours", { timeout: 60_000 }, () => {
    let deploymentsSeen = 0;
    const anchors = [0, 1, 2, 3, 4].flatMap((day) => [10, 11, 12, 13, 14, 15].map((hour) => new Date(Date.UTC(2026, 2, 2 + day, hour, 10 * day + 7))));
    for (const anchor of anchors) {
      const living = generateScenario({ anchor, historyDays: 14, until: new Date(anchor.getTime() + DAY_MS) });
      for (const repo of living.org.repositories) {
        for (const deployment of deploymentsAt(repo, anchor)) {
          deploymentsSeen++;
          expect(deployment.statuses.at(-1)?.state, `${anchor.toISOString()} ${repo.name} ${deployment.id}`).not.toBe("in_progress");
        }
      }
      expect(truthAsOf(living.truth, anchor)).toEqual(generateScenario({ anchor, historyDays: 14 }).truth);
    }
    expect(deploymentsSeen).toBeGreaterThan(300);
  });

  it("shows later work in flight as in flight: a release running at an instant past the anchor", () => {
    const running = truth.deployments.find((deployment) => deployment.source === "github_deployment" && ms(deployment.startedAt) > ANCHOR.getTime())!;
    const repo = org.repositories.find((candidate) => candidate.fullName === running.repository)!;
    const midway = new Date((ms(running.startedAt) + ms(running.finishedAt)) / 2 + 30_000);
    const seen = deploymentsAt(repo, midway).find((deployment) => String(deployment.id) === running.externalId)!;
    expect(seen.statuses.map((status) => status.state)).toEqual(["in_progress"]);
    expect(truthAsOf(truth, midway).deployments.some((deployment) => deployment.externalId === running.externalId)).toBe(false);
  });

  it("generates 60 days past the anchor quickly", () => {
    // Measured at well under 1.5 s; the bound is generous for slow CI machines.
    expect(to60.ms).toBeLessThan(10_000);
  });
});
