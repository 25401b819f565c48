import "server-only";
import { appendAudit } from "@/lib/audit/append-audit";
import { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { type ViewerContext, actorOf, assertCan } from "@/lib/data/viewer";
import type { CreateSyncRequestInput } from "@/lib/queries/approvals";
import { OPEN_SYNC_REQUEST_STATUSES, type SyncRequestDto } from "./approval-types";
import { type ApprovalDeps, defaultApprovalDeps } from "./approval-deps";
import { computeChangeSet } from "./change-set";
import { productionApps, toDtos } from "./read-sync-requests";
import { approvalPolicy, lockApp, notGatedReason, staleReason } from "./sync-policy";
import { syncRequestInclude } from "./sync-request-dto";

/** The signed-in person behind this context; approvals are between persons, not accounts. */
export function personOf(ctx: ViewerContext): string {
  if (ctx.viewer.kind !== "user") throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  if (!ctx.viewer.personId) throw new AppError("FORBIDDEN", "Your account is not linked to a person, so four-eyes cannot be checked. Ask an admin to link it in Settings.");
  return ctx.viewer.personId;
}

/**
 * An engineer asks for the app's desired revision to be synced (DESIGN §6 step 1). The revision must
 * be the one the app desires now (what the requester reviewed), the app must wait for a person and be
 * out of sync, and its data fresh. An open request for an older revision is superseded; one for the
 * same revision is a conflict naming it. The change set and its authors are fixed now, so the
 * four-eyes rule judges what was reviewed.
 */
export async function requestSync(ctx: ViewerContext, input: CreateSyncRequestInput, deps: ApprovalDeps = defaultApprovalDeps()): Promise<SyncRequestDto> {
  assertCan(ctx, "sync:request");
  const requesterPersonId = personOf(ctx);
  const now = ctx.clock.now();
  const policy = approvalPolicy(deps.env);
  const app = await deps.db.gitOpsApp.findUnique({
    where: { id: input.appId },
    include: { integration: { select: { id: true, enabled: true, health: true, lastSyncedAt: true, lastError: true, name: true } } },
  });
  if (!app) throw new AppError("NOT_FOUND", "No such GitOps app.");
  const notGated = notGatedReason(app);
  if (notGated) throw new AppError("CONFLICT", notGated);
  const stale = staleReason(app.integration, now);
  if (stale) throw new AppError("CONFLICT", stale);
  if (app.syncStatus !== "OutOfSync") throw new AppError("CONFLICT", `${app.name} is ${app.syncStatus}: there is nothing to sync.`);
  if (!app.desiredRevision) throw new AppError("CONFLICT", `${app.name}'s desired revision is unknown.`);
  if (app.desiredRevision !== input.revision) {
    throw new AppError("CONFLICT", `${app.name} now desires revision ${app.desiredRevision.slice(0, 12)}, not ${input.revision.slice(0, 12)}: review the new revision and request again.`);
  }
  // Outside the transaction: reading images may call GitHub, and the embedded database is one session.
  const desiredImages = input.revision === app.syncedRevision ? app.images : await deps.imagesAt(app, input.revision);
  const isProduction = (await productionApps(deps.db, [app.id])).has(app.id);

  const id = await deps.db.$transaction(async (tx) => {
    await lockApp(tx, app.id);
    const changeSet = await computeChangeSet(tx, app, input.revision, desiredImages);
    const open = await tx.syncRequest.findFirst({ where: { gitOpsAppId: app.id, status: { in: [...OPEN_SYNC_REQUEST_STATUSES] } } });
    if (open && (open.revision === input.revision || open.status !== "PENDING")) {
      throw new AppError("CONFLICT", open.revision === input.revision ? "A request to sync this revision is already open." : "A sync of this app is being executed; request again when it ends.", { requestId: open.id });
    }
    // The superseded request leaves the open set first: at most one open request per app (a unique index).
    if (open) await tx.syncRequest.update({ where: { id: open.id }, data: { status: "SUPERSEDED", finishedAt: now } });
    const created = await tx.syncRequest.create({
      data: {
        gitOpsAppId: app.id,
        revision: input.revision,
        reason: input.reason,
        requesterPersonId,
        requiredApprovals: isProduction ? policy.productionApprovals : 1,
        isProduction,
        changeAuthorPersonIds: changeSet.authorPersonIds,
        changeAuthorIdentities: changeSet.authorIdentities,
        changesIncompleteReason: changeSet.incompleteReason,
        requesterUserId: ctx.viewer.kind === "user" ? ctx.viewer.userId : null,
        authorsMayApprove: policy.authorsMayApprove,
        changes: changeSet.changes as unknown as Prisma.InputJsonValue,
        expiresAt: new Date(now.getTime() + policy.ttlMs),
        createdAt: now,
      },
    });
    const target = { type: "sync_request", id: created.id, display: `${app.namespace}/${app.name} @ ${input.revision.slice(0, 12)}` };
    if (open) {
      await tx.syncRequest.update({ where: { id: open.id }, data: { supersededById: created.id } });
      await appendAudit(tx, {
        occurredAt: now,
        actor: actorOf(ctx),
        action: "sync.superseded",
        target: { type: "sync_request", id: open.id, display: `${app.namespace}/${app.name} @ ${open.revision.slice(0, 12)}` },
        serviceId: app.serviceId,
        outcome: "info",
        before: { status: open.status, revision: open.revision },
        after: { status: "SUPERSEDED", supersededBy: created.id, revision: input.revision },
        source: "dashboard",
        requestId: ctx.requestId,
        clientIp: ctx.clientIp,
      });
    }
    await appendAudit(tx, {
      occurredAt: now,
      actor: actorOf(ctx),
      action: "sync.requested",
      target,
      serviceId: app.serviceId,
      outcome: "success",
      after: {
        app: `${app.namespace}/${app.name}`,
        revision: input.revision,
        reason: input.reason,
        requiredApprovals: created.requiredApprovals,
        isProduction,
        changes: changeSet.changes.length,
        changeAuthors: changeSet.authorPersonIds.length,
        changesIncomplete: changeSet.incompleteReason,
      },
      source: "dashboard",
      requestId: ctx.requestId,
      clientIp: ctx.clientIp,
    });
    return created.id;
  });
  const row = await deps.db.syncRequest.findUniqueOrThrow({ where: { id }, include: syncRequestInclude });
  return (await toDtos(deps.db, ctx, [row]))[0]!;
}
