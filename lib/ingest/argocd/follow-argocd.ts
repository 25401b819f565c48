import { observeRemovedApps } from "@/lib/ingest/gitops/observe-gitops-app";
import { applicationKey } from "@/lib/sources/argocd/transform";
import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import { argoCdClientFor, finishSourcePass, observeArgoApplication, recordSourceFailure, runArgoCdSync } from "@/lib/ingest/argocd/run-argocd-sync";
import { loadEnvironmentRules } from "@/lib/ingest/environment-rules";
import { createRevisionImageResolver } from "@/lib/ingest/gitops/revision-images";
import type { Integration } from "@/lib/ingest/integrations";
import { createDerivedDataScheduler } from "@/lib/ingest/gitops/derived-data-scheduler";
import type { ArgoCdClient } from "@/lib/sources/argocd/client";
import { ArgoCdError } from "@/lib/sources/argocd/client";

/** How long one stream is followed before listing again (Kubernetes informers resync similarly). */
export const RELIST_MS = 10 * 60_000;

export interface FollowOptions {
  relistMs?: number;
  /** A "resync" event here ends the current watch so the source is listed again now (GitHub's sync made bindings known). */
  resyncRequests?: EventTarget;
  env: Env;
  clock: Clock;
  signal: AbortSignal;
  client?: ArgoCdClient;
  /** First delay after a failure; doubles up to a minute. */
  retryBaseMs?: number;
  /** How long after the last change the metrics are refreshed (changes come in bursts). */
  settleMs?: number;
  log?: (line: string) => void;
  /** Called after each stream event is written (tests wait on it; the benchmark times it). */
  onObserved?: (name: string) => void;
}

/**
 * Keeps the database in step with Argo CD: a full pass (list), then the application stream, writing
 * every event as it arrives, because polling misses what happens between two polls (a self-heal,
 * a failed sync retried at once). When the stream ends it may have missed events, so the loop lists
 * again before following anew; failures back off and are shown on the integration.
 */
export async function followArgoCd(db: Db, integration: Integration, options: FollowOptions): Promise<void> {
  const log = options.log ?? (() => {});
  const retryBase = options.retryBaseMs ?? 1_000;
  let failures = 0;
  const derived = createDerivedDataScheduler(db, options.clock, options.env, { settleMs: options.settleMs ?? 1_000, log });
  try {
    while (!options.signal.aborted) {
      try {
        const client = options.client ?? (await argoCdClientFor(db, integration, options.env));
        await runArgoCdSync(db, integration, { env: options.env, clock: options.clock, client });
        failures = 0;
        const rules = await loadEnvironmentRules(db, options.env.PRODUCTION_ENVIRONMENTS);
        const images = createRevisionImageResolver(db, options.env, options.clock);
        let lastFresh = 0;
        await client.watchApplications({
          // Listed again now and then, as informers resync: what the stream cannot bring (a binding
          // or a config repository that GitHub's sync made known since) is then written too.
          signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.relistMs ?? RELIST_MS), resyncSignal(options.resyncRequests)]),
          onEvent: async (event) => {
            // A deleted application keeps its history; its drift can no longer be seen.
            if (event.type === "DELETED") {
              await observeRemovedApps(db, integration.id, [applicationKey(event.application)], options.clock.now());
              return;
            }
            await derived.beforeChange();
            await observeArgoApplication(db, client, event.application, { integrationId: integration.id, clock: options.clock, rules, images });
            derived.changed();
            const now = options.clock.now();
            if (now.getTime() - lastFresh > 5_000) {
              lastFresh = now.getTime();
              await finishSourcePass(db, integration.id, now, now);
            }
            options.onObserved?.(event.application.metadata.name);
          },
        });
        log(`argocd ${integration.name}: stream ended; listing again`);
      } catch (error) {
        if (options.signal.aborted) break;
        failures += 1;
        await recordSourceFailure(db, integration.id, null, options.clock.now(), error).catch(() => {});
        log(`argocd ${integration.name}: ${error instanceof Error ? error.message : String(error)}`);
        // Refused credentials will not fix themselves quickly: wait the longest.
        const refused = error instanceof ArgoCdError && (error.status === 401 || error.status === 403);
        await sleep(refused ? 60_000 : Math.min(60_000, retryBase * 2 ** (failures - 1)), options.signal);
      }
    }
  } finally {
    await derived.flush();
  }
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** A signal that aborts on the next "resync" event (never, without a target). */
export function resyncSignal(target: EventTarget | undefined): AbortSignal {
  const controller = new AbortController();
  target?.addEventListener("resync", () => controller.abort(), { once: true });
  return controller.signal;
}
