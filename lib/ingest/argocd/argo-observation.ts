import type { DriftResource, LiveDriftObservation } from "@/lib/drift/drift-episodes";
import type { GitOpsObservation } from "@/lib/ingest/gitops/observe-gitops-app";
import type { GitOpsOperationRecord } from "@/lib/ingest/records";
import type { RawArgoApplication } from "@/lib/sources/argocd/types";
import { applicationKey, argoTime, driftStateOf, transformApplication, transformHistory, transformOperation } from "@/lib/sources/argocd/transform";

/** Annotation naming the environment an app deploys to; without it an app deploys to production. */
export const ENVIRONMENT_ANNOTATION = "pipeline-health.dev/environment";

export interface ManagedResourceDiff {
  kind?: string;
  namespace?: string;
  name?: string;
  liveState?: string;
  targetState?: string;
}

/**
 * The operation id both ways of seeing one sync agree on: the live `operationState` and, once it
 * is over, its `status.history` entry (`deployStartedAt` is the operation's start). Normalised, so
 * `…:00Z` and `…:00.000Z` are the same operation.
 */
function operationId(raw: RawArgoApplication, startedAt: Date): string {
  return `${applicationKey(raw)}@${startedAt.toISOString()}`;
}

/**
 * How far apart an operation's `finishedAt` and its history entry's `deployedAt` may be: Argo CD
 * stamps them with two clock reads in one sync, at second precision.
 */
const SAME_SYNC_MS = 5_000;

/** Pure: one Argo CD Application payload as an observation (diff from managed-resources when fetched). */
export function argoObservation(
  raw: RawArgoApplication,
  context: { integrationId: string; observedAt: Date; diff?: readonly ManagedResourceDiff[] },
): GitOpsObservation {
  const operations: GitOpsOperationRecord[] = [];
  const current = transformOperation(raw);
  for (const entry of transformHistory(raw)) {
    // An entry older Argo CD wrote without `deployStartedAt` is dated by its finish; when it is the
    // operation still shown live (same revision, finished then), it takes that operation's start, so
    // one sync seen both ways stays one operation.
    const live =
      !entry.startKnown && current?.status === "SUCCESS" && current.finishedAt && current.revision === entry.revision && Math.abs(current.finishedAt.getTime() - entry.finishedAt.getTime()) <= SAME_SYNC_MS
        ? current
        : null;
    const startedAt = live ? live.startedAt : entry.startedAt;
    operations.push({
      externalId: operationId(raw, startedAt),
      phase: "Succeeded",
      status: "SUCCESS",
      startedAt,
      finishedAt: entry.finishedAt,
      revision: entry.revision,
      initiatedBy: entry.initiatedBy,
      automated: entry.automated,
      // History never holds self-heals (Argo CD leaves them out).
      selfHeal: false,
      info: {},
      message: null,
      images: [],
    });
  }
  if (current) operations.push({ ...current, externalId: operationId(raw, current.startedAt) });
  return {
    integrationId: context.integrationId,
    source: "ARGOCD",
    app: transformApplication(raw),
    images: [...(raw.status?.summary?.images ?? [])].sort(),
    operations,
    drift: argoDrift(raw, context.observedAt, context.diff ?? []),
    sourceEnvironment: raw.metadata.annotations?.[ENVIRONMENT_ANNOTATION]?.trim() || "production",
    observedAt: context.observedAt,
  };
}

function argoDrift(raw: RawArgoApplication, observedAt: Date, diff: readonly ManagedResourceDiff[]): LiveDriftObservation {
  const state = driftStateOf(raw);
  if (state.state !== "LIVE_DRIFT") return { state: state.state, since: null, resources: [] };
  // Argo CD says when it last compared, not when the cluster changed: the comparison that found the
  // drift is the best evidence, and never later than our own observation.
  const reconciledAt = argoTime(raw.status?.reconciledAt);
  const resources: DriftResource[] = state.resources.map((resource) => {
    const documents = diff.find((item) => item.kind === resource.kind && item.name === resource.name && (item.namespace ?? null) === resource.namespace);
    return { ...resource, ...(documents?.liveState ? { liveState: documents.liveState } : {}), ...(documents?.targetState ? { targetState: documents.targetState } : {}) };
  });
  return { state: "LIVE_DRIFT", since: reconciledAt && reconciledAt <= observedAt ? reconciledAt : null, resources };
}
