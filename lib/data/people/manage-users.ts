import "server-only";
import { appendAudit } from "@/lib/audit/append-audit";
import { DEMO_EMAIL_DOMAIN } from "@/lib/auth/demo-users";
import { type Db, type DbTransaction, getDb } from "@/lib/db/client";
import type { Role } from "@/lib/db/generated/enums";
import { type ViewerContext, actorOf, assertCan } from "@/lib/data/viewer";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { PeopleChangeResultDto } from "@/lib/queries/people";

interface TargetUser {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
}

/** The user, row-locked for the rest of the transaction so two admins' changes apply one after the other. */
async function lockUser(tx: DbTransaction, id: string): Promise<TargetUser> {
  const rows = await tx.$queryRaw<TargetUser[]>`SELECT id, email, role::text AS role, disabled FROM "User" WHERE id = ${id}::uuid FOR UPDATE`;
  const user = rows[0];
  if (!user) throw new AppError("NOT_FOUND", "No such user.");
  return user;
}

/**
 * An installation must keep one active admin, or nobody can manage it any more. Locks every active
 * admin row, so two admins demoting each other at once cannot both succeed.
 */
async function assertAnotherAdminRemains(tx: DbTransaction, user: TargetUser, ctx: ViewerContext): Promise<void> {
  if (user.role !== "ADMIN" || user.disabled) return;
  const admins = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "User" WHERE role = 'ADMIN' AND NOT disabled FOR UPDATE`;
  if (admins.length <= 1) {
    const self = ctx.viewer.kind === "user" && ctx.viewer.userId === user.id;
    throw new AppError("CONFLICT", `${self ? "You are" : `${user.email} is`} the last active admin: make someone else an admin first, or nobody could manage users, roles and integrations.`);
  }
}

function transaction<T>(db: Db, run: (tx: DbTransaction) => Promise<T>): Promise<T> {
  return db.$transaction(run, { timeout: 15_000, maxWait: 15_000 });
}

/** Changes a user's role (audited `user.role.changed` with before and after). */
export async function changeUserRole(ctx: ViewerContext, input: { userId: string; role: Role }, db: Db = getDb()): Promise<PeopleChangeResultDto> {
  assertCan(ctx, "people:manage");
  return await transaction(db, async (tx) => {
    const user = await lockUser(tx, input.userId);
    if (user.role === input.role) return { message: `${user.email} already has the role ${input.role.toLowerCase()}.` };
    if (input.role !== "ADMIN") await assertAnotherAdminRemains(tx, user, ctx);
    await tx.user.update({ where: { id: user.id }, data: { role: input.role } });
    await appendAudit(tx, {
      occurredAt: ctx.clock.now(),
      actor: actorOf(ctx),
      action: "user.role.changed",
      target: { type: "user", id: user.id, display: user.email },
      outcome: "success",
      before: { role: user.role },
      after: { role: input.role },
      source: "dashboard",
      requestId: ctx.requestId,
      clientIp: ctx.clientIp,
    });
    return { message: `${user.email} is now ${input.role.toLowerCase()}.` };
  });
}

/**
 * Disables a user (their sessions end at once, and sign-in is refused) or enables them again.
 * Demo accounts stay off outside sandbox mode: their passwords are printed on the sign-in page.
 */
export async function setUserDisabled(ctx: ViewerContext, input: { userId: string; disabled: boolean }, db: Db = getDb()): Promise<PeopleChangeResultDto> {
  assertCan(ctx, "people:manage");
  return await transaction(db, async (tx) => {
    const user = await lockUser(tx, input.userId);
    if (user.disabled === input.disabled) return { message: `${user.email} is already ${input.disabled ? "disabled" : "enabled"}.` };
    if (input.disabled) await assertAnotherAdminRemains(tx, user, ctx);
    if (!input.disabled && user.email.endsWith(DEMO_EMAIL_DOMAIN) && getEnv().PIPELINE_HEALTH_SANDBOX !== "1") {
      throw new AppError("CONFLICT", "Demo accounts have public passwords and stay disabled outside sandbox mode.");
    }
    await tx.user.update({ where: { id: user.id }, data: { disabled: input.disabled } });
    const { count } = input.disabled ? await tx.session.deleteMany({ where: { userId: user.id } }) : { count: 0 };
    await appendAudit(tx, {
      occurredAt: ctx.clock.now(),
      actor: actorOf(ctx),
      action: input.disabled ? "user.disabled" : "user.enabled",
      target: { type: "user", id: user.id, display: user.email },
      outcome: "success",
      before: { disabled: user.disabled },
      after: { disabled: input.disabled, ...(input.disabled ? { sessionsEnded: count } : {}) },
      source: "dashboard",
      requestId: ctx.requestId,
      clientIp: ctx.clientIp,
    });
    return { message: input.disabled ? `${user.email} is disabled; ${count} session${count === 1 ? "" : "s"} ended.` : `${user.email} can sign in again.` };
  });
}

/** Ends every session of a user (they must sign in again); audited `user.sessions.revoked`. */
export async function revokeUserSessions(ctx: ViewerContext, input: { userId: string }, db: Db = getDb()): Promise<PeopleChangeResultDto> {
  assertCan(ctx, "people:manage");
  return await transaction(db, async (tx) => {
    const user = await lockUser(tx, input.userId);
    const { count } = await tx.session.deleteMany({ where: { userId: user.id } });
    await appendAudit(tx, {
      occurredAt: ctx.clock.now(),
      actor: actorOf(ctx),
      action: "user.sessions.revoked",
      target: { type: "user", id: user.id, display: user.email },
      outcome: "success",
      after: { sessionsEnded: count },
      source: "dashboard",
      requestId: ctx.requestId,
      clientIp: ctx.clientIp,
    });
    return { message: `${count} session${count === 1 ? "" : "s"} of ${user.email} ended.` };
  });
}
