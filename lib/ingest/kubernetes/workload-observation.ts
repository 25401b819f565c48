import { lockObservedObject } from "@/lib/ingest/gitops/observe-gitops-app";
import type { DbTransaction } from "@/lib/db/client";
import type { DriftStateName, LiveDriftObservation } from "@/lib/drift/drift-episodes";
import { observeLiveDrift } from "@/lib/drift/drift-episodes";
import { resolveObjectService, serviceRepository, workloadMatchKey } from "@/lib/ingest/gitops/gitops-binding";
import { IN_CLUSTER, type DeploymentView, type RawDeploymentWithFields, deploymentView } from "@/lib/ingest/kubernetes/deployment-view";
import { parseImageReference, resolveAppCommit } from "@/lib/sources/argocd/transform";

/**
 * Live workloads (`apps/v1` Deployments) and the drift of push-based ones (DESIGN §4): the image
 * running in the cluster against the commit of the service's last successful production deployment,
 * a drift no CI pipeline reports. A workload a GitOps controller manages is stored (images, who
 * manages it) but its drift is tracked on the GitOps object, so it is "not observable" here.
 */

/** What the database knows that decides a push-based workload's drift, read before deciding. */
export interface PushDriftFacts {
  /** False while no service binds the workload. */
  bound: boolean;
  /** The service's last successful production deployment (DEVOPS) with a commit, or null. */
  deployed: { sha: string; finishedAt: Date } | null;
  /** The commit the live image tag names, as our Commit table knows it (null: unknown to us). */
  liveCommit: { sha: string; committedAt: Date } | null;
  /** The deployed commit as our Commit table knows it. */
  deployedCommit: { committedAt: Date } | null;
  /** The workload's stored desired images (kept while they still name the deployed commit). */
  storedDesiredImages: string[];
  /**
   * What production deployments of the service say about the live commit: `superseded` when it
   * was deployed and a later successful deployment replaced it (a release rolled back or moved
   * past), `rolling-out` while a deployment of it runs; null when no deployment of it is known.
   * Optional: absent is null.
   */
  liveRelease?: "superseded" | "rolling-out" | null;
}

export interface PushDriftDecision {
  driftObservable: boolean;
  desiredImages: string[];
  drift: LiveDriftObservation;
}

const FULL_OR_PREFIX = (a: string, b: string) => a.length >= 7 && b.length >= 7 && (a.startsWith(b) || b.startsWith(a));

/** The commit sha a set of images names in its tags (whole or abbreviated), or null. */
export function liveImageSha(images: readonly string[]): string | null {
  const resolved = resolveAppCommit(images, null);
  return resolved.resolution === "IMAGE_TAG" ? resolved.sha : null;
}

/**
 * Pure: the drift state of a push-based workload. Back in line is IN_SYNC; an image whose commit is
 * older than the deployed one, or an image naming no commit of ours at all (a debug build), is live
 * drift. A sha we do not know yet, or a newer one, is most likely CI's next deployment that GitHub
 * ingestion has not caught up with: not drift (UNKNOWN / ROLLOUT_IN_PROGRESS), never a false alarm.
 * Except a newer commit production already ran and a later deployment replaced (the release a
 * rollback undid): no pipeline is bringing it back, so running it again is live drift.
 */
