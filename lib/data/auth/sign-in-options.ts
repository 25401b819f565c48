import "server-only";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import { type SignInProvider, buildSignInProviderOptions } from "@/lib/auth/sign-in-providers";
import { SIGN_IN_REFUSED } from "@/lib/auth/oauth-gate";
import { getEnv } from "@/lib/env";
import type { Viewer } from "@/lib/data/viewer";

export interface DemoAccountDto {
  email: string;
  name: string;
  role: "VIEWER" | "ENGINEER" | "APPROVER" | "ADMIN";
  password: string;
  purpose: string;
}

export interface SignInOptionsDto {
  /** Only in sandbox mode, where these accounts exist and their passwords are public by design. */
  demoAccounts: DemoAccountDto[] | null;
  /** GitHub and OIDC, when configured: one button each (ids and names only, never client secrets). */
  providers: SignInProvider[];
}

export function getSignInOptions(): SignInOptionsDto {
  const env = getEnv();
  const sandbox = env.PIPELINE_HEALTH_SANDBOX === "1";
  const providers = buildSignInProviderOptions(env).providers.map(({ id, name }) => ({ id, name }));
  return { demoAccounts: sandbox ? DEMO_USERS.map((user) => ({ ...user })) : null, providers };
}

/**
 * What the sign-in page says when a GitHub or OIDC sign-in came back refused (Better Auth redirects
 * with `?error=`). Only known codes get words; the provider's own description is never echoed.
 */
export function describeSignInError(error: string | string[] | undefined): string | null {
  const code = Array.isArray(error) ? error[0] : error;
  if (!code) return null;
  if (code === SIGN_IN_REFUSED) return "That sign-in is not allowed here: no account has your e-mail address, and its domain may not create one. Ask an admin of Pipeline Health to add you.";
  if (code === "email_not_verified" || code === "account_not_linked" || code === "account not linked") return "Your provider did not confirm your e-mail address, so it cannot be matched to an account. Verify it with the provider, or ask an admin.";
  if (code === "signup_disabled" || code === "signup disabled") return "No account has your e-mail address. Ask an admin of Pipeline Health to add you.";
  return "Signing in with that provider failed. Try again, or ask an admin.";
}

export type SessionSummaryDto = { signedIn: false } | { signedIn: true; name: string; role: "VIEWER" | "ENGINEER" | "APPROVER" | "ADMIN" };

/** What the shell shows about who is signed in. */
export function summarizeViewer(viewer: Viewer): SessionSummaryDto {
  return viewer.kind === "user" ? { signedIn: true, name: viewer.display, role: viewer.role } : { signedIn: false };
}

/**
 * Where to go after signing in: a path on this site only, so `?next=` cannot send a person
 * elsewhere (an open redirect would make a convincing phishing link).
 */
export function safeNextPath(next: string | string[] | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  // Browsers drop tabs and newlines and read `\` as `/`, so `/\t/evil.example` would become `//evil.example`.
  if (!value || !value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return "/";
  const base = "http://pipeline-health.invalid";
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return "/";
  }
  // `/a/..//evil.example` normalises to the path `//evil.example`, which a browser reads as another host.
  if (url.origin !== base || url.pathname.startsWith("//") || url.pathname.startsWith("/sign-in")) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
