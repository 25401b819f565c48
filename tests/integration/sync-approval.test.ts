import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { frozenClock } from "@/lib/clock";
import { parseEnv } from "@/lib/env";
import type { Role } from "@/lib/db/generated/enums";
import type { ViewerContext } from "@/lib/data/viewer";
import type { ApprovalDeps } from "@/lib/data/approvals/approval-deps";
import { requestSync } from "@/lib/data/approvals/request-sync";
import { cancelSyncRequest, decideSyncRequest } from "@/lib/data/approvals/decide-sync-request";
import { countPendingApprovals, getSyncRequest, listGatedApps, listSyncRequests } from "@/lib/data/approvals/read-sync-requests";
import { SYNC_REQUEST_INFO_KEY } from "@/lib/data/approvals/sync-policy";
import { executeSyncRequest, sweepSyncRequests } from "@/lib/approvals/execute-sync-request";
import { verifyAuditChain } from "@/lib/audit/verify-audit";
import { runArgoCdSync } from "@/lib/ingest/argocd/run-argocd-sync";
import { type Integration, SANDBOX_ARGOCD_TOKEN, registerIntegrations } from "@/lib/ingest/integrations";
import { runGithubSync } from "@/lib/ingest/github/run-github-sync";
import { type ArgoCdSandbox, startArgoCdSandbox } from "@/lib/sandbox/argocd/server/start-argocd-sandbox";
import { type GithubSandbox, startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import type { GroundTruth } from "@/lib/sandbox/scenario/ground-truth";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { createArgoCdClient } from "@/lib/sources/argocd/client";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * Four-eyes sync approval (DESIGN §6) end to end below the browser: real Postgres, the sandbox's
 * Argo CD over HTTP, the real Argo CD client and the real execution job. The clock is frozen on a
 * Friday (the gated app's deny window is the weekend) and moved by hand.
 */
const T0 = new Date("2026-11-20T12:00:00Z");
const clock = frozenClock(T0);

let truth: GroundTruth;
let github: GithubSandbox;
let argocd: ArgoCdSandbox;
let database: TestDatabase;
let argoIntegration: Integration;
const people: Record<"viewer" | "engineer" | "approver" | "approver2" | "admin", ViewerContext> = {} as never;

function context(userId: string, personId: string, role: Role, display: string): ViewerContext {
  return { viewer: { kind: "user", userId, personId, role, display }, requestId: crypto.randomUUID(), clientIp: "127.0.0.1", clock };
}

function deps(overrides: Partial<ApprovalDeps> = {}): ApprovalDeps & { enqueued: string[] } {
  const enqueued: string[] = [];
  return {
    db: database.db,
    env: parseEnv({}),
    enqueueExecution: async (id) => {
      enqueued.push(id);
    },
    // The images a revision deploys are read from GitHub in the product; here: none that change.
    imagesAt: async () => [],
    enqueued,
    ...overrides,
  };
}

function executionDeps(extra: { afterSyncCall?: () => void } = {}) {
  return {
    db: database.db,
    clock,
    argoCdFor: async () => createArgoCdClient({ baseUrl: argocd.url, token: SANDBOX_ARGOCD_TOKEN, retryBaseMs: 5 }),
    pollMs: 1_000,
    // The sandbox's operation runs in clock time: each poll moves the frozen clock on.
    sleep: async (ms: number) => {
      clock.advance(ms);
    },
    ...extra,
  };
}

const manualApps = () => truth.gitops.apps.filter((app) => app.controller === "argocd-application" && !app.autoSync).map((app) => app.name).sort();

/** A hand edit of the app's Deployment: the app goes OutOfSync (no self-heal on a manual app). */
async function driftApp(name: string): Promise<{ id: string; desiredRevision: string }> {
  const workload = argocd.live.workloadOfApp(name)!;
  argocd.live.edit({ namespace: workload.namespace, name: workload.name, image: null, replicas: 7, manager: "kubectl-edit" });
  clock.advance(1_000);
  await runArgoCdSync(database.db, argoIntegration, { env: parseEnv({}), clock });
  const app = await database.db.gitOpsApp.findFirstOrThrow({ where: { name } });
  expect(app.syncStatus).toBe("OutOfSync");
  return { id: app.id, desiredRevision: app.desiredRevision! };
}

async function auditActions(targetId: string): Promise<{ action: string; actorDisplay: string; outcome: string }[]> {
  return await database.db.auditEvent.findMany({ where: { targetId }, orderBy: { seq: "asc" }, select: { action: true, actorDisplay: true, outcome: true } });
}

beforeAll(async () => {
  const scenario = generateScenario({ anchor: T0, until: new Date(T0.getTime() + 2 * 86_400_000) });
  truth = scenario.truth;
  github = await startGithubSandbox({ org: scenario.org, clock, port: 0, rateLimit: { limit: 100_000, windowSeconds: 3600 } });
  argocd = await startArgoCdSandbox({ truth, clock, port: 0, token: SANDBOX_ARGOCD_TOKEN });
  database = await createTestDatabase();
  const env = parseEnv({});
  const integrations = await registerIntegrations(database.db, env, { sandboxUrl: github.url, sandboxArgocdUrl: argocd.url });
  const githubIntegration = integrations.find((integration) => integration.kind === "GITHUB")!;
  argoIntegration = integrations.find((integration) => integration.kind === "ARGOCD")!;
  const argoApps = truth.gitops.apps.filter((app) => app.controller === "argocd-application" && !app.autoSync);
  const repositories = [...new Set(argoApps.flatMap((app) => [app.appRepository, app.configRepository]))];
  await database.db.integration.update({ where: { id: githubIntegration.id }, data: { settings: { org: null, repositories, backfillDays: 30 } } });
  await runGithubSync(database.db, (await database.db.integration.findUnique({ where: { id: githubIntegration.id } }))!, { env, clock, retryBaseMs: 5 });
  await runArgoCdSync(database.db, argoIntegration, { env, clock });
  for (const [key, role, name] of [
    ["viewer", "VIEWER", "Vera Viewer"],
    ["engineer", "ENGINEER", "Emil Engineer"],
    ["approver", "APPROVER", "Ada Approver"],
    ["approver2", "APPROVER", "Abe Approver"],
    ["admin", "ADMIN", "Avery Admin"],
  ] as const) {
    const person = await database.db.person.create({ data: { displayName: name } });
    const user = await database.db.user.create({ data: { name, email: `${key}@example.test`, role, personId: person.id, emailVerified: true } });
    people[key] = context(user.id, person.id, role, name);
  }
}, 240_000);

afterAll(async () => {
  await argocd?.stop();
  await github?.stop();
  await database?.close();
});

beforeEach(async () => {
  // Keep the Argo CD integration fresh for each case (a stale source refuses everything).
  await database.db.integration.update({ where: { id: argoIntegration.id }, data: { lastSyncedAt: clock.now(), lastError: null, health: "HEALTHY" } });
});

describe("requesting", () => {
  it("lists only apps that wait for a person, and refuses a request for an auto-synced app or from a viewer", async () => {
    const gated = await listGatedApps(people.engineer, database.db);
    expect(gated.apps.map((app) => app.name).sort()).toEqual(manualApps());
    expect(gated.autoSyncCount).toBeGreaterThan(0);
    const auto = await database.db.gitOpsApp.findFirstOrThrow({ where: { autoSync: true, kind: "ARGOCD_APPLICATION" } });
    await expect(requestSync(people.engineer, { appId: auto.id, revision: auto.desiredRevision ?? "x", reason: "please" }, deps())).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/needs no approval/) });
    const manual = await database.db.gitOpsApp.findFirstOrThrow({ where: { name: manualApps()[1] } });
    await expect(requestSync(people.viewer, { appId: manual.id, revision: "x", reason: "please" }, deps())).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("four eyes, race, exactly-once execution", () => {
  it("refuses the requester (in code and in the database), lets one of two racing approvers through, and syncs once across a crash right after the call", async () => {
    const name = manualApps()[1]!; // not the gated-by-window app (the first by name)
    const app = await driftApp(name);
    const d = deps();
    const created = await requestSync(people.engineer, { appId: app.id, revision: app.desiredRevision, reason: "undo a hand edit of replicas" }, d);
    expect(created).toMatchObject({ status: "PENDING", requiredApprovals: 1, revision: app.desiredRevision, requester: { display: "Emil Engineer" } });
    expect(created.viewerCan).toMatchObject({ approve: false, cancel: true, reason: expect.stringMatching(/Only approvers/) });
    // A second request for the same revision names the open one.
    await expect(requestSync(people.admin, { appId: app.id, revision: app.desiredRevision, reason: "again" }, d)).rejects.toMatchObject({ code: "CONFLICT" });

    // The engineer, even promoted to approver, may not approve their own request.
    const promoted = { ...people.engineer, viewer: { ...(people.engineer.viewer as Extract<ViewerContext["viewer"], { kind: "user" }>), role: "APPROVER" as const } };
    await expect(decideSyncRequest(promoted, created.id, { decision: "approve" }, d)).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/Four eyes/) });
    await expect(decideSyncRequest(people.engineer, created.id, { decision: "approve" }, d)).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/Four eyes/) });
    // A viewer is refused by role (and a request that does not exist is not looked into).
    await expect(decideSyncRequest(people.viewer, created.id, { decision: "approve" }, d)).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/only approvers/) });
    // And the database says so whatever path writes.
    const requester = (people.engineer.viewer as { personId: string }).personId;
    await expect(database.db.syncApproval.create({ data: { syncRequestId: created.id, approverPersonId: requester, decision: "APPROVE", expiresAt: new Date(T0.getTime() + 3_600_000) } })).rejects.toThrow(/four-eyes/);

    // Two approvers at the same moment: one approval completes it, the other is told it is done.
    const results = await Promise.allSettled([
      decideSyncRequest(people.approver, created.id, { decision: "approve", comment: "looks right" }, d),
      decideSyncRequest(people.approver2, created.id, { decision: "approve", comment: "ok" }, d),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((result) => result.status === "rejected").map((result) => (result as PromiseRejectedResult).reason.code)).toEqual(["CONFLICT"]);
    expect(d.enqueued).toEqual([created.id]);
    const approved = await getSyncRequest(people.viewer, created.id, database.db);
    expect(approved.status).toBe("APPROVED");
    const approverName = approved.approvals[0]!.approver.display;

    // The worker dies right after Argo CD accepted the sync.
    const crash = new Error("worker killed");
    await expect(executeSyncRequest(executionDeps({ afterSyncCall: () => { throw crash; } }), created.id)).rejects.toBe(crash);
    expect(argocd.syncCalls().filter((call) => call.name === name)).toHaveLength(1);
    // The retry finds its request id in Argo CD's operation, follows it, and never calls again.
    const outcome = await executeSyncRequest(executionDeps(), created.id);
    expect(outcome).toEqual({ kind: "finished", status: "SUCCEEDED" });
    // A duplicate job (a retried job, a sweep) finds it done.
    expect(await executeSyncRequest(executionDeps(), created.id)).toEqual({ kind: "skipped", status: "SUCCEEDED" });
    const calls = argocd.syncCalls().filter((call) => call.name === name);
    expect(calls).toHaveLength(1);
    const body = calls[0]!.body as { revision: string; infos: { name: string; value: string }[] };
    expect(body.revision).toBe(app.desiredRevision);
    expect(body.infos).toEqual(
      expect.arrayContaining([
        { name: SYNC_REQUEST_INFO_KEY, value: created.id },
        { name: "pipeline-health.requested-by", value: "Emil Engineer" },
        { name: "pipeline-health.approved-by", value: approverName },
      ]),
    );
    const done = await getSyncRequest(people.viewer, created.id, database.db);
    expect(done).toMatchObject({ status: "SUCCEEDED", operation: { phase: "Succeeded", syncedRevision: app.desiredRevision } });

    // Argo CD says Synced afterwards, and the next observation records no unapproved sync for ours.
    clock.advance(5_000);
    await runArgoCdSync(database.db, argoIntegration, { env: parseEnv({}), clock });
    const after = await database.db.gitOpsApp.findFirstOrThrow({ where: { name } });
    expect(after.syncStatus).toBe("Synced");

    const actions = (await auditActions(created.id)).map((entry) => `${entry.action}:${entry.actorDisplay}:${entry.outcome}`);
    expect(actions).toEqual([
      "sync.requested:Emil Engineer:success",
      // Promoted or not, the requester is refused; the trail keeps one refusal per person and decision.
      "sync.approval.refused:Emil Engineer:denied",
      "sync.approval.refused:Vera Viewer:denied",
      `sync.approved:${approverName}:success`,
      "sync.execution.queued:pipeline-health:info",
      "sync.execution.started:pipeline-health:info",
      // Recorded before the call, so the crash right after it cannot lose it.
      "sync.execution.called:pipeline-health:info",
      "sync.execution.resumed:pipeline-health:info",
      "sync.executed:pipeline-health:success",
    ]);
    expect(await database.db.auditEvent.count({ where: { action: "sync.unapproved", targetDisplay: { endsWith: `/${name}` }, occurredAt: { gte: T0 } } })).toBe(0);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  }, 120_000);
});

