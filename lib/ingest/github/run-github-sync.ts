import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import type { Integration } from "@/lib/ingest/integrations";
import type { Env } from "@/lib/env";
import { type GithubSyncDeps, type GithubSyncSummary, syncGithub } from "@/lib/ingest/github/sync-github";
import { loadEnvironmentRules } from "@/lib/ingest/environment-rules";
import { sourceTouchCheckpoint } from "@/lib/metrics/derive/recompute";
import { maintainDerivedData } from "@/lib/metrics/maintain-derived-data";
import { type GithubIntegrationSettings, SANDBOX_GITHUB_TOKEN } from "@/lib/ingest/integrations";
import { type Credentials, decryptCredentials } from "@/lib/security/credentials";
import { resolveSecrets } from "@/lib/security/secrets";
import { createGithubClient } from "@/lib/sources/github/client";

export class IntegrationNotUsableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IntegrationNotUsableError";
  }
}

/**
 * The token of an integration: the environment's for ENV ones, the sandbox's own for the sandbox,
 * and for stored ones their credentials, read here by name (the shared client never selects them)
 * and decrypted with ENCRYPTION_KEY only for the length of the run.
 */
async function tokenFor(db: Db, integration: Integration, env: Env): Promise<string> {
  switch (integration.origin) {
    case "ENV":
      if (!env.GITHUB_TOKEN) throw new IntegrationNotUsableError("GITHUB_TOKEN is not set in this process.");
      return env.GITHUB_TOKEN;
    case "SANDBOX":
      return SANDBOX_GITHUB_TOKEN;
    case "DATABASE": {
      const stored = await db.integration.findUnique({ where: { id: integration.id }, select: { credentialsEncrypted: true } });
      if (!stored?.credentialsEncrypted) throw new IntegrationNotUsableError(`${integration.name} has no stored credentials; remove it and add it again.`);
      const key = env.ENCRYPTION_KEY ?? resolveSecrets(env, { generateIfMissing: false }).encryptionKey;
      let credentials: Credentials;
      try {
        credentials = decryptCredentials(stored.credentialsEncrypted, key);
      } catch (error) {
        throw new IntegrationNotUsableError(error instanceof Error ? error.message : String(error));
      }
      if (!credentials.token) throw new IntegrationNotUsableError(`${integration.name} has no stored token; remove it and add it again.`);
      return credentials.token;
    }
    default: {
      const never: never = integration.origin;
      throw new IntegrationNotUsableError(`Unknown integration origin ${String(never)}`);
    }
  }
}

/** One sync of a stored GitHub integration, from its settings (shared by the worker job and the CLI). */
export async function runGithubSync(
  db: Db,
  integration: Integration,
  options: {
    env: Env;
    clock: Clock;
    onProgress?: GithubSyncDeps["onProgress"];
    retryBaseMs?: number;
    onRequest?: (info: { status: number }) => void;
    /** Sync only these `owner/name` repositories (a webhook concerns one). */
    onlyRepositories?: string[];
  },
): Promise<GithubSyncSummary> {
  const settings = integration.settings as unknown as GithubIntegrationSettings;
  // Read once, so every deployment of this run is classified by the same rules.
  const environments = await loadEnvironmentRules(db, options.env.PRODUCTION_ENVIRONMENTS);
  const client = createGithubClient({ baseUrl: integration.baseUrl, token: await tokenFor(db, integration, options.env), clock: options.clock, retryBaseMs: options.retryBaseMs, onRequest: options.onRequest });
  const touchedSince = await sourceTouchCheckpoint(db);
  const summary = await syncGithub(
    {
      db,
      client,
      clock: options.clock,
      onProgress: options.onProgress,
      // Flags and change sets follow what the sync brought in (a revert merged days after a release).
      afterIngest: async () => {
        await maintainDerivedData(db, options.clock, {
          touchedSince,
          timeZone: options.env.ORG_TIMEZONE,
          productionEnvironments: options.env.PRODUCTION_ENVIRONMENTS,
        });
      },
    },
    {
      integrationId: integration.id,
      org: options.onlyRepositories ? null : settings.org,
      repositories: options.onlyRepositories ?? settings.repositories,
      backfillDays: settings.backfillDays,
      environments,
    },
  );
  return summary;
}
