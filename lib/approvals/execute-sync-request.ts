import { appendAudit, type AppendAuditInput } from "@/lib/audit/append-audit";
import type { Clock } from "@/lib/clock";
import type { Db, DbTransaction } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { SyncOperationDto } from "@/lib/data/approvals/approval-types";
import { SYNC_REQUEST_INFO_KEY, lockApp, staleReason } from "@/lib/data/approvals/sync-policy";
import { ArgoCdError, type ArgoCdClient } from "@/lib/sources/argocd/client";
import type { RawArgoApplication, RawArgoOperationState } from "@/lib/sources/argocd/types";

/**
 * Executes an approved sync request exactly once (DESIGN §6 step 3–4). The request row is the state
 * machine: APPROVED → EXECUTING → SUCCEEDED | FAILED, moved under the app's advisory lock. Before it
 * calls Argo CD the job looks for its request id in the app's operation, so a retry after a crash
 * (the worker died right after the call, or the call's answer was lost) follows the sync it already
 * started instead of starting another. It then follows the operation to its end, writing each phase
 * to the request for the UI, and checks that the synced revision is the approved one.
 */

export interface ExecuteSyncDeps {
  db: Db;
  clock: Clock;
  /** The Argo CD client of an integration. */
  argoCdFor: (integrationId: string) => Promise<ArgoCdClient>;
  /** How often the operation is polled while it runs. */
  pollMs?: number;
  /** How long one job follows an operation before handing over to a retry. */
  followTimeoutMs?: number;
  /** Tests: runs right after Argo CD accepted the sync, before anything is recorded (a crash there). */
  afterSyncCall?: () => void | Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}

export type ExecutionOutcome =
  | { kind: "finished"; status: "SUCCEEDED" | "FAILED" | "EXPIRED" | "SUPERSEDED" | "CANCELLED" | "PENDING" }
  /** Nothing to do now (closed window, stale data, another operation running): the sweep queues it again. */
  | { kind: "waiting"; reason: string }
  | { kind: "skipped"; status: string };

const SYSTEM = { kind: "SYSTEM" as const, display: "pipeline-health" };
const TERMINAL_PHASES = new Set(["Succeeded", "Failed", "Error"]);
/** Attempts (first run and resumes) after which an execution that never ends is given up, failed closed. */
const MAX_ATTEMPTS = 10;

const REQUEST_INCLUDE = {
  gitOpsApp: { include: { integration: { select: { id: true, enabled: true, health: true, lastSyncedAt: true, lastError: true, name: true } } } },
  approvals: { include: { approver: true } },
  requester: true,
} as const satisfies Prisma.SyncRequestInclude;

type RequestWithApp = Prisma.SyncRequestGetPayload<{ include: typeof REQUEST_INCLUDE }>;

function targetOf(request: RequestWithApp) {
  return { type: "sync_request", id: request.id, display: `${request.gitOpsApp.namespace}/${request.gitOpsApp.name} @ ${request.revision.slice(0, 12)}` };
}

function event(request: RequestWithApp, at: Date, action: string, outcome: AppendAuditInput["outcome"], after: Prisma.InputJsonValue, before?: Prisma.InputJsonValue): AppendAuditInput {
  return { occurredAt: at, actor: SYSTEM, action, target: targetOf(request), serviceId: request.gitOpsApp.serviceId, outcome, after, before: before ?? null, source: "worker" };
}

async function load(tx: DbTransaction | Db, requestId: string): Promise<RequestWithApp | null> {
  return await tx.syncRequest.findUnique({ where: { id: requestId }, include: REQUEST_INCLUDE });
}

/** Our operation in Argo CD's answer: the one requested (not yet picked up) or the current one, if it carries our id. */
export function ownOperation(raw: RawArgoApplication, requestId: string): { requested: boolean; state: RawArgoOperationState | null } | null {
  const ours = (info: { name: string; value: string }[] | undefined) => (info ?? []).some((entry) => entry.name === SYNC_REQUEST_INFO_KEY && entry.value === requestId);
  const state = raw.status?.operationState;
  if (state && ours(state.operation?.info)) return { requested: false, state };
  if (ours(raw.operation?.info)) return { requested: true, state: null };
  return null;
}

