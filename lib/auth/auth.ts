import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { type Clock, getClock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import { type Env, getEnv } from "@/lib/env";
import { getDb } from "@/lib/db/client";
import { resolveSecrets } from "@/lib/security/secrets";
import { CLIENT_IP_HEADER } from "@/lib/security/client-ip";
import { COOKIE_PREFIX } from "@/lib/auth/session-cookie";
import { type SignInProviderOptions, buildSignInProviderOptions } from "@/lib/auth/sign-in-providers";
import { createOAuthGate, onOAuthUserCreated } from "@/lib/auth/oauth-gate";

export interface AuthOptions {
  db: Db;
  secret: string;
  /** Where people reach the dashboard; sign-in refuses requests from any other origin. */
  baseURL: string;
  trustedOrigins: string[];
  /** GitHub and OIDC sign-in, from the environment (`buildSignInProviderOptions`); none when omitted. */
  signIn?: SignInProviderOptions;
  clock?: Clock;
}

/** Sessions last a week and are extended while in use; revoking one deletes its row. */
const SESSION_DAYS = 7;

/**
 * Better Auth, configured for this product: e-mail and password accounts (scrypt) in our own
 * `User`/`Account` tables, sessions stored in Postgres (so an admin can revoke them, and every web
 * replica sees the same ones), HttpOnly SameSite=Lax cookies that are Secure on https. Open sign-up
 * is off: accounts are made by an admin, the CLI or sandbox seeding. A disabled user cannot sign in.
 * GitHub and OIDC sign-in, when configured, pass `oauth-gate.ts`: a first sign-in makes a viewer only
 * for a verified e-mail of an allowed domain, else it must match an existing account's e-mail.
 */
export function createAuth(options: AuthOptions) {
  const { db } = options;
  const clock = options.clock ?? getClock();
  const signIn = options.signIn ?? buildSignInProviderOptions({ AUTH_OIDC_NAME: "single sign-on", AUTH_ALLOWED_EMAIL_DOMAINS: [] });
  return betterAuth({
    appName: "Pipeline Health",
    baseURL: options.baseURL,
    basePath: "/api/auth",
    secret: options.secret,
    trustedOrigins: options.trustedOrigins,
    database: prismaAdapter(db, { provider: "postgresql" }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 12, maxPasswordLength: 256 },
    // Per client address: enough for a team behind one NAT and a test run, far too few for guessing passwords.
    rateLimit: { enabled: true, window: 60, max: 100, customRules: { "/sign-in/email": { window: 60, max: 20 } } },
    session: { expiresIn: SESSION_DAYS * 24 * 3600, updateAge: 24 * 3600 },
    socialProviders: signIn.github ? { github: signIn.github } : {},
    plugins: signIn.oidc ? [genericOAuth({ config: [signIn.oidc] })] : [],
    // An outside identity joins an existing account only through the gate (verified e-mail, same address).
    account: { accountLinking: { enabled: true, allowDifferentEmails: false, requireLocalEmailVerified: true } },
    user: {
      validateUserInfo: createOAuthGate({ db, clock, allowedEmailDomains: signIn.allowedEmailDomains }),
      additionalFields: {
        role: { type: "string", input: false, required: false },
        disabled: { type: "boolean", input: false, required: false },
        personId: { type: "string", input: false, required: false },
      },
    },
    // Profile, e-mail and account changes go through an admin (and the audit trail), not self-service.
    disabledPaths: ["/update-user", "/change-email", "/delete-user", "/sign-up/email"],
    advanced: {
      database: { generateId: "uuid" },
      // proxy.ts resolves the client through the trusted proxies and overwrites this header.
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      useSecureCookies: options.baseURL.startsWith("https://"),
      cookiePrefix: COOKIE_PREFIX,
    },
    databaseHooks: {
      // Only GitHub and OIDC sign-ins create users through Better Auth (local accounts are made by
      // `upsertLocalAccount`): whatever the profile says, they start as active viewers.
      user: {
        create: {
          before: async (user) => ({ data: { ...user, role: "VIEWER", disabled: false } }),
          after: async (user) => {
            await onOAuthUserCreated(db, clock, { id: user.id, email: user.email, name: user.name, emailVerified: user.emailVerified });
          },
        },
      },
      session: {
        create: {
          before: async (session) => {
            const user = await db.user.findUnique({ where: { id: session.userId }, select: { disabled: true } });
            return user !== null && !user.disabled;
          },
        },
      },
    },
    telemetry: { enabled: false },
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** The address the dashboard is served at, and the origins sign-in accepts requests from. */
export function publicOrigins(env: Env): { baseURL: string; trustedOrigins: string[] } {
  if (env.PUBLIC_URL) return { baseURL: env.PUBLIC_URL.replace(/\/$/, ""), trustedOrigins: [new URL(env.PUBLIC_URL).origin] };
  // Without PUBLIC_URL the dashboard is reached on this machine, by either loopback name.
  return { baseURL: `http://localhost:${env.PORT}`, trustedOrigins: [`http://localhost:${env.PORT}`, `http://127.0.0.1:${env.PORT}`] };
}

const globalForAuth = globalThis as unknown as { pipelineHealthAuth?: Auth };

/** The process-wide instance, built on first use from the environment. */
export function getAuth(): Auth {
  if (!globalForAuth.pipelineHealthAuth) {
    const env = getEnv();
    const { authSecret } = resolveSecrets(env, { generateIfMissing: false });
    globalForAuth.pipelineHealthAuth = createAuth({ db: getDb(), secret: authSecret, ...publicOrigins(env), signIn: buildSignInProviderOptions(env) });
  }
  return globalForAuth.pipelineHealthAuth;
}