export function pushWorkloadDrift(view: DeploymentView, facts: PushDriftFacts): PushDriftDecision {
  if (!facts.bound || !facts.deployed) return { driftObservable: false, desiredImages: [], drift: { state: "NOT_OBSERVABLE", since: null, resources: [] } };
  const deployedSha = facts.deployed.sha;
  const desiredImages = facts.storedDesiredImages.length > 0 && liveImageSha(facts.storedDesiredImages) !== null && FULL_OR_PREFIX(liveImageSha(facts.storedDesiredImages)!, deployedSha)
    ? facts.storedDesiredImages
    : view.containers.map((container) => `${parseImageReference(container.image).repository}:${deployedSha}`).filter((image, index, all) => all.indexOf(image) === index).sort();
  const liveSha = liveImageSha(view.images);
  const observable = (state: DriftStateName, extra: Partial<LiveDriftObservation> = {}): PushDriftDecision => ({
    driftObservable: true,
    desiredImages: state === "IN_SYNC" ? view.images : desiredImages,
    drift: { state, since: null, resources: [], ...extra },
  });
  if (liveSha !== null && FULL_OR_PREFIX(liveSha, deployedSha)) return observable("IN_SYNC");
  if (liveSha !== null && facts.liveRelease === "rolling-out") return observable("ROLLOUT_IN_PROGRESS");
  if (liveSha !== null && facts.liveRelease !== "superseded") {
    if (!facts.liveCommit) return observable("UNKNOWN");
    if (!facts.deployedCommit) return observable("UNKNOWN");
    if (facts.liveCommit.committedAt > facts.deployedCommit.committedAt) return observable("ROLLOUT_IN_PROGRESS");
  }
  // The edit is the newest write that is no autoscaler's resize (status writes are never counted).
  const edit = view.lastForeignWrite;
  return observable("LIVE_DRIFT", {
    since: edit?.at ?? null,
    actor: edit?.manager ?? null,
    resources: view.containers
      .filter((container) => liveSha === null || !FULL_OR_PREFIX(liveImageSha([container.image]) ?? "", deployedSha))
      .map((container) => ({
        kind: "Deployment",
        namespace: view.namespace,
        name: view.name,
        field: `spec.template.spec.containers[name=${container.name}].image`,
        liveValue: container.image,
        desiredValue: desiredImages.find((image) => parseImageReference(image).repository === parseImageReference(container.image).repository) ?? `${parseImageReference(container.image).repository}:${deployedSha}`,
      })),
  });
}

export interface ObservedWorkload {
  workloadId: string;
  serviceId: string | null;
  view: DeploymentView;
}

/** Writes one Deployment as seen now (a list item or a watch event), in the caller's transaction. */
export async function observeWorkload(tx: DbTransaction, raw: RawDeploymentWithFields, context: { integrationId: string; observedAt: Date }): Promise<ObservedWorkload> {
  const { integrationId, observedAt } = context;
  const view = deploymentView(raw);
  await lockObservedObject(tx, integrationId, `workload:${IN_CLUSTER}/${view.namespace}/${view.name}`);
  const serviceId = await resolveObjectService(tx, {
    kind: "WORKLOAD",
    matchKey: workloadMatchKey(IN_CLUSTER, view.namespace, view.name),
    integrationId,
    annotation: view.serviceAnnotation,
    name: view.name,
  });
  const where = { integrationId_cluster_namespace_name: { integrationId, cluster: IN_CLUSTER, namespace: view.namespace, name: view.name } };
  const stored = await tx.workload.findUnique({ where, select: { id: true, desiredImages: true } });
  const push = view.managedBy === "push";
  const decision: PushDriftDecision = push
    ? pushWorkloadDrift(view, await pushFacts(tx, view, serviceId, stored?.desiredImages ?? []))
    : // Drift of a GitOps-managed workload is the GitOps object's (it knows what it applied).
      { driftObservable: false, desiredImages: [], drift: { state: "NOT_OBSERVABLE", since: null, resources: [] } };
  const fields = {
    serviceId,
    images: view.images,
    desiredImages: decision.desiredImages,
    managedBy: view.managedBy,
    driftObservable: decision.driftObservable,
    lastObservedAt: observedAt,
    sourceUpdatedAt: view.lastWrite?.at ?? view.createdAt ?? observedAt,
  };
  const row = stored
    ? await tx.workload.update({ where: { id: stored.id }, data: fields, select: { id: true } })
    : await tx.workload.create({ data: { integrationId, cluster: IN_CLUSTER, namespace: view.namespace, name: view.name, ...fields, observedSince: observedAt }, select: { id: true } });
  let drift = decision.drift;
  if (drift.state === "IN_SYNC") drift = { ...drift, ended: await pushDriftEnding(tx, row.id, serviceId, observedAt) };
  await observeLiveDrift(tx, {
    integrationId,
    methodology: "DEVOPS",
    serviceId,
    gitOpsAppId: null,
    workloadId: row.id,
    key: workloadMatchKey(IN_CLUSTER, view.namespace, view.name),
    observedAt,
    drift,
    driftObservable: decision.driftObservable,
  });
  return { workloadId: row.id, serviceId, view };
}

