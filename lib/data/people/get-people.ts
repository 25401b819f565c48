import "server-only";
import { type Db, getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { type ViewerContext, assertCan } from "@/lib/data/viewer";
import type { IdentityDto, PeopleDto, PersonDto, UserRowDto } from "@/lib/queries/people";

const PERSONS_SHOWN = 100;

const identitySelect = { kind: true, value: true, verified: true, manual: true } as const;

/**
 * Settings → People and roles: every dashboard user with role, status, person and sessions, and the
 * persons of the ingested data (the first 100 matching `q` by name or identity). Admins only: the list
 * holds every user's e-mail, which viewers have no need to see.
 */
export async function getPeople(ctx: ViewerContext, params: { q?: string } = {}, db: Db = getDb()): Promise<PeopleDto> {
  assertCan(ctx, "people:manage");
  const now = ctx.clock.now();
  const q = params.q?.trim();
  const personWhere: Prisma.PersonWhereInput = {
    identities: { some: {} },
    ...(q ? { OR: [{ displayName: { contains: q, mode: "insensitive" } }, { identities: { some: { value: { contains: q.toLowerCase() } } } }] } : {}),
  };
  const [users, persons, personsTotal] = await Promise.all([
    db.user.findMany({
      orderBy: [{ disabled: "asc" }, { name: "asc" }],
      select: {
        id: true, name: true, email: true, role: true, disabled: true,
        person: { select: { id: true, displayName: true, identities: { select: identitySelect, orderBy: [{ kind: "asc" }, { value: "asc" }] } } },
        sessions: { where: { expiresAt: { gt: now } }, select: { createdAt: true }, orderBy: { createdAt: "desc" } },
      },
    }),
    db.person.findMany({
      where: personWhere,
      orderBy: [{ displayName: "asc" }, { id: "asc" }],
      take: PERSONS_SHOWN,
      select: {
        id: true, displayName: true,
        identities: { select: identitySelect, orderBy: [{ kind: "asc" }, { value: "asc" }] },
        user: { select: { email: true } },
        _count: { select: { commits: true, pullRequests: true } },
      },
    }),
    db.person.count({ where: personWhere }),
  ]);
  const viewerId = ctx.viewer.kind === "user" ? ctx.viewer.userId : null;
  return {
    users: users.map(
      (user): UserRowDto => ({
        id: user.id,
        name: user.name,
        email: user.email,
        role: user.role,
        disabled: user.disabled,
        person: user.person ? { id: user.person.id, displayName: user.person.displayName, identities: user.person.identities.map(toIdentity) } : null,
        activeSessions: user.sessions.length,
        lastSignInAt: user.sessions[0]?.createdAt.toISOString() ?? null,
        isSelf: user.id === viewerId,
      }),
    ),
    persons: persons.map(
      (person): PersonDto => ({
        id: person.id,
        displayName: person.displayName,
        identities: person.identities.map(toIdentity),
        userEmail: person.user?.email ?? null,
        commits: person._count.commits,
        pullRequests: person._count.pullRequests,
      }),
    ),
    personsTotal,
  };
}

function toIdentity(identity: IdentityDto): IdentityDto {
  return { kind: identity.kind, value: identity.value, verified: identity.verified, manual: identity.manual };
}
