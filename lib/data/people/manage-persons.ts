import "server-only";
import { appendAudit } from "@/lib/audit/append-audit";
import { type Db, type DbTransaction, getDb } from "@/lib/db/client";
import type { IdentityKind } from "@/lib/db/generated/enums";
import { type ViewerContext, actorOf, assertCan } from "@/lib/data/viewer";
import { AppError } from "@/lib/errors";
import type { PeopleChangeResultDto } from "@/lib/queries/people";
import { IDENTITY_KIND_LABELS, normalizeIdentity } from "./identities";
import { fillPersonColumns } from "./link-persons";

/*
 * An admin's edits are marked `manual`: the automatic linking pass adds new identities around them
 * but never moves a manual identity, nor merges or splits a person an admin has edited.
 */

function transaction<T>(db: Db, run: (tx: DbTransaction) => Promise<T>): Promise<T> {
  return db.$transaction(run, { timeout: 15_000, maxWait: 15_000 });
}

async function requirePerson(tx: DbTransaction, id: string): Promise<{ id: string; displayName: string; userId: string | null }> {
  const rows = await tx.$queryRaw<{ id: string; displayName: string }[]>`SELECT id, "displayName" FROM "Person" WHERE id = ${id}::uuid FOR UPDATE`;
  const person = rows[0];
  if (!person) throw new AppError("NOT_FOUND", "No such person.");
  const user = await tx.user.findUnique({ where: { personId: id }, select: { id: true } });
  return { ...person, userId: user?.id ?? null };
}

function normalized(kind: IdentityKind, value: string): string {
  const result = normalizeIdentity(kind, value);
  if (!result) throw new AppError("UNPROCESSABLE", `value: not a usable ${IDENTITY_KIND_LABELS[kind].toLowerCase()}`, [{ path: "value", message: "not a usable identity" }]);
  return result;
}

/** Attaches a GitHub login, commit e-mail or Argo CD user to a person, moving it from another person if it was linked there. */
export async function linkIdentity(ctx: ViewerContext, input: { personId: string; kind: IdentityKind; value: string }, db: Db = getDb()): Promise<PeopleChangeResultDto> {
  assertCan(ctx, "people:manage");
  const value = normalized(input.kind, input.value);
  const message = await transaction(db, async (tx) => {
    const person = await requirePerson(tx, input.personId);
    const existing = await tx.personIdentity.findUnique({ where: { kind_value: { kind: input.kind, value } }, select: { id: true, personId: true, manual: true } });
    if (existing?.personId === person.id && existing.manual) return `${value} is already linked to ${person.displayName}.`;
    if (existing) await tx.personIdentity.update({ where: { id: existing.id }, data: { personId: person.id, manual: true } });
    else await tx.personIdentity.create({ data: { personId: person.id, kind: input.kind, value, manual: true, createdAt: ctx.clock.now() } });
    await appendAudit(tx, {
      occurredAt: ctx.clock.now(),
      actor: actorOf(ctx),
      action: "person.identity.linked",
      target: { type: "person", id: person.id, display: person.displayName },
      outcome: "success",
      before: existing ? { personId: existing.personId, manual: existing.manual } : null,
      after: { personId: person.id, kind: input.kind, value, manual: true },
      source: "dashboard",
      requestId: ctx.requestId,
      clientIp: ctx.clientIp,
    });
    return `${value} is now linked to ${person.displayName}.`;
  });
  await fillPersonColumns(db);
  return { message };
}

/**
 * Detaches an identity from a person. The identity is not forgotten (ingested data names it again):
 * it becomes a person of its own, marked manual, so automatic linking never puts it back.
 */
export async function unlinkIdentity(ctx: ViewerContext, input: { personId: string; kind: IdentityKind; value: string }, db: Db = getDb()): Promise<PeopleChangeResultDto> {
  assertCan(ctx, "people:manage");
  const value = normalized(input.kind, input.value);
  const message = await transaction(db, async (tx) => {
    const person = await requirePerson(tx, input.personId);
    const existing = await tx.personIdentity.findUnique({ where: { kind_value: { kind: input.kind, value } }, select: { id: true, personId: true } });
    if (!existing || existing.personId !== person.id) throw new AppError("NOT_FOUND", `${value} is not linked to ${person.displayName}.`);
    const now = ctx.clock.now();
    const separate = await tx.person.create({ data: { displayName: value, createdAt: now }, select: { id: true } });
    await tx.personIdentity.update({ where: { id: existing.id }, data: { personId: separate.id, manual: true } });
    await appendAudit(tx, {
      occurredAt: now,
      actor: actorOf(ctx),
      action: "person.identity.unlinked",
      target: { type: "person", id: person.id, display: person.displayName },
      outcome: "success",
      before: { personId: person.id, kind: input.kind, value },
      after: { personId: separate.id, kind: input.kind, value, manual: true },
      source: "dashboard",
      requestId: ctx.requestId,
      clientIp: ctx.clientIp,
    });
    return `${value} is no longer linked to ${person.displayName}.`;
  });
  await fillPersonColumns(db);
  return { message };
}

/** Merges one person into another: every identity (and the dashboard account, if any) moves over, marked manual. */
export async function mergePersons(ctx: ViewerContext, input: { personId: string; intoPersonId: string }, db: Db = getDb()): Promise<PeopleChangeResultDto> {
  assertCan(ctx, "people:manage");
  if (input.personId === input.intoPersonId) throw new AppError("CONFLICT", "A person cannot be merged into itself.");
  const message = await transaction(db, async (tx) => {
    // Locked in id order, so two opposite merges at once cannot deadlock.
    const [first, second] = [input.personId, input.intoPersonId].sort();
    const locked = new Map([[first!, await requirePerson(tx, first!)], [second!, await requirePerson(tx, second!)]]);
    const from = locked.get(input.personId)!;
    const into = locked.get(input.intoPersonId)!;
    if (from.userId && into.userId) throw new AppError("CONFLICT", "Both persons are dashboard accounts; one human should have one account. Disable one of them instead.");
    const moved = await tx.personIdentity.findMany({ where: { personId: from.id }, select: { kind: true, value: true } });
    await tx.personIdentity.updateMany({ where: { personId: from.id }, data: { personId: into.id, manual: true } });
    // Keep what is already there as the admin left it: mark the target's own identities manual too.
    await tx.personIdentity.updateMany({ where: { personId: into.id }, data: { manual: true } });
    if (from.userId) await tx.user.update({ where: { id: from.userId }, data: { personId: into.id } });
    await appendAudit(tx, {
      occurredAt: ctx.clock.now(),
      actor: actorOf(ctx),
      action: "person.merged",
      target: { type: "person", id: into.id, display: into.displayName },
      outcome: "success",
      before: { personId: from.id, displayName: from.displayName, identities: moved.map((identity) => `${identity.kind}:${identity.value}`) },
      after: { personId: into.id, userMoved: from.userId !== null },
      source: "dashboard",
      requestId: ctx.requestId,
      clientIp: ctx.clientIp,
    });
    return `${from.displayName} is merged into ${into.displayName}.`;
  });
  await fillPersonColumns(db);
  return { message };
}
