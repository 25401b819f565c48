import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { recomputeDerivedData, recomputeDerivedDataIncrementally, sourceTouchCheckpoint } from "@/lib/metrics/derive/recompute";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * A hand-built history with known answers, through the real SQL (graph walk, attribution, writes):
 *
 *   seed(a) → d2(m: merge of PR 1, plus direct push p) → rollback(a) → redeploy(m) → d4(s: squash PR 2)
 *
 * with an incident 1 s inside 24 h after d4, one 1 s past 24 h, and a revert of PR 2 arriving later.
 */
const H = 3600_000;
const base = Date.UTC(2026, 10, 1);
const at = (hours: number) => new Date(base + hours * H);
const clock = frozenClock(at(24 * 30));

describe("derived delivery data of a hand-built chain", () => {
  let database: TestDatabase;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.db;
    const integration = await db.integration.create({ data: { kind: "GITHUB", name: "hand", origin: "DATABASE", baseUrl: "http://x" } });
    const repository = await db.repository.create({ data: { integrationId: integration.id, externalId: "1", owner: "o", name: "r", fullName: "o/r", defaultBranch: "main" } });
    const service = await db.service.create({ data: { slug: "r", name: "r" } });
    Object.assign(ids, { integration: integration.id, repository: repository.id, service: service.id });
    const commit = (sha: string, parentShas: string[], authored: number, committed = authored) => ({
      integrationId: integration.id,
      repositoryId: repository.id,
      sha,
      parentShas,
      authoredAt: at(authored),
      committedAt: at(committed),
      messageHeadline: sha,
    });
    await db.commit.createMany({
      data: [commit("a0", [], 0), commit("a", ["a0"], 1), commit("f1", ["a"], 2), commit("f2", ["f1"], 3), commit("m", ["a", "f2"], 5), commit("p", ["m"], 6), commit("s", ["p"], 50)],
    });
    const pr = (number: number, mergeCommitSha: string, opened: number, merged: number, first: number) => ({
      integrationId: integration.id,
      repositoryId: repository.id,
      externalId: `pr${number}`,
      number,
      title: `PR ${number}`,
      state: "merged",
      baseBranch: "main",
      openedAt: at(opened),
      mergedAt: at(merged),
      mergeCommitSha,
      firstCommitAt: at(first),
      sourceUpdatedAt: at(merged),
    });
    await db.pullRequest.createMany({ data: [pr(1, "m", 4, 5, 2), pr(2, "s", 45, 50, 40)] });
    const deployment = (externalId: string, sha: string, finished: number, status: "SUCCESS" | "FAILURE" = "SUCCESS") => ({
      integrationId: integration.id,
      source: "GITHUB_DEPLOYMENT" as const,
      externalId,
      methodology: "DEVOPS" as const,
      serviceId: service.id,
      repositoryId: repository.id,
      environment: "production",
      isProduction: true,
      commitSha: sha,
      commitResolution: "DEPLOYMENT_SHA" as const,
      status,
      startedAt: at(finished - 0.1),
      finishedAt: at(finished),
      sourceUpdatedAt: at(finished),
    });
    await db.deployment.createMany({
      data: [
        deployment("seed", "a", 2),
        deployment("failed", "p", 9.5, "FAILURE"),
        deployment("d2", "p", 10),
        deployment("rollback", "a", 12),
        deployment("redeploy", "p", 30),
        deployment("d4", "s", 60),
        { ...deployment("staging", "s", 59), environment: "staging", isProduction: false },
      ],
    });
    const incident = (number: number, opened: Date) => ({ integrationId: integration.id, externalId: `i${number}`, repositoryId: repository.id, number, title: "down", serviceId: service.id, openedAt: opened, sourceUpdatedAt: opened });
    await db.incident.createMany({
      data: [incident(1, new Date(at(84).getTime() - 1000)), incident(2, new Date(at(84).getTime() + 1000)), incident(3, at(13))],
    });
    await recomputeDerivedDataIncrementally(db, clock);
  }, 120_000);

  afterAll(async () => {
    await database?.close();
  });

  async function state() {
    const rows = await database.db.deployment.findMany({ include: { changes: true, previousDeployment: true, remediatedBy: true } });
    return new Map(rows.map((row) => [row.externalId, row]));
  }

  it("ships each change once: the seed nothing, the merge PR and direct push with d2, nothing on rollback or redeploy, the squash PR with d4", async () => {
    const rows = await state();
    const shipped = (id: string) => rows.get(id)!.changes.map((c) => `${c.kind}:${c.commitSha}:${c.leadTimeSeconds}`).sort();
    expect(shipped("seed")).toEqual([]);
    // PR 1: first commit at hour 2, deployed at 10 → 8 h; its branch commits f1, f2 are not changes. p: authored at 6 → 4 h.
    expect(shipped("d2")).toEqual(["DIRECT_PUSH:p:14400", "PULL_REQUEST:m:28800"]);
    expect(shipped("failed")).toEqual([]);
    expect(shipped("rollback")).toEqual([]);
    expect(shipped("redeploy")).toEqual([]);
    expect(shipped("d4")).toEqual(["PULL_REQUEST:s:72000"]);
  });

  it("links each attempt to the previous success, flags the rollback and what it undid, and attributes incidents by the 24 h window", async () => {
    const rows = await state();
    expect(Object.fromEntries([...rows].filter(([, r]) => r.isProduction).map(([id, r]) => [id, r.previousDeployment?.externalId ?? null]))).toEqual({
      seed: null,
      failed: "seed",
      d2: "seed",
      rollback: "d2",
      redeploy: "rollback",
      d4: "redeploy",
    });
    expect(rows.get("rollback")).toMatchObject({ isRollback: true, isRework: true, isFailedChange: false });
    expect(rows.get("redeploy")).toMatchObject({ isRollback: false, isRework: false });
    expect(rows.get("d2")).toMatchObject({ isFailedChange: true, remediatedById: rows.get("rollback")!.id });
    expect(rows.get("failed")!.isFailedChange).toBe(false);
    expect(rows.get("d4")).toMatchObject({ isFailedChange: true, remediatedById: null, provisional: false });
    expect(rows.get("staging")).toMatchObject({ previousDeploymentId: null, isFailedChange: false });
    const incidents = new Map((await database.db.incident.findMany({ include: { deployment: true } })).map((i) => [i.number, `${i.attribution}:${i.deployment?.externalId ?? "-"}`]));
    // #3 opens an hour after the rollback: the latest non-rollback deployment is still d2.
    expect(Object.fromEntries(incidents)).toEqual({ 1: "WINDOW:d4", 2: "NONE:-", 3: "WINDOW:d2" });
  });

  it("follows a revert merged later on the next incremental run, without touching unrelated rows", async () => {
    const db = database.db;
    const before = await state();
    const touchedSince = await sourceTouchCheckpoint(db);
    const revert = await db.pullRequest.create({
      data: { integrationId: ids.integration!, repositoryId: ids.repository!, externalId: "pr3", number: 3, title: "Revert", state: "merged", baseBranch: "main", openedAt: at(70), mergedAt: at(71), mergeCommitSha: "v", firstCommitAt: at(70), sourceUpdatedAt: at(71) },
    });
    await db.pullRequest.update({ where: { id: revert.id }, data: { revertsPullRequestId: (await db.pullRequest.findFirstOrThrow({ where: { number: 2 } })).id } });
    await db.commit.create({ data: { integrationId: ids.integration!, repositoryId: ids.repository!, sha: "v", parentShas: ["s"], authoredAt: at(70), committedAt: at(71), messageHeadline: "Revert" } });
    await db.deployment.create({
      data: { integrationId: ids.integration!, source: "GITHUB_DEPLOYMENT", externalId: "d5", methodology: "DEVOPS", serviceId: ids.service!, repositoryId: ids.repository!, environment: "production", isProduction: true, commitSha: "v", commitResolution: "DEPLOYMENT_SHA", status: "SUCCESS", startedAt: at(72), finishedAt: at(72.5), sourceUpdatedAt: at(72.5) },
    });
    const summary = await recomputeDerivedDataIncrementally(db, clock, { touchedSince });
    // Only the new deployment's change set is walked; the rest of the chain keeps its rows.
    expect(summary.changeSetsComputed).toBe(1);
    const rows = await state();
    expect(rows.get("d5")!.changes.map((c) => c.commitSha)).toEqual(["v"]);
    expect(rows.get("d5")).toMatchObject({ isRework: true, previousDeploymentId: rows.get("d4")!.id });
    expect(summary.failedChangeRules.get(rows.get("d4")!.id)).toBe("revert");
    expect(rows.get("d4")).toMatchObject({ isFailedChange: true, remediatedById: rows.get("d5")!.id });
    expect(rows.get("d2")!.changes.map((c) => c.id).sort()).toEqual(before.get("d2")!.changes.map((c) => c.id).sort());
    // A full recompute agrees with the incremental one.
    await recomputeDerivedData(db, clock, { serviceId: ids.service! });
    const again = await state();
    for (const [id, row] of again) expect({ ...row, flagsComputedAt: null, updatedAt: null }, id).toEqual({ ...rows.get(id)!, flagsComputedAt: null, updatedAt: null });
  });
});

