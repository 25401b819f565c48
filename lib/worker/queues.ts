/** Queue names; one place so producers and the worker agree. */
export const QUEUES = {
  heartbeat: "system.heartbeat",
  /** Fans out one `source.sync` per enabled integration, on the SYNC_CRON schedule. */
  syncAll: "source.sync-all",
  /** Syncs one integration: `{ integrationId }`. At most one runs per integration at a time. */
  sync: "source.sync",
  /** Processes one stored webhook delivery: `{ deliveryId }`. */
  webhook: "webhook.github",
} as const;

export interface SyncJobData {
  integrationId: string;
}

export interface WebhookJobData {
  deliveryId: string;
}

