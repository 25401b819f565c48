import { describe, expect, it } from "vitest";
import { buildSignInProviderOptions } from "@/lib/auth/sign-in-providers";
import { decideOAuthSignIn } from "@/lib/auth/oauth-gate";
import { EnvError, parseEnv } from "@/lib/env";

const base = { AUTH_OIDC_NAME: "single sign-on", AUTH_ALLOWED_EMAIL_DOMAINS: [] as string[] };

describe("sign-in providers from the environment", () => {
  it("none configured: no buttons, no providers", () => {
    expect(buildSignInProviderOptions(base)).toEqual({ providers: [], github: null, oidc: null, allowedEmailDomains: [] });
  });

  it("GitHub: Better Auth's built-in provider, asking for the verified e-mail list", () => {
    const options = buildSignInProviderOptions({ ...base, AUTH_GITHUB_CLIENT_ID: "id", AUTH_GITHUB_CLIENT_SECRET: "secret" });
    expect(options.providers).toEqual([{ id: "github", name: "GitHub" }]);
    expect(options.github).toMatchObject({ clientId: "id", clientSecret: "secret", scope: expect.arrayContaining(["user:email"]) });
  });

  it("OIDC: discovery from the issuer, PKCE, ID tokens verified, the configured name on the button", () => {
    const options = buildSignInProviderOptions({ ...base, AUTH_OIDC_ISSUER: "https://login.example.com/realms/acme/", AUTH_OIDC_CLIENT_ID: "dash", AUTH_OIDC_CLIENT_SECRET: "s3cret", AUTH_OIDC_NAME: "Acme SSO" });
    expect(options.providers).toEqual([{ id: "oidc", name: "Acme SSO" }]);
    expect(options.oidc).toMatchObject({
      providerId: "oidc",
      discoveryUrl: "https://login.example.com/realms/acme/.well-known/openid-configuration",
      requireIdTokenVerification: true,
      pkce: true,
      scopes: ["openid", "email", "profile"],
    });
  });

  it("the environment must give a provider all of its parts, and allowed domains as domains", () => {
    expect(() => parseEnv({ AUTH_GITHUB_CLIENT_ID: "id" })).toThrow(/AUTH_GITHUB_CLIENT_SECRET: must be set together with AUTH_GITHUB_CLIENT_ID/);
    expect(() => parseEnv({ AUTH_OIDC_ISSUER: "https://login.example.com", AUTH_OIDC_CLIENT_ID: "x" })).toThrow(EnvError);
    expect(() => parseEnv({ AUTH_OIDC_ISSUER: "not a url", AUTH_OIDC_CLIENT_ID: "x", AUTH_OIDC_CLIENT_SECRET: "y" })).toThrow(/AUTH_OIDC_ISSUER/);
    expect(() => parseEnv({ AUTH_ALLOWED_EMAIL_DOMAINS: "acme.dev, not a domain" })).toThrow(/AUTH_ALLOWED_EMAIL_DOMAINS/);
    expect(parseEnv({ AUTH_ALLOWED_EMAIL_DOMAINS: "Acme.dev, @corp.example" }).AUTH_ALLOWED_EMAIL_DOMAINS).toEqual(["acme.dev", "corp.example"]);
    expect(parseEnv({ AUTH_GITHUB_CLIENT_ID: "", AUTH_GITHUB_CLIENT_SECRET: "" }).AUTH_GITHUB_CLIENT_ID).toBeUndefined();
  });
});

describe("who may sign in with an outside identity", () => {
  const allowed = ["acme.dev"];
  it("a first sign-in makes an account only for a verified e-mail of an allowed domain", () => {
    expect(decideOAuthSignIn({ action: "create-user", email: "new@acme.dev", emailVerified: true, allowedEmailDomains: allowed, existingUser: null })).toEqual({ allow: true });
    expect(decideOAuthSignIn({ action: "create-user", email: "new@acme.dev", emailVerified: false, allowedEmailDomains: allowed, existingUser: null }).allow).toBe(false);
    expect(decideOAuthSignIn({ action: "create-user", email: "new@evil.example", emailVerified: true, allowedEmailDomains: allowed, existingUser: null }).allow).toBe(false);
    expect(decideOAuthSignIn({ action: "create-user", email: "x@sub.acme.dev", emailVerified: true, allowedEmailDomains: allowed, existingUser: null }).allow).toBe(false);
    expect(decideOAuthSignIn({ action: "create-user", email: "new@acme.dev", emailVerified: true, allowedEmailDomains: [], existingUser: null }).allow).toBe(false);
  });

  it("joining an existing account needs the provider to vouch for the e-mail; never a demo or disabled account", () => {
    expect(decideOAuthSignIn({ action: "link-account", email: "ops@elsewhere.example", emailVerified: true, allowedEmailDomains: [], existingUser: { disabled: false } })).toEqual({ allow: true });
    expect(decideOAuthSignIn({ action: "link-account", email: "ops@elsewhere.example", emailVerified: false, allowedEmailDomains: [], existingUser: { disabled: false } }).allow).toBe(false);
    expect(decideOAuthSignIn({ action: "link-account", email: "admin@acme-sandbox.dev", emailVerified: true, allowedEmailDomains: [], existingUser: { disabled: false } }).allow).toBe(false);
    expect(decideOAuthSignIn({ action: "sign-in", email: "ops@elsewhere.example", emailVerified: true, allowedEmailDomains: [], existingUser: { disabled: true } }).allow).toBe(false);
    expect(decideOAuthSignIn({ action: "sign-in", email: "ops@elsewhere.example", emailVerified: false, allowedEmailDomains: [], existingUser: { disabled: false } }).allow).toBe(true);
  });
});
