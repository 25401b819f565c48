import { SYNC_REQUEST_INFO_KEY } from "@/lib/data/approvals/sync-policy";
import { type AppendAuditInput, appendAuditMany } from "@/lib/audit/append-audit";
import type { Db, DbTransaction } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { batchUpsert } from "@/lib/ingest/batch-upsert";
import { lockCatalogForIngest } from "@/lib/ingest/catalog";
import { type EnvironmentRules, classifyEnvironment } from "@/lib/ingest/environment-rules";
import { gitOpsMatchKey, resolveObjectService } from "@/lib/ingest/gitops/gitops-binding";
import { deriveGitOpsDeployments } from "@/lib/ingest/gitops/gitops-deployments";
import type { GitOpsAppRecord, GitOpsOperationRecord } from "@/lib/ingest/records";
import { type LiveDriftObservation, observeLiveDrift, observeRemoved } from "@/lib/drift/drift-episodes";

/**
 * One observation of a GitOps object (an Argo CD Application from a list or a stream event, a Flux
 * Kustomization or HelmRelease from a list or a watch event), written in one transaction: the
 * object, every operation it shows, the deployments those operations make (DESIGN §3), its live
 * drift (§4) and their audit events. Idempotent: observing the same state again changes nothing and
 * appends no audit event; observations are applied in the order they arrive, and an object state
 * older than the stored one (by the source's own time) does not overwrite it.
 */
export interface GitOpsObservation {
  integrationId: string;
  source: "ARGOCD" | "FLUX";
  app: GitOpsAppRecord;
  /** Images the synced revision runs (Argo CD `status.summary.images`), when the source says. */
  images: string[];
  operations: GitOpsOperationRecord[];
  drift: LiveDriftObservation;
  /** The environment name the object deploys to, before rules (default `production`). */
  sourceEnvironment: string;
  /** The clock's now when the observation was made. */
  observedAt: Date;
}

export interface ObservedAppResult {
  gitOpsAppId: string;
  serviceId: string | null;
  /** Earliest finish among deployments created or changed, for the metric refresh. */
  changedSince: Date | null;
  operationsChanged: number;
}

export async function observeGitOpsApp(tx: DbTransaction, observation: GitOpsObservation, rules: EnvironmentRules): Promise<ObservedAppResult> {
  const { app, integrationId, observedAt } = observation;
  await lockObservedObject(tx, integrationId, `gitops:${app.externalId}`);
  const serviceId = await resolveObjectService(tx, {
    kind: "GITOPS_APP",
    matchKey: gitOpsMatchKey(app.kind, app.cluster, app.namespace, app.name),
    integrationId,
    annotation: app.serviceAnnotation,
    name: app.name,
  });
  const stored = await tx.gitOpsApp.findUnique({ where: { integrationId_externalId: { integrationId, externalId: app.externalId } } });
  const newer = !stored || stored.sourceUpdatedAt <= app.sourceUpdatedAt;
  // A new desired revision starts its sync lag: when its config commit landed if we mirror the
  // config repository, else when we first saw it desired.
  const desiredChanged = !stored || stored.desiredRevision !== app.desiredRevision;
  // On the first observation a revision may have been desired long before: unknown, not "now".
  const desiredSince = app.desiredRevision === null ? null : desiredChanged ? ((await configCommitTime(tx, app.desiredRevision)) ?? (stored ? observedAt : null)) : stored!.desiredSince;
  const fields = {
    kind: app.kind,
    cluster: app.cluster,
    namespace: app.namespace,
    name: app.name,
    serviceId,
    repoUrl: app.repoUrl,
    path: app.path,
    targetRevision: app.targetRevision,
    syncStatus: app.syncStatus,
    healthStatus: app.healthStatus,
    syncedRevision: app.syncedRevision,
    desiredRevision: app.desiredRevision,
    desiredSince,
    autoSync: app.autoSync,
    selfHeal: app.selfHeal,
    suspended: app.suspended,
    driftObservable: app.driftObservable,
    images: observation.images,
    sourceUpdatedAt: app.sourceUpdatedAt,
  };
  const row = stored
    ? await tx.gitOpsApp.update({ where: { id: stored.id }, data: newer ? { ...fields, lastObservedAt: observedAt } : { serviceId, lastObservedAt: observedAt } })
    : await tx.gitOpsApp.create({ data: { integrationId, externalId: app.externalId, ...fields, observedSince: observedAt, lastObservedAt: observedAt } });

  const operationsChanged = await upsertOperations(tx, integrationId, row.id, observation.operations);
  const classified = classifyEnvironment(observation.sourceEnvironment, rules);
  const derived = await deriveGitOpsDeployments(tx, {
    integrationId,
    gitOpsAppId: row.id,
    appKind: app.kind,
    source: observation.source,
    serviceId,
    environment: classified.environment,
    sourceEnvironment: observation.sourceEnvironment,
    isProduction: classified.isProduction,
    currentImages: { revision: app.syncedRevision, images: observation.images, commitAnnotation: app.commitAnnotation },
  });
  if (newer) {
    await observeLiveDrift(tx, {
      integrationId,
      methodology: "GITOPS",
      serviceId,
      gitOpsAppId: row.id,
      workloadId: null,
      key: `app:${app.externalId}`,
      observedAt,
      drift: observation.drift,
      driftObservable: app.driftObservable,
    });
  }
  await appendAuditMany(tx, [...operationAuditEvents(observation, serviceId), ...(await unapprovedSyncEvents(tx, row.id, observation, serviceId, row.observedSince))]);
  return { gitOpsAppId: row.id, serviceId, changedSince: derived.changedSince, operationsChanged };
}

