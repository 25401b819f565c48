import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import type { Integration } from "@/lib/ingest/integrations";
import type { Env } from "@/lib/env";
import { type GithubSyncDeps, type GithubSyncSummary, syncGithub } from "@/lib/ingest/github/sync-github";
import { loadEnvironmentRules } from "@/lib/ingest/environment-rules";
import { sourceTouchCheckpoint } from "@/lib/metrics/derive/recompute";
import { maintainDerivedData } from "@/lib/metrics/maintain-derived-data";
import { type GithubIntegrationSettings, SANDBOX_GITHUB_TOKEN } from "@/lib/ingest/integrations";
import { integrationToken } from "@/lib/ingest/integration-token";
import { createGithubClient } from "@/lib/sources/github/client";

export { IntegrationNotUsableError } from "@/lib/ingest/integration-token";

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
  const client = createGithubClient({ baseUrl: integration.baseUrl, token: await integrationToken(db, integration, options.env, { env: options.env.GITHUB_TOKEN, envName: "GITHUB_TOKEN", sandbox: SANDBOX_GITHUB_TOKEN }), clock: options.clock, retryBaseMs: options.retryBaseMs, onRequest: options.onRequest });
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
