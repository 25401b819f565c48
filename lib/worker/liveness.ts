/** Every worker marks itself alive this often, from its own timer. */
export const WORKER_BEAT_INTERVAL_MS = 30_000;
/** A worker whose last beat is older than this is counted as gone (three missed beats). */
export const WORKER_ALIVE_WITHIN_MS = 3 * WORKER_BEAT_INTERVAL_MS;
/** The heartbeat job runs once a minute through the queue, taken by whichever worker is free. */
export const HEARTBEAT_JOB_CRON = "* * * * *";