/**
 * The watch and the scheduled pass may observe one object at once: one after the other. Always the
 * catalog lock (shared) first, then the object's, the order every ingestion writer uses, so a
 * catalog change waiting for its exclusive lock cannot close a cycle. Transaction-scoped (PGlite).
 */
export async function lockObservedObject(tx: DbTransaction, integrationId: string, key: string): Promise<void> {
  await lockCatalogForIngest(tx);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${integrationId}:${key}`}, 0))`;
}

/** When a config revision was committed, if the config repository is mirrored from GitHub. */
async function configCommitTime(tx: DbTransaction, revision: string): Promise<Date | null> {
  if (!/^[0-9a-f]{40}$/.test(revision)) return null;
  const rows = await tx.$queryRaw<{ committedAt: Date }[]>`SELECT "committedAt" FROM "Commit" WHERE sha = ${revision} ORDER BY "committedAt" LIMIT 1`;
  return rows[0]?.committedAt ?? null;
}

/**
 * Operations only move forward (Running → Succeeded/Failed): a stored final state is never
 * replaced by a running one seen in an older payload.
 */
async function upsertOperations(tx: DbTransaction, integrationId: string, gitOpsAppId: string, operations: GitOpsOperationRecord[]): Promise<number> {
  const unique = [...new Map(operations.map((operation) => [operation.externalId, operation])).values()];
  if (unique.length === 0) return 0;
  const changed = await batchUpsert(
    tx,
    {
      table: "GitOpsOperation",
      columns: [
        { name: "integrationId", cast: "uuid" },
        { name: "gitOpsAppId", cast: "uuid" },
        { name: "externalId" },
        { name: "phase" },
        { name: "status", cast: '"DeploymentStatus"' },
        { name: "startedAt", cast: "timestamptz" },
        { name: "finishedAt", cast: "timestamptz" },
        { name: "revision" },
        { name: "initiatedBy" },
        { name: "automated" },
        { name: "selfHeal" },
        { name: "info", cast: "jsonb" },
        { name: "message" },
        { name: "images", cast: "text[]" },
      ],
      values: (o: GitOpsOperationRecord) => [integrationId, gitOpsAppId, o.externalId, o.phase, o.status, o.startedAt, o.finishedAt, o.revision, o.initiatedBy, o.automated, o.selfHeal, JSON.stringify(o.info), o.message, o.images],
      conflict: ["integrationId", "externalId"],
      update: ["phase", "status", "finishedAt", "revision", "initiatedBy", "automated", "selfHeal", "info", "message", "images"],
      guardSql: Prisma.sql`WHERE "GitOpsOperation".status = 'IN_PROGRESS' AND (EXCLUDED.status <> 'IN_PROGRESS' OR "GitOpsOperation".phase IS DISTINCT FROM EXCLUDED.phase)
        OR "GitOpsOperation".status <> 'IN_PROGRESS' AND EXCLUDED.status <> 'IN_PROGRESS' AND (cardinality("GitOpsOperation".images) = 0 AND cardinality(EXCLUDED.images) > 0
          OR "GitOpsOperation".info = '{}'::jsonb AND EXCLUDED.info <> '{}'::jsonb)`,
    },
    unique,
  );
  return changed;
}

const OPERATION_OUTCOME = { SUCCESS: "success", FAILURE: "failure", IN_PROGRESS: "info", CANCELLED: "info" } as const;

/**
 * One event when an operation starts and one when it ends, each with a dedupe key naming the
 * operation and the state, so re-observing the same state appends nothing. A self-heal is an
 * automated repair of live drift, recorded as such (it is not a deployment).
 */