async function pushFacts(tx: DbTransaction, view: DeploymentView, serviceId: string | null, storedDesiredImages: string[]): Promise<PushDriftFacts> {
  if (!serviceId) return { bound: false, deployed: null, liveCommit: null, deployedCommit: null, storedDesiredImages };
  const last = await tx.deployment.findFirst({
    where: { serviceId, methodology: "DEVOPS", isProduction: true, status: "SUCCESS", finishedAt: { not: null }, commitSha: { not: null } },
    orderBy: { finishedAt: "desc" },
    select: { commitSha: true, finishedAt: true },
  });
  if (!last?.commitSha || !last.finishedAt) return { bound: true, deployed: null, liveCommit: null, deployedCommit: null, storedDesiredImages };
  const repository = await serviceRepository(tx, serviceId);
  const liveSha = liveImageSha(view.images);
  let liveCommit: PushDriftFacts["liveCommit"] = null;
  let deployedCommit: PushDriftFacts["deployedCommit"] = null;
  if (repository) {
    if (liveSha) {
      const matches = await tx.$queryRaw<{ sha: string; committedAt: Date }[]>`
        SELECT sha, "committedAt" FROM "Commit" WHERE "repositoryId" = ${repository.id}::uuid AND sha LIKE ${`${liveSha}%`} LIMIT 2`;
      if (matches.length === 1) liveCommit = matches[0]!;
    }
    const deployed = await tx.commit.findFirst({ where: { repositoryId: repository.id, sha: last.commitSha }, select: { committedAt: true } });
    deployedCommit = deployed ?? null;
  }
  let liveRelease: PushDriftFacts["liveRelease"] = null;
  if (liveSha && !FULL_OR_PREFIX(liveSha, last.commitSha)) {
    const production = { serviceId, methodology: "DEVOPS" as const, isProduction: true, commitSha: { startsWith: liveSha } };
    if (await tx.deployment.findFirst({ where: { ...production, status: "IN_PROGRESS" }, select: { id: true } })) liveRelease = "rolling-out";
    else if (await tx.deployment.findFirst({ where: { ...production, status: "SUCCESS", finishedAt: { lte: last.finishedAt } }, select: { id: true } })) liveRelease = "superseded";
  }
  return { bound: true, deployed: { sha: last.commitSha, finishedAt: last.finishedAt }, liveCommit, deployedCommit, storedDesiredImages, liveRelease };
}

/**
 * How an open episode of a push-based workload ended, now that it is back in line: a production
 * deployment of the service that finished after the edit replaced it (at its finish); otherwise
 * someone put the image back by hand, seen now.
 */
async function pushDriftEnding(tx: DbTransaction, workloadId: string, serviceId: string | null, observedAt: Date): Promise<LiveDriftObservation["ended"]> {
  const open = await tx.driftEpisode.findFirst({ where: { workloadId, kind: "LIVE_DRIFT", endedAt: null }, orderBy: { startedAt: "desc" }, select: { startedAt: true } });
  if (!open) return null;
  if (serviceId) {
    const deployment = await tx.deployment.findFirst({
      where: { serviceId, methodology: "DEVOPS", isProduction: true, status: "SUCCESS", finishedAt: { gte: open.startedAt, lte: observedAt } },
      orderBy: { finishedAt: "asc" },
      select: { externalId: true, finishedAt: true },
    });
    if (deployment?.finishedAt) return { at: deployment.finishedAt, reason: "NEW_DEPLOYMENT", ref: deployment.externalId };
  }
  return { at: observedAt, reason: "SYNC", ref: null };
}
