import type { GroundTruthMethodology, GroundTruthService } from "./ground-truth";

/**
 * The demo org's fixed shape: who works where and how each service ships. The history is random
 * (seeded); the cast is not, so screenshots, docs and tests can name `payments-api` or `trunk`.
 */

export const ORG_LOGIN = "acme-sandbox";
export const ORG_NAME = "Acme Sandbox";
export const DEPLOY_BOT_LOGIN = "deploy-bot";

/**
 * How often a push-based service releases. `single-production` releases to staging weekly but has
 * exactly one production deployment in its whole history (an edge case for seeds).
 */
export type Cadence = "daily" | "twice-weekly" | "weekly" | "single-production";

export interface TeamSpec {
  slug: string;
  name: string;
  memberLogins: readonly string[];
  /** Share of successful production releases the generator turns into failed changes. */
  failureRate: number;
}

export interface ServiceSpec {
  slug: string;
  name: string;
  teamSlug: string;
  description: string;
  methodology: GroundTruthMethodology;
  deployVia: GroundTruthService["deployVia"];
  defaultBranch: string;
  /** null for GitOps services: their deployments live on the cluster side. */
  cadence: Cadence | null;
}

export interface HumanSpec {
  login: string;
  name: string;
  /** Whether this person signs their commits (GitHub shows them as verified). */
  signsCommits: boolean;
}

export const HUMANS: readonly HumanSpec[] = [
  { login: "maria-garcia", name: "María García", signsCommits: true },
  { login: "tobias-keller", name: "Tobias Keller", signsCommits: true },
  { login: "aisha-bello", name: "Aisha Bello", signsCommits: false },
  { login: "kenji-watanabe", name: "Kenji Watanabe", signsCommits: true },
  { login: "lena-novak", name: "Lena Novak", signsCommits: true },
  { login: "omar-haddad", name: "Omar Haddad", signsCommits: false },
  { login: "priya-raman", name: "Priya Raman", signsCommits: true },
  { login: "jonas-berg", name: "Jonas Berg", signsCommits: true },
  { login: "chloe-martin", name: "Chloé Martin", signsCommits: false },
  { login: "diego-souza", name: "Diego Souza", signsCommits: true },
  { login: "hannah-fischer", name: "Hannah Fischer", signsCommits: true },
  { login: "samuel-okafor", name: "Samuel Okafor", signsCommits: false },
  { login: "yuki-tanaka", name: "Yuki Tanaka", signsCommits: true },
  { login: "elena-petrova", name: "Elena Petrova", signsCommits: true },
  { login: "liam-oconnor", name: "Liam O'Connor", signsCommits: false },
  { login: "fatima-zahra", name: "Fatima Zahra", signsCommits: true },
  { login: "noah-schmidt", name: "Noah Schmidt", signsCommits: true },
  { login: "sofia-rossi", name: "Sofia Rossi", signsCommits: false },
  { login: "arjun-mehta", name: "Arjun Mehta", signsCommits: true },
  { login: "grace-kim", name: "Grace Kim", signsCommits: true },
];

export const TEAMS: readonly TeamSpec[] = [
  { slug: "payments", name: "Payments", memberLogins: ["maria-garcia", "tobias-keller", "aisha-bello", "kenji-watanabe"], failureRate: 0.06 },
  { slug: "identity", name: "Identity", memberLogins: ["lena-novak", "omar-haddad", "priya-raman"], failureRate: 0.14 },
  { slug: "platform", name: "Platform", memberLogins: ["jonas-berg", "chloe-martin", "diego-souza", "hannah-fischer"], failureRate: 0.1 },
  { slug: "catalog", name: "Catalog", memberLogins: ["samuel-okafor", "yuki-tanaka", "elena-petrova"], failureRate: 0 },
  { slug: "search", name: "Search", memberLogins: ["liam-oconnor", "fatima-zahra", "noah-schmidt"], failureRate: 0 },
  { slug: "growth", name: "Growth", memberLogins: ["sofia-rossi", "arjun-mehta", "grace-kim"], failureRate: 0 },
];

function devops(slug: string, teamSlug: string, cadence: Cadence, description: string, extra: Partial<ServiceSpec> = {}): ServiceSpec {
  return { slug, name: titleCase(slug), teamSlug, description, methodology: "devops", deployVia: "github_deployments", defaultBranch: "main", cadence, ...extra };
}

function gitops(slug: string, teamSlug: string, description: string, extra: Partial<ServiceSpec> = {}): ServiceSpec {
  return { slug, name: titleCase(slug), teamSlug, description, methodology: "gitops", deployVia: "gitops", defaultBranch: "main", cadence: null, ...extra };
}

export const SERVICES: readonly ServiceSpec[] = [
  devops("payments-api", "payments", "daily", "Card and wallet payments API"),
  devops("billing-worker", "payments", "daily", "Recurring billing jobs"),
  devops("invoice-service", "payments", "daily", "Invoice rendering and delivery"),
  // A legacy repository whose default branch predates the move to `main`.
  devops("ledger-service", "payments", "daily", "Double-entry ledger", { defaultBranch: "master" }),
  devops("auth-service", "identity", "weekly", "Login, tokens and MFA"),
  devops("user-profile", "identity", "weekly", "User profile API"),
  devops("permissions-api", "identity", "weekly", "Roles and permissions"),
  devops("session-gateway", "identity", "single-production", "Session edge gateway"),
  devops("notification-service", "platform", "twice-weekly", "E-mail, SMS and push fan-out"),
  devops("audit-log", "platform", "twice-weekly", "Append-only audit trail"),
  devops("feature-flags", "platform", "twice-weekly", "Feature flag evaluation", { deployVia: "actions_workflow" }),
  devops("email-relay", "platform", "twice-weekly", "Outbound SMTP relay", { deployVia: "actions_workflow" }),
  devops("status-page", "platform", "weekly", "Public status page", { deployVia: "actions_workflow" }),
  gitops("catalog-api", "catalog", "Product catalog API"),
  gitops("product-images", "catalog", "Image resizing and CDN origin"),
  gitops("pricing-engine", "catalog", "Price rules and promotions"),
  gitops("inventory-sync", "catalog", "Warehouse inventory sync"),
  gitops("search-api", "search", "Search query API"),
  // Trunk-based development, and it shows in the branch name.
  gitops("search-indexer", "search", "Index builder", { defaultBranch: "trunk" }),
  gitops("recommendations", "search", "Recommendations service"),
  gitops("query-suggest", "search", "Autocomplete suggestions"),
  gitops("web-storefront", "growth", "Customer-facing web shop"),
  gitops("marketing-site", "growth", "Marketing pages"),
  gitops("referral-service", "growth", "Referral codes and rewards"),
  gitops("experiments-api", "growth", "A/B experiment assignment"),
  gitops("mobile-bff", "growth", "Backend for the mobile apps"),
];

function titleCase(slug: string): string {
  return slug
    .split("-")
    .map((word) => (word === "api" || word === "bff" ? word.toUpperCase() : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(" ");
}

export function teamOf(service: ServiceSpec): TeamSpec {
  const team = TEAMS.find((candidate) => candidate.slug === service.teamSlug);
  if (!team) throw new Error(`Unknown team ${service.teamSlug}`);
  return team;
}
