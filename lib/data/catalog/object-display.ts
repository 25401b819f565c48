/**
 * How the catalog names GitOps objects and live workloads, for people: "Argo CD app
 * argocd/catalog-api", "Deployment payments/payments-api". Pure (no database), so the browser-facing
 * wording and the binding keys are tested without one.
 */

export type GitOpsObjectKind = "ARGOCD_APPLICATION" | "FLUX_KUSTOMIZATION" | "FLUX_HELMRELEASE";

const GITOPS_KIND_LABELS: Record<GitOpsObjectKind, string> = {
  ARGOCD_APPLICATION: "Argo CD app",
  FLUX_KUSTOMIZATION: "Flux Kustomization",
  FLUX_HELMRELEASE: "Flux HelmRelease",
};

/** A live workload is a Kubernetes Deployment (the only kind the Kubernetes source watches). */
export const WORKLOAD_KIND_LABEL = "Deployment";

export function gitOpsKindLabel(kind: GitOpsObjectKind): string {
  return GITOPS_KIND_LABELS[kind];
}

export function objectDisplay(kindLabel: string, namespace: string, name: string): string {
  return `${kindLabel} ${namespace}/${name}`;
}

/** Match-key prefixes of `gitOpsMatchKey` / `workloadMatchKey` (lib/ingest/gitops/gitops-binding.ts). */
const KEY_PREFIXES: { prefix: string; label: string }[] = [
  { prefix: "flux:kustomization:", label: GITOPS_KIND_LABELS.FLUX_KUSTOMIZATION },
  { prefix: "flux:helmrelease:", label: GITOPS_KIND_LABELS.FLUX_HELMRELEASE },
  { prefix: "argocd:", label: GITOPS_KIND_LABELS.ARGOCD_APPLICATION },
  { prefix: "k8s:", label: WORKLOAD_KIND_LABEL },
];

/**
 * A binding's key as people know the thing: `github:acme/api` → `acme/api`,
 * `argocd:in-cluster/argocd/catalog-api` → `Argo CD app argocd/catalog-api`,
 * `k8s:in-cluster/payments/deployment/payments-api` → `Deployment payments/payments-api`.
 * The cluster is read from the left and may itself contain slashes (an API server URL), so
 * namespace and name are taken from the right. An unknown shape is shown without its prefix.
 */
export function bindingDisplay(kind: "REPOSITORY" | "GITOPS_APP" | "WORKLOAD" | "IMAGE", matchKey: string): string {
  if (kind === "GITOPS_APP" || kind === "WORKLOAD") {
    const known = KEY_PREFIXES.find((entry) => matchKey.startsWith(entry.prefix));
    if (known) {
      const parts = matchKey.slice(known.prefix.length).split("/");
      // Workload keys are `<cluster>/<namespace>/deployment/<name>`; GitOps keys `<cluster>/<namespace>/<name>`.
      const namespace = parts.at(kind === "WORKLOAD" ? -3 : -2);
      const name = parts.at(-1);
      if (namespace && name) return objectDisplay(known.label, namespace, name);
    }
  }
  const colon = matchKey.indexOf(":");
  return colon === -1 ? matchKey : matchKey.slice(colon + 1);
}
