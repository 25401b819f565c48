import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import { appendAudit } from "@/lib/audit/append-audit";
import { ensureUserPerson } from "@/lib/data/people/user-person";
import { CLIENT_IP_HEADER } from "@/lib/security/client-ip";
import { DEMO_EMAIL_DOMAIN } from "./demo-users";

/** What Better Auth is about to do with a GitHub or OIDC identity (its `validateUserInfo` actions). */
export type OAuthAction = "create-user" | "link-account" | "sign-in";

export type OAuthDecision = { allow: true } | { allow: false; reason: string };

/** The code the sign-in page receives as `?error=` when the gate refuses. */
export const SIGN_IN_REFUSED = "sign_in_refused";

/**
 * Who may sign in with an outside identity. Open sign-up stays off: a first sign-in creates an
 * account (a viewer) only for a verified e-mail in an allowed domain; otherwise it must match an
 * account an admin made (same e-mail, verified by the provider), to which it is then linked.
 * Demo accounts (public passwords) never take an outside identity.
 */
export function decideOAuthSignIn(input: {
  action: OAuthAction;
  email: string | null;
  emailVerified: boolean;
  allowedEmailDomains: readonly string[];
  existingUser: { disabled: boolean } | null;
}): OAuthDecision {
  const email = input.email?.trim().toLowerCase() ?? "";
  if (input.existingUser?.disabled) return { allow: false, reason: "the account is disabled" };
  if (input.action === "sign-in") return { allow: true };
  if (!email || !input.emailVerified) return { allow: false, reason: "the provider did not confirm the e-mail address as verified" };
  if (input.action === "link-account") {
    if (email.endsWith(DEMO_EMAIL_DOMAIN)) return { allow: false, reason: "demo accounts cannot be signed into from outside" };
    return { allow: true };
  }
  const domain = email.slice(email.lastIndexOf("@") + 1);
  if (!input.allowedEmailDomains.includes(domain)) return { allow: false, reason: "no account has this e-mail, and its domain may not create one (AUTH_ALLOWED_EMAIL_DOMAINS)" };
  return { allow: true };
}

interface ValidateData {
  user: { id?: unknown; email?: unknown; emailVerified?: unknown };
  source: { method: string; action: OAuthAction; oauth?: { providerId: string } | undefined };
}

/**
 * Better Auth's `user.validateUserInfo` for this product: applies `decideOAuthSignIn` to GitHub and
 * OIDC sign-ins (e-mail and password accounts are made by admins and pass), and writes every refusal
 * to the audit trail as `auth.sign-in.refused` with the provider, the address and why.
 */
export function createOAuthGate(deps: { db: Db; clock: Clock; allowedEmailDomains: readonly string[] }) {
  return async (data: ValidateData, context?: { headers?: Headers | undefined } | null): Promise<{ error: string; errorDescription: string } | undefined> => {
    if (data.source.method !== "oauth") return undefined;
    const email = typeof data.user.email === "string" ? data.user.email.toLowerCase() : null;
    const id = typeof data.user.id === "string" ? data.user.id : null;
    const existingUser = id
      ? await deps.db.user.findUnique({ where: { id }, select: { disabled: true } })
      : email
        ? await deps.db.user.findUnique({ where: { email }, select: { disabled: true } })
        : null;
    const decision = decideOAuthSignIn({ action: data.source.action, email, emailVerified: data.user.emailVerified === true, allowedEmailDomains: deps.allowedEmailDomains, existingUser });
    if (decision.allow) return undefined;
    const provider = data.source.oauth?.providerId ?? "unknown";
    await appendAudit(deps.db, {
      occurredAt: deps.clock.now(),
      actor: { kind: "ANONYMOUS", display: email ?? "unknown" },
      action: "auth.sign-in.refused",
      target: { type: "account", id: email ?? "unknown", display: email },
      outcome: "denied",
      source: "dashboard",
      clientIp: context?.headers?.get(CLIENT_IP_HEADER) ?? null,
      metadata: { provider, action: data.source.action, reason: decision.reason },
    });
    return { error: SIGN_IN_REFUSED, errorDescription: "This sign-in is not allowed here. Ask an admin of Pipeline Health to add your e-mail address." };
  };
}

/** A first GitHub or OIDC sign-in made an account: it is a person too (linked on its verified e-mail), audited. */
export async function onOAuthUserCreated(db: Db, clock: Clock, user: { id: string; email: string; name: string; emailVerified: boolean }): Promise<void> {
  await db.$transaction(async (tx) => {
    const personId = await ensureUserPerson(tx, { ...user, personId: null }, { clock, actorDisplay: "sign-in" });
    await appendAudit(tx, {
      occurredAt: clock.now(),
      actor: { kind: "SYSTEM", display: "sign-in" },
      action: "user.created",
      target: { type: "user", id: user.id, display: user.email },
      outcome: "success",
      after: { role: "VIEWER", personId, via: "first sign-in with an allowed e-mail domain" },
      source: "dashboard",
    });
  });
}
