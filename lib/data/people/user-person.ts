import type { Clock } from "@/lib/clock";
import type { DbTransaction } from "@/lib/db/client";
import { appendAudit } from "@/lib/audit/append-audit";
import { normalizeIdentity } from "./identities";

export interface UserForPerson {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  personId: string | null;
}

/**
 * Every dashboard user is a person (approvals compare people, not accounts). A user whose verified
 * e-mail is already a commit e-mail of a person becomes that person, so their own commits count as
 * theirs; otherwise a new person is made, carrying the e-mail as a verified identity so commits seen
 * later link to it. An unverified e-mail links nothing: anyone can type someone else's address.
 * Idempotent; returns the person id. Runs in the caller's transaction (the user change and its link commit together).
 */
export async function ensureUserPerson(tx: DbTransaction, user: UserForPerson, options: { clock: Clock; actorDisplay: string }): Promise<string> {
  if (user.personId) return user.personId;
  const now = options.clock.now();
  const email = user.emailVerified ? normalizeIdentity("EMAIL", user.email) : null;
  const identity = email ? await tx.personIdentity.findUnique({ where: { kind_value: { kind: "EMAIL", value: email } }, select: { personId: true, person: { select: { user: { select: { id: true } } } } } }) : null;
  let personId: string;
  let matched = false;
  if (identity && !identity.person.user) {
    personId = identity.personId;
    matched = true;
  } else {
    const person = await tx.person.create({ data: { displayName: user.name || user.email, createdAt: now }, select: { id: true } });
    personId = person.id;
    // When another user already holds this e-mail's person, the identity stays where it is.
    if (email && !identity) await tx.personIdentity.create({ data: { personId, kind: "EMAIL", value: email, verified: true, createdAt: now } });
  }
  await tx.user.update({ where: { id: user.id }, data: { personId } });
  await appendAudit(tx, {
    occurredAt: now,
    actor: { kind: "SYSTEM", display: options.actorDisplay },
    action: "person.user.linked",
    target: { type: "user", id: user.id, display: user.email },
    outcome: "success",
    after: { personId, matchedBy: matched ? "verified e-mail" : null },
    source: "dashboard",
  });
  return personId;
}
