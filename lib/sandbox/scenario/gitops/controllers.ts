import type { GitopsControllerKind } from "./model";

/**
 * Which controller runs each GitOps service, fixed like the rest of the cast so that tests and docs
 * can name the manual-sync app or the HelmRelease without drift detection. Half Argo CD, half Flux.
 */
export interface ControllerSpec {
  controller: GitopsControllerKind;
  autoSync: boolean;
  selfHeal: boolean;
  driftDetection: "enabled" | "disabled" | null;
}

const ARGO_AUTO_HEAL: ControllerSpec = { controller: "argocd-application", autoSync: true, selfHeal: true, driftDetection: null };
const ARGO_AUTO: ControllerSpec = { controller: "argocd-application", autoSync: true, selfHeal: false, driftDetection: null };
const ARGO_MANUAL: ControllerSpec = { controller: "argocd-application", autoSync: false, selfHeal: false, driftDetection: null };
const FLUX_KUSTOMIZATION: ControllerSpec = { controller: "flux-kustomization", autoSync: true, selfHeal: false, driftDetection: null };

export const CONTROLLERS: Readonly<Record<string, ControllerSpec>> = {
  "catalog-api": ARGO_AUTO_HEAL,
  "product-images": ARGO_AUTO,
  "pricing-engine": ARGO_MANUAL,
  "inventory-sync": FLUX_KUSTOMIZATION,
  "search-api": ARGO_AUTO_HEAL,
  "search-indexer": FLUX_KUSTOMIZATION,
  recommendations: ARGO_MANUAL,
  "query-suggest": FLUX_KUSTOMIZATION,
  "web-storefront": ARGO_AUTO_HEAL,
  "marketing-site": { controller: "flux-helmrelease", autoSync: true, selfHeal: false, driftDetection: "enabled" },
  "referral-service": FLUX_KUSTOMIZATION,
  "experiments-api": { controller: "flux-helmrelease", autoSync: true, selfHeal: false, driftDetection: "disabled" },
  "mobile-bff": ARGO_MANUAL,
};

export function controllerOf(serviceSlug: string): ControllerSpec {
  const spec = CONTROLLERS[serviceSlug];
  if (!spec) throw new Error(`No GitOps controller for ${serviceSlug}`);
  return spec;
}

export const IMAGE_REGISTRY = "registry.acme-sandbox.dev";
/** Flux reconciliation period of the sandbox's Kustomizations and HelmReleases. */
export const FLUX_INTERVAL_SECONDS = 10 * 60;
