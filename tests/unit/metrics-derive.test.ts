import { describe, expect, it } from "vitest";
import { type MergedPullRequest, type SetCommit, changesOfSet } from "@/lib/metrics/derive/change-sets";
import { type ChainAttempt, type ChainIncident, type ChainPullRequest, deriveChainFlags } from "@/lib/metrics/derive/flags";

const t = (hours: number) => new Date(Date.UTC(2026, 10, 1) + hours * 3600_000);
const commit = (sha: string, parents: string[], authoredHours: number, committedHours = authoredHours): SetCommit => ({ sha, parentShas: parents, authoredAt: t(authoredHours), committedAt: t(committedHours) });

describe("changes of a deployment's new commits", () => {
  const finished = t(100);

  it("counts a merge-commit PR once, by its merge commit, with lead time from its first commit; its branch commits are not changes", () => {
    const commits = [commit("m", ["base", "b2"], 50), commit("b2", ["b1"], 40), commit("b1", ["base"], 30)];
    const pr: MergedPullRequest = { id: "pr1", mergeCommitSha: "m", firstCommitAt: t(30), openedAt: t(41), mergedAt: t(50) };
    expect(changesOfSet("m", finished, commits, [pr])).toEqual([
      { kind: "PULL_REQUEST", commitSha: "m", pullRequestId: "pr1", firstCommitAt: t(30), openedAt: t(41), mergedAt: t(50), leadTimeSeconds: 70 * 3600 },
    ]);
  });

  it("counts a squash merge by its single commit and a direct push by its own authored time", () => {
    const commits = [commit("push", ["sq"], 80), commit("sq", ["base"], 60)];
    const pr: MergedPullRequest = { id: "pr2", mergeCommitSha: "sq", firstCommitAt: t(10), openedAt: t(20), mergedAt: t(60) };
    const changes = changesOfSet("push", finished, commits, [pr]);
    expect(changes.map((c) => [c.kind, c.commitSha, c.leadTimeSeconds])).toEqual([
      ["PULL_REQUEST", "sq", 90 * 3600],
      ["DIRECT_PUSH", "push", 20 * 3600],
    ]);
  });

  it("counts a rebase merge once: the earlier rebased copies, committed at the merge time, belong to the PR", () => {
    // r1, r2, r3 are the rebased copies (authored long before, committed at the merge, hour 70); d is a direct push before them.
    const commits = [commit("r3", ["r2"], 33, 70), commit("r2", ["r1"], 32, 70), commit("r1", ["d"], 31, 70), commit("d", ["base"], 65)];
    const pr: MergedPullRequest = { id: "pr3", mergeCommitSha: "r3", firstCommitAt: t(31), openedAt: t(34), mergedAt: t(70) };
    expect(changesOfSet("r3", finished, commits, [pr]).map((c) => [c.kind, c.commitSha, c.leadTimeSeconds])).toEqual([
      ["PULL_REQUEST", "r3", 69 * 3600],
      ["DIRECT_PUSH", "d", 35 * 3600],
    ]);
  });

  it("finds nothing when the deployed commit brings nothing new (a redeploy)", () => {
    expect(changesOfSet("x", finished, [], [])).toEqual([]);
  });
});

const success = (id: string, sha: string, finishedHours: number, extra: Partial<ChainAttempt> = {}): ChainAttempt => ({
  id,
  status: "SUCCESS",
  commitSha: sha,
  startedAt: t(finishedHours - 0.1),
  finishedAt: t(finishedHours),
  isRollback: false,
  shippedPullRequestIds: [],
  ...extra,
});
const now = t(24 * 60);
const byId = (flags: ReturnType<typeof deriveChainFlags>) => new Map(flags.map((f) => [f.id, f]));

