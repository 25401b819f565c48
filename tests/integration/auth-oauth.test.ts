import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { createAuth } from "@/lib/auth/auth";
import { SIGN_IN_REFUSED, createOAuthGate, onOAuthUserCreated } from "@/lib/auth/oauth-gate";
import { buildSignInProviderOptions } from "@/lib/auth/sign-in-providers";
import { upsertLocalAccount } from "@/lib/auth/local-accounts";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

const clock = frozenClock("2026-11-27T12:00:00Z");

describe("GitHub and OIDC sign-in: who gets in, and what is recorded", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it("refuses a first sign-in outside the allowed domains, and audits the refusal with the provider and reason", async () => {
    const gate = createOAuthGate({ db: database.db, clock, allowedEmailDomains: ["acme.dev"] });
    const headers = new Headers({ "x-pipeline-health-client-ip": "203.0.113.7" });
    const refused = await gate({ user: { email: "Mallory@Evil.example", emailVerified: true }, source: { method: "oauth", action: "create-user", oauth: { providerId: "github" } } }, { headers });
    expect(refused).toMatchObject({ error: SIGN_IN_REFUSED });
    const event = await database.db.auditEvent.findFirstOrThrow({ where: { action: "auth.sign-in.refused" } });
    expect(event).toMatchObject({ outcome: "denied", actorKind: "ANONYMOUS", targetDisplay: "mallory@evil.example", metadata: { provider: "github", action: "create-user" } });
    expect(await gate({ user: { email: "new@acme.dev", emailVerified: true }, source: { method: "oauth", action: "create-user", oauth: { providerId: "oidc" } } })).toBeUndefined();
    // E-mail and password accounts are made by admins; the gate leaves them alone.
    expect(await gate({ user: { email: "x@evil.example" }, source: { method: "email-password", action: "create-user" } })).toBeUndefined();
  });

  it("an outside identity joins the account an admin made for that verified e-mail, and not a disabled one", async () => {
    const gate = createOAuthGate({ db: database.db, clock, allowedEmailDomains: [] });
    const { userId } = await upsertLocalAccount(database.db, { email: "ops@partner.example", name: "Ops", role: "ENGINEER", password: "a-long-enough-password" }, { clock, actorDisplay: "cli", resetPassword: false });
    const link = { user: { email: "ops@partner.example", emailVerified: true }, source: { method: "oauth", action: "link-account" as const, oauth: { providerId: "oidc" } } };
    expect(await gate(link)).toBeUndefined();
    expect(await gate({ ...link, user: { ...link.user, emailVerified: false } })).toMatchObject({ error: SIGN_IN_REFUSED });
    await database.db.user.update({ where: { id: userId }, data: { disabled: true } });
    expect(await gate({ user: { id: userId, email: "ops@partner.example", emailVerified: true }, source: { method: "oauth", action: "sign-in", oauth: { providerId: "oidc" } } })).toMatchObject({ error: SIGN_IN_REFUSED });
  });

  it("a user created by a first sign-in is a viewer and a person, linked to the commits of their verified e-mail", async () => {
    const person = await database.db.person.create({ data: { displayName: "New Person", identities: { create: { kind: "EMAIL", value: "new@acme.dev" } } } });
    const user = await database.db.user.create({ data: { email: "new@acme.dev", name: "New", emailVerified: true } });
    await onOAuthUserCreated(database.db, clock, { id: user.id, email: user.email, name: user.name, emailVerified: true });
    expect(await database.db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ role: "VIEWER", personId: person.id });
    expect(await database.db.auditEvent.count({ where: { action: "user.created", targetId: user.id } })).toBe(1);
  });

  it("with GitHub configured, sign-in starts at GitHub's authorize page for our callback (no network needed)", async () => {
    const auth = createAuth({
      db: database.db,
      secret: "s".repeat(40),
      baseURL: "http://localhost:3000",
      trustedOrigins: ["http://localhost:3000"],
      clock,
      signIn: buildSignInProviderOptions({ AUTH_GITHUB_CLIENT_ID: "gh-client", AUTH_GITHUB_CLIENT_SECRET: "gh-secret", AUTH_OIDC_NAME: "SSO", AUTH_ALLOWED_EMAIL_DOMAINS: [] }),
    });
    const response = await auth.handler(
      new Request("http://localhost:3000/api/auth/sign-in/social", { method: "POST", headers: { "content-type": "application/json", origin: "http://localhost:3000" }, body: JSON.stringify({ provider: "github", callbackURL: "/" }) }),
    );
    expect(response.status).toBe(200);
    const { url } = (await response.json()) as { url: string };
    const authorize = new URL(url);
    expect(authorize.origin + authorize.pathname).toBe("https://github.com/login/oauth/authorize");
    expect(authorize.searchParams.get("client_id")).toBe("gh-client");
    expect(authorize.searchParams.get("redirect_uri")).toBe("http://localhost:3000/api/auth/callback/github");
    expect(url).not.toContain("gh-secret");
  });
});
