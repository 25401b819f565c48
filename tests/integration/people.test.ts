import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { resetEnvCache } from "@/lib/env";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import { seedDemoUsers } from "@/lib/auth/local-accounts";
import { linkPersons, personIdsForIdentities } from "@/lib/data/people/link-persons";
import { linkIdentity, mergePersons, unlinkIdentity } from "@/lib/data/people/manage-persons";
import { changeUserRole, revokeUserSessions, setUserDisabled } from "@/lib/data/people/manage-users";
import { getPeople } from "@/lib/data/people/get-people";
import type { ViewerContext } from "@/lib/data/viewer";
import { verifyAuditChain } from "@/lib/audit/verify-audit";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

const clock = frozenClock("2026-11-27T12:00:00Z");

describe("persons and people management", () => {
  let database: TestDatabase;
  let integrationId: string;
  let argoIntegrationId: string;
  let repositoryId: string;
  const ctxFor = async (email: string): Promise<ViewerContext> => {
    const user = await database.db.user.findUniqueOrThrow({ where: { email } });
    return { viewer: { kind: "user", userId: user.id, personId: user.personId, role: user.role, display: user.name }, requestId: "req", clientIp: "203.0.113.1", clock };
  };
  const userId = async (email: string) => (await database.db.user.findUniqueOrThrow({ where: { email } })).id;

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    await seedDemoUsers(db, clock);
    integrationId = (await db.integration.create({ data: { kind: "GITHUB", name: "gh", origin: "DATABASE", baseUrl: "https://api.github.com" } })).id;
    argoIntegrationId = (await db.integration.create({ data: { kind: "ARGOCD", name: "argo", origin: "DATABASE", baseUrl: "https://argo.example.com" } })).id;
    repositoryId = (await db.repository.create({ data: { integrationId, externalId: "1", owner: "acme", name: "api", fullName: "acme/api", defaultBranch: "main" } })).id;
    const at = new Date("2026-11-01T00:00:00Z");
    const commit = (sha: string, authorLogin: string | null, authorEmail: string | null, authorName: string | null) => ({
      integrationId, repositoryId, sha, parentShas: [], authoredAt: at, committedAt: at, authorLogin, authorEmail, authorName, messageHeadline: sha,
    });
    await db.commit.createMany({
      data: [
        commit("a1", "Maria-Garcia", "Maria.Garcia@acme.dev", "María García"),
        commit("a2", null, "maria.garcia@acme.dev", "María García"),
        commit("a3", null, "maria@home.example", "María García"),
        commit("b1", "tobias", null, "Tobias"),
        commit("w1", "web-flow", "noreply@github.com", "GitHub"),
        commit("e1", null, "engineer@acme-sandbox.dev", "Emil"),
      ],
    });
    await db.pullRequest.create({ data: { integrationId, repositoryId, externalId: "p1", number: 1, title: "x", state: "merged", baseBranch: "main", openedAt: at, labels: [], approvingReviewers: [], authorLogin: "maria-garcia", sourceUpdatedAt: at } });
    const deployment = (externalId: string, source: "GITHUB_DEPLOYMENT" | "ARGOCD", initiatedBy: string, reconstructed = false) => ({
      integrationId: source === "ARGOCD" ? argoIntegrationId : integrationId, source, externalId, methodology: source === "ARGOCD" ? ("GITOPS" as const) : ("DEVOPS" as const),
      environment: "production", isProduction: true, commitResolution: "DEPLOYMENT_SHA" as const, status: "SUCCESS" as const, startedAt: at, initiatedBy, reconstructed, sourceUpdatedAt: at,
    });
    await db.deployment.createMany({
      data: [deployment("d1", "GITHUB_DEPLOYMENT", "tobias"), deployment("d2", "ARGOCD", "lena@acme.dev"), deployment("d3", "ARGOCD", "argocd (automated)"), deployment("d4", "ARGOCD", "maria-garcia", true)],
    });
  });
  afterAll(async () => {
    await database?.close();
  });

  it("gives every seeded demo user a person of their own, carrying their verified e-mail", async () => {
    const users = await database.db.user.findMany({ include: { person: { include: { identities: true } } } });
    expect(users).toHaveLength(DEMO_USERS.length);
    for (const user of users) expect(user.person?.identities.map((identity) => `${identity.kind}:${identity.value}`)).toEqual([`EMAIL:${user.email}`]);
  });

  it("links identities from the data into persons, fills the person columns, and a second pass changes nothing", async () => {
    const first = await linkPersons(database.db, clock);
    expect(first.commitsUpdated).toBe(5); // all but GitHub's own web-flow merge commit
    const maria = await database.db.personIdentity.findUniqueOrThrow({ where: { kind_value: { kind: "GITHUB", value: "maria-garcia" } }, include: { person: { include: { identities: true } } } });
    expect(maria.person.displayName).toBe("María García");
    // The login and the e-mail seen together are one person; an e-mail never seen with the login is another.
    expect(maria.person.identities.map((identity) => `${identity.kind}:${identity.value}`).sort()).toEqual(["EMAIL:maria.garcia@acme.dev", "GITHUB:maria-garcia"]);
    const commits = await database.db.commit.findMany({ orderBy: { sha: "asc" }, select: { sha: true, authorPersonId: true } });
    const bySha = Object.fromEntries(commits.map((commit) => [commit.sha, commit.authorPersonId]));
    expect(bySha.a1).toBe(maria.personId);
    expect(bySha.a2).toBe(maria.personId);
    expect(bySha.a3).not.toBe(maria.personId);
    expect(bySha.w1).toBeNull();
    // A commit under a demo user's e-mail is that user's person (verified e-mail match).
    const engineer = await database.db.user.findUniqueOrThrow({ where: { email: "engineer@acme-sandbox.dev" } });
    expect(bySha.e1).toBe(engineer.personId);
    expect((await database.db.pullRequest.findFirstOrThrow()).authorPersonId).toBe(maria.personId);
    const deployments = Object.fromEntries((await database.db.deployment.findMany({ select: { externalId: true, initiatedByPersonId: true } })).map((row) => [row.externalId, row.initiatedByPersonId]));
    expect(deployments.d3).toBeNull();
    expect(deployments.d4).toBe(maria.personId); // reconstructed GitOps deployments name the commit's GitHub login
    const lena = await database.db.personIdentity.findUniqueOrThrow({ where: { kind_value: { kind: "ARGOCD", value: "lena@acme.dev" } } });
    expect(deployments.d2).toBe(lena.personId);
    expect(await database.db.personIdentity.findUnique({ where: { kind_value: { kind: "EMAIL", value: "lena@acme.dev" } } })).toMatchObject({ personId: lena.personId });

    const second = await linkPersons(database.db, clock);
    expect(second).toEqual({ personsCreated: 0, identitiesCreated: 0, personsMerged: 0, usersLinked: 0, commitsUpdated: 0, pullRequestsUpdated: 0, deploymentsUpdated: 0 });
    expect(await database.db.auditEvent.count({ where: { action: "person.linking.completed" } })).toBe(1);
  });

  it("finds the persons behind identities as the data spells them", async () => {
    const maria = (await database.db.personIdentity.findUniqueOrThrow({ where: { kind_value: { kind: "GITHUB", value: "maria-garcia" } } })).personId;
    const tobias = (await database.db.personIdentity.findUniqueOrThrow({ where: { kind_value: { kind: "GITHUB", value: "tobias" } } })).personId;
    expect(await personIdsForIdentities(database.db, { githubLogins: ["Maria-Garcia", "nobody"], emails: ["MARIA.GARCIA@acme.dev"], argocdUsernames: [] })).toEqual([maria]);
    expect(await personIdsForIdentities(database.db, { githubLogins: ["tobias"], emails: [], argocdUsernames: ["lena@acme.dev"] })).toHaveLength(2);
    expect(await personIdsForIdentities(database.db, {})).toEqual([]);
    expect(tobias).not.toBe(maria);
  });

  it("an admin links, unlinks and merges by hand; linking never overrides it", async () => {
    const admin = await ctxFor("admin@acme-sandbox.dev");
    const maria = (await database.db.personIdentity.findUniqueOrThrow({ where: { kind_value: { kind: "GITHUB", value: "maria-garcia" } } })).personId;
    const home = (await database.db.personIdentity.findUniqueOrThrow({ where: { kind_value: { kind: "EMAIL", value: "maria@home.example" } } })).personId;
    await mergePersons(admin, { personId: home, intoPersonId: maria }, database.db);
    expect((await database.db.commit.findFirstOrThrow({ where: { sha: "a3" } })).authorPersonId).toBe(maria);
    await unlinkIdentity(admin, { personId: maria, kind: "EMAIL", value: "maria.garcia@acme.dev" }, database.db);
    const separated = await database.db.personIdentity.findUniqueOrThrow({ where: { kind_value: { kind: "EMAIL", value: "maria.garcia@acme.dev" } } });
    expect(separated).toMatchObject({ manual: true });
    expect(separated.personId).not.toBe(maria);
    // Commit a1 still carries both; the manual separation stands, and a1 goes by its login.
    await linkPersons(database.db, clock);
    expect((await database.db.personIdentity.findUniqueOrThrow({ where: { kind_value: { kind: "EMAIL", value: "maria.garcia@acme.dev" } } })).personId).toBe(separated.personId);
    expect((await database.db.commit.findFirstOrThrow({ where: { sha: "a2" } })).authorPersonId).toBe(separated.personId);
    await linkIdentity(admin, { personId: maria, kind: "EMAIL", value: "Maria.Garcia@acme.dev" }, database.db);
    expect((await database.db.commit.findFirstOrThrow({ where: { sha: "a2" } })).authorPersonId).toBe(maria);
    const engineerPerson = (await database.db.user.findUniqueOrThrow({ where: { email: "engineer@acme-sandbox.dev" } })).personId!;
    const approverPerson = (await database.db.user.findUniqueOrThrow({ where: { email: "approver@acme-sandbox.dev" } })).personId!;
    await expect(mergePersons(admin, { personId: engineerPerson, intoPersonId: approverPerson }, database.db)).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(linkIdentity(admin, { personId: maria, kind: "GITHUB", value: "not a login!" }, database.db)).rejects.toMatchObject({ code: "UNPROCESSABLE" });
    const actions = (await database.db.auditEvent.findMany({ where: { action: { startsWith: "person." } }, select: { action: true, actorDisplay: true } })).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(["person.merged", "person.identity.unlinked", "person.identity.linked"]));
  });

  it("roles, disabling and sessions: audited with before and after, and the last admin stays", async () => {
    const admin = await ctxFor("admin@acme-sandbox.dev");
    const viewerId = await userId("viewer@acme-sandbox.dev");
    await changeUserRole(admin, { userId: viewerId, role: "ENGINEER" }, database.db);
    const changed = await database.db.auditEvent.findFirstOrThrow({ where: { action: "user.role.changed", targetId: viewerId }, orderBy: { seq: "desc" } });
    expect(changed).toMatchObject({ before: { role: "VIEWER" }, after: { role: "ENGINEER" }, actorDisplay: "Avery Admin", actorKind: "PERSON" });
    await changeUserRole(admin, { userId: viewerId, role: "VIEWER" }, database.db);

    await database.db.session.create({ data: { userId: viewerId, token: "t1", expiresAt: new Date("2026-12-30T00:00:00Z") } });
    const people = await getPeople(admin, {}, database.db);
    expect(people.users.find((user) => user.id === viewerId)).toMatchObject({ activeSessions: 1, role: "VIEWER", disabled: false });
    expect(people.users.find((user) => user.isSelf)?.email).toBe("admin@acme-sandbox.dev");
    await revokeUserSessions(admin, { userId: viewerId }, database.db);
    expect(await database.db.session.count({ where: { userId: viewerId } })).toBe(0);

    await database.db.session.create({ data: { userId: viewerId, token: "t2", expiresAt: new Date("2026-12-30T00:00:00Z") } });
    await setUserDisabled(admin, { userId: viewerId, disabled: true }, database.db);
    expect(await database.db.session.count({ where: { userId: viewerId } })).toBe(0);
    // Outside sandbox mode a demo account (public password) stays off; in sandbox mode it may come back.
    await expect(setUserDisabled(admin, { userId: viewerId, disabled: false }, database.db)).rejects.toMatchObject({ code: "CONFLICT" });
    process.env.PIPELINE_HEALTH_SANDBOX = "1";
    resetEnvCache();
    await setUserDisabled(admin, { userId: viewerId, disabled: false }, database.db);
    delete process.env.PIPELINE_HEALTH_SANDBOX;
    resetEnvCache();

    const adminId = await userId("admin@acme-sandbox.dev");
    await expect(changeUserRole(admin, { userId: adminId, role: "VIEWER" }, database.db)).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/last active admin/) });
    await expect(setUserDisabled(admin, { userId: adminId, disabled: true }, database.db)).rejects.toMatchObject({ code: "CONFLICT" });
    // With a second admin, the first may step down.
    await changeUserRole(admin, { userId: await userId("approver@acme-sandbox.dev"), role: "ADMIN" }, database.db);
    await changeUserRole(admin, { userId: adminId, role: "APPROVER" }, database.db);
    const actions = (await database.db.auditEvent.findMany({ where: { action: { startsWith: "user." } }, select: { action: true } })).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(["user.role.changed", "user.sessions.revoked", "user.disabled", "user.enabled"]));
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