describe("flags of a production chain", () => {
  it("a single deployment is a seed: no previous, not failed, not rework", () => {
    const [flag] = deriveChainFlags([success("d1", "a", 10)], [], [], now);
    expect(flag).toEqual({ id: "d1", previousDeploymentId: null, isRework: false, isFailedChange: false, failedChangeRule: null, remediatedById: null, provisional: false });
  });

  it("a rollback flags what it undid, remediates it, is rework; the redeploy after it is neither", () => {
    const chain = [success("d1", "a", 10), success("d2", "b", 20), success("r", "a", 22, { isRollback: true }), success("d3", "b", 40)];
    const flags = byId(deriveChainFlags(chain, [], [], now));
    expect(flags.get("d2")).toMatchObject({ isFailedChange: true, failedChangeRule: "rollback", remediatedById: "r", previousDeploymentId: "d1" });
    expect(flags.get("d1")!.isFailedChange).toBe(false);
    expect(flags.get("r")).toMatchObject({ isRework: true, isFailedChange: false, previousDeploymentId: "d2" });
    expect(flags.get("d3")).toMatchObject({ isRework: false, isFailedChange: false, previousDeploymentId: "r" });
  });

  it("a rollback more than 7 days later flags nothing", () => {
    const chain = [success("d1", "a", 10), success("d2", "b", 20), success("r", "a", 20 + 7 * 24, { isRollback: true })];
    expect(byId(deriveChainFlags(chain, [], [], now)).get("d2")!.isFailedChange).toBe(false);
  });

  it("a revert of a shipped PR merged within 7 days flags the deployment that shipped it; the one shipping the revert remediates and is rework", () => {
    const chain = [success("d1", "a", 10), success("d2", "b", 20, { shippedPullRequestIds: ["feature"] }), success("d3", "c", 30, { shippedPullRequestIds: ["revert"] })];
    const pulls: ChainPullRequest[] = [
      { id: "feature", openedAt: t(5), mergedAt: t(15), labels: [], revertsPullRequestId: null },
      { id: "revert", openedAt: t(25), mergedAt: t(28), labels: [], revertsPullRequestId: "feature" },
    ];
    const flags = byId(deriveChainFlags(chain, pulls, [], now));
    expect(flags.get("d2")).toMatchObject({ isFailedChange: true, failedChangeRule: "revert", remediatedById: "d3" });
    expect(flags.get("d3")).toMatchObject({ isRework: true, isFailedChange: false });
  });

  it("a hotfix PR opened while D is the latest flags D, even before it ships (remediated by nothing yet)", () => {
    const chain = [success("d1", "a", 10), success("d2", "b", 20)];
    const pulls: ChainPullRequest[] = [{ id: "fix", openedAt: t(21), mergedAt: null, labels: ["HotFix"], revertsPullRequestId: null }];
    const flags = byId(deriveChainFlags(chain, pulls, [], now));
    expect(flags.get("d2")).toMatchObject({ isFailedChange: true, failedChangeRule: "hotfix", remediatedById: null });
    expect(flags.get("d1")!.isFailedChange).toBe(false);
  });

  it("an incident attributed within 24 h flags D; one a second past 24 h does not", () => {
    const chain = [success("d1", "a", 10), success("d2", "b", 100)];
    const inside: ChainIncident = { id: "i1", openedAt: new Date(t(34).getTime() - 1000), deploymentId: "d1" };
    const outside: ChainIncident = { id: "i2", openedAt: new Date(t(124).getTime() + 1000), deploymentId: "d2" };
    const flags = byId(deriveChainFlags(chain, [], [inside, outside], now));
    expect(flags.get("d1")).toMatchObject({ isFailedChange: true, failedChangeRule: "incident", remediatedById: null });
    expect(flags.get("d2")!.isFailedChange).toBe(false);
  });

  it("a failed attempt is never a failed change, ships nothing, and its retry's previous success is the one before both", () => {
    const failed: ChainAttempt = { id: "f", status: "FAILURE", commitSha: "b", startedAt: t(19), finishedAt: t(20), isRollback: false, shippedPullRequestIds: [] };
    const chain = [success("d1", "a", 10), failed, success("d2", "b", 21)];
    const flags = byId(deriveChainFlags(chain, [], [{ id: "i", openedAt: t(20.5), deploymentId: "f" }], now));
    expect(flags.get("f")).toMatchObject({ isFailedChange: false, previousDeploymentId: "d1", provisional: false });
    expect(flags.get("d2")).toMatchObject({ previousDeploymentId: "d1", isFailedChange: false });
  });

  it("is provisional until the 7 days after the deployment have passed at the clock's now", () => {
    const chain = [success("old", "a", 24 * 60 - 7 * 24 - 1), success("recent", "b", 24 * 60 - 7 * 24 + 1)];
    const flags = byId(deriveChainFlags(chain, [], [], now));
    expect(flags.get("old")!.provisional).toBe(false);
    expect(flags.get("recent")!.provisional).toBe(true);
  });
});
