/**
 * The parts of built-in Kubernetes objects the product reads, as the API server returns them over
 * JSON (not client-node's generated classes: those turn timestamps into `Date`s and differ from
 * what a watch event carries). Flux's custom resources are in `lib/sources/flux/types.ts`.
 */
import type { RawGitRepository, RawHelmRelease, RawKubernetesObjectMeta, RawKustomization } from "@/lib/sources/flux/types";

export interface RawContainer {
  name: string;
  image?: string;
}

export interface RawDeploymentCondition {
  /** "Available" | "Progressing" | "ReplicaFailure" */
  type: string;
  /** "True" | "False" | "Unknown" */
  status: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

/** `apps/v1` Deployment. A list's items come without `kind`/`apiVersion`; a watch event's carry them. */
export interface RawDeployment {
  apiVersion?: string;
  kind?: string;
  metadata: RawKubernetesObjectMeta & { creationTimestamp?: string };
  spec: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    template: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec: { containers: RawContainer[] };
    };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: RawDeploymentCondition[];
  };
}

/** `meta/v1` Status: what the API server answers on errors, and what an ERROR watch event carries. */
export interface RawKubernetesStatus {
  kind: "Status";
  apiVersion?: string;
  status?: string;
  message?: string;
  /** Machine-readable: "Unauthorized", "Forbidden", "NotFound", "Expired", "Gone", … */
  reason?: string;
  code?: number;
}

/** The kinds the product lists and watches, each at the API version it reads. */
export type KubernetesKind = "Kustomization" | "HelmRelease" | "GitRepository" | "Deployment";

export interface KubernetesObjectOfKind {
  Kustomization: RawKustomization;
  HelmRelease: RawHelmRelease;
  GitRepository: RawGitRepository;
  Deployment: RawDeployment;
}

export type KubernetesObject<K extends KubernetesKind> = KubernetesObjectOfKind[K];

/** Watch event types that carry an object; BOOKMARK and ERROR are handled by the client. */
export type KubernetesWatchEventType = "ADDED" | "MODIFIED" | "DELETED";
