/**
 * The parts of Flux's custom resources the product reads (Kustomization `kustomize.toolkit.fluxcd.io/v1`,
 * HelmRelease `helm.toolkit.fluxcd.io/v2`, GitRepository `source.toolkit.fluxcd.io/v1`), as the
 * Kubernetes API returns them. Status fields are optional: a new object has none yet.
 */

export interface RawKubernetesObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RawFluxCondition {
  type: string;
  /** "True" | "False" | "Unknown" */
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export interface RawFluxSourceRef {
  kind: string;
  name: string;
  namespace?: string;
}

export interface RawKustomization {
  apiVersion?: string;
  kind?: string;
  metadata: RawKubernetesObjectMeta;
  spec: { interval?: string; path?: string; prune?: boolean; suspend?: boolean; targetNamespace?: string; sourceRef: RawFluxSourceRef };
  status?: {
    conditions?: RawFluxCondition[];
    /** `<ref>@sha1:<sha>` (Flux 2.x) or `<ref>/<sha>` (older). */
    lastAppliedRevision?: string;
    lastAttemptedRevision?: string;
    lastHandledReconcileAt?: string;
    observedGeneration?: number;
  };
}

export interface RawHelmReleaseSnapshot {
  name?: string;
  namespace?: string;
  version?: number;
  status?: string;
  chartName?: string;
  chartVersion?: string;
  appVersion?: string;
  configDigest?: string;
  digest?: string;
  firstDeployed?: string;
  lastDeployed?: string;
}

export interface RawHelmRelease {
  apiVersion?: string;
  kind?: string;
  metadata: RawKubernetesObjectMeta;
  spec: {
    interval?: string;
    suspend?: boolean;
    chart?: { spec?: { chart?: string; version?: string; sourceRef?: RawFluxSourceRef } };
    /** "enabled" corrects drift, "warn" reports it, "disabled" (the default) sees nothing. */
    driftDetection?: { mode?: string };
  };
  status?: {
    conditions?: RawFluxCondition[];
    /** Newest first. */
    history?: RawHelmReleaseSnapshot[];
    lastAttemptedRevision?: string;
    lastAttemptedConfigDigest?: string;
    lastHandledReconcileAt?: string;
    observedGeneration?: number;
  };
}

export interface RawGitRepository {
  apiVersion?: string;
  kind?: string;
  metadata: RawKubernetesObjectMeta;
  spec: { url: string; interval?: string; ref?: { branch?: string; tag?: string; commit?: string } };
  status?: { artifact?: { revision?: string; lastUpdateTime?: string }; conditions?: RawFluxCondition[] };
}
