import type { IdentityKind } from "@/lib/db/generated/enums";

/** One way a human shows up in ingested data: a GitHub login, a commit e-mail or an Argo CD user name. */
export interface IdentityKey {
  kind: IdentityKind;
  value: string;
}

/**
 * Identities are stored normalised so the same human is one row: GitHub logins and e-mails are
 * case-insensitive (GitHub and mail servers treat them so), Argo CD user names are kept as given
 * (they come from the cluster's SSO or local accounts, where case may matter).
 * Returns null for values that name no human (bots, GitHub's own merge identity, Argo's automation).
 */
export function normalizeIdentity(kind: IdentityKind, raw: string | null | undefined): string | null {
  const value = raw?.trim();
  if (!value) return null;
  switch (kind) {
    case "GITHUB": {
      const login = value.toLowerCase();
      if (login.endsWith("[bot]") || NON_HUMAN_LOGINS.has(login)) return null;
      return /^[a-z0-9](?:[a-z0-9-]{0,38})$/.test(login) ? login : null;
    }
    case "EMAIL": {
      const email = value.toLowerCase();
      if (NON_HUMAN_EMAILS.has(email) || !/^[^\s@]+@[^\s@]+$/.test(email)) return null;
      return email;
    }
    case "ARGOCD":
      // Argo CD records automated syncs as `argocd (automated)` (our transform) or without a user.
      return value.includes("(automated)") ? null : value;
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/** `web-flow` authors GitHub's merge commits; `ghost` is a deleted account: neither is one human. */
const NON_HUMAN_LOGINS = new Set(["web-flow", "ghost", "github-actions", "dependabot"]);
const NON_HUMAN_EMAILS = new Set(["noreply@github.com"]);

export function identityKey(kind: IdentityKind, value: string): string {
  return `${kind}:${value}`;
}

export const IDENTITY_KIND_LABELS: Record<IdentityKind, string> = { GITHUB: "GitHub login", EMAIL: "Commit e-mail", ARGOCD: "Argo CD user" };
