import type PgBoss from "pg-boss";
import { enqueueSync } from "@/lib/worker/run-worker";
import { QUEUES } from "@/lib/worker/queues";

export type SyncEnqueueStatus = "queued" | "already-queued" | "already-running";

export type SyncEnqueuer = (integrationId: string) => Promise<SyncEnqueueStatus>;

/**
 * Queues `source.sync` for one integration unless a job for it is already waiting or active.
 * The queue's `singleton` policy only stops two jobs of one key from running side by side; it lets
 * a second one wait behind the first, so a second "sync now" would sync twice. Hence the look first.
 */
export async function enqueueSyncOnce(boss: PgBoss, integrationId: string): Promise<SyncEnqueueStatus> {
  // The worker creates the queue; a web process that starts first must not fail its first click.
  if (!(await boss.getQueue(QUEUES.sync))) {
    await boss.createQueue(QUEUES.sync, { name: QUEUES.sync, policy: "singleton", retryLimit: 2, retryDelay: 30, retryBackoff: true });
  }
  const existing = await pending(boss, integrationId);
  if (existing) return existing;
  const id = await enqueueSync(boss, integrationId);
  if (id !== null) return "queued";
  // Refused by the queue's own uniqueness: someone else's job got there between the look and the send.
  return (await pending(boss, integrationId)) ?? "already-queued";
}

async function pending(boss: PgBoss, integrationId: string): Promise<Exclude<SyncEnqueueStatus, "queued"> | null> {
  const result = await boss.getDb().executeSql(
    `SELECT state FROM pgboss.job WHERE name = $1 AND singleton_key = $2 AND state IN ('created', 'retry', 'active') ORDER BY (state = 'active') DESC LIMIT 1`,
    [QUEUES.sync, integrationId],
  );
  const state = (result.rows[0] as { state?: string } | undefined)?.state;
  if (!state) return null;
  return state === "active" ? "already-running" : "already-queued";
}