function operationAuditEvents(observation: GitOpsObservation, serviceId: string | null): AppendAuditInput[] {
  const { app, source } = observation;
  const prefix = source === "ARGOCD" ? "argocd" : "flux";
  const target = { type: "gitops_app", id: gitOpsMatchKey(app.kind, app.cluster, app.namespace, app.name), display: `${app.namespace}/${app.name}` };
  const events: AppendAuditInput[] = [];
  for (const operation of [...observation.operations].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())) {
    const actor = operation.automated
      ? { kind: "SOURCE" as const, id: null, display: source === "ARGOCD" ? "Argo CD (automated)" : "Flux" }
      : { kind: "SOURCE" as const, id: operation.initiatedBy, display: operation.initiatedBy ?? (source === "ARGOCD" ? "Argo CD" : "Flux") };
    const verb = operation.selfHeal ? "self_heal" : "sync";
    const after = { revision: operation.revision, phase: operation.phase, ...(Object.keys(operation.info).length > 0 ? { info: operation.info } : {}) };
    events.push({
      occurredAt: operation.startedAt,
      actor,
      action: `gitops.${verb}.started`,
      target,
      serviceId,
      outcome: "info",
      after,
      source: prefix,
      dedupeKey: `${prefix}:operation:${operation.externalId}:started`,
    });
    if (operation.status !== "IN_PROGRESS" && operation.finishedAt) {
      events.push({
        occurredAt: operation.finishedAt,
        actor,
        action: `gitops.${verb}.${operation.status === "SUCCESS" ? "succeeded" : "failed"}`,
        target,
        serviceId,
        outcome: OPERATION_OUTCOME[operation.status],
        before: { phase: "Running" },
        after: operation.message ? { ...after, message: operation.message } : after,
        source: prefix,
        dedupeKey: `${prefix}:operation:${operation.externalId}:${operation.status.toLowerCase()}`,
      });
    }
  }
  return events;
}

/**
 * A person's sync of an app that waits for approval (Argo CD, no auto-sync) that does not carry a
 * dashboard request id went around the four-eyes gate (DESIGN §6): recorded as unapproved. Only
 * operations since the app was first watched: older ones predate the gate.
 */
async function unapprovedSyncEvents(tx: DbTransaction, gitOpsAppId: string, observation: GitOpsObservation, serviceId: string | null, watchedSince: Date | null): Promise<AppendAuditInput[]> {
  const { app, source } = observation;
  if (source !== "ARGOCD" || app.autoSync || !watchedSince) return [];
  const candidates = observation.operations.filter((operation) => !operation.automated && !operation.selfHeal && operation.startedAt >= watchedSince);
  if (candidates.length === 0) return [];
  // One sync is seen both as the live operation (with `info`) and as a history entry (without): the
  // stored operation, which keeps the info once seen, decides.
  const stored = await tx.gitOpsOperation.findMany({ where: { gitOpsAppId, externalId: { in: candidates.map((operation) => operation.externalId) } }, select: { externalId: true, info: true } });
  const requestOf = new Map<string, string>();
  for (const operation of candidates) {
    const value = operation.info[SYNC_REQUEST_INFO_KEY] ?? (stored.find((row) => row.externalId === operation.externalId)?.info as Record<string, unknown> | null)?.[SYNC_REQUEST_INFO_KEY];
    if (typeof value === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) requestOf.set(operation.externalId, value.toLowerCase());
  }
  // Naming a request is not enough (anyone can pass `--info`): it must be this app's request whose
  // execution called Argo CD.
  const executed = new Set(
    (await tx.syncRequest.findMany({ where: { id: { in: [...new Set(requestOf.values())] }, gitOpsAppId, syncCalledAt: { not: null } }, select: { id: true } })).map((row) => row.id),
  );
  const approved = new Set([...requestOf].filter(([, requestId]) => executed.has(requestId)).map(([externalId]) => externalId));
  const target = { type: "gitops_app", id: gitOpsMatchKey(app.kind, app.cluster, app.namespace, app.name), display: `${app.namespace}/${app.name}` };
  return candidates
    .filter((operation) => !approved.has(operation.externalId))
    .map((operation) => ({
      occurredAt: operation.startedAt,
      actor: { kind: "SOURCE" as const, id: operation.initiatedBy, display: operation.initiatedBy ?? "Argo CD" },
      action: "sync.unapproved",
      target,
      serviceId,
      outcome: "denied" as const,
      after: { revision: operation.revision, phase: operation.phase, reason: "synced outside the dashboard without an approved request" },
      source: "argocd",
      dedupeKey: `argocd:operation:${operation.externalId}:unapproved`,
    }));
}

/** GitOps objects of a source that are gone (by their outside ids): see `observeRemoved`. */
export async function observeRemovedApps(db: Db, integrationId: string, externalIds: string[], observedAt: Date): Promise<number> {
  let removed = 0;
  for (const externalId of externalIds) {
    await db.$transaction(async (tx) => {
      await lockObservedObject(tx, integrationId, `gitops:${externalId}`);
      const app = await tx.gitOpsApp.findUnique({ where: { integrationId_externalId: { integrationId, externalId } }, select: { id: true, kind: true, cluster: true, namespace: true, name: true, serviceId: true, driftState: true, driftObservable: true } });
      if (!app || (!app.driftObservable && app.driftState === "NOT_OBSERVABLE")) return;
      await observeRemoved(tx, { integrationId, gitOpsAppId: app.id, workloadId: null, key: `app:${externalId}`, serviceId: app.serviceId, observedAt });
      removed += 1;
    });
  }
  return removed;
}
