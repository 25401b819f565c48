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
    /**
     * The source artifact's revision: `<ref>@sha1:<sha>` (GitRepository, Flux 2.x), `<ref>/<sha>`
     * (older), `<tag>@sha256:<digest>` (OCIRepository), `sha256:<digest>` (Bucket).
     */
    lastAppliedRevision?: string;
    lastAttemptedRevision?: string;
    lastHandledReconcileAt?: string;
    observedGeneration?: number;
  };
}

export interface RawHelmReleaseSnapshot {
  name?: string;
  namespace?: string;
  /** The Helm release version (`<name>.v<version>`). */
  version?: number;
  /** Helm's release status: deployed | superseded | failed | uninstalled | pending-install | pending-upgrade | pending-rollback. */
  status?: string;
  /** install | upgrade | rollback (helm-controller 1.1+). */
  action?: string;
  chartName?: string;
  /** The chart version; with `chartRef` to an OCIRepository, `<version>+<digest[0:12]>`. */
  chartVersion?: string;
  appVersion?: string;
  configDigest?: string;
  digest?: string;
  firstDeployed?: string;
  lastDeployed?: string;
  deleted?: string;
  ociDigest?: string;
  testHooks?: Record<string, { lastStarted?: string; lastCompleted?: string; phase?: string }>;
}

export interface RawHelmRelease {
  apiVersion?: string;
  kind?: string;
  metadata: RawKubernetesObjectMeta;
  spec: {
    interval?: string;
    suspend?: boolean;
    releaseName?: string;
    targetNamespace?: string;
    /** `kind: HelmChart` (the default; `chart`, `version`, `sourceRef`) or `kind: OCIRepository` (`url`, `ref`). */
    chart?: { kind?: string; spec?: { chart?: string; version?: string; sourceRef?: RawFluxSourceRef; url?: string; ref?: RawOciReference } };
    /** The alternative to `chart`: a source object holding the chart (OCIRepository, HelmChart). */
    chartRef?: RawFluxSourceRef;
    /** "enabled" corrects drift, "warn" reports it, "disabled" (the default) sees nothing. */
    driftDetection?: { mode?: string };
  };
  status?: {
    conditions?: RawFluxCondition[];
    /** Newest first: the releases made since (and including) the last successful one, failed ones too. */
    history?: RawHelmReleaseSnapshot[];
    /** The chart version of the last release attempt (`<version>+<digest[0:12]>` for OCI charts). */
    lastAttemptedRevision?: string;
    lastAttemptedRevisionDigest?: string;
    lastAttemptedConfigDigest?: string;
    lastAttemptedGeneration?: number;
    /** install | upgrade */
    lastAttemptedReleaseAction?: string;
    /** v2beta1 (no `history`): the chart version of the last successful release. Still written by v2. */
    lastAppliedRevision?: string;
    lastReleaseRevision?: number;
    failures?: number;
    installFailures?: number;
    upgradeFailures?: number;
    helmChart?: string;
    storageNamespace?: string;
    lastHandledReconcileAt?: string;
    observedGeneration?: number;
  };
}

export interface RawFluxArtifact {
  /** See `RawKustomization.status.lastAppliedRevision` for the formats. */
  revision?: string;
  /** `sha256:<hex>` of the artifact tarball (Flux 2.0+). */
  digest?: string;
  lastUpdateTime?: string;
  path?: string;
  url?: string;
}

export interface RawGitRepository {
  apiVersion?: string;
  kind?: string;
  metadata: RawKubernetesObjectMeta;
  spec: { url: string; interval?: string; ref?: { branch?: string; tag?: string; semver?: string; name?: string; commit?: string } };
  status?: { artifact?: RawFluxArtifact; conditions?: RawFluxCondition[] };
}

export interface RawOciReference {
  tag?: string;
  semver?: string;
  digest?: string;
}

/** `source.toolkit.fluxcd.io/v1beta2` / `v1` OCIRepository: a Kustomization's or HelmRelease's source pulled from a registry. */
export interface RawOCIRepository {
  apiVersion?: string;
  kind?: string;
  metadata: RawKubernetesObjectMeta;
  spec: { url: string; interval?: string; ref?: RawOciReference };
  status?: { artifact?: RawFluxArtifact; conditions?: RawFluxCondition[] };
}

/** Any source a Kustomization can name (GitRepository, OCIRepository; a Bucket has the same `url`/`artifact`). */
export type RawFluxSource = RawGitRepository | RawOCIRepository;