function operationDto(state: RawArgoOperationState | null): SyncOperationDto {
  return {
    phase: state?.phase ?? "Requested",
    message: state?.message ?? null,
    startedAt: state?.startedAt ?? null,
    finishedAt: state?.finishedAt ?? null,
    syncedRevision: state?.syncResult?.revision ?? null,
    resources: (state?.syncResult?.resources ?? []).map((resource) => ({
      kind: resource.kind,
      namespace: resource.namespace ?? "",
      name: resource.name,
      status: resource.status ?? "Unknown",
      message: resource.message ?? null,
    })),
  };
}

type Claim = { kind: "run"; request: RequestWithApp; resumed: boolean } | { kind: "stop"; outcome: ExecutionOutcome };

/** Moves an APPROVED request to EXECUTING (or resumes an EXECUTING one) after checking it still may run. */
async function claim(deps: ExecuteSyncDeps, requestId: string): Promise<Claim> {
  const now = deps.clock.now();
  return await deps.db.$transaction(async (tx): Promise<Claim> => {
    const first = await load(tx, requestId);
    if (!first) return { kind: "stop", outcome: { kind: "skipped", status: "missing" } };
    await lockApp(tx, first.gitOpsAppId);
    const request = (await load(tx, requestId))!;
    if (request.status === "EXECUTING" && request.executionAttempts >= MAX_ATTEMPTS) {
      const reason = `Gave up after ${request.executionAttempts} attempts to follow the sync; check the app in Argo CD before requesting again.`;
      await tx.syncRequest.update({ where: { id: request.id }, data: { status: "FAILED", finishedAt: now, failureReason: reason } });
      await appendAudit(tx, event(request, now, "sync.execution.failed", "failure", { status: "FAILED", reason }, { status: "EXECUTING" }));
      return { kind: "stop", outcome: { kind: "finished", status: "FAILED" } };
    }
    if (request.status !== "APPROVED" && request.status !== "EXECUTING") return { kind: "stop", outcome: { kind: "skipped", status: request.status } };
    if (request.status === "EXECUTING" && request.syncCalledAt !== null) {
      // Argo CD may already be syncing it: nothing is checked again, the job only follows (or fails closed).
      await tx.syncRequest.update({ where: { id: request.id }, data: { executionAttempts: { increment: 1 } } });
      await appendAudit(tx, event(request, now, "sync.execution.resumed", "info", { attempt: request.executionAttempts + 1, syncCalledAt: request.syncCalledAt.toISOString() }));
      return { kind: "run", request, resumed: true };
    }
    // Nothing was sent to Argo CD yet (first run, or a job that died before its call): every check again.

    const close = async (status: "EXPIRED" | "SUPERSEDED" | "PENDING", action: string, reason: string) => {
      await tx.syncRequest.update({ where: { id: request.id }, data: status === "PENDING" ? { status, waitingReason: reason } : { status, finishedAt: now, failureReason: reason } });
      await appendAudit(tx, event(request, now, action, "info", { status, reason }, { status: request.status }));
      return { kind: "stop" as const, outcome: { kind: "finished" as const, status } };
    };
    if (request.expiresAt <= now) return await close("EXPIRED", "sync.expired", "The request expired before it could be executed.");
    if (request.gitOpsApp.desiredRevision !== request.revision) {
      return await close("SUPERSEDED", "sync.superseded", `The app now desires ${(request.gitOpsApp.desiredRevision ?? "unknown").slice(0, 12)}, not the approved ${request.revision.slice(0, 12)}.`);
    }
    const counting = request.approvals.filter((approval) => approval.decision === "APPROVE" && approval.expiresAt > now).length;
    if (counting < request.requiredApprovals) {
      return await close("PENDING", "sync.approval.lapsed", `Only ${counting} of ${request.requiredApprovals} approvals are still valid; it waits for approval again.`);
    }
    const stale = staleReason(request.gitOpsApp.integration, now);
    if (stale) {
      if (request.waitingReason !== stale) await tx.syncRequest.update({ where: { id: request.id }, data: { waitingReason: stale } });
      return { kind: "stop", outcome: { kind: "waiting", reason: stale } };
    }
    await tx.syncRequest.update({ where: { id: request.id }, data: { status: "EXECUTING", executionStartedAt: request.executionStartedAt ?? now, executionAttempts: { increment: 1 }, waitingReason: null } });
    await appendAudit(tx, event(request, now, request.status === "EXECUTING" ? "sync.execution.resumed" : "sync.execution.started", "info", { attempt: request.executionAttempts + 1, revision: request.revision }, { status: request.status }));
    return { kind: "run", request, resumed: request.status === "EXECUTING" };
  });
}

