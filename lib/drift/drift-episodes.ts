import { appendAudit } from "@/lib/audit/append-audit";
import type { DbTransaction } from "@/lib/db/client";
import type { DriftEndReason, Methodology } from "@/lib/db/generated/enums";

/**
 * Live-drift episodes (DESIGN §4) from successive observations of one GitOps object or workload.
 * An episode opens when an observation shows live drift and none is open, and closes at the first
 * observation that shows the object back in line, at the instant and for the reason the evidence
 * gives (the operation that repaired it, the deployment that replaced it). A pending change (Git
 * ahead of the cluster) and a rollout in progress neither open nor close one: they are sync lag and
 * progress, and may hide drift underneath. Where drift cannot be seen, nothing is opened.
 */

export type DriftStateName = "IN_SYNC" | "PENDING_CHANGE" | "LIVE_DRIFT" | "ROLLOUT_IN_PROGRESS" | "NOT_OBSERVABLE" | "UNKNOWN";

export interface DriftResource {
  kind: string;
  namespace: string | null;
  name: string;
  /** For a workload: the field that differs and both values. */
  field?: string;
  liveValue?: string;
  desiredValue?: string;
  /** For Argo CD: the managed-resources documents (JSON) of the live object and of Git's. */
  liveState?: string;
  targetState?: string;
}

export interface LiveDriftObservation {
  state: DriftStateName;
  /** When the source says the state began (an edit's managedFields time, a condition's transition); null: at observation. */
  since: Date | null;
  resources: DriftResource[];
  /** Who made the edit, when the source says (Kubernetes managedFields manager). */
  actor?: string | null;
  /** How an open episode ended, when the caller knows better than the operation log (Flux, workloads). */
  ended?: { at: Date; reason: DriftEndReason; ref: string | null } | null;
}

export interface ObserveDriftInput {
  integrationId: string;
  methodology: Methodology;
  serviceId: string | null;
  gitOpsAppId: string | null;
  workloadId: string | null;
  /** Stable key of the object at its source, for episode keys and audit targets. */
  key: string;
  observedAt: Date;
  drift: LiveDriftObservation;
  driftObservable: boolean;
}

export async function observeLiveDrift(tx: DbTransaction, input: ObserveDriftInput): Promise<void> {
  const state: DriftStateName = input.driftObservable ? input.drift.state : "NOT_OBSERVABLE";
  const since = earlier(input.drift.since, input.observedAt);
  const owner = input.gitOpsAppId ? { gitOpsAppId: input.gitOpsAppId } : { workloadId: input.workloadId! };
  const current = input.gitOpsAppId
    ? await tx.gitOpsApp.findUnique({ where: { id: input.gitOpsAppId }, select: { driftState: true } })
    : await tx.workload.findUnique({ where: { id: input.workloadId! }, select: { driftState: true } });
  if (current && current.driftState !== state) {
    const data = { driftState: state, driftStateSince: since };
    if (input.gitOpsAppId) await tx.gitOpsApp.update({ where: { id: input.gitOpsAppId }, data });
    else await tx.workload.update({ where: { id: input.workloadId! }, data });
  }
  const open = await tx.driftEpisode.findFirst({ where: { ...owner, kind: "LIVE_DRIFT", endedAt: null }, orderBy: { startedAt: "desc" } });
  const target = { type: input.gitOpsAppId ? "gitops_app" : "workload", id: input.key };
  if (state === "LIVE_DRIFT") {
    if (open) {
      // jsonb keeps its own key order: compare canonically, or every observation rewrites the row.
      if (canonical(open.resources) !== canonical(toJson(input.drift.resources)) && input.drift.resources.length > 0) {
        await tx.driftEpisode.update({ where: { id: open.id }, data: { resources: toJson(input.drift.resources) } });
      }
      return;
    }
    const externalKey = `${input.key}@${since.toISOString()}`;
    const episode = await tx.driftEpisode.upsert({
      where: { integrationId_externalKey: { integrationId: input.integrationId, externalKey } },
      create: {
        integrationId: input.integrationId,
        externalKey,
        kind: "LIVE_DRIFT",
        methodology: input.methodology,
        serviceId: input.serviceId,
        ...owner,
        startedAt: since,
        actor: input.drift.actor ?? null,
        resources: toJson(input.drift.resources),
      },
      update: {},
    });
    await appendAudit(tx, {
      occurredAt: since,
      actor: input.drift.actor ? { kind: "SOURCE", id: input.drift.actor, display: input.drift.actor } : { kind: "SYSTEM", display: "drift detection" },
      action: "drift.detected",
      target,
      serviceId: input.serviceId,
      outcome: "failure",
      after: { resources: input.drift.resources.map((resource) => `${resource.kind}/${resource.namespace ?? ""}/${resource.name}${resource.field ? ` ${resource.field}` : ""}`) },
      source: "drift",
      dedupeKey: `drift:${input.integrationId}:${episode.externalKey}:detected`,
    });
    return;
  }
  if (!open) return;
  let ended: { at: Date; reason: DriftEndReason; ref: string | null } | null = null;
  if (state === "NOT_OBSERVABLE") ended = { at: input.observedAt, reason: "SOURCE_REMOVED", ref: null };
  else if (state === "IN_SYNC") ended = input.drift.ended ?? (input.gitOpsAppId ? await endingOperation(tx, input.gitOpsAppId, open.startedAt) : null) ?? { at: since, reason: "SYNC", ref: null };
  if (!ended) return;
  // An end can only be seen after the start and no later than now.
  const at = new Date(Math.min(Math.max(ended.at.getTime(), open.startedAt.getTime()), input.observedAt.getTime()));
  await tx.driftEpisode.update({ where: { id: open.id }, data: { endedAt: at, endReason: ended.reason, endedByRef: ended.ref } });
  await appendAudit(tx, {
    occurredAt: at,
    actor: { kind: "SYSTEM", display: "drift detection" },
    action: "drift.resolved",
    target,
    serviceId: input.serviceId,
    outcome: "success",
    before: { startedAt: open.startedAt.toISOString() },
    after: { reason: ended.reason, by: ended.ref },
    source: "drift",
    dedupeKey: `drift:${input.integrationId}:${open.externalKey}:resolved`,
  });
}

