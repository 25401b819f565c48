import { gitOpsMatchKey } from "@/lib/ingest/gitops/gitops-binding";
import { SERVICE_ANNOTATION, argoOwnerOf } from "@/lib/sources/argocd/transform";
import type { RawDeployment } from "@/lib/sources/kubernetes/types";

/**
 * Pure: what the product reads from one live `apps/v1` Deployment: its containers' images, who
 * manages it (the labels each GitOps controller puts on what it applies) and the last write to its
 * spec recorded in `metadata.managedFields` (who, when), which is the best evidence of when a hand
 * edit happened and who made it.
 */

/** The cluster name GitOps objects are recorded under (`transformKustomization` uses the same). */
export const IN_CLUSTER = "in-cluster";

/** Field managers the Flux controllers write under: their writes are reconciliation, never drift. */
export const FLUX_MANAGERS: ReadonlySet<string> = new Set(["kustomize-controller", "helm-controller"]);

export const KUSTOMIZE_NAME_LABEL = "kustomize.toolkit.fluxcd.io/name";
export const KUSTOMIZE_NAMESPACE_LABEL = "kustomize.toolkit.fluxcd.io/namespace";
export const HELM_NAME_LABEL = "helm.toolkit.fluxcd.io/name";
export const HELM_NAMESPACE_LABEL = "helm.toolkit.fluxcd.io/namespace";
export const ARGOCD_INSTANCE_LABEL = "app.kubernetes.io/instance";
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

/** `metadata.managedFields[]`: the API server's record of each writer's last write. */
export interface RawManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
  /** `scale` when the write went through the scale subresource (an autoscaler, `kubectl scale`); `status` for the controllers' status writes. */
  subresource?: string;
}

/** A Deployment as served, with the `managedFields` the shared raw type leaves out. */
export type RawDeploymentWithFields = RawDeployment & { metadata: RawDeployment["metadata"] & { managedFields?: RawManagedFieldsEntry[] } };

export type FluxOwnerKind = "FLUX_KUSTOMIZATION" | "FLUX_HELMRELEASE";

export interface DeploymentView {
  namespace: string;
  name: string;
  containers: { name: string; image: string }[];
  /** Sorted, unique. */
  images: string[];
  /** `spec.replicas` (null when the spec leaves it to the default or an autoscaler). */
  replicas: number | null;
  /** An autoscaler owns the replica count (a `scale` write of its): a count it chose is not a hand edit. */
  autoscaled: boolean;
  serviceAnnotation: string | null;
  /** `push`, or the match key of the GitOps object that manages it (`flux:kustomization:in-cluster/ns/name`, `argocd:…`). */
  managedBy: string;
  /** The Flux object that applies it, when one does. */
  fluxOwner: { kind: FluxOwnerKind; namespace: string; name: string } | null;
  /** The newest spec write in `managedFields` (status writes left out), when the server records any. */
  lastWrite: { manager: string; at: Date } | null;
  /** The newest write by someone other than a Flux controller or an autoscaler (a person, a pipeline). */
  lastForeignWrite: { manager: string; at: Date } | null;
  /** The newest write by a Flux controller (it applied or corrected the object). */
  lastFluxWrite: { manager: string; at: Date } | null;
  createdAt: Date | null;
}

/**
 * The writes that changed what the Deployment should be. The API server keeps one entry per
 * (manager, subresource); kube-controller-manager's `subresource: status` entry is rewritten on
 * every rollout step and pod change, so it is newer than any edit on every real Deployment, yet it
 * never touches the spec: neither an edit nor an autoscaler.
 */
function specWrites(entries: readonly RawManagedFieldsEntry[]): RawManagedFieldsEntry[] {
  return entries.filter((entry) => entry.subresource !== "status");
}

function newest(entries: readonly RawManagedFieldsEntry[], keep: (manager: string) => boolean, edits = false): { manager: string; at: Date } | null {
  let best: { manager: string; at: Date } | null = null;
  for (const entry of specWrites(entries)) {
    // An autoscaler resizing the Deployment (every few minutes under load) is not the edit a drift started with.
    if (edits && isAutoscalerWrite(entry)) continue;
    if (!entry.time) continue;
    const at = new Date(entry.time);
    if (Number.isNaN(at.getTime())) continue;
    const manager = entry.manager ?? "unknown";
    if (!keep(manager)) continue;
    if (!best || at > best.at) best = { manager, at };
  }
  return best;
}

/**
 * Managers that scale Deployments on their own through the scale subresource: the
 * HorizontalPodAutoscaler (its controller runs in kube-controller-manager and writes under that
 * name), KEDA, the VerticalPodAutoscaler's components (`vpa-…`) and other `…autoscaler…`s.
 * `kubectl scale` writes the same subresource under `kubectl…`: a person, not an autoscaler.
 */