/** Ends an EXECUTING request (the only way out of EXECUTING), with its audit event. */
async function finish(deps: ExecuteSyncDeps, request: RequestWithApp, status: "SUCCEEDED" | "FAILED" | "CANCELLED", data: { syncedRevision?: string | null; failureReason?: string | null; operation?: SyncOperationDto | null }): Promise<ExecutionOutcome> {
  const now = deps.clock.now();
  await deps.db.$transaction(async (tx) => {
    await lockApp(tx, request.gitOpsAppId);
    const current = await tx.syncRequest.findUniqueOrThrow({ where: { id: request.id }, select: { status: true } });
    if (current.status !== "EXECUTING") return;
    await tx.syncRequest.update({
      where: { id: request.id },
      data: { status, finishedAt: now, syncedRevision: data.syncedRevision ?? null, failureReason: data.failureReason ?? null, ...(data.operation ? { operation: data.operation as unknown as Prisma.InputJsonValue } : {}) },
    });
    const action = status === "SUCCEEDED" ? "sync.executed" : status === "CANCELLED" ? "sync.execution.skipped" : "sync.execution.failed";
    await appendAudit(
      tx,
      event(request, now, action, status === "SUCCEEDED" ? "success" : status === "CANCELLED" ? "info" : "failure", {
        status,
        approvedRevision: request.revision,
        syncedRevision: data.syncedRevision ?? null,
        ...(data.failureReason ? { reason: data.failureReason } : {}),
      }, { status: "EXECUTING" }),
    );
  });
  return { kind: "finished", status: status === "CANCELLED" ? "CANCELLED" : status };
}

/** Back to APPROVED with a reason: nothing was sent to Argo CD, and the sweep tries again later. */
async function defer(deps: ExecuteSyncDeps, request: RequestWithApp, reason: string): Promise<ExecutionOutcome> {
  const now = deps.clock.now();
  await deps.db.$transaction(async (tx) => {
    await lockApp(tx, request.gitOpsAppId);
    const current = await tx.syncRequest.findUniqueOrThrow({ where: { id: request.id }, select: { status: true, waitingReason: true } });
    if (current.status !== "EXECUTING") return;
    // Only ever after Argo CD refused the call, or before it: nothing of ours runs, so the marker goes.
    await tx.syncRequest.update({ where: { id: request.id }, data: { status: "APPROVED", waitingReason: reason, syncCalledAt: null } });
    // One event per distinct reason, not one a minute while a window stays closed.
    if (current.waitingReason !== reason) await appendAudit(tx, event(request, now, "sync.execution.deferred", "info", { status: "APPROVED", reason }, { status: "EXECUTING" }));
  });
  return { kind: "waiting", reason };
}

/** Sets the call marker (`syncCalledAt`) unless a job already did; false when it was set. */
async function markCalling(deps: ExecuteSyncDeps, request: RequestWithApp, infos: { name: string; value: string }[]): Promise<boolean> {
  const now = deps.clock.now();
  return await deps.db.$transaction(async (tx) => {
    await lockApp(tx, request.gitOpsAppId);
    const current = await tx.syncRequest.findUniqueOrThrow({ where: { id: request.id }, select: { status: true, syncCalledAt: true } });
    if (current.status !== "EXECUTING" || current.syncCalledAt !== null) return false;
    await tx.syncRequest.update({ where: { id: request.id }, data: { syncCalledAt: now, operation: operationDto(null) as unknown as Prisma.InputJsonValue } });
    await appendAudit(tx, { ...event(request, now, "sync.execution.called", "info", { revision: request.revision, infos }), metadata: { argocdApplication: request.gitOpsApp.name } });
    return true;
  });
}

