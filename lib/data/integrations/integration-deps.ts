import "server-only";
import { type Db, getDb } from "@/lib/db/client";
import { type Env, getEnv } from "@/lib/env";
import { resolveSecrets } from "@/lib/security/secrets";
import type { SyncEnqueuer } from "./enqueue-sync-once";

/** What integration changes need, passed in so tests can use their own database, key and queue. */
export interface IntegrationDeps {
  db: Db;
  env: Env;
  /** Queues a sync unless one is already queued or running for the integration. */
  enqueue: SyncEnqueuer;
}

/** The key stored credentials are sealed with: ENCRYPTION_KEY, else the sandbox install's secrets file. */
export function encryptionKeyOf(env: Env): string {
  return env.ENCRYPTION_KEY ?? resolveSecrets(env, { generateIfMissing: false }).encryptionKey;
}

export function defaultIntegrationDeps(): IntegrationDeps {
  return {
    db: getDb(),
    env: getEnv(),
    enqueue: async (integrationId) => {
      // Loaded on first use: pg-boss stays out of every route that never enqueues.
      const [{ getQueueClient }, { enqueueSyncOnce }] = await Promise.all([import("@/lib/worker/queue-client"), import("./enqueue-sync-once")]);
      return await enqueueSyncOnce(await getQueueClient(), integrationId);
    },
  };
}
