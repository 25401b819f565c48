import { z } from "zod";

/**
 * The one place environment variables are read and validated. Everything else imports `getEnv()`.
 * Empty strings count as unset, so `DATABASE_URL=` in a shell or `.env` selects the embedded database.
 */

const DEFAULT_PRODUCTION_ENVIRONMENTS = "^prod(uction)?([-_].*)?$";

const emptyToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const port = (fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be 1–65535").max(65535, "must be 1–65535").default(fallback),
  );

const envSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(["development", "production", "test"]).default("production")),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((value) => /^postgres(ql)?:\/\//.test(value), "must be a postgres:// or postgresql:// URL")
      .optional(),
  ),
  DATABASE_POOL_MAX: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(200).default(10)),
  PIPELINE_HEALTH_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default(".data")),
  EMBEDDED_DB_PORT: port(54329),
  PORT: port(3000),
  HOST: z.preprocess(emptyToUndefined, z.string().default("127.0.0.1")),
  ORG_TIMEZONE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default("UTC")
      .refine(isKnownTimeZone, "must be an IANA time zone such as UTC or Europe/Berlin"),
  ),
  PRODUCTION_ENVIRONMENTS: z.preprocess(
    emptyToUndefined,
    z.string().default(DEFAULT_PRODUCTION_ENVIRONMENTS).refine(isValidRegex, "must be a valid regular expression"),
  ),
  /** Freezes the clock at this instant (ISO 8601); for demos and tests only. */
  CLOCK_FROZEN_AT: z.preprocess(emptyToUndefined, z.iso.datetime({ offset: true, error: "must be an ISO 8601 instant, e.g. 2026-01-31T12:00:00Z" }).optional()),
  /** GitHub's REST API: the public API, a GitHub Enterprise `https://host/api/v3`, or the sandbox. */
  GITHUB_API_URL: z.preprocess(emptyToUndefined, z.url({ error: "must be a URL such as https://api.github.com" }).default("https://api.github.com")),
  GITHUB_TOKEN: optionalString,
  GITHUB_ORG: optionalString,
  /** Comma-separated `owner/name` list, instead of (or as well as) a whole organisation. */
  GITHUB_REPOS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .transform((value) => (value ? value.split(",").map((item) => item.trim()).filter(Boolean) : []))
      .refine((items) => items.every((item) => /^[\w.-]+\/[\w.-]+$/.test(item)), "must be a comma-separated list of owner/name"),
  ),
  GITHUB_BACKFILL_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(3650).default(180)),
  GITHUB_WEBHOOK_SECRET: optionalString,
  /** Argo CD's API server, e.g. https://argocd.example.com (with ARGOCD_TOKEN, an API account's token). */
  ARGOCD_SERVER: z.preprocess(emptyToUndefined, z.url({ error: "must be a URL such as https://argocd.example.com" }).optional()),
  ARGOCD_TOKEN: optionalString,
  /**
   * A kubeconfig file for Flux objects and live Deployments; without it `~/.kube/config` when it
   * exists. A file on the server only: kubeconfig exec plugins run commands, so it is never uploaded.
   */
  KUBECONFIG: optionalString,
  /** The kubeconfig context to use; default its current-context. */
  KUBE_CONTEXT: optionalString,
  /** How often the worker polls each source (cron syntax). */
  SYNC_CRON: z.preprocess(emptyToUndefined, z.string().default("*/5 * * * *")),
  /** How many approvers a sync of a production GitOps app needs (other environments need one). */
  SYNC_APPROVALS_PRODUCTION: z.preprocess(emptyToUndefined, z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(10, "must be at most 10").default(1)),
  /** How long a sync request, and each approval of it, stays valid, in hours. */
  SYNC_APPROVAL_TTL_HOURS: z.preprocess(emptyToUndefined, z.coerce.number().min(0.01, "must be positive").max(24 * 30, "must be at most 720 (30 days)").default(24)),
  /** Whether an author of a change in the revision may approve its sync (off: four eyes means someone else). */
  SYNC_AUTHORS_MAY_APPROVE: z.preprocess(emptyToUndefined, z.enum(["true", "false"], "must be true or false").default("false")).transform((value) => value === "true"),
  /** Loopback port of the sandbox org's API when it runs. */
  SANDBOX_PORT: port(54330),
  /** Tests: a local Postgres server where each integration test file creates its own database. */
  TEST_DATABASE_URL: optionalString,
  /** `migrate-draft`: a Postgres server where a throwaway database may be created. */
  DRAFT_DATABASE_URL: optionalString,
  /**
   * Signs session cookies. At least 32 characters; required outside sandbox mode (in sandbox mode
   * `npm start` keeps a generated one in the data directory).
   */
  AUTH_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)").optional()),
  /** Encrypts stored integration credentials. At least 32 characters; required outside sandbox mode. */
  ENCRYPTION_KEY: z.preprocess(emptyToUndefined, z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)").optional()),
  /** The address people open the dashboard at; sign-in accepts requests from this origin. Default http://localhost:PORT. */
  PUBLIC_URL: z.preprocess(emptyToUndefined, z.url({ error: "must be a URL such as https://pipeline-health.example.com" }).optional()),
  /** How many reverse proxies in front of the web server append to X-Forwarded-For (client addresses, sign-in rate limit). */
  TRUSTED_PROXY_HOPS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(10).default(0)),
  /** "Sign in with GitHub": an OAuth app's client id and secret (both or neither). Callback: PUBLIC_URL/api/auth/callback/github. */
  AUTH_GITHUB_CLIENT_ID: optionalString,
  AUTH_GITHUB_CLIENT_SECRET: optionalString,
  /**
   * Sign-in through an OpenID Connect provider (Keycloak, Okta, Entra ID, Dex…): its issuer URL (its
   * discovery document is ISSUER/.well-known/openid-configuration), client id and secret (all three
   * or none), and the name on the button. Callback: PUBLIC_URL/api/auth/callback/oidc.
   */
  AUTH_OIDC_ISSUER: z.preprocess(emptyToUndefined, z.url({ error: "must be the provider's issuer URL, e.g. https://login.example.com/realms/acme" }).optional()),
  AUTH_OIDC_CLIENT_ID: optionalString,
  AUTH_OIDC_CLIENT_SECRET: optionalString,
  AUTH_OIDC_NAME: z.preprocess(emptyToUndefined, z.string().max(40, "must be at most 40 characters").default("single sign-on")),
  /**
   * Comma-separated e-mail domains whose people may create an account by signing in with GitHub or
   * OIDC (as viewers, with a verified e-mail). Without it, only people an admin already added can.
   */
  AUTH_ALLOWED_EMAIL_DOMAINS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .transform((value) => (value ? value.split(",").map((item) => item.trim().toLowerCase().replace(/^@/, "")).filter(Boolean) : []))
      .refine((items) => items.every((item) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(item)), "must be a comma-separated list of domains such as example.com"),
  ),
  /** Set by `npm start` for its children when the sandbox org runs: demo accounts are shown on the sign-in page. */
  PIPELINE_HEALTH_SANDBOX: optionalString,
  /** Set by `npm start` for its children when it runs the embedded database. */
  PIPELINE_HEALTH_EMBEDDED: optionalString,
});