async function recordOperation(deps: ExecuteSyncDeps, requestId: string, operation: SyncOperationDto): Promise<void> {
  await deps.db.syncRequest.updateMany({ where: { id: requestId, status: "EXECUTING" }, data: { operation: operation as unknown as Prisma.InputJsonValue } });
}

function personNames(request: RequestWithApp): string {
  return request.approvals.filter((approval) => approval.decision === "APPROVE").map((approval) => approval.approver.displayName).join(", ");
}

async function findApplication(client: ArgoCdClient, request: RequestWithApp): Promise<RawArgoApplication> {
  const app = request.gitOpsApp;
  // The stored namespace is the destination's; the Application itself is looked up by name, and by
  // its uid among all apps when it lives outside Argo CD's own namespace.
  try {
    const found = await client.getApplication(app.name);
    if (!found.metadata.uid || found.metadata.uid === app.externalId || !app.externalId.match(/^[0-9a-f-]{36}$/)) return found;
  } catch (error) {
    if (!(error instanceof ArgoCdError) || error.status !== 404) throw error;
  }
  const list = await client.listApplications();
  const match = list.items.find((item) => item.metadata.uid === app.externalId && item.metadata.name === app.name);
  if (!match) throw new ArgoCdError(404, `/api/v1/applications/${app.name}`, 5, "application not found");
  return await client.getApplication(app.name, match.metadata.namespace);
}

export async function executeSyncRequest(deps: ExecuteSyncDeps, requestId: string): Promise<ExecutionOutcome> {
  const claimed = await claim(deps, requestId);
  if (claimed.kind === "stop") return claimed.outcome;
  const { request } = claimed;
  const client = await deps.argoCdFor(request.gitOpsApp.integrationId);
  const sleep = deps.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));

  let live: RawArgoApplication;
  try {
    live = await findApplication(client, request);
  } catch (error) {
    if (!(error instanceof ArgoCdError && error.status === 404)) throw error;
    return await finish(deps, request, "FAILED", { failureReason: `Argo CD no longer has the application ${request.gitOpsApp.name}.` });
  }
  const appNamespace = live.metadata.namespace ?? null;
  let own = ownOperation(live, request.id);
  if (!own && claimed.request.syncCalledAt !== null) {
    // A call was started and Argo CD does not show it (a later operation replaced it, or the call
    // never arrived): whether it ran cannot be known, and calling again could sync twice.
    return await finish(deps, request, "FAILED", {
      failureReason: "A sync call was made for this request but Argo CD no longer shows it, so whether it ran cannot be confirmed; it is not called again. Check the app's history in Argo CD, then request again if needed.",
    });
  }
  if (!own) {
    // Nothing sent yet: check what only Argo CD knows, live.
    const desired = live.status?.sync?.revision ?? null;
    if (desired && desired !== request.revision) {
      return await finish(deps, request, "FAILED", { failureReason: `Argo CD now compares against ${desired.slice(0, 12)}, not the approved ${request.revision.slice(0, 12)}; nothing was synced. Request the new revision.` });
    }
    if (live.spec.syncPolicy?.automated && live.spec.syncPolicy.automated.enabled !== false) {
      return await finish(deps, request, "CANCELLED", { failureReason: "The app was switched to auto-sync; it needs no approval, and nothing was synced." });
    }
    const running = live.operation || live.status?.operationState?.phase === "Running" || live.status?.operationState?.phase === "Terminating";
    if (running) return await defer(deps, request, "Another operation is running on this app; the sync starts when it ends.");
    const windows = await client.syncWindows(live.metadata.name, appNamespace);
    if (windows.canSync === false) return await defer(deps, request, "A sync window of the app's project does not allow syncing now; the sync starts when the window opens (checked every minute).");

    const infos = [
      { name: SYNC_REQUEST_INFO_KEY, value: request.id },
      { name: "pipeline-health.requested-by", value: request.requester.displayName },
      { name: "pipeline-health.approved-by", value: personNames(request) },
      { name: "pipeline-health.reason", value: request.reason.slice(0, 200) },
    ];
    // The marker goes in first, under the app's lock and with its audit event: a job that finds it
    // set (a retry, or a second job beside this one) never calls, it only follows.
    if (!(await markCalling(deps, request, infos))) return { kind: "skipped", status: "EXECUTING" };
    try {
      live = await client.sync(live.metadata.name, { revision: request.revision, prune: false, infos }, appNamespace);
    } catch (error) {
      // Argo CD's FailedPrecondition (9): another operation got there first. Nothing of ours started.
      if (error instanceof ArgoCdError && (error.code === 9 || error.status === 409)) return await defer(deps, request, "Another operation is running on this app; the sync starts when it ends.");
      if (error instanceof ArgoCdError && error.status === 403 && /window/i.test(error.message)) return await defer(deps, request, "A sync window of the app's project does not allow syncing now; the sync starts when the window opens.");
      if (error instanceof ArgoCdError && error.status >= 400 && error.status < 500) {
        return await finish(deps, request, "FAILED", { failureReason: `Argo CD refused the sync: ${error.message}` });
      }
      // A 5xx or a lost answer: the retry looks for our id, and fails closed if it is not there.
      throw error;
    }
    await deps.afterSyncCall?.();
    own = ownOperation(live, request.id) ?? { requested: true, state: null };
  }

  // Follow the operation to its end.
  // Within the job's expiry (5 min): a job that outlives it would be retried beside itself.
  const deadline = deps.clock.now().getTime() + (deps.followTimeoutMs ?? 4 * 60_000);
  let lastPhase: string | null = null;
  for (;;) {
    const state = own?.state ?? null;
    const dto = operationDto(state);
    if (dto.phase !== lastPhase) {
      await recordOperation(deps, request.id, dto);
      lastPhase = dto.phase;
    }
    if (state && TERMINAL_PHASES.has(state.phase)) {
      if (state.phase !== "Succeeded") return await finish(deps, request, "FAILED", { failureReason: `Argo CD's sync ended ${state.phase}: ${state.message ?? "no message"}`, syncedRevision: dto.syncedRevision, operation: dto });
      if (dto.syncedRevision !== request.revision) {
        return await finish(deps, request, "FAILED", { failureReason: `Argo CD synced ${dto.syncedRevision ?? "an unknown revision"}, not the approved ${request.revision}.`, syncedRevision: dto.syncedRevision, operation: dto });
      }
      return await finish(deps, request, "SUCCEEDED", { syncedRevision: dto.syncedRevision, operation: dto });
    }
    if (deps.clock.now().getTime() > deadline) throw new Error(`sync request ${request.id}: Argo CD's operation did not end within the follow timeout; a retry resumes following it`);
    await sleep(deps.pollMs ?? 1_000);
    live = await findApplication(client, request);
    own = ownOperation(live, request.id);
    if (!own) {
      // Our operation was replaced by another before we saw its end: what happened cannot be confirmed.
      return await finish(deps, request, "FAILED", { failureReason: "Argo CD no longer shows this request's operation (another operation replaced it); check the app's history before requesting again." });
    }
  }
}

