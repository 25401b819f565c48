import { observeRemovedApps } from "@/lib/ingest/gitops/observe-gitops-app";
import { removeWorkload } from "@/lib/ingest/kubernetes/run-kubernetes-sync";
import { fluxObjectKey } from "@/lib/sources/flux/transform";
import { RELIST_MS } from "@/lib/ingest/argocd/follow-argocd";
import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import { finishSourcePass, recordSourceFailure } from "@/lib/ingest/argocd/run-argocd-sync";
import { sleep } from "@/lib/ingest/argocd/follow-argocd";
import { loadEnvironmentRules } from "@/lib/ingest/environment-rules";
import { createDerivedDataScheduler } from "@/lib/ingest/gitops/derived-data-scheduler";
import type { Integration } from "@/lib/ingest/integrations";
import type { RawDeploymentWithFields } from "@/lib/ingest/kubernetes/deployment-view";
import {
  type ClusterState,
  type WriteContext,
  kubernetesClientFor,
  kubernetesSyncPass,
  writeDeployment,
  writeHelmRelease,
  writeKustomization,
} from "@/lib/ingest/kubernetes/run-kubernetes-sync";
import { type KubernetesClient, KubernetesApiError, type KubernetesKind, type KubernetesObject, type KubernetesWatchEventType } from "@/lib/sources/kubernetes/client";
import type { RawGitRepository, RawHelmRelease, RawKustomization } from "@/lib/sources/flux/types";

export interface FollowKubernetesOptions {
  env: Env;
  clock: Clock;
  signal: AbortSignal;
  client?: KubernetesClient;
  /** First delay after a failure; doubles up to a minute. */
  retryBaseMs?: number;
  /** How long after the last change the metrics are refreshed (changes come in bursts). */
  settleMs?: number;
  log?: (line: string) => void;
  /** Called after each event (or re-listed object) is written (tests wait on it; the benchmark times it). */
  onObserved?: (kind: KubernetesKind, name: string) => void;
  /** A "resync" event here ends the current watches so the cluster is listed again now. */
  resyncRequests?: EventTarget;
}

const KINDS: readonly KubernetesKind[] = ["GitRepository", "Deployment", "Kustomization", "HelmRelease"];

/**
 * Keeps the database in step with a cluster: a full pass (list), then one watch per kind, all in
 * parallel, re-listing on `410 Gone` (the client does). Events of one kind are written in the order
 * they arrive; writes of all kinds go one at a time, because a Flux object's drift is judged against
 * the Deployments it manages and two writers of one object must not interleave. A Deployment event
 * re-judges the Flux object that applies it, a GitRepository event the Kustomizations reading it,
 * and a Flux object event first re-reads the Deployments of its namespace (their events may lag the
 * object's: a finished apply must be compared with what it applied, not with the old image).
 */
export async function followKubernetes(db: Db, integration: Integration, options: FollowKubernetesOptions): Promise<void> {
  const log = options.log ?? (() => {});
  const retryBase = options.retryBaseMs ?? 1_000;
  let failures = 0;
  const derived = createDerivedDataScheduler(db, options.clock, options.env, { settleMs: options.settleMs ?? 1_000, log });
  try {
    while (!options.signal.aborted) {
      try {
        const client = options.client ?? kubernetesClientFor(integration);
        const { state, unavailable } = await kubernetesSyncPass(db, integration, { env: options.env, clock: options.clock, client });
        if (unavailable.length > 0) log(`kubernetes ${integration.name}: ${unavailable.join(", ")} not served or not readable; not watched`);
        failures = 0;
        const rules = await loadEnvironmentRules(db, options.env.PRODUCTION_ENVIRONMENTS);
        await followAll(db, integration, client, state, { integrationId: integration.id, clock: options.clock, rules }, options, derived, KINDS.filter((kind) => !unavailable.includes(kind)));
        if (!options.signal.aborted) log(`kubernetes ${integration.name}: watches ended; listing again`);
      } catch (error) {
        if (options.signal.aborted) break;
        failures += 1;
        await recordSourceFailure(db, integration.id, null, options.clock.now(), error).catch(() => {});
        log(`kubernetes ${integration.name}: ${error instanceof Error ? error.message : String(error)}`);
        // Refused credentials will not fix themselves quickly: wait the longest.
        const refused = error instanceof KubernetesApiError && error.isAuthError;
        await sleep(refused ? 60_000 : Math.min(60_000, retryBase * 2 ** (failures - 1)), options.signal);
      }
    }
  } finally {
    await derived.flush();
  }
}

type Scheduler = ReturnType<typeof createDerivedDataScheduler>;