describe("a chain with deployments whose commit is unresolved", () => {
  let database: TestDatabase;

  afterAll(async () => {
    await database?.close();
  });

  it("measures no change set after an unresolved deployment: what it shipped is unknown, so nothing is guessed", async () => {
    database = await createTestDatabase();
    const db = database.db;
    const integration = await db.integration.create({ data: { kind: "GITHUB", name: "hand", origin: "DATABASE", baseUrl: "http://x" } });
    const repository = await db.repository.create({ data: { integrationId: integration.id, externalId: "1", owner: "o", name: "r", fullName: "o/r", defaultBranch: "main" } });
    const service = await db.service.create({ data: { slug: "r", name: "r" } });
    const commit = (sha: string, parentShas: string[], authored: number) => ({
      integrationId: integration.id, repositoryId: repository.id, sha, parentShas, authoredAt: at(authored), committedAt: at(authored), messageHeadline: sha,
    });
    // a ← b ← c ← d ← e, one direct push each.
    await db.commit.createMany({ data: [commit("a", [], 0), commit("b", ["a"], 1), commit("c", ["b"], 2), commit("d", ["c"], 3), commit("e", ["d"], 4)] });
    const deployment = (externalId: string, sha: string | null, finished: number) => ({
      integrationId: integration.id,
      source: "ARGOCD" as const,
      externalId,
      methodology: "GITOPS" as const,
      serviceId: service.id,
      repositoryId: repository.id,
      environment: "production",
      isProduction: true,
      commitSha: sha,
      commitResolution: sha ? ("IMAGE_TAG" as const) : ("UNRESOLVED" as const),
      status: "SUCCESS" as const,
      startedAt: at(finished - 0.1),
      finishedAt: at(finished),
      sourceUpdatedAt: at(finished),
    });
    // unresolved first, then b (the first known commit: a seed in effect), c (measurable: ships c),
    // an unresolved one (it may have shipped d), then e: unknown base, nothing measured.
    await db.deployment.createMany({
      data: [deployment("u0", null, 5), deployment("kb", "b", 6), deployment("kc", "c", 7), deployment("u1", null, 8), deployment("ke", "e", 9)],
    });
    await recomputeDerivedDataIncrementally(db, clock);
    const rows = new Map((await db.deployment.findMany({ include: { changes: true } })).map((row) => [row.externalId, row.changes.map((change) => change.commitSha).sort()]));
    expect(rows.get("u0")).toEqual([]);
    expect(rows.get("kb")).toEqual([]);
    // c: authored at hour 2, deployed at 7.
    expect(rows.get("kc")).toEqual(["c"]);
    expect(rows.get("u1")).toEqual([]);
    expect(rows.get("ke")).toEqual([]);
  });

  it("takes going back to an earlier commit after an unresolved release as a rollback, and flags that release", async () => {
    const db = database.db;
    const repository = await db.repository.findFirstOrThrow();
    const service = await db.service.create({ data: { slug: "tagged", name: "tagged" } });
    const base = await db.deployment.findFirstOrThrow({ where: { externalId: "kc" } });
    const deployment = (externalId: string, sha: string | null, finished: number) => ({
      integrationId: base.integrationId,
      source: "ARGOCD" as const,
      externalId,
      methodology: "GITOPS" as const,
      serviceId: service.id,
      repositoryId: repository.id,
      environment: "production",
      isProduction: true,
      commitSha: sha,
      commitResolution: sha ? ("IMAGE_TAG" as const) : ("UNRESOLVED" as const),
      status: "SUCCESS" as const,
      startedAt: at(finished - 0.1),
      finishedAt: at(finished),
      sourceUpdatedAt: at(finished),
    });
    // c runs, a release by version tag (commit unknown) replaces it, and 2 h later the config goes back to c.
    await db.deployment.createMany({ data: [deployment("t-c", "c", 20), deployment("t-tag", null, 21), deployment("t-back", "c", 23)] });
    await recomputeDerivedDataIncrementally(db, clock);
    const rows = new Map((await db.deployment.findMany({ where: { serviceId: service.id } })).map((row) => [row.externalId, row]));
    expect(rows.get("t-back")).toMatchObject({ isRollback: true });
    expect(rows.get("t-tag")).toMatchObject({ isFailedChange: true, failedChangeRule: "rollback", remediatedById: rows.get("t-back")!.id });
    expect(rows.get("t-c")).toMatchObject({ isRollback: false, isFailedChange: false });
  });
});
