import type { Clock } from "@/lib/clock";
import type { Db, DbTransaction } from "@/lib/db/client";
import type { IdentityKind } from "@/lib/db/generated/enums";
import { appendAudit } from "@/lib/audit/append-audit";
import { identityKey, normalizeIdentity } from "./identities";
import { ensureUserPerson } from "./user-person";

/** Serialises linking passes across workers, so two never create the same person twice. */
const LINK_LOCK_KEY = 7_223_117_301_550_077n;

export interface LinkPersonsResult {
  personsCreated: number;
  identitiesCreated: number;
  personsMerged: number;
  usersLinked: number;
  commitsUpdated: number;
  pullRequestsUpdated: number;
  deploymentsUpdated: number;
}

interface Node {
  kind: IdentityKind;
  value: string;
  /** Set for identities already stored. */
  personId: string | null;
  manual: boolean;
  /** A name the data gives this identity (a commit's author name). */
  name: string | null;
}

/**
 * The linking pass (DESIGN §2): one person per human, whatever identities they act under.
 *
 * 1. Every dashboard user gets a person (matched on verified e-mail, see `ensureUserPerson`).
 * 2. Identities seen in ingested data become `PersonIdentity` rows: commit logins and e-mails, PR
 *    authors, the GitHub users who started push-based deployments (and the commit authors behind
 *    reconstructed GitOps ones), and Argo CD users who started syncs. A commit carrying both a login
 *    and an e-mail ties them to one person; an Argo CD user name that is an e-mail ties to that e-mail.
 *    Ties may merge two automatic persons; never a person an admin edited (a manual identity), and
 *    never two persons that are each a dashboard user.
 * 3. `Commit.authorPersonId`, `PullRequest.authorPersonId` and `Deployment.initiatedByPersonId`
 *    are (re)filled in three set-based UPDATEs that only write rows whose person changed.
 *
 * Idempotent: a second pass over the same data changes nothing. Reads only distinct values, so it
 * stays cheap at 100k commits. Pass a transaction to run inside it; given the client, step 1–2 run
 * in one short transaction and each UPDATE of step 3 on its own (the embedded database is one session).
 */
export async function linkPersons(db: Db | DbTransaction, clock: Clock): Promise<LinkPersonsResult> {
  if ("$transaction" in db) {
    const identities = await db.$transaction((tx) => linkIdentities(tx, clock), { timeout: 60_000, maxWait: 30_000 });
    return { ...identities, ...(await fillPersonColumns(db)) };
  }
  const identities = await linkIdentities(db, clock);
  return { ...identities, ...(await fillPersonColumns(db)) };
}

