import { lockObservedObject } from "@/lib/ingest/gitops/observe-gitops-app";
import type { Db, DbTransaction } from "@/lib/db/client";
import type { EnvironmentRules } from "@/lib/ingest/environment-rules";
import { type ObservedAppResult, observeGitOpsApp } from "@/lib/ingest/gitops/observe-gitops-app";
import { type DeploymentView, managedDeployments } from "@/lib/ingest/kubernetes/deployment-view";
import { type StoredFluxState, helmReleaseObservation, kustomizationObservation } from "@/lib/ingest/kubernetes/flux-observation";
import { transformHelmRelease, transformKustomization } from "@/lib/sources/flux/transform";
import type { RawGitRepository, RawHelmRelease, RawKustomization } from "@/lib/sources/flux/types";

/**
 * Writes one Flux object as seen now: reads what is stored for it (applied images, running
 * attempts) in the same transaction, builds the observation and hands it to the shared GitOps
 * store, so a finished attempt keeps the id of the running one seen before.
 */
export type FluxObject = { kind: "Kustomization"; raw: RawKustomization; gitRepository: RawGitRepository | null } | { kind: "HelmRelease"; raw: RawHelmRelease };

/** Operations read back to match the current attempt against: every running one, and the newest finished. */
const RECENT_OPERATIONS = 20;

async function storedState(tx: DbTransaction, integrationId: string, externalId: string): Promise<StoredFluxState | null> {
  const app = await tx.gitOpsApp.findUnique({ where: { integrationId_externalId: { integrationId, externalId } }, select: { id: true, images: true, syncedRevision: true } });
  if (!app) return null;
  const select = { externalId: true, status: true, revision: true, startedAt: true, finishedAt: true, selfHeal: true, images: true, info: true } as const;
  const [running, recent] = await Promise.all([
    tx.gitOpsOperation.findMany({ where: { gitOpsAppId: app.id, status: "IN_PROGRESS" }, select }),
    tx.gitOpsOperation.findMany({ where: { gitOpsAppId: app.id, status: { not: "IN_PROGRESS" } }, orderBy: { startedAt: "desc" }, take: RECENT_OPERATIONS, select }),
  ]);
  const operations = [...running, ...recent].map((operation) => ({ ...operation, info: stringRecord(operation.info) }));
  return { appliedImages: app.images, syncedRevision: app.syncedRevision, operations };
}

/** `GitOpsOperation.info` (JSON) as the string map operations carry; anything else is dropped. */
function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/**
 * The GitRepository a Kustomization's `spec.sourceRef` names, from those listed. Only
 * GitRepositories are listed: listing OCIRepositories (or Buckets) too would fail the whole pass
 * where the CRD is not installed or the kubeconfig's user may not read it, so a Kustomization
 * reading from one gets null, never a GitRepository that happens to share the name, and falls back
 * to its own `lastAttemptedRevision` as the desired revision (`transformKustomization`): a new
 * artifact shows as pending only once Flux starts applying it, and the repository URL is unknown.
 */
export function sourceOf(raw: RawKustomization, repositories: Iterable<RawGitRepository>): RawGitRepository | null {
  const ref = raw.spec.sourceRef;
  if (ref.kind !== "GitRepository") return null;
  const namespace = ref.namespace ?? raw.metadata.namespace;
  for (const repository of repositories) {
    if (repository.metadata.name === ref.name && (repository.metadata.namespace ?? namespace) === namespace) return repository;
  }
  return null;
}

export async function observeFluxObject(
  db: Db,
  object: FluxObject,
  context: { integrationId: string; observedAt: Date; rules: EnvironmentRules; deployments: Iterable<DeploymentView> },
): Promise<ObservedAppResult> {
  const namespace = object.raw.metadata.namespace ?? "flux-system";
  const kind = object.kind === "Kustomization" ? "FLUX_KUSTOMIZATION" : "FLUX_HELMRELEASE";
  const managed = managedDeployments(context.deployments, kind, namespace, object.raw.metadata.name);
  const externalId = object.kind === "Kustomization" ? transformKustomization(object.raw, object.gitRepository).externalId : transformHelmRelease(object.raw).externalId;
  return await db.$transaction(
    async (tx) => {
      // Before reading what is stored: a concurrent writer of the same object would read it too.
      await lockObservedObject(tx, context.integrationId, `gitops:${externalId}`);
      const stored = await storedState(tx, context.integrationId, externalId);
      const observationContext = { integrationId: context.integrationId, observedAt: context.observedAt, deployments: managed, stored };
      const observation =
        object.kind === "Kustomization" ? kustomizationObservation(object.raw, object.gitRepository, observationContext) : helmReleaseObservation(object.raw, observationContext);
      return await observeGitOpsApp(tx, observation, context.rules);
    },
    { timeout: 30_000 },
  );
}
