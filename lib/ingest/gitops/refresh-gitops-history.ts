import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import { finishSourcePass, recordSourceFailure } from "@/lib/ingest/argocd/run-argocd-sync";
import { classifyEnvironment, loadEnvironmentRules } from "@/lib/ingest/environment-rules";
import { gitOpsMatchKey, resolveObjectService } from "@/lib/ingest/gitops/gitops-binding";
import { deriveGitOpsDeployments } from "@/lib/ingest/gitops/gitops-deployments";
import { lockObservedObject } from "@/lib/ingest/gitops/observe-gitops-app";
import { reconstructGitOpsHistory } from "@/lib/ingest/gitops/reconstruct-history";
import { createRevisionImageResolver } from "@/lib/ingest/gitops/revision-images";
import type { Integration } from "@/lib/ingest/integrations";
import { sourceTouchCheckpoint } from "@/lib/metrics/derive/recompute";
import { maintainDerivedData } from "@/lib/metrics/maintain-derived-data";

/**
 * The scheduled pass of a watched cluster source. The watch writes the cluster's state as it
 * changes; what it cannot learn from the cluster comes from GitHub, which may have been synced only
 * after the watch first saw an app (on a fresh start both begin together): the service an app
 * binds to, the images of revisions read from the config repository, history rebuilt from it. This
 * fills those in from stored data, without listing the cluster again (a list older than the
 * watch's events must not overwrite them).
 */
export async function refreshGitOpsHistory(db: Db, integration: Integration, options: { env: Env; clock: Clock }): Promise<{ appsRederived: number; reconstructed: number }> {
  const { env, clock } = options;
  const source = integration.kind === "ARGOCD" ? "ARGOCD" : "FLUX";
  // A run of its own, so Settings (and anyone waiting for a quiet source) sees it going.
  const run = await db.ingestRun.create({ data: { integrationId: integration.id, job: `${source.toLowerCase()}.refresh`, status: "RUNNING", startedAt: clock.now() } });
  try {
    const result = await refresh(db, integration, source, options);
    await db.ingestRun.update({ where: { id: run.id }, data: { status: "SUCCEEDED", finishedAt: clock.now(), itemsProcessed: result.appsRederived } });
    return result;
  } catch (error) {
    await recordSourceFailure(db, integration.id, run.id, clock.now(), error);
    throw error;
  }
}

async function refresh(db: Db, integration: Integration, source: "ARGOCD" | "FLUX", options: { env: Env; clock: Clock }): Promise<{ appsRederived: number; reconstructed: number }> {
  const { env, clock } = options;
  const rules = await loadEnvironmentRules(db, env.PRODUCTION_ENVIRONMENTS);
  const images = createRevisionImageResolver(db, env, clock);
  const touchedSince = await sourceTouchCheckpoint(db);
  const apps = await db.gitOpsApp.findMany({
    where: { integrationId: integration.id },
    select: { id: true, externalId: true, kind: true, cluster: true, namespace: true, name: true, repoUrl: true, path: true, serviceId: true, syncedRevision: true, images: true },
  });
  let appsRederived = 0;
  for (const app of apps) {
    // Reads outside the transaction: the config repository may be slow, the lock must not wait on it.
    const missing = await db.gitOpsOperation.findMany({
      where: { gitOpsAppId: app.id, status: { in: ["SUCCESS", "FAILURE"] }, images: { isEmpty: true }, revision: { not: null } },
      select: { id: true, revision: true },
    });
    const learnt = new Map<string, string[]>();
    for (const operation of missing) {
      if (!operation.revision || !/^[0-9a-f]{40}$/.test(operation.revision) || !app.repoUrl) continue;
      const found = await images.imagesAt(app.repoUrl, app.path, operation.revision).catch(() => []);
      if (found.length > 0) learnt.set(operation.id, found);
    }
    const changed = await db.$transaction(
      async (tx) => {
        await lockObservedObject(tx, integration.id, `gitops:${app.externalId}`);
        const serviceId = app.serviceId ?? (await resolveObjectService(tx, { kind: "GITOPS_APP", matchKey: gitOpsMatchKey(app.kind, app.cluster, app.namespace, app.name), integrationId: integration.id, annotation: null, name: app.name }));
        if (learnt.size === 0 && serviceId === app.serviceId) return false;
        if (serviceId !== app.serviceId) {
          await tx.gitOpsApp.update({ where: { id: app.id }, data: { serviceId } });
          await tx.driftEpisode.updateMany({ where: { gitOpsAppId: app.id }, data: { serviceId } });
        }
        for (const [id, found] of learnt) await tx.gitOpsOperation.update({ where: { id }, data: { images: found } });
        // The environment the app's deployments were classified into, else the default.
        const latest = await tx.deployment.findFirst({ where: { gitOpsAppId: app.id, reconstructed: false }, orderBy: { startedAt: "desc" }, select: { environment: true, sourceEnvironment: true } });
        const sourceEnvironment = latest?.sourceEnvironment ?? latest?.environment ?? "production";
        const classified = classifyEnvironment(sourceEnvironment, rules);
        await deriveGitOpsDeployments(tx, {
          integrationId: integration.id,
          gitOpsAppId: app.id,
          appKind: app.kind,
          source,
          serviceId,
          environment: classified.environment,
          sourceEnvironment,
          isProduction: classified.isProduction,
          currentImages: { revision: app.syncedRevision, images: app.images },
        });
        return true;
      },
      { timeout: 30_000 },
    );
    if (changed) appsRederived += 1;
  }
  const reconstructed = await reconstructGitOpsHistory(db, { integrationId: integration.id, source, env, clock, rules, images });
  if (appsRederived > 0 || reconstructed > 0) {
    await maintainDerivedData(db, clock, { touchedSince, timeZone: env.ORG_TIMEZONE, productionEnvironments: env.PRODUCTION_ENVIRONMENTS });
  }
  await finishSourcePass(db, integration.id, clock.now(), clock.now());
  return { appsRederived, reconstructed };
}
