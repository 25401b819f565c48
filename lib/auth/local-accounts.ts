import { hashPassword, verifyPassword } from "better-auth/crypto";
import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import type { Role } from "@/lib/db/generated/enums";
import { appendAudit } from "@/lib/audit/append-audit";
import { ensureUserPerson } from "@/lib/data/people/user-person";
import { DEMO_EMAIL_DOMAIN, DEMO_USERS } from "./demo-users";

/** Better Auth's provider id for e-mail and password accounts. */
export const CREDENTIAL_PROVIDER = "credential";

export interface LocalAccountInput {
  email: string;
  name: string;
  role: Role;
  password: string;
}

/**
 * Creates or updates an e-mail and password account the way Better Auth stores one (a `credential`
 * account keyed by the user id, the password hashed with Better Auth's own scrypt parameters), so
 * Better Auth signs it in. Open sign-up is off: accounts come from here (CLI, sandbox seeding) or an admin.
 */
export async function upsertLocalAccount(db: Db, input: LocalAccountInput, options: { clock: Clock; actorDisplay: string; resetPassword: boolean }): Promise<{ userId: string; created: boolean }> {
  const email = input.email.trim().toLowerCase();
  // Before the transaction: scrypt takes a while, and the embedded database is one session for
  // everyone. A restart re-seeds the demo accounts, so an unchanged password is verified, not re-hashed.
  const current = await db.account.findFirst({ where: { providerId: CREDENTIAL_PROVIDER, user: { email } }, select: { password: true } });
  const passwordChanges = options.resetPassword && !!current?.password && !(await verifyPassword({ hash: current.password, password: input.password }));
  const passwordHash = !current || passwordChanges ? await hashPassword(input.password) : null;
  return await db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email }, select: { id: true, role: true, disabled: true } });
    const user = existing
      ? await tx.user.update({ where: { id: existing.id }, data: { role: input.role, disabled: false, name: input.name } })
      : await tx.user.create({ data: { email, name: input.name, role: input.role, emailVerified: true } });
    // Approvals compare people: every account is one, linked to its commits by its e-mail.
    await ensureUserPerson(tx, user, { clock: options.clock, actorDisplay: options.actorDisplay });
    const account = await tx.account.findFirst({ where: { userId: user.id, providerId: CREDENTIAL_PROVIDER }, select: { id: true } });
    if (!account) {
      // Rare: a user row without its credential account (created between the read above and now).
      const password = passwordHash ?? (await hashPassword(input.password));
      await tx.account.create({ data: { userId: user.id, providerId: CREDENTIAL_PROVIDER, accountId: user.id, password } });
    } else if (passwordChanges && passwordHash) {
      await tx.account.update({ where: { id: account.id }, data: { password: passwordHash } });
      // Whoever knew the old password may hold a session: a reset ends them all.
      const { count } = await tx.session.deleteMany({ where: { userId: user.id } });
      await appendAudit(tx, {
        occurredAt: options.clock.now(),
        actor: { kind: "SYSTEM", display: options.actorDisplay },
        action: "user.password.reset",
        target: { type: "user", id: user.id, display: email },
        outcome: "success",
        after: { sessionsEnded: count },
        source: "dashboard",
      });
    }
    const changed = !existing || existing.role !== input.role || existing.disabled;
    if (changed) {
      await appendAudit(tx, {
        occurredAt: options.clock.now(),
        actor: { kind: "SYSTEM", display: options.actorDisplay },
        action: existing ? "user.role.changed" : "user.created",
        target: { type: "user", id: user.id, display: email },
        outcome: "success",
        before: existing ? { role: existing.role, disabled: existing.disabled } : null,
        after: { role: input.role, disabled: false },
        source: "dashboard",
      });
    }
    return { userId: user.id, created: !existing };
  });
}

/** Sandbox mode: one account per role, with the passwords the sign-in page shows. */
export async function seedDemoUsers(db: Db, clock: Clock): Promise<void> {
  for (const user of DEMO_USERS) await upsertLocalAccount(db, user, { clock, actorDisplay: "sandbox", resetPassword: true });
}

/**
 * A real source is configured: the demo accounts, whose passwords are public, are switched off
 * and signed out. Returns how many were disabled.
 */
export async function disableDemoUsers(db: Db, clock: Clock): Promise<number> {
  const demo = await db.user.findMany({ where: { email: { endsWith: DEMO_EMAIL_DOMAIN }, disabled: false }, select: { id: true, email: true } });
  for (const user of demo) {
    await db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { disabled: true } });
      await tx.session.deleteMany({ where: { userId: user.id } });
      await appendAudit(tx, {
        occurredAt: clock.now(),
        actor: { kind: "SYSTEM", display: "pipeline-health" },
        action: "user.disabled",
        target: { type: "user", id: user.id, display: user.email },
        outcome: "success",
        after: { disabled: true, reason: "demo account outside sandbox mode" },
        source: "dashboard",
      });
    });
  }
  return demo.length;
}