export type Env = z.infer<typeof envSchema>;

/** Every variable the product reads (for the check that .env.example documents them all). */
export const ENV_KEYS = Object.keys(envSchema.shape) as (keyof Env)[];

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isValidRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every variable and its default.`);
    this.name = "EnvError";
  }
}

/** Validates a set of variables; throws EnvError listing every problem at once. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message} (got ${JSON.stringify(source[String(issue.path[0])] ?? "")})`));
  }
  const problems = incompleteGroups(result.data);
  if (problems.length) throw new EnvError(problems);
  return result.data;
}

/** Sign-in providers need every part of their configuration; half of one is a mistake, not "off". */
const ALL_OR_NONE: readonly (readonly (keyof Env)[])[] = [
  ["AUTH_GITHUB_CLIENT_ID", "AUTH_GITHUB_CLIENT_SECRET"],
  ["AUTH_OIDC_ISSUER", "AUTH_OIDC_CLIENT_ID", "AUTH_OIDC_CLIENT_SECRET"],
];

function incompleteGroups(env: Env): string[] {
  return ALL_OR_NONE.flatMap((group) => {
    const missing = group.filter((key) => env[key] === undefined);
    return missing.length > 0 && missing.length < group.length ? [`${missing.join(", ")}: must be set together with ${group.filter((key) => !missing.includes(key)).join(", ")} (or leave them all empty)`] : [];
  });
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests change process.env between cases; this drops the memoised copy. */
export function resetEnvCache(): void {
  cached = undefined;
}
