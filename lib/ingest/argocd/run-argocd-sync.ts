import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import { type ManagedResourceDiff, argoObservation } from "@/lib/ingest/argocd/argo-observation";
import { type EnvironmentRules, loadEnvironmentRules } from "@/lib/ingest/environment-rules";
import { observeGitOpsApp, observeRemovedApps } from "@/lib/ingest/gitops/observe-gitops-app";
import { reconstructGitOpsHistory } from "@/lib/ingest/gitops/reconstruct-history";
import { type RevisionImageResolver, createRevisionImageResolver, withRevisionImages } from "@/lib/ingest/gitops/revision-images";
import { integrationToken } from "@/lib/ingest/integration-token";
import { type Integration, SANDBOX_ARGOCD_TOKEN } from "@/lib/ingest/integrations";
import { sourceTouchCheckpoint } from "@/lib/metrics/derive/recompute";
import { maintainDerivedData } from "@/lib/metrics/maintain-derived-data";
import { type ArgoCdClient, createArgoCdClient } from "@/lib/sources/argocd/client";
import { applicationKey, driftStateOf } from "@/lib/sources/argocd/transform";
import type { RawArgoApplication } from "@/lib/sources/argocd/types";

export interface ArgoSyncSummary {
  applications: number;
  operationsChanged: number;
}

export interface ArgoSyncOptions {
  env: Env;
  clock: Clock;
  onProgress?: (progress: { done: number; total: number; application: string | null }) => void;
  /** Tests and the watcher pass their own client (same code, other timeouts). */
  client?: ArgoCdClient;
}

export async function argoCdClientFor(db: Db, integration: Integration, env: Env): Promise<ArgoCdClient> {
  const token = await integrationToken(db, integration, env, { env: env.ARGOCD_TOKEN, envName: "ARGOCD_TOKEN", sandbox: SANDBOX_ARGOCD_TOKEN });
  return createArgoCdClient({ baseUrl: integration.baseUrl, token });
}

/**
 * Writes one application as seen now. For one showing live drift the managed-resource diff is read
 * too (Argo CD's live and desired documents), so the drift view can show it; a failing diff read
 * loses only the diff.
 */
export async function observeArgoApplication(
  db: Db,
  client: ArgoCdClient,
  raw: RawArgoApplication,
  context: { integrationId: string; clock: Clock; rules: EnvironmentRules; images: RevisionImageResolver },
): Promise<{ changedSince: Date | null; operationsChanged: number }> {
  let diff: ManagedResourceDiff[] = [];
  if (driftStateOf(raw).state === "LIVE_DRIFT") {
    diff = await client
      .managedResources(raw.metadata.name, raw.metadata.namespace)
      .then((answer) => (answer.items ?? []).filter((item) => item.modified !== false))
      .catch(() => []);
  }
  const observation = argoObservation(raw, { integrationId: context.integrationId, observedAt: context.clock.now(), diff });
  observation.operations = await withRevisionImages(db, context.images, context.integrationId, observation.app, observation.operations);
  return await db.$transaction((tx) => observeGitOpsApp(tx, observation, context.rules), { timeout: 30_000 });
}

/**
 * One full pass over an Argo CD instance: list every application, write each (object, operations,
 * deployments, drift), then derive flags and refresh the metrics. Progress, last sync and last
 * error are kept per integration as for GitHub. Safe to re-run at any point: every write is an
 * upsert keyed on Argo CD's own ids, so a pass that died half-way is completed by the next.
 */
export async function runArgoCdSync(db: Db, integration: Integration, options: ArgoSyncOptions): Promise<ArgoSyncSummary> {
  const { clock } = options;
  const startedAt = clock.now();
  const run = await db.ingestRun.create({ data: { integrationId: integration.id, job: "argocd.sync", status: "RUNNING", startedAt } });
  try {
    const client = options.client ?? (await argoCdClientFor(db, integration, options.env));
    const rules = await loadEnvironmentRules(db, options.env.PRODUCTION_ENVIRONMENTS);
    const touchedSince = await sourceTouchCheckpoint(db);
    const images = createRevisionImageResolver(db, options.env, clock);
    const list = await client.listApplications();
    const items = [...list.items].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    await db.ingestRun.update({ where: { id: run.id }, data: { itemsTotal: items.length, itemsProcessed: 0 } });
    options.onProgress?.({ done: 0, total: items.length, application: null });
    let operationsChanged = 0;
    for (const [index, raw] of items.entries()) {
      const result = await observeArgoApplication(db, client, raw, { integrationId: integration.id, clock, rules, images });
      operationsChanged += result.operationsChanged;
      await db.ingestRun.update({ where: { id: run.id }, data: { itemsProcessed: index + 1 } });
      options.onProgress?.({ done: index + 1, total: items.length, application: raw.metadata.name });
    }
    // Applications no longer listed are gone: their drift can no longer be seen.
    const listed = new Set(items.map((raw) => applicationKey(raw)));
    const stored = await db.gitOpsApp.findMany({ where: { integrationId: integration.id, kind: "ARGOCD_APPLICATION" }, select: { externalId: true } });
    await observeRemovedApps(db, integration.id, stored.map((app) => app.externalId).filter((id) => !listed.has(id)), clock.now());
    await reconstructGitOpsHistory(db, { integrationId: integration.id, source: "ARGOCD", env: options.env, clock, rules, images });
    await finishSourcePass(db, integration.id, clock.now(), startedAt);
    await maintainDerivedData(db, clock, { touchedSince, timeZone: options.env.ORG_TIMEZONE, productionEnvironments: options.env.PRODUCTION_ENVIRONMENTS });
    await db.ingestRun.update({ where: { id: run.id }, data: { status: "SUCCEEDED", finishedAt: clock.now() } });
    return { applications: items.length, operationsChanged };
  } catch (error) {
    await recordSourceFailure(db, integration.id, run.id, clock.now(), error);
    throw error;
  }
}

/** A pass (or a watch's latest event) succeeded: fresh, healthy, observed since its first pass. */
export async function finishSourcePass(db: Db, integrationId: string, at: Date, observedFrom: Date): Promise<void> {
  await db.$transaction([
    db.integration.update({ where: { id: integrationId }, data: { lastSyncedAt: at, health: "HEALTHY", lastError: null, lastErrorAt: null } }),
    db.integration.updateMany({ where: { id: integrationId, observedSince: null }, data: { observedSince: observedFrom } }),
  ]);
}

export async function recordSourceFailure(db: Db, integrationId: string, runId: string | null, at: Date, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await db.$transaction([
    ...(runId ? [db.ingestRun.update({ where: { id: runId }, data: { status: "FAILED", finishedAt: at, error: message } })] : []),
    db.integration.update({ where: { id: integrationId }, data: { health: "FAILING", lastError: message, lastErrorAt: at } }),
  ]);
}