const AUTOSCALERS = /^(kube-controller-manager|horizontal-pod-autoscaler|hpa.*|keda.*|vpa-.*|.*autoscaler.*)$/i;

/**
 * An autoscaler owns `spec.replicas`: it has a `scale` entry. An entry stays only while its manager
 * still owns a field (a later write of the count by someone else takes the field and drops the
 * entry), so its presence, not its being the newest write, is what says the count is the
 * autoscaler's; an image edit after the autoscaler's last write leaves the count its own.
 */
function isAutoscalerWrite(entry: RawManagedFieldsEntry): boolean {
  return entry.subresource === "scale" && AUTOSCALERS.test(entry.manager ?? "");
}

function isAutoscaled(entries: readonly RawManagedFieldsEntry[]): boolean {
  return specWrites(entries).some(isAutoscalerWrite);
}

export function deploymentView(raw: RawDeploymentWithFields): DeploymentView {
  const namespace = raw.metadata.namespace ?? "default";
  const labels = raw.metadata.labels ?? {};
  const containers = (raw.spec?.template?.spec?.containers ?? []).filter((container) => !!container.image).map((container) => ({ name: container.name, image: container.image! }));
  const fields = raw.metadata.managedFields ?? [];
  let fluxOwner: DeploymentView["fluxOwner"] = null;
  let managedBy = "push";
  // Helm charts set `app.kubernetes.io/instance` too: the Flux labels are checked first.
  if (labels[HELM_NAME_LABEL]) {
    fluxOwner = { kind: "FLUX_HELMRELEASE", namespace: labels[HELM_NAMESPACE_LABEL] ?? namespace, name: labels[HELM_NAME_LABEL] };
  } else if (labels[KUSTOMIZE_NAME_LABEL]) {
    fluxOwner = { kind: "FLUX_KUSTOMIZATION", namespace: labels[KUSTOMIZE_NAMESPACE_LABEL] ?? namespace, name: labels[KUSTOMIZE_NAME_LABEL] };
  }
  if (fluxOwner) managedBy = fluxObjectKey(fluxOwner.kind, fluxOwner.namespace, fluxOwner.name);
  else {
    // Argo CD 3 tracks by annotation by default, and an Argo-deployed Helm chart carries the
    // instance label beside `managed-by: Helm`: `argoOwnerOf` reads both the way Argo CD does.
    const argo = argoOwnerOf(raw.metadata);
    if (argo) managedBy = argoAppKey(argo.appName, argo.appNamespace);
  }
  const created = raw.metadata.creationTimestamp ? new Date(raw.metadata.creationTimestamp) : null;
  return {
    namespace,
    name: raw.metadata.name,
    containers,
    images: [...new Set(containers.map((container) => container.image))].sort(),
    replicas: typeof raw.spec?.replicas === "number" ? raw.spec.replicas : null,
    autoscaled: isAutoscaled(fields),
    serviceAnnotation: raw.metadata.annotations?.[SERVICE_ANNOTATION]?.trim() || null,
    managedBy,
    fluxOwner,
    lastWrite: newest(fields, () => true),
    lastForeignWrite: newest(fields, (manager) => !FLUX_MANAGERS.has(manager), true),
    lastFluxWrite: newest(fields, (manager) => FLUX_MANAGERS.has(manager)),
    createdAt: created && !Number.isNaN(created.getTime()) ? created : null,
  };
}

/**
 * The `managedBy` of a Deployment an Argo CD Application applies: `argocd:<app>`, or
 * `argocd:<app namespace>/<app>` for an app outside the control-plane namespace ("Applications in
 * any namespace"), whose name alone may repeat across namespaces.
 */
export function argoAppKey(appName: string, appNamespace: string | null): string {
  return `argocd:${appNamespace ? `${appNamespace}/` : ""}${appName}`.toLowerCase();
}

/**
 * The key of a Flux object as a Deployment's labels name it: the same string as its
 * `gitOpsMatchKey`, so a workload's `managedBy` joins to the GitOps object's bindings.
 */
export function fluxObjectKey(kind: FluxOwnerKind, namespace: string, name: string): string {
  return gitOpsMatchKey(kind, IN_CLUSTER, namespace, name);
}

/** The Deployments a Flux object applies (by the labels its controller puts on them). */
export function managedDeployments(views: Iterable<DeploymentView>, kind: FluxOwnerKind, namespace: string, name: string): DeploymentView[] {
  const out: DeploymentView[] = [];
  for (const view of views) {
    if (view.fluxOwner && view.fluxOwner.kind === kind && view.fluxOwner.namespace === namespace && view.fluxOwner.name === name) out.push(view);
  }
  return out.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}
