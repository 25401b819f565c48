import { observeRemoved } from "@/lib/drift/drift-episodes";
import { lockObservedObject, observeRemovedApps } from "@/lib/ingest/gitops/observe-gitops-app";
import { IN_CLUSTER } from "@/lib/ingest/kubernetes/deployment-view";
import { fluxObjectKey } from "@/lib/sources/flux/transform";
import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import { finishSourcePass, recordSourceFailure } from "@/lib/ingest/argocd/run-argocd-sync";
import { type EnvironmentRules, loadEnvironmentRules } from "@/lib/ingest/environment-rules";
import type { Integration, KubernetesIntegrationSettings } from "@/lib/ingest/integrations";
import { type DeploymentView, type RawDeploymentWithFields, deploymentView } from "@/lib/ingest/kubernetes/deployment-view";
import { observeFluxObject, sourceOf } from "@/lib/ingest/kubernetes/observe-flux-object";
import { observeWorkload } from "@/lib/ingest/kubernetes/workload-observation";
import { sourceTouchCheckpoint } from "@/lib/metrics/derive/recompute";
import { maintainDerivedData } from "@/lib/metrics/maintain-derived-data";
import { reconstructGitOpsHistory } from "@/lib/ingest/gitops/reconstruct-history";
import { createRevisionImageResolver } from "@/lib/ingest/gitops/revision-images";
import { KubernetesApiError, type KubernetesClient, type KubernetesKind, type KubernetesObject, createKubernetesClient } from "@/lib/sources/kubernetes/client";
import type { RawGitRepository, RawHelmRelease, RawKustomization } from "@/lib/sources/flux/types";

export interface KubernetesSyncSummary {
  deployments: number;
  kustomizations: number;
  helmReleases: number;
  gitRepositories: number;
  operationsChanged: number;
}

export interface KubernetesSyncOptions {
  env: Env;
  clock: Clock;
  onProgress?: (progress: { done: number; total: number; object: string | null }) => void;
  /** Tests and the follower pass their own client. */
  client?: KubernetesClient;
}

/** The integration's kubeconfig (a file on this server) and context. */
export function kubernetesSettingsOf(integration: Integration): KubernetesIntegrationSettings {
  const settings = (integration.settings ?? {}) as Partial<KubernetesIntegrationSettings>;
  const kubeconfigPath = typeof settings.kubeconfigPath === "string" && settings.kubeconfigPath ? settings.kubeconfigPath : integration.baseUrl;
  return { kubeconfigPath, context: typeof settings.context === "string" && settings.context ? settings.context : null };
}

export function kubernetesClientFor(integration: Integration): KubernetesClient {
  const settings = kubernetesSettingsOf(integration);
  return createKubernetesClient({ kubeconfigPath: settings.kubeconfigPath, ...(settings.context ? { context: settings.context } : {}) });
}

const objectKey = (metadata: { namespace?: string; name: string }) => `${metadata.namespace ?? ""}/${metadata.name}`;

/**
 * The cluster as last seen, per kind: a Flux object's drift and applied images are judged against
 * the Deployments it manages and its GitRepository, so each write needs the others' latest state.
 */
export class ClusterState {
  readonly gitRepositories = new Map<string, RawGitRepository>();
  readonly deployments = new Map<string, { raw: RawDeploymentWithFields; view: DeploymentView }>();
  readonly kustomizations = new Map<string, RawKustomization>();
  readonly helmReleases = new Map<string, RawHelmRelease>();

  views(): DeploymentView[] {
    return [...this.deployments.values()].map((entry) => entry.view);
  }

  /** Stores an object; returns false when the same version was already held (nothing to write). */
  put<K extends KubernetesKind>(kind: K, object: KubernetesObject<K>): boolean {
    const key = objectKey(object.metadata);
    const version = object.metadata.resourceVersion;
    switch (kind) {
      case "GitRepository": {
        const same = version !== undefined && this.gitRepositories.get(key)?.metadata.resourceVersion === version;
        this.gitRepositories.set(key, object as RawGitRepository);
        return !same;
      }
      case "Deployment": {
        const same = version !== undefined && this.deployments.get(key)?.raw.metadata.resourceVersion === version;
        const raw = object as RawDeploymentWithFields;
        this.deployments.set(key, { raw, view: deploymentView(raw) });
        return !same;
      }
      case "Kustomization": {
        const same = version !== undefined && this.kustomizations.get(key)?.metadata.resourceVersion === version;
        this.kustomizations.set(key, object as RawKustomization);
        return !same;
      }
      default: {
        const same = version !== undefined && this.helmReleases.get(key)?.metadata.resourceVersion === version;
        this.helmReleases.set(key, object as RawHelmRelease);
        return !same;
      }
    }
  }

  remove(kind: KubernetesKind, metadata: { namespace?: string; name: string }): void {
    const key = objectKey(metadata);
    if (kind === "GitRepository") this.gitRepositories.delete(key);
    else if (kind === "Deployment") this.deployments.delete(key);
    else if (kind === "Kustomization") this.kustomizations.delete(key);
    else this.helmReleases.delete(key);
  }

