import "server-only";
import { type Db, getDb } from "@/lib/db/client";
import { type Env, getEnv } from "@/lib/env";

/** What approval changes need, passed in so tests can use their own database, settings and queue. */
export interface ApprovalDeps {
  db: Db;
  env: Env;
  /** Queues the execution of an approved request (idempotent per request). */
  enqueueExecution: (requestId: string) => Promise<void>;
  /** The images a config revision deploys, for the change set; null when they cannot be read. */
  imagesAt: (app: { repoUrl: string; path: string }, revision: string) => Promise<string[] | null>;
}

export function defaultApprovalDeps(): ApprovalDeps {
  const env = getEnv();
  const db = getDb();
  return {
    db,
    env,
    enqueueExecution: async (requestId) => {
      // Loaded on first use: pg-boss stays out of every route that never enqueues.
      const [{ getQueueClient }, { enqueueSyncExecution }] = await Promise.all([import("@/lib/worker/queue-client"), import("@/lib/worker/sync-execution-queue")]);
      await enqueueSyncExecution(await getQueueClient(), requestId);
    },
    imagesAt: async (app, revision) => {
      const { createRevisionImageResolver } = await import("@/lib/ingest/gitops/revision-images");
      const { getClock } = await import("@/lib/clock");
      return await createRevisionImageResolver(db, env, getClock())
        .imagesAt(app.repoUrl, app.path, revision)
        .catch(() => null);
    },
  };
}
