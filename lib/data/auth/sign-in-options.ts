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
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\") || value.startsWith("/sign-in")) return "/";
  return value;
}
