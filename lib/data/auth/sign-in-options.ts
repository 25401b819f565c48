import "server-only";
import { DEMO_USERS } from "@/lib/auth/demo-users";
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
}

export function getSignInOptions(): SignInOptionsDto {
  const sandbox = getEnv().PIPELINE_HEALTH_SANDBOX === "1";
  return { demoAccounts: sandbox ? DEMO_USERS.map((user) => ({ ...user })) : null };
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