async function followAll(
  db: Db,
  integration: Integration,
  client: KubernetesClient,
  state: ClusterState,
  context: WriteContext,
  options: FollowKubernetesOptions,
  derived: Scheduler,
  kinds: readonly KubernetesKind[],
): Promise<void> {
  const log = options.log ?? (() => {});
  // One follower failing for good stops the others, so the outer loop lists everything again.
  const inner = new AbortController();
  const stop = () => inner.abort();
  options.signal.addEventListener("abort", stop, { once: true });
  // Listed again now and then, as informers resync: a push workload is judged again against the
  // deployments GitHub's sync brought in since, and Flux objects against their config history.
  const resync = setTimeout(stop, RELIST_MS);
  resync.unref?.();
  options.resyncRequests?.addEventListener("resync", stop, { once: true });
  let writes: Promise<void> = Promise.resolve();
  const serial = (work: () => Promise<void>): Promise<void> => {
    const next = writes.then(work);
    writes = next.catch(() => {});
    return next;
  };
  let lastFresh = 0;

  const written = async (kind: KubernetesKind, name: string) => {
    derived.changed();
    const now = options.clock.now();
    if (now.getTime() - lastFresh > 5_000) {
      lastFresh = now.getTime();
      await finishSourcePass(db, integration.id, now, now);
    }
    options.onObserved?.(kind, name);
  };

  /** Writes an object already put into `state`, and what its change affects. */
  const apply = async <K extends KubernetesKind>(kind: K, object: KubernetesObject<K>) => {
    await derived.beforeChange();
    switch (kind) {
      case "Deployment": {
        const raw = object as RawDeploymentWithFields;
        await writeDeployment(db, raw, context);
        const entry = state.deployments.get(`${raw.metadata.namespace ?? ""}/${raw.metadata.name}`);
        const owner = entry ? state.ownerOf(entry.view) : null;
        if (owner?.kind === "Kustomization") await writeKustomization(db, state, owner.raw, context);
        else if (owner?.kind === "HelmRelease") await writeHelmRelease(db, state, owner.raw, context);
        break;
      }
      case "GitRepository":
        for (const raw of state.kustomizationsOf(object as RawGitRepository)) await writeKustomization(db, state, raw, context);
        break;
      case "Kustomization": {
        const raw = object as RawKustomization;
        await refreshDeployments(raw.spec.targetNamespace ?? raw.metadata.namespace);
        await writeKustomization(db, state, raw, context);
        break;
      }
      default: {
        const raw = object as RawHelmRelease;
        await refreshDeployments(raw.status?.history?.[0]?.namespace ?? raw.metadata.namespace);
        await writeHelmRelease(db, state, raw, context);
      }
    }
    await written(kind, object.metadata.name);
  };

  const refreshDeployments = async (namespace: string | undefined) => {
    if (!namespace) return;
    const fresh = await client.listResources("Deployment", { namespace });
    for (const raw of fresh.items) if (state.put("Deployment", raw)) await writeDeployment(db, raw, context);
  };

  const onEvent = <K extends KubernetesKind>(kind: K) => (type: KubernetesWatchEventType, object: KubernetesObject<K>) =>
    serial(async () => {
      // A deleted object keeps its history; what it did can no longer be seen.
      if (type === "DELETED") {
        state.remove(kind, object.metadata);
        const at = context.clock.now();
        if (kind === "Deployment") {
          const workload = await db.workload.findFirst({ where: { integrationId: context.integrationId, namespace: object.metadata.namespace ?? "", name: object.metadata.name }, select: { id: true, namespace: true, name: true, serviceId: true } });
          if (workload) await removeWorkload(db, context.integrationId, workload, at);
        } else if (kind === "Kustomization" || kind === "HelmRelease") {
          await observeRemovedApps(db, context.integrationId, [fluxObjectKey(object.metadata)], at);
        }
        return;
      }
      if (!state.put(kind, object)) return;
      await apply(kind, object);
    });

  const onList = <K extends KubernetesKind>(kind: K) => (items: KubernetesObject<K>[]) =>
    serial(async () => {
      // After the pass (and after each re-list): only what changed since the state was read is written.
      const seen = new Set(items.map((item) => `${item.metadata.namespace ?? ""}/${item.metadata.name}`));
      const held = kind === "GitRepository" ? state.gitRepositories : kind === "Deployment" ? state.deployments : kind === "Kustomization" ? state.kustomizations : state.helmReleases;
      for (const key of [...held.keys()]) if (!seen.has(key)) held.delete(key);
      for (const item of items) if (state.put(kind, item)) await apply(kind, item);
    });

  const follow = <K extends KubernetesKind>(kind: K) =>
    client.followResources(kind, {
      signal: inner.signal,
      onList: onList(kind),
      onEvent: onEvent(kind),
      onRelist: (reason) => log(`kubernetes ${integration.name}: ${kind} watch ${reason}; listing again`),
      onError: (error, attempt) => log(`kubernetes ${integration.name}: ${kind} watch failed (attempt ${attempt}): ${error instanceof Error ? error.message : String(error)}`),
      ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
    });

  try {
    const results = await Promise.allSettled(
      kinds.map((kind) =>
        follow(kind).catch((error: unknown) => {
          inner.abort();
          throw error;
        }),
      ),
    );
    await writes;
    const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
    if (failed) throw failed.reason;
  } finally {
    clearTimeout(resync);
    options.resyncRequests?.removeEventListener("resync", stop);
    options.signal.removeEventListener("abort", stop);
  }
}