/** The first successful operation that finished after the drift began: what repaired it, and how. */
async function endingOperation(tx: DbTransaction, gitOpsAppId: string, startedAt: Date): Promise<{ at: Date; reason: DriftEndReason; ref: string } | null> {
  const operation = await tx.gitOpsOperation.findFirst({
    where: { gitOpsAppId, status: "SUCCESS", finishedAt: { gte: startedAt } },
    orderBy: { finishedAt: "asc" },
    select: { externalId: true, finishedAt: true, selfHeal: true, deploymentId: true },
  });
  if (!operation?.finishedAt) return null;
  const reason: DriftEndReason = operation.selfHeal ? "AUTO_HEAL" : operation.deploymentId ? "NEW_DEPLOYMENT" : "SYNC";
  return { at: operation.finishedAt, reason, ref: operation.externalId };
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === "object" && !Array.isArray(item) ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : item,
  );
}

function earlier(since: Date | null, observedAt: Date): Date {
  return since && since < observedAt ? since : observedAt;
}

function toJson(resources: DriftResource[]): object[] {
  return resources.map((resource) => Object.fromEntries(Object.entries(resource).filter(([, value]) => value !== undefined)));
}

/**
 * An object gone from the cluster (a DELETED event, or missing from a full list): its drift can no
 * longer be seen, so an open episode ends there (SOURCE_REMOVED) instead of counting against time
 * in sync for ever, and the object leaves the drift cohorts. Its history stays.
 */
export async function observeRemoved(
  tx: DbTransaction,
  input: { integrationId: string; gitOpsAppId: string | null; workloadId: string | null; key: string; serviceId: string | null; observedAt: Date },
): Promise<void> {
  const owner = input.gitOpsAppId ? { gitOpsAppId: input.gitOpsAppId } : { workloadId: input.workloadId! };
  const data = { driftObservable: false, driftState: "NOT_OBSERVABLE", driftStateSince: input.observedAt };
  if (input.gitOpsAppId) await tx.gitOpsApp.update({ where: { id: input.gitOpsAppId }, data });
  else await tx.workload.update({ where: { id: input.workloadId! }, data });
  const open = await tx.driftEpisode.findMany({ where: { ...owner, kind: "LIVE_DRIFT", endedAt: null } });
  for (const episode of open) {
    const at = input.observedAt < episode.startedAt ? episode.startedAt : input.observedAt;
    await tx.driftEpisode.update({ where: { id: episode.id }, data: { endedAt: at, endReason: "SOURCE_REMOVED" } });
    await appendAudit(tx, {
      occurredAt: at,
      actor: { kind: "SYSTEM", display: "drift detection" },
      action: "drift.resolved",
      target: { type: input.gitOpsAppId ? "gitops_app" : "workload", id: input.key },
      serviceId: input.serviceId,
      outcome: "info",
      before: { startedAt: episode.startedAt.toISOString() },
      after: { reason: "SOURCE_REMOVED" },
      source: "drift",
      dedupeKey: `drift:${input.integrationId}:${episode.externalKey}:resolved`,
    });
  }
}
