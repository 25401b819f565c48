import "server-only";
import { appendAudit } from "@/lib/audit/append-audit";
import type { DbTransaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { type ViewerContext, actorOf, assertCan, can } from "@/lib/data/viewer";
import type { DecideSyncRequestInput } from "@/lib/queries/approvals";
import { decideSyncRequestSchema } from "@/lib/queries/approvals";
import type { SyncRequestDto } from "./approval-types";
import { type ApprovalDeps, defaultApprovalDeps } from "./approval-deps";
import { personOf } from "./request-sync";
import { approvalPolicy, fourEyesRefusals, lockApp, notGatedReason, staleReason } from "./sync-policy";
import { FOUR_EYES_MESSAGES, countingApprovals, syncRequestInclude } from "./sync-request-dto";
import { toDtos } from "./read-sync-requests";

type Outcome =
  | { kind: "decided"; queued: boolean }
  /** Closed as expired or superseded; committed, then answered with the error. */
  | { kind: "lapsed"; error: AppError }
  | { kind: "refused"; error: AppError; audit: { action: string; reason: string } | null };

function targetOf(request: { id: string; revision: string }, app: { namespace: string; name: string }) {
  return { type: "sync_request", id: request.id, display: `${app.namespace}/${app.name} @ ${request.revision.slice(0, 12)}` };
}

/**
 * One refusal per person, request and decision is worth a line in the trail; repeating the click
 * (or a script repeating the POST) adds nothing, and cannot flood the chain.
 */
function refusalKey(ctx: ViewerContext, requestId: string, decision: "approve" | "reject"): string {
  const who = ctx.viewer.kind === "user" ? ctx.viewer.userId : ctx.viewer.kind;
  return `dashboard:sync-decision-refused:${requestId}:${who}:${decision}`;
}


/**
 * A decision from someone whose role may not decide. Still a 403, but an attempt on a real request is
 * written to the audit trail, and the requester is told the rule that matters (four eyes), not only
 * their role.
 */
async function refuseWithoutRole(ctx: ViewerContext, requestId: string, decision: "approve" | "reject", deps: ApprovalDeps): Promise<never> {
  if (ctx.viewer.kind !== "user") assertCan(ctx, "sync:approve");
  const request = await deps.db.syncRequest.findUnique({ where: { id: requestId }, include: { gitOpsApp: true } });
  const isRequester = request !== null && ctx.viewer.kind === "user" && ctx.viewer.personId === request.requesterPersonId;
  const error = new AppError("FORBIDDEN", isRequester ? FOUR_EYES_MESSAGES.requester : "Your role may not do this (sync:approve): only approvers decide on sync requests.");
  if (request) {
    await appendAudit(deps.db, {
      occurredAt: ctx.clock.now(),
      actor: actorOf(ctx),
      action: `sync.${decision === "approve" ? "approval" : "rejection"}.refused`,
      target: targetOf(request, request.gitOpsApp),
      serviceId: request.gitOpsApp.serviceId,
      outcome: "denied",
      after: { reason: isRequester ? "requester" : "role", message: error.message },
      source: "dashboard",
      dedupeKey: refusalKey(ctx, requestId, decision),
      requestId: ctx.requestId,
      clientIp: ctx.clientIp,
    });
  }
  throw error;
}

/** Closes a request that can no longer be decided on (expired, or a newer revision is desired). */
async function closeIfLapsed(tx: DbTransaction, ctx: ViewerContext, requestId: string): Promise<AppError | null> {
  const now = ctx.clock.now();
  const request = await tx.syncRequest.findUniqueOrThrow({ where: { id: requestId }, include: { gitOpsApp: true } });
  const app = request.gitOpsApp;
  let status: "EXPIRED" | "SUPERSEDED" | null = null;
  let message = "";
  if (request.expiresAt <= now) {
    status = "EXPIRED";
    message = `This request expired at ${request.expiresAt.toISOString()}; request the sync again.`;
  } else if (app.desiredRevision !== request.revision) {
    status = "SUPERSEDED";
    message = `${app.name} now desires revision ${(app.desiredRevision ?? "unknown").slice(0, 12)}: this request for ${request.revision.slice(0, 12)} is superseded. Request the new revision.`;
  }
  if (!status) return null;
  await tx.syncRequest.update({ where: { id: request.id }, data: { status, finishedAt: now } });
  await appendAudit(tx, {
    occurredAt: now,
    actor: { kind: "SYSTEM", display: "pipeline-health" },
    action: status === "EXPIRED" ? "sync.expired" : "sync.superseded",
    target: targetOf(request, app),
    serviceId: app.serviceId,
    outcome: "info",
    before: { status: request.status },
    after: { status, ...(status === "SUPERSEDED" ? { desiredRevision: app.desiredRevision } : {}) },
    source: "dashboard",
    requestId: ctx.requestId,
  });
  return new AppError("CONFLICT", message);
}

/**
 * An approver approves or rejects (DESIGN §6 step 2). Under the app's lock: the request must be
 * PENDING and current; the approver is neither its requester nor (unless allowed) an author of a
 * change in it — checked here for a clear answer, and again by the database's trigger whatever path
 * writes. The last approval moves it to APPROVED and queues its execution once; a second approver
 * clicking at the same moment finds it APPROVED and gets a conflict, not a second execution.
 */
export async function decideSyncRequest(ctx: ViewerContext, requestId: string, input: DecideSyncRequestInput, deps: ApprovalDeps = defaultApprovalDeps()): Promise<SyncRequestDto> {
  const { decision, comment } = decideSyncRequestSchema.parse(input);
  if (!can(ctx.viewer, "sync:approve")) await refuseWithoutRole(ctx, requestId, decision, deps);
  const approverPersonId = personOf(ctx);
  const now = ctx.clock.now();
  const policy = approvalPolicy(deps.env);
  const existing = await deps.db.syncRequest.findUnique({ where: { id: requestId }, select: { gitOpsAppId: true } });
  if (!existing) throw new AppError("NOT_FOUND", "No such sync request.");

  let outcome: Outcome;
  try {
    outcome = await deps.db.$transaction(async (tx): Promise<Outcome> => {
      await lockApp(tx, existing.gitOpsAppId);
      const request = await tx.syncRequest.findUniqueOrThrow({
        where: { id: requestId },
        include: { gitOpsApp: { include: { integration: { select: { enabled: true, health: true, lastSyncedAt: true, lastError: true, name: true } } } }, approvals: true },
      });
      const app = request.gitOpsApp;
      if (request.status !== "PENDING") {
        const already = request.status === "APPROVED" || request.status === "EXECUTING" || request.status === "SUCCEEDED";
        return { kind: "refused", error: new AppError("CONFLICT", already ? "This request was already approved; it needs no further decision." : `This request is ${request.status.toLowerCase()}.`), audit: null };
      }
      const lapsed = await closeIfLapsed(tx, ctx, request.id);
      if (lapsed) return { kind: "lapsed", error: lapsed };
      // The database's own statement of the rule (the trigger runs it too), for the reason to show.
      const refusal = (await fourEyesRefusals(tx, approverPersonId, [request.id], decision === "approve" ? "APPROVE" : "REJECT")).get(request.id);
      if (refusal) {
        return { kind: "refused", error: new AppError("FORBIDDEN", FOUR_EYES_MESSAGES[refusal]), audit: { action: `sync.${decision === "approve" ? "approval" : "rejection"}.refused`, reason: refusal } };
      }
      if (request.approvals.some((approval) => approval.approverPersonId === approverPersonId)) {
        return { kind: "refused", error: new AppError("CONFLICT", "You have already decided on this request."), audit: null };
      }
      const stale = notGatedReason(app) ?? staleReason(app.integration, now);
      if (stale) return { kind: "refused", error: new AppError("CONFLICT", stale), audit: { action: `sync.${decision === "approve" ? "approval" : "rejection"}.refused`, reason: "stale" } };

      await tx.syncApproval.create({
        data: { syncRequestId: request.id, approverPersonId, decision: decision === "approve" ? "APPROVE" : "REJECT", comment, createdAt: now, expiresAt: new Date(Math.min(now.getTime() + policy.ttlMs, request.expiresAt.getTime())) },
      });
      const target = targetOf(request, app);
      const base = { occurredAt: now, actor: actorOf(ctx), target, serviceId: app.serviceId, source: "dashboard", requestId: ctx.requestId, clientIp: ctx.clientIp } as const;
      if (decision === "reject") {
        await tx.syncRequest.update({ where: { id: request.id }, data: { status: "REJECTED", finishedAt: now } });
        await appendAudit(tx, { ...base, action: "sync.rejected", outcome: "success", before: { status: "PENDING" }, after: { status: "REJECTED", comment } });
        return { kind: "decided", queued: false };
      }
      const approvals = await tx.syncApproval.findMany({ where: { syncRequestId: request.id } });
      const counting = countingApprovals({ approvals: approvals.map((approval) => ({ ...approval, approver: { id: approval.approverPersonId, displayName: "" } })) }, now);
      const complete = counting >= request.requiredApprovals;
      await appendAudit(tx, { ...base, action: "sync.approved", outcome: "success", after: { comment, approvals: counting, requiredApprovals: request.requiredApprovals } });
      if (complete) {
        await tx.syncRequest.update({ where: { id: request.id }, data: { status: "APPROVED" } });
        await appendAudit(tx, { ...base, actor: { kind: "SYSTEM", display: "pipeline-health" }, action: "sync.execution.queued", outcome: "info", before: { status: "PENDING" }, after: { status: "APPROVED", revision: request.revision } });
      }
      return { kind: "decided", queued: complete };
    });
  } catch (error) {
    // The database's four-eyes trigger: a path that skipped the checks above still cannot approve.
    if (error instanceof Error && /four-eyes/.test(error.message)) throw new AppError("FORBIDDEN", "Four eyes: the database refused this decision (requester or author).");
    throw error;
  }

  if (outcome.kind === "lapsed") throw outcome.error;
  if (outcome.kind === "refused") {
    if (outcome.audit) {
      const request = await deps.db.syncRequest.findUniqueOrThrow({ where: { id: requestId }, include: { gitOpsApp: true } });
      await appendAudit(deps.db, {
        occurredAt: now,
        actor: actorOf(ctx),
        action: outcome.audit.action,
        target: targetOf(request, request.gitOpsApp),
        serviceId: request.gitOpsApp.serviceId,
        outcome: "denied",
        after: { reason: outcome.audit.reason, message: outcome.error.message },
        source: "dashboard",
        dedupeKey: refusalKey(ctx, requestId, decision),
        requestId: ctx.requestId,
        clientIp: ctx.clientIp,
      });
    }
    throw outcome.error;
  }
  // After commit: the job reads the committed APPROVED state. A lost enqueue is recovered by the sweep.
  if (outcome.queued) await deps.enqueueExecution(requestId).catch(() => undefined);
  const row = await deps.db.syncRequest.findUniqueOrThrow({ where: { id: requestId }, include: syncRequestInclude });
  return (await toDtos(deps.db, ctx, [row]))[0]!;
}

/** The requester withdraws a request that has not started executing. */
export async function cancelSyncRequest(ctx: ViewerContext, requestId: string, deps: ApprovalDeps = defaultApprovalDeps()): Promise<SyncRequestDto> {
  assertCan(ctx, "sync:request");
  const personId = personOf(ctx);
  const now = ctx.clock.now();
  const existing = await deps.db.syncRequest.findUnique({ where: { id: requestId }, select: { gitOpsAppId: true } });
  if (!existing) throw new AppError("NOT_FOUND", "No such sync request.");
  await deps.db.$transaction(async (tx) => {
    await lockApp(tx, existing.gitOpsAppId);
    const request = await tx.syncRequest.findUniqueOrThrow({ where: { id: requestId }, include: { gitOpsApp: true } });
    if (request.requesterPersonId !== personId) throw new AppError("FORBIDDEN", "Only the requester may withdraw a sync request.");
    if (request.status !== "PENDING" && request.status !== "APPROVED") throw new AppError("CONFLICT", `This request is ${request.status.toLowerCase()}; it can no longer be withdrawn.`);
    await tx.syncRequest.update({ where: { id: request.id }, data: { status: "CANCELLED", finishedAt: now } });
    await appendAudit(tx, {
      occurredAt: now,
      actor: actorOf(ctx),
      action: "sync.cancelled",
      target: targetOf(request, request.gitOpsApp),
      serviceId: request.gitOpsApp.serviceId,
      outcome: "success",
      before: { status: request.status },
      after: { status: "CANCELLED" },
      source: "dashboard",
      requestId: ctx.requestId,
      clientIp: ctx.clientIp,
    });
  });
  const row = await deps.db.syncRequest.findUniqueOrThrow({ where: { id: requestId }, include: syncRequestInclude });
  return (await toDtos(deps.db, ctx, [row]))[0]!;
}