describe("exactly once under retries", () => {
  async function approvedRequest(name: string): Promise<{ id: string; revision: string }> {
    const app = await driftApp(name);
    const d = deps();
    const created = await requestSync(people.engineer, { appId: app.id, revision: app.desiredRevision, reason: "repair drift" }, d);
    await decideSyncRequest(people.approver, created.id, { decision: "approve" }, d);
    return { id: created.id, revision: app.desiredRevision };
  }
  const callsFor = (id: string) => argocd.syncCalls().filter((call) => JSON.stringify(call.body).includes(id));

  it("two jobs for one request side by side make one call between them", async () => {
    const { id } = await approvedRequest(manualApps()[2]!);
    const outcomes = await Promise.all([executeSyncRequest(executionDeps(), id), executeSyncRequest(executionDeps(), id)]);
    expect(callsFor(id)).toHaveLength(1);
    expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(["finished", "skipped"]);
    expect((await getSyncRequest(people.viewer, id, database.db)).status).toBe("SUCCEEDED");
  });

  it("a retry that no longer finds its operation in Argo CD (replaced by someone else's sync) fails closed instead of calling again", async () => {
    const name = manualApps()[2]!;
    const { id, revision } = await approvedRequest(name);
    await expect(executeSyncRequest(executionDeps({ afterSyncCall: () => { throw new Error("worker killed"); } }), id)).rejects.toThrow("worker killed");
    // Our sync finishes; then someone syncs the app by hand, replacing our operation in Argo CD.
    clock.advance(10_000);
    await createArgoCdClient({ baseUrl: argocd.url, token: SANDBOX_ARGOCD_TOKEN }).sync(name, { revision });
    clock.advance(10_000);
    expect(await executeSyncRequest(executionDeps(), id)).toEqual({ kind: "finished", status: "FAILED" });
    expect(callsFor(id)).toHaveLength(1);
    expect((await getSyncRequest(people.viewer, id, database.db)).failureReason).toMatch(/cannot be confirmed/);
  });
});