  /** Kustomizations reading from a GitRepository. */
  kustomizationsOf(repository: RawGitRepository): RawKustomization[] {
    return [...this.kustomizations.values()].filter((raw) => sourceOf(raw, [repository]) !== null);
  }

  /** The Flux object (as last seen) that applies a Deployment, if any. */
  ownerOf(view: DeploymentView): { kind: "Kustomization"; raw: RawKustomization } | { kind: "HelmRelease"; raw: RawHelmRelease } | null {
    const owner = view.fluxOwner;
    if (!owner) return null;
    const key = `${owner.namespace}/${owner.name}`;
    if (owner.kind === "FLUX_KUSTOMIZATION") {
      const raw = this.kustomizations.get(key);
      return raw ? { kind: "Kustomization", raw } : null;
    }
    const raw = this.helmReleases.get(key);
    return raw ? { kind: "HelmRelease", raw } : null;
  }
}

export interface WriteContext {
  integrationId: string;
  clock: Clock;
  rules: EnvironmentRules;
}

export async function writeDeployment(db: Db, raw: RawDeploymentWithFields, context: WriteContext): Promise<void> {
  await db.$transaction((tx) => observeWorkload(tx, raw, { integrationId: context.integrationId, observedAt: context.clock.now() }), { timeout: 30_000 });
}

export async function writeKustomization(db: Db, state: ClusterState, raw: RawKustomization, context: WriteContext): Promise<number> {
  const result = await observeFluxObject(
    db,
    { kind: "Kustomization", raw, gitRepository: sourceOf(raw, state.gitRepositories.values()) },
    { integrationId: context.integrationId, observedAt: context.clock.now(), rules: context.rules, deployments: state.views() },
  );
  return result.operationsChanged;
}

export async function writeHelmRelease(db: Db, state: ClusterState, raw: RawHelmRelease, context: WriteContext): Promise<number> {
  const result = await observeFluxObject(db, { kind: "HelmRelease", raw }, { integrationId: context.integrationId, observedAt: context.clock.now(), rules: context.rules, deployments: state.views() });
  return result.operationsChanged;
}

const byKey = <T extends { metadata: { namespace?: string; name: string } }>(items: T[]) => [...items].sort((a, b) => objectKey(a.metadata).localeCompare(objectKey(b.metadata)));

/**
 * One full pass over a cluster: list GitRepositories, Deployments, Kustomizations and
 * HelmReleases, write every Deployment (workloads and push-based drift) and then every Flux object
 * (operations, deployments, drift against the Deployments just read), then derive flags and refresh
 * the metrics. Progress, last sync and last error are kept per integration as for Argo CD. Safe to
 * re-run: every write is an upsert keyed on the cluster's own names and the attempts' instants.
 */
export async function runKubernetesSync(db: Db, integration: Integration, options: KubernetesSyncOptions): Promise<KubernetesSyncSummary> {
  return (await kubernetesSyncPass(db, integration, options)).summary;
}

