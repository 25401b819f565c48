import type PgBoss from "pg-boss";

/** Executes one approved sync request: `{ requestId }`. */
export const SYNC_EXECUTION_QUEUE = "sync.execute";
/** Expires, supersedes and resumes sync requests on a schedule. */
export const SYNC_SWEEP_QUEUE = "sync.sweep";
export const SYNC_SWEEP_CRON = "* * * * *";

export interface SyncExecutionJobData {
  requestId: string;
}

/**
 * Retries cover a worker that died mid-job (its job expires after 5 minutes and is retried) and a transient Argo CD failure; the job itself makes a
 * retry safe (it looks for its request id in Argo CD before calling again), so retrying is never the
 * risk — giving up too early is.
 */
export const SYNC_EXECUTION_QUEUE_OPTIONS = { name: SYNC_EXECUTION_QUEUE, policy: "stately", retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 5 * 60 } as const;

export async function ensureSyncExecutionQueue(boss: PgBoss): Promise<void> {
  if (!(await boss.getQueue(SYNC_EXECUTION_QUEUE))) await boss.createQueue(SYNC_EXECUTION_QUEUE, SYNC_EXECUTION_QUEUE_OPTIONS);
}

/** One job per request id at a time: two approvers' last clicks, or a sweep, queue it once. */
export async function enqueueSyncExecution(boss: PgBoss, requestId: string, startAfter?: Date): Promise<string | null> {
  await ensureSyncExecutionQueue(boss);
  return await boss.send(SYNC_EXECUTION_QUEUE, { requestId } satisfies SyncExecutionJobData, { singletonKey: requestId, ...(startAfter ? { startAfter } : {}) });
}