describe("what stops a request", () => {
  it("bars an author of a change in the revision from approving, unless allowed at request time; rejection needs a reason and ends it", async () => {
    const name = manualApps()[2]!;
    const app = await driftApp(name);
    const d = deps();
    const created = await requestSync(people.engineer, { appId: app.id, revision: app.desiredRevision, reason: "repair drift" }, d);
    const approverPerson = (people.approver.viewer as { personId: string }).personId;
    // As if the approver had authored a commit in the revision (the change set is fixed at request time).
    await database.db.syncRequest.update({ where: { id: created.id }, data: { changeAuthorPersonIds: [approverPerson] } });
    await expect(decideSyncRequest(people.approver, created.id, { decision: "approve" }, d)).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/authored a change/) });
    await expect(database.db.syncApproval.create({ data: { syncRequestId: created.id, approverPersonId: approverPerson, decision: "APPROVE", expiresAt: new Date(T0.getTime() + 3_600_000) } })).rejects.toThrow(/four-eyes/);
    expect((await getSyncRequest(people.approver, created.id, database.db)).viewerCan).toMatchObject({ approve: false, reject: true });
    await expect(decideSyncRequest(people.approver, created.id, { decision: "reject", comment: "" }, d)).rejects.toThrow(/say why you reject/);
    const rejected = await decideSyncRequest(people.approver, created.id, { decision: "reject", comment: "wait for the release train" }, d);
    expect(rejected.status).toBe("REJECTED");
    expect(d.enqueued).toEqual([]);
  });

  it("needs N approvers for production, refuses while the source is stale, and honours the sync window", async () => {
    const gatedName = manualApps()[0]!; // behind the weekend deny window
    const app = await driftApp(gatedName);
    const d = deps({ env: parseEnv({ SYNC_APPROVALS_PRODUCTION: "2" }) });
    const created = await requestSync(people.engineer, { appId: app.id, revision: app.desiredRevision, reason: "repair drift" }, d);
    expect(created).toMatchObject({ isProduction: true, requiredApprovals: 2 });

    await database.db.integration.update({ where: { id: argoIntegration.id }, data: { lastError: "Argo CD answered 503" } });
    await expect(decideSyncRequest(people.approver, created.id, { decision: "approve" }, d)).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/failing/) });
    await database.db.integration.update({ where: { id: argoIntegration.id }, data: { lastError: null } });

    expect((await decideSyncRequest(people.approver, created.id, { decision: "approve" }, d)).status).toBe("PENDING");
    expect(d.enqueued).toEqual([]);
    expect((await countPendingApprovals(people.approver2, database.db)).awaitingViewer).toBeGreaterThanOrEqual(1);
    expect((await decideSyncRequest(people.approver2, created.id, { decision: "approve" }, d)).status).toBe("APPROVED");

    // Saturday: the deny window is active; nothing is sent, the request waits with the reason.
    clock.set(new Date("2026-11-21T09:00:00Z"));
    await database.db.integration.update({ where: { id: argoIntegration.id }, data: { lastSyncedAt: clock.now() } });
    const before = argocd.syncCalls().length;
    expect(await executeSyncRequest(executionDeps(), created.id)).toMatchObject({ kind: "waiting", reason: expect.stringMatching(/sync window/) });
    expect(argocd.syncCalls().length).toBe(before);
    const waiting = await getSyncRequest(people.viewer, created.id, database.db);
    expect(waiting).toMatchObject({ status: "APPROVED", waitingReason: expect.stringMatching(/sync window/) });
    // The sweep queues it again every minute; cancelled by the requester it is not executed.
    const queued: string[] = [];
    await sweepSyncRequests(database.db, clock, async (id) => queued.push(id));
    expect(queued).toContain(created.id);
    expect((await cancelSyncRequest(people.engineer, created.id, d)).status).toBe("CANCELLED");
    expect(await executeSyncRequest(executionDeps(), created.id)).toEqual({ kind: "skipped", status: "CANCELLED" });
    expect(argocd.syncCalls().length).toBe(before);
    clock.set(T0);
  });

  it("fixes the change set at request time (config commits after the synced revision); an author is barred even when their login is linked only afterwards, and an unreadable change set bars everyone", async () => {
    const name = manualApps()[1]!;
    const gitOpsApp = await database.db.gitOpsApp.findFirstOrThrow({ where: { name } });
    const configRepo = truth.gitops.apps.find((entry) => entry.name === name)!.configRepository;
    const commits = await database.db.commit.findMany({ where: { repository: { fullName: configRepo } }, orderBy: { committedAt: "desc" }, take: 4 });
    expect(commits).toHaveLength(4);
    // The app runs the fourth newest config commit and desires the newest: three commits to review.
    await database.db.gitOpsApp.update({ where: { id: gitOpsApp.id }, data: { syncedRevision: commits[3]!.sha, desiredRevision: commits[0]!.sha, syncStatus: "OutOfSync" } });
    // The images of the new revision are the running ones: no app commit changes, the set is complete.
    const d = deps({ imagesAt: async () => gitOpsApp.images });
    const created = await requestSync(people.engineer, { appId: gitOpsApp.id, revision: commits[0]!.sha, reason: "ship three config changes" }, d);
    expect(created.changes.map((change) => change.sha)).toEqual(commits.slice(0, 3).map((commit) => commit.sha));
    expect(created.changes.every((change) => change.kind === "config" && change.url?.endsWith(change.sha))).toBe(true);

    // Only now is the author's GitHub login linked to the second approver: the rule reads it at decision time.
    const author = commits[1]!.authorLogin!.toLowerCase();
    const approver2 = (people.approver2.viewer as { personId: string }).personId;
    const previous = await database.db.personIdentity.findUnique({ where: { kind_value: { kind: "GITHUB", value: author } } });
    await database.db.personIdentity.upsert({ where: { kind_value: { kind: "GITHUB", value: author } }, create: { personId: approver2, kind: "GITHUB", value: author, manual: true, verified: true }, update: { personId: approver2 } });
    expect((await getSyncRequest(people.approver2, created.id, database.db)).viewerCan).toMatchObject({ approve: false, reject: true, reason: expect.stringMatching(/authored a change/) });
    await expect(decideSyncRequest(people.approver2, created.id, { decision: "approve" }, d)).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/authored a change/) });
    await expect(database.db.syncApproval.create({ data: { syncRequestId: created.id, approverPersonId: approver2, decision: "APPROVE", expiresAt: new Date(T0.getTime() + 3_600_000) } })).rejects.toThrow(/four-eyes/);
    await cancelSyncRequest(people.engineer, created.id, d);

    // When the images of the revision cannot be read, its app commits (and their authors) are unknown: nobody may approve.
    const unreadable = deps({ imagesAt: async () => null });
    const unknown = await requestSync(people.engineer, { appId: gitOpsApp.id, revision: commits[0]!.sha, reason: "ship three config changes" }, unreadable);
    const seen = await getSyncRequest(people.approver, unknown.id, database.db);
    expect(seen.viewerCan).toMatchObject({ approve: false, reject: true, reason: expect.stringMatching(/could not be read in full/) });
    await expect(decideSyncRequest(people.approver, unknown.id, { decision: "approve" }, unreadable)).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/could not be read in full/) });
    await cancelSyncRequest(people.engineer, unknown.id, unreadable);

    if (previous) await database.db.personIdentity.update({ where: { id: previous.id }, data: { personId: previous.personId } });
    else await database.db.personIdentity.delete({ where: { kind_value: { kind: "GITHUB", value: author } } });
    await database.db.gitOpsApp.update({ where: { id: gitOpsApp.id }, data: { syncedRevision: gitOpsApp.syncedRevision, desiredRevision: gitOpsApp.desiredRevision, syncStatus: gitOpsApp.syncStatus } });
  });

  it("supersedes a request when the app desires a newer revision: a new request replaces it, and a decision on the old one is refused", async () => {
    const name = manualApps()[2]!;
    const app = await driftApp(name);
    const d = deps();
    const first = await requestSync(people.engineer, { appId: app.id, revision: app.desiredRevision, reason: "repair drift" }, d);
    // A newer config commit becomes the desired revision (as the next observation would record it).
    const newer = "f".repeat(40);
    await database.db.gitOpsApp.update({ where: { id: app.id }, data: { desiredRevision: newer } });
    await expect(decideSyncRequest(people.approver, first.id, { decision: "approve" }, d)).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/superseded/) });
    expect((await getSyncRequest(people.viewer, first.id, database.db)).status).toBe("SUPERSEDED");
    // A request for the revision the requester no longer sees is refused; the new one is accepted.
    await expect(requestSync(people.engineer, { appId: app.id, revision: app.desiredRevision, reason: "again" }, d)).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/now desires/) });
    const second = await requestSync(people.engineer, { appId: app.id, revision: newer, reason: "ship the newer revision" }, d);
    // And a third revision supersedes the second one directly at request time.
    const newest = "e".repeat(40);
    await database.db.gitOpsApp.update({ where: { id: app.id }, data: { desiredRevision: newest } });
    const third = await requestSync(people.engineer, { appId: app.id, revision: newest, reason: "ship the newest" }, d);
    const replaced = await database.db.syncRequest.findUniqueOrThrow({ where: { id: second.id } });
    expect(replaced).toMatchObject({ status: "SUPERSEDED", supersededById: third.id });
    expect((await auditActions(second.id)).map((entry) => entry.action)).toEqual(["sync.requested", "sync.superseded"]);
    await cancelSyncRequest(people.engineer, third.id, d);
    await database.db.gitOpsApp.update({ where: { id: app.id }, data: { desiredRevision: app.desiredRevision } });
  });

  it("expires a pending request, and a sync made outside the dashboard on a gated app is audited as unapproved", async () => {
    clock.set(new Date(T0.getTime() + 3_600_000));
    const name = manualApps()[1]!;
    const app = await driftApp(name);
    const d = deps({ env: parseEnv({ SYNC_APPROVAL_TTL_HOURS: "1" }) });
    const created = await requestSync(people.engineer, { appId: app.id, revision: app.desiredRevision, reason: "repair drift" }, d);
    clock.advance(2 * 3_600_000);
    await database.db.integration.update({ where: { id: argoIntegration.id }, data: { lastSyncedAt: clock.now() } });
    await expect(decideSyncRequest(people.approver, created.id, { decision: "approve" }, d)).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/expired/) });
    expect((await getSyncRequest(people.viewer, created.id, database.db)).status).toBe("EXPIRED");
    const history = await listSyncRequests(people.viewer, { limit: 100 }, database.db);
    expect(history.history.map((request) => request.id)).toContain(created.id);

    // Someone syncs the app directly in Argo CD.
    const client = createArgoCdClient({ baseUrl: argocd.url, token: SANDBOX_ARGOCD_TOKEN });
    await client.sync(name, { revision: app.desiredRevision });
    clock.advance(10_000);
    await runArgoCdSync(database.db, argoIntegration, { env: parseEnv({}), clock });
    // (The scenario's own people also sync manual apps by hand now and then: those are unapproved too.)
    const unapproved = await database.db.auditEvent.findMany({ where: { action: "sync.unapproved", targetDisplay: { endsWith: `/${name}` }, occurredAt: { gte: new Date(clock.now().getTime() - 60_000) } } });
    expect(unapproved).toHaveLength(1);
    expect(unapproved[0]).toMatchObject({ outcome: "denied", source: "argocd", after: expect.objectContaining({ revision: app.desiredRevision }) });
    const ours = await database.db.auditEvent.count({ where: { action: "sync.unapproved", targetDisplay: { endsWith: `/${manualApps()[1]}` } } });
    // Observing it again records nothing new.
    clock.advance(10_000);
    await runArgoCdSync(database.db, argoIntegration, { env: parseEnv({}), clock });
    expect(await database.db.auditEvent.count({ where: { action: "sync.unapproved", targetDisplay: { endsWith: `/${manualApps()[1]}` } } })).toBe(ours);
    // Naming a request id in Argo CD's info is not an approval: only this app's executed request is.
    await client.sync(name, { revision: app.desiredRevision, infos: [{ name: SYNC_REQUEST_INFO_KEY, value: crypto.randomUUID() }] });
    clock.advance(10_000);
    await runArgoCdSync(database.db, argoIntegration, { env: parseEnv({}), clock });
    expect(await database.db.auditEvent.count({ where: { action: "sync.unapproved", targetDisplay: { endsWith: `/${manualApps()[1]}` } } })).toBe(ours + 1);
  });
});

vi.setConfig({ testTimeout: 60_000 });