/**
 * The sweep, every minute: expires requests past their time and queues the execution of every
 * APPROVED or EXECUTING request (a lost enqueue, a deferred window, a worker that died), once each.
 */
export async function sweepSyncRequests(db: Db, clock: Clock, enqueue: (requestId: string) => Promise<unknown>): Promise<{ expired: number; queued: number }> {
  const now = clock.now();
  const lapsed = await db.syncRequest.findMany({ where: { status: "PENDING", expiresAt: { lte: now } }, select: { id: true } });
  let expired = 0;
  for (const { id } of lapsed) {
    expired += await db.$transaction(async (tx) => {
      const request = await load(tx, id);
      if (!request) return 0;
      await lockApp(tx, request.gitOpsAppId);
      const current = await tx.syncRequest.findUniqueOrThrow({ where: { id }, select: { status: true } });
      if (current.status !== "PENDING") return 0;
      await tx.syncRequest.update({ where: { id }, data: { status: "EXPIRED", finishedAt: now } });
      await appendAudit(tx, event(request, now, "sync.expired", "info", { status: "EXPIRED" }, { status: "PENDING" }));
      return 1;
    });
  }
  const live = await db.syncRequest.findMany({ where: { status: { in: ["APPROVED", "EXECUTING"] } }, select: { id: true } });
  for (const { id } of live) await enqueue(id);
  return { expired, queued: live.length };
}
