import "server-only";
import { type Db, getDb } from "@/lib/db/client";
import { type Env, getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { MissingSecretsError, resolveSecrets } from "@/lib/security/secrets";
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
  if (env.ENCRYPTION_KEY) return env.ENCRYPTION_KEY;
  try {
    return resolveSecrets(env, { generateIfMissing: false }).encryptionKey;
  } catch (error) {
    // The admin can act on this (set the variable and restart), so it is not a bare 500.
    if (error instanceof MissingSecretsError) throw new AppError("UNAVAILABLE", "ENCRYPTION_KEY is not set in this process, so credentials cannot be stored. Set it to at least 32 random characters and restart.");
    throw error;
  }
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
