import type { Role } from "@/lib/db/generated/enums";

export interface DemoUser {
  email: string;
  name: string;
  role: Role;
  password: string;
  /** What this account is for, shown next to it on the sign-in page. */
  purpose: string;
}

/**
 * One account per role for the sandbox org. Their passwords are public by design (printed on the
 * sign-in page in sandbox mode), so these accounts are disabled whenever a real source is configured.
 */
export const DEMO_USERS: readonly DemoUser[] = [
  { email: "viewer@acme-sandbox.dev", name: "Vera Viewer", role: "VIEWER", password: "sandbox-viewer-pass", purpose: "Reads every page." },
  { email: "engineer@acme-sandbox.dev", name: "Emil Engineer", role: "ENGINEER", password: "sandbox-engineer-pass", purpose: "Requests GitOps syncs." },
  { email: "approver@acme-sandbox.dev", name: "Ada Approver", role: "APPROVER", password: "sandbox-approver-pass", purpose: "Approves or rejects sync requests." },
  { email: "admin@acme-sandbox.dev", name: "Avery Admin", role: "ADMIN", password: "sandbox-admin-pass", purpose: "Manages integrations, the service catalog and roles." },
];

export const DEMO_EMAIL_DOMAIN = "@acme-sandbox.dev";
