import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { createAuth } from "@/lib/auth/auth";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import { disableDemoUsers, seedDemoUsers, upsertLocalAccount } from "@/lib/auth/local-accounts";
import { recordSignInFailure } from "@/lib/data/auth/record-sign-in-failure";
import { verifyAuditChain } from "@/lib/audit/verify-audit";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

const clock = frozenClock("2026-11-27T12:00:00Z");
const admin = DEMO_USERS.find((user) => user.role === "ADMIN")!;

describe("accounts and sign-in", () => {
  let database: TestDatabase;
  let auth: ReturnType<typeof createAuth>;
  const actions = async () => (await database.db.auditEvent.findMany({ orderBy: { seq: "asc" }, select: { action: true, targetDisplay: true, after: true } }));
  const signIn = (email: string, password: string) =>
    auth.handler(
      new Request("http://localhost:3000/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost:3000" },
        body: JSON.stringify({ email, password }),
      }),
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    auth = createAuth({ db: database.db, secret: "s".repeat(40), baseURL: "http://localhost:3000", trustedOrigins: ["http://localhost:3000"] });
  });
  afterAll(async () => {
    await database?.close();
  });

  it("seeds one demo account per role, audited once, and seeding again changes nothing", async () => {
    await seedDemoUsers(database.db, clock);
    await seedDemoUsers(database.db, clock);
    const users = await database.db.user.findMany({ orderBy: { email: "asc" }, select: { email: true, role: true, disabled: true } });
    expect(users.map((user) => user.role).sort()).toEqual(["ADMIN", "APPROVER", "ENGINEER", "VIEWER"]);
    expect(users.every((user) => !user.disabled)).toBe(true);
    expect((await actions()).filter((event) => event.action === "user.created")).toHaveLength(4);
  });

  it("signs a demo account in with its published password, into a session stored in Postgres", async () => {
    const response = await signIn(admin.email, admin.password);
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toMatch(/pipeline-health\.session_token=.*HttpOnly.*SameSite=Lax/i);
    expect(await database.db.session.count()).toBe(1);
    expect((await signIn(admin.email, "wrong-password-123")).status).toBe(401);
  });

  it("a password reset ends every session of that account and is audited; the same password is no reset", async () => {
    await upsertLocalAccount(database.db, { ...admin, password: admin.password }, { clock, actorDisplay: "cli", resetPassword: true });
    expect(await database.db.session.count()).toBe(1);
    await upsertLocalAccount(database.db, { ...admin, password: "a-brand-new-password" }, { clock, actorDisplay: "cli", resetPassword: true });
    expect(await database.db.session.count()).toBe(0);
    expect((await actions()).filter((event) => event.action === "user.password.reset")).toEqual([{ action: "user.password.reset", targetDisplay: admin.email, after: { sessionsEnded: 1 } }]);
    expect((await signIn(admin.email, admin.password)).status).toBe(401);
    expect((await signIn(admin.email, "a-brand-new-password")).status).toBe(200);
  });

  it("outside sandbox mode the demo accounts are switched off, signed out, and cannot sign in", async () => {
    expect(await database.db.session.count()).toBe(1);
    expect(await disableDemoUsers(database.db, clock)).toBe(4);
    expect(await database.db.session.count()).toBe(0);
    const response = await signIn(admin.email, "a-brand-new-password");
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await database.db.session.count()).toBe(0);
    expect((await actions()).filter((event) => event.action === "user.disabled")).toHaveLength(4);
    expect(await disableDemoUsers(database.db, clock)).toBe(0);
  });

  it("a refused sign-in is audited with the address tried, and the chain still verifies", async () => {
    await recordSignInFailure({ viewer: { kind: "anonymous" }, requestId: "req-1", clientIp: "203.0.113.9", clock }, { email: "mallory@example.com", status: 401 }, database.db);
    const event = await database.db.auditEvent.findFirstOrThrow({ where: { action: "auth.sign-in.failed" } });
    expect(event).toMatchObject({ outcome: "denied", actorKind: "ANONYMOUS", clientIp: "203.0.113.9", targetDisplay: "mallory@example.com" });
    expect(JSON.stringify(event, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value))).not.toMatch(/password/i);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