async function linkIdentities(tx: DbTransaction, clock: Clock): Promise<Omit<LinkPersonsResult, "commitsUpdated" | "pullRequestsUpdated" | "deploymentsUpdated">> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LINK_LOCK_KEY})`;
  const now = clock.now();

  // 1. Users without a person (created before persons existed, or by a path that skipped it).
  const unlinked = await tx.user.findMany({ where: { personId: null }, select: { id: true, email: true, name: true, emailVerified: true, personId: true }, orderBy: { createdAt: "asc" } });
  for (const user of unlinked) await ensureUserPerson(tx, user, { clock, actorDisplay: "person linking" });

  // 2. What the data shows, as distinct values only.
  const commitPairs = await tx.$queryRaw<{ login: string | null; email: string | null; name: string | null }[]>`
    SELECT lower("authorLogin") AS login, lower("authorEmail") AS email, max("authorName") AS name
    FROM "Commit" WHERE "authorLogin" IS NOT NULL OR "authorEmail" IS NOT NULL GROUP BY 1, 2`;
  const prLogins = await tx.$queryRaw<{ login: string }[]>`SELECT DISTINCT lower("authorLogin") AS login FROM "PullRequest" WHERE "authorLogin" IS NOT NULL`;
  const deployers = await tx.$queryRaw<{ value: string; github: boolean }[]>`
    SELECT DISTINCT "initiatedBy" AS value, (source IN ('GITHUB_DEPLOYMENT', 'GITHUB_WORKFLOW') OR reconstructed) AS github
    FROM "Deployment" WHERE "initiatedBy" IS NOT NULL AND (source IN ('GITHUB_DEPLOYMENT', 'GITHUB_WORKFLOW', 'ARGOCD') OR reconstructed)`;
  const argoOperators = await tx.$queryRaw<{ value: string }[]>`
    SELECT DISTINCT o."initiatedBy" AS value FROM "GitOpsOperation" o JOIN "Integration" i ON i.id = o."integrationId"
    WHERE i.kind = 'ARGOCD' AND NOT o.automated AND o."initiatedBy" IS NOT NULL`;

  const stored = await tx.personIdentity.findMany({ select: { kind: true, value: true, personId: true, manual: true } });
  const personsWithUser = new Set((await tx.user.findMany({ where: { personId: { not: null } }, select: { personId: true } })).map((user) => user.personId!));

  const nodes = new Map<string, Node>();
  for (const identity of stored) nodes.set(identityKey(identity.kind, identity.value), { ...identity, name: null });
  const observe = (kind: IdentityKind, raw: string | null, name: string | null = null): string | null => {
    const value = normalizeIdentity(kind, raw);
    if (!value) return null;
    const key = identityKey(kind, value);
    const node = nodes.get(key);
    if (!node) nodes.set(key, { kind, value, personId: null, manual: false, name });
    else if (!node.name && name) node.name = name;
    return key;
  };
  const edges: [string, string][] = [];
  for (const row of commitPairs) {
    const login = observe("GITHUB", row.login, row.name);
    const email = observe("EMAIL", row.email, row.name);
    if (login && email) edges.push([login, email]);
  }
  for (const row of prLogins) observe("GITHUB", row.login);
  for (const row of deployers) observe(row.github ? "GITHUB" : "ARGOCD", row.value);
  for (const row of [...argoOperators, ...deployers.filter((deployer) => !deployer.github)]) {
    const argo = observe("ARGOCD", row.value);
    // Argo CD behind SSO names people by e-mail: the same e-mail as their commits is the same human.
    const email = row.value.includes("@") ? observe("EMAIL", row.value) : null;
    if (argo && email) edges.push([argo, email]);
  }

  // Union-find over identities; an edge never joins two stored persons an admin or two accounts keep apart.
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    let root = key;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(key, root);
    return root;
  };
  for (const [a, b] of edges) {
    const left = nodes.get(a)!;
    const right = nodes.get(b)!;
    if (left.personId && right.personId && left.personId !== right.personId) {
      if (left.manual || right.manual || (personsWithUser.has(left.personId) && personsWithUser.has(right.personId))) continue;
    }
    const rootA = find(a);
    const rootB = find(b);
    if (rootA !== rootB) parent.set(rootA, rootB);
  }
  // Stored identities of one person are one component already.
  const firstKeyOfPerson = new Map<string, string>();
  for (const [key, node] of nodes) {
    if (!node.personId) continue;
    const first = firstKeyOfPerson.get(node.personId);
    if (first === undefined) firstKeyOfPerson.set(node.personId, key);
    else if (find(first) !== find(key)) parent.set(find(key), find(first));
  }

  const components = new Map<string, string[]>();
  for (const key of nodes.keys()) {
    const root = find(key);
    const members = components.get(root);
    if (members) members.push(key);
    else components.set(root, [key]);
  }

  const identityCount = new Map<string, number>();
  const personsWithManual = new Set<string>();
  for (const identity of stored) {
    identityCount.set(identity.personId, (identityCount.get(identity.personId) ?? 0) + 1);
    if (identity.manual) personsWithManual.add(identity.personId);
  }

  const newPersons: { id: string; displayName: string; createdAt: Date }[] = [];
  const newIdentities: { personId: string; kind: IdentityKind; value: string; createdAt: Date }[] = [];
  const merges: { from: string; into: string }[] = [];
  for (const members of components.values()) {
    const fresh = members.map((key) => nodes.get(key)!).filter((node) => !node.personId);
    const persons = [...new Set(members.map((key) => nodes.get(key)!.personId).filter((id): id is string => id !== null))];
    if (fresh.length === 0 && persons.length <= 1) continue;
    // The person a dashboard user is wins, then the one with most identities, then the lowest id (stable).
    persons.sort((a, b) => Number(personsWithUser.has(b)) - Number(personsWithUser.has(a)) || (identityCount.get(b) ?? 0) - (identityCount.get(a) ?? 0) || a.localeCompare(b));
    let target = persons[0];
    for (const other of persons.slice(1)) {
      if (!target || personsWithManual.has(other) || personsWithManual.has(target) || (personsWithUser.has(other) && personsWithUser.has(target))) continue;
      merges.push({ from: other, into: target });
    }
    if (!target) {
      target = crypto.randomUUID();
      newPersons.push({ id: target, displayName: displayNameOf(fresh), createdAt: now });
    }
    for (const node of fresh) newIdentities.push({ personId: target, kind: node.kind, value: node.value, createdAt: now });
  }

  if (newPersons.length) await tx.person.createMany({ data: newPersons });
  for (let start = 0; start < newIdentities.length; start += 1000) await tx.personIdentity.createMany({ data: newIdentities.slice(start, start + 1000), skipDuplicates: true });
  // Merged-away persons stay as empty rows: the append-only audit trail may name them.
  for (const merge of merges) await tx.personIdentity.updateMany({ where: { personId: merge.from }, data: { personId: merge.into } });
  for (const merge of merges) await tx.user.updateMany({ where: { personId: merge.from }, data: { personId: merge.into } });

  const result = { personsCreated: newPersons.length, identitiesCreated: newIdentities.length, personsMerged: merges.length, usersLinked: unlinked.length };
  if (newPersons.length || newIdentities.length || merges.length) {
    await appendAudit(tx, {
      occurredAt: now,
      actor: { kind: "SYSTEM", display: "person linking" },
      action: "person.linking.completed",
      target: { type: "person", id: "*", display: "people seen in ingested data" },
      outcome: "success",
      after: { ...result, merges: merges.slice(0, 50) },
      source: "worker",
    });
  }
  return result;
}

function displayNameOf(nodes: Node[]): string {
  const named = nodes.find((node) => node.name);
  if (named?.name) return named.name;
  const login = nodes.find((node) => node.kind === "GITHUB") ?? nodes.find((node) => node.kind === "ARGOCD");
  if (login) return login.value;
  return nodes[0]?.value.split("@")[0] ?? "unknown";
}

/**
 * Step 3: each row's person from its identities, login before e-mail. Only rows whose person changes
 * are written, so a pass over unchanged data writes nothing.
 */
export async function fillPersonColumns(db: Db | DbTransaction): Promise<Pick<LinkPersonsResult, "commitsUpdated" | "pullRequestsUpdated" | "deploymentsUpdated">> {
  const commitsUpdated = await db.$executeRaw`
    UPDATE "Commit" c SET "authorPersonId" = m.pid
    FROM (
      SELECT c2.id, coalesce(g."personId", e."personId") AS pid FROM "Commit" c2
      LEFT JOIN "PersonIdentity" g ON g.kind = 'GITHUB' AND g.value = lower(c2."authorLogin")
      LEFT JOIN "PersonIdentity" e ON e.kind = 'EMAIL' AND e.value = lower(c2."authorEmail")
    ) m
    WHERE m.id = c.id AND c."authorPersonId" IS DISTINCT FROM m.pid`;
  const pullRequestsUpdated = await db.$executeRaw`
    UPDATE "PullRequest" p SET "authorPersonId" = m.pid
    FROM (
      SELECT p2.id, g."personId" AS pid FROM "PullRequest" p2
      LEFT JOIN "PersonIdentity" g ON g.kind = 'GITHUB' AND g.value = lower(p2."authorLogin")
    ) m
    WHERE m.id = p.id AND p."authorPersonId" IS DISTINCT FROM m.pid`;
  const deploymentsUpdated = await db.$executeRaw`
    UPDATE "Deployment" d SET "initiatedByPersonId" = m.pid
    FROM (
      SELECT d2.id,
        CASE WHEN d2.source IN ('GITHUB_DEPLOYMENT', 'GITHUB_WORKFLOW') OR d2.reconstructed THEN g."personId"
             WHEN d2.source = 'ARGOCD' THEN a."personId" END AS pid
      FROM "Deployment" d2
      LEFT JOIN "PersonIdentity" g ON g.kind = 'GITHUB' AND g.value = lower(d2."initiatedBy")
      LEFT JOIN "PersonIdentity" a ON a.kind = 'ARGOCD' AND a.value = d2."initiatedBy"
    ) m
    WHERE m.id = d.id AND d."initiatedByPersonId" IS DISTINCT FROM m.pid`;
  return { commitsUpdated, pullRequestsUpdated, deploymentsUpdated };
}

/**
 * The persons behind a set of identities as the data names them (for the four-eyes rule: is an
 * approver an author of a change?). Values are normalised as stored; unknown ones are skipped.
 * Returns distinct person ids, sorted.
 */
export async function personIdsForIdentities(
  tx: Db | DbTransaction,
  identities: { githubLogins?: readonly (string | null)[]; emails?: readonly (string | null)[]; argocdUsernames?: readonly (string | null)[] },
): Promise<string[]> {
  const wanted: { kind: IdentityKind; value: string }[] = [];
  const add = (kind: IdentityKind, values: readonly (string | null)[] | undefined) => {
    for (const raw of values ?? []) {
      const value = normalizeIdentity(kind, raw);
      if (value) wanted.push({ kind, value });
    }
  };
  add("GITHUB", identities.githubLogins);
  add("EMAIL", identities.emails);
  add("ARGOCD", identities.argocdUsernames);
  if (wanted.length === 0) return [];
  const byKind = (kind: IdentityKind) => wanted.filter((identity) => identity.kind === kind).map((identity) => identity.value);
  const rows = await tx.personIdentity.findMany({
    where: { OR: (["GITHUB", "EMAIL", "ARGOCD"] as const).filter((kind) => byKind(kind).length > 0).map((kind) => ({ kind, value: { in: byKind(kind) } })) },
    select: { personId: true },
  });
  return [...new Set(rows.map((row) => row.personId))].sort();
}