/** The pass, returning the cluster state it read (the follower keeps it to judge later events). */
export async function kubernetesSyncPass(
  db: Db,
  integration: Integration,
  options: KubernetesSyncOptions,
): Promise<{ summary: KubernetesSyncSummary; state: ClusterState; /** Kinds the cluster does not serve or the credentials may not read (404/403). */ unavailable: KubernetesKind[] }> {
  const { clock } = options;
  const startedAt = clock.now();
  const run = await db.ingestRun.create({ data: { integrationId: integration.id, job: "kubernetes.sync", status: "RUNNING", startedAt } });
  try {
    const client = options.client ?? kubernetesClientFor(integration);
    const rules = await loadEnvironmentRules(db, options.env.PRODUCTION_ENVIRONMENTS);
    const touchedSince = await sourceTouchCheckpoint(db);
    // A cluster without Flux (an Argo CD-only shop), or whose credentials may not read one of its
    // kinds, still has Deployments worth watching: such a kind is skipped, not the whole source.
    const unavailable: KubernetesKind[] = [];
    const optional = async <K extends KubernetesKind>(kind: K) => {
      try {
        return await client.listResources(kind);
      } catch (error) {
        if (!(error instanceof KubernetesApiError) || (error.status !== 404 && error.status !== 403)) throw error;
        unavailable.push(kind);
        return { resourceVersion: "", items: [] as KubernetesObject<K>[] };
      }
    };
    const [repositories, deployments, kustomizations, helmReleases] = await Promise.all([
      optional("GitRepository"),
      client.listResources("Deployment"),
      optional("Kustomization"),
      optional("HelmRelease"),
    ]);
    const state = new ClusterState();
    for (const item of repositories.items) state.put("GitRepository", item);
    for (const item of deployments.items) state.put("Deployment", item);
    for (const item of kustomizations.items) state.put("Kustomization", item);
    for (const item of helmReleases.items) state.put("HelmRelease", item);
    const total = deployments.items.length + kustomizations.items.length + helmReleases.items.length;
    await db.ingestRun.update({ where: { id: run.id }, data: { itemsTotal: total, itemsProcessed: 0 } });
    options.onProgress?.({ done: 0, total, object: null });
    const context: WriteContext = { integrationId: integration.id, clock, rules };
    let done = 0;
    const progress = async (object: string) => {
      done += 1;
      await db.ingestRun.update({ where: { id: run.id }, data: { itemsProcessed: done } });
      options.onProgress?.({ done, total, object });
    };
    let operationsChanged = 0;
    for (const raw of byKey(deployments.items)) {
      await writeDeployment(db, raw, context);
      await progress(`Deployment/${objectKey(raw.metadata)}`);
    }
    for (const raw of byKey(kustomizations.items)) {
      operationsChanged += await writeKustomization(db, state, raw, context);
      await progress(`Kustomization/${objectKey(raw.metadata)}`);
    }
    for (const raw of byKey(helmReleases.items)) {
      operationsChanged += await writeHelmRelease(db, state, raw, context);
      await progress(`HelmRelease/${objectKey(raw.metadata)}`);
    }
    await observeRemovedObjects(
      db,
      integration.id,
      {
        deployments: deployments.items,
        fluxObjects: [
          ...(unavailable.includes("Kustomization") ? [] : [{ kind: "FLUX_KUSTOMIZATION" as const, items: kustomizations.items.map((item) => item.metadata) }]),
          ...(unavailable.includes("HelmRelease") ? [] : [{ kind: "FLUX_HELMRELEASE" as const, items: helmReleases.items.map((item) => item.metadata) }]),
        ],
      },
      clock.now(),
    );
    // Flux keeps no history of Kustomizations: what ran before the first pass comes from Git.
    await reconstructGitOpsHistory(db, { integrationId: integration.id, source: "FLUX", env: options.env, clock, rules, images: createRevisionImageResolver(db, options.env, clock) });
    await finishSourcePass(db, integration.id, clock.now(), startedAt);
    await maintainDerivedData(db, clock, { touchedSince, timeZone: options.env.ORG_TIMEZONE, productionEnvironments: options.env.PRODUCTION_ENVIRONMENTS });
    await db.ingestRun.update({ where: { id: run.id }, data: { status: "SUCCEEDED", finishedAt: clock.now() } });
    return {
      summary: { deployments: deployments.items.length, kustomizations: kustomizations.items.length, helmReleases: helmReleases.items.length, gitRepositories: repositories.items.length, operationsChanged },
      state,
      unavailable,
    };
  } catch (error) {
    await recordSourceFailure(db, integration.id, run.id, clock.now(), error);
    throw error;
  }
}

/**
 * Objects gone from the cluster, by the kinds just listed in full: a deleted workload or Flux object
 * keeps its history, but its drift can no longer be seen (open episodes end, SOURCE_REMOVED).
 */
export async function observeRemovedObjects(
  db: Db,
  integrationId: string,
  listed: { deployments?: { metadata: { namespace?: string; name: string } }[]; fluxObjects?: { kind: "FLUX_KUSTOMIZATION" | "FLUX_HELMRELEASE"; items: RawKustomization["metadata"][] }[] },
  observedAt: Date,
): Promise<void> {
  if (listed.deployments) {
    const present = new Set(listed.deployments.map((item) => `${item.metadata.namespace ?? ""}/${item.metadata.name}`));
    const stored = await db.workload.findMany({ where: { integrationId }, select: { id: true, namespace: true, name: true, serviceId: true, driftObservable: true, driftState: true } });
    for (const workload of stored) {
      if (present.has(`${workload.namespace}/${workload.name}`) || (!workload.driftObservable && workload.driftState === "NOT_OBSERVABLE")) continue;
      await removeWorkload(db, integrationId, workload, observedAt);
    }
  }
  for (const group of listed.fluxObjects ?? []) {
    const present = new Set(group.items.map((metadata) => fluxObjectKey(metadata)));
    const stored = await db.gitOpsApp.findMany({ where: { integrationId, kind: group.kind }, select: { externalId: true } });
    await observeRemovedApps(db, integrationId, stored.map((app) => app.externalId).filter((id) => !present.has(id)), observedAt);
  }
}

/** One Deployment deleted from the cluster (a watch's DELETED event or a list without it). */
export async function removeWorkload(db: Db, integrationId: string, workload: { id: string; namespace: string; name: string; serviceId: string | null }, observedAt: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    await lockObservedObject(tx, integrationId, `workload:${IN_CLUSTER}/${workload.namespace}/${workload.name}`);
    await observeRemoved(tx, { integrationId, gitOpsAppId: null, workloadId: workload.id, key: `workload:${workload.namespace}/${workload.name}`, serviceId: workload.serviceId, observedAt });
  });
}
