/**
 * An Application as Argo CD's API returns it. The object itself comes from the scenario
 * (`clusterObjectOf`); the API adds what the cluster sets (uid, resourceVersion, generation, the
 * tracking label, `status.resources`) and drops `apiVersion`/`kind`, which Argo CD's API leaves out
 * of Applications (they are Kubernetes TypeMeta, not part of the gRPC message).
 */
import { type ClusterObject, clusterObjectOf } from "@/lib/sandbox/scenario/gitops/cluster-objects";
import type { GitopsApp } from "@/lib/sandbox/scenario/gitops/model";
import { appStateOf } from "./app-state";
import { resourceStatuses, stableUid } from "./resources";
import type { ArgoSnapshot } from "./snapshot";

export type ApiObject = ClusterObject;

export function serializeApplication(snapshot: ArgoSnapshot, app: GitopsApp): ApiObject {
  const { apiVersion: _apiVersion, kind: _kind, metadata, status, ...rest } = clusterObjectOf(snapshot.gitops, app);
  const state = appStateOf(snapshot.gitops, app);
  return {
    metadata: {
      ...(metadata as ApiObject),
      uid: stableUid("argoproj.io/Application", app.namespace, app.name),
      resourceVersion: snapshot.resourceVersionOf(app),
      // The spec never changes in the scenario; Argo CD bumps generation only on spec edits.
      generation: 1,
      labels: { "app.kubernetes.io/name": app.serviceSlug },
    },
    ...rest,
    status: { ...(status as ApiObject), resources: resourceStatuses(state) },
  };
}
