import type { Db } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import { getClock } from "@/lib/clock";
import { followArgoCd } from "@/lib/ingest/argocd/follow-argocd";
import { followKubernetes } from "@/lib/ingest/kubernetes/follow-kubernetes";
import type { Integration } from "@/lib/ingest/integrations";

type Follower = (
  db: Db,
  integration: Integration,
  options: { env: Env; clock: ReturnType<typeof getClock>; signal: AbortSignal; log?: (line: string) => void; resyncRequests?: EventTarget },
) => Promise<void>;

/**
 * Long-lived watches of the cluster sources (Argo CD's application stream, the Kubernetes API's
 * watches), one per enabled integration, next to the queue's periodic passes: a watch sees every
 * change as it happens, the periodic pass is the safety net. `refresh` starts watches for new
 * integrations and stops those of removed or disabled ones.
 */
export function createSourceWatchers(db: Db, env: Env, followers: Partial<Record<Integration["kind"], Follower>>, log: (line: string) => void) {
  const running = new Map<string, { controller: AbortController; done: Promise<void>; resyncRequests: EventTarget }>();
  return {
    async refresh() {
      const integrations = await db.integration.findMany({ where: { enabled: true, kind: { in: Object.keys(followers) as Integration["kind"][] } } });
      const wanted = new Set(integrations.map((integration) => integration.id));
      for (const [id, watch] of running) {
        if (wanted.has(id)) continue;
        watch.controller.abort();
        running.delete(id);
      }
      for (const integration of integrations) {
        if (running.has(integration.id)) continue;
        const follow = followers[integration.kind];
        if (!follow) continue;
        const controller = new AbortController();
        const resyncRequests = new EventTarget();
        const done = follow(db, integration, { env, clock: getClock(), signal: controller.signal, log, resyncRequests })
          .catch((error: unknown) => {
            log(`watch of ${integration.name} stopped: ${error instanceof Error ? error.message : String(error)}`);
          })
          .finally(() => {
            // A watch that ended is started again by the next refresh (the next scheduled fan-out).
            if (running.get(integration.id)?.controller === controller) running.delete(integration.id);
          });
        running.set(integration.id, { controller, done, resyncRequests });
        log(`watching ${integration.kind.toLowerCase()} ${integration.name}`);
      }
    },
    /** Has the watch list its source again now (what was learnt elsewhere changes how objects bind). */
    resync(integrationId: string): void {
      running.get(integrationId)?.resyncRequests.dispatchEvent(new Event("resync"));
    },
    /** Whether this worker watches the integration now (its scheduled pass is then redundant). */
    isWatching(integrationId: string): boolean {
      return running.has(integrationId);
    },
    async stop() {
      for (const watch of running.values()) watch.controller.abort();
      await Promise.all([...running.values()].map((watch) => watch.done));
      running.clear();
    },
  };
}

export const DEFAULT_FOLLOWERS: Partial<Record<Integration["kind"], Follower>> = { ARGOCD: followArgoCd, FLUX_KUBERNETES: followKubernetes };
