/**
 * An Application as Argo CD's API returns it. The object itself comes from the scenario
 * (`clusterObjectOf`); the API adds what the cluster sets (uid, resourceVersion, generation, the
 * tracking label, `status.resources`) and drops `apiVersion`/`kind`, which Argo CD's API leaves out
 * of Applications (they are Kubernetes TypeMeta, not part of the gRPC message). Runtime writes
 * (hand edits, self-heal, syncs started through the API; see live-app.ts) are laid over the status.
 */
import type { LiveOperation } from "@/lib/sandbox/live-cluster/live-edits";
import { type ClusterObject, clusterObjectOf } from "@/lib/sandbox/scenario/gitops/cluster-objects";
import type { GitopsApp } from "@/lib/sandbox/scenario/gitops/model";
import { type LiveAppView, isoSeconds, liveAppViewOf } from "./live-app";
import { resourceStatuses, stableUid } from "./resources";
import type { ArgoSnapshot } from "./snapshot";

export type ApiObject = ClusterObject;

/** Argo CD keeps the last ten syncs in `status.history`. */
const ARGO_HISTORY = 10;

export function serializeApplication(snapshot: ArgoSnapshot, app: GitopsApp): ApiObject {
  const { apiVersion: _apiVersion, kind: _kind, metadata, status, ...rest } = clusterObjectOf(snapshot.gitops, app);
  const view = liveAppViewOf(snapshot, app);
  const application: ApiObject = {
    metadata: {
      ...(metadata as ApiObject),
      uid: stableUid("argoproj.io/Application", app.namespace, app.name),
      resourceVersion: snapshot.resourceVersionOf(app),
      // The spec never changes in the scenario; Argo CD bumps generation only on spec edits.
      generation: 1,
      labels: { "app.kubernetes.io/name": app.serviceSlug },
    },
    ...rest,
    status: { ...(status as ApiObject), resources: resourceStatuses(view.state) },
  };
  if (view.touched) overlayStatus(application, app, view);
  return application;
}

function overlayStatus(application: ApiObject, app: GitopsApp, view: LiveAppView): void {
  const status = application.status as ApiObject;
  const source = { repoURL: `https://github.com/${app.configRepository}.git`, path: app.path, targetRevision: app.configBranch };
  const sync = status.sync as ApiObject;
  const inSync = view.syncedRevision !== null && view.syncedRevision === view.headRevision && view.state.drifted.length === 0;
  status.sync = { ...sync, status: inSync ? "Synced" : "OutOfSync" };
  status.health = { status: view.state.health };
  status.summary = { images: view.syncedImage ? [view.syncedImage] : [] };
  if (view.changedAt) status.reconciledAt = view.changedAt;

  // Full, successful syncs a person started join the history; self-heal, dry runs and partial
  // syncs never do, as in Argo CD.
  const added = view.operations
    .filter((operation) => operation.trigger === "manual" && !operation.dryRun && operation.resources === null && isDone(view, operation))
    .map((operation) => ({ revision: operation.revision, deployStartedAt: isoSeconds(operation.startedAt), deployedAt: isoSeconds(operation.finishedAt), source, initiatedBy: initiatedBy(operation) }));
  if (added.length > 0) {
    const history = [...((status.history as ApiObject[] | undefined) ?? []), ...added].sort((a, b) => Date.parse(String(a.deployedAt)) - Date.parse(String(b.deployedAt)));
    status.history = history.slice(-ARGO_HISTORY).map((entry, index) => ({ ...entry, id: index }));
  }

  const operation = view.operation;
  if (!operation) return;
  const done = isDone(view, operation);
  const syncOperation: ApiObject = { revision: operation.requestedRevision, prune: operation.prune };
  if (operation.dryRun) syncOperation.dryRun = true;
  if (operation.resources) syncOperation.resources = operation.resources.map((resource) => ({ ...resource }));
  if (operation.autoHealAttemptsCount !== null) syncOperation.autoHealAttemptsCount = operation.autoHealAttemptsCount;
  const requested: ApiObject = { sync: syncOperation, initiatedBy: initiatedBy(operation), retry: operation.trigger === "self-heal" ? { limit: 5 } : {} };
  if (operation.info.length > 0) requested.info = operation.info.map((entry) => ({ ...entry }));
  const workload = app.workload;
  status.operationState = {
    operation: requested,
    phase: done ? "Succeeded" : "Running",
    message: done ? "successfully synced (all tasks run)" : "waiting for completion of hook and other tasks",
    startedAt: isoSeconds(operation.startedAt),
    ...(done
      ? {
          finishedAt: isoSeconds(operation.finishedAt),
          syncResult: {
            revision: operation.revision,
            source,
            resources: operation.dryRun
              ? []
              : [{ group: "apps", version: "v1", kind: "Deployment", namespace: workload.namespace, name: workload.name, status: "Synced", message: `deployment.apps/${workload.name} configured`, hookPhase: "Running", syncPhase: "Sync" }],
          },
        }
      : {}),
  };
  // Argo CD keeps the requested operation on the Application until its controller completes it.
  if (!done) application.operation = requested;
}

function isDone(view: LiveAppView, operation: LiveOperation): boolean {
  return operation.finishedAt <= view.liveAt;
}

function initiatedBy(operation: LiveOperation): ApiObject {
  return operation.initiatedBy.automated ? { automated: true } : { username: operation.initiatedBy.username, automated: false };
}
