import type { DriftEpisodeDto, DriftMethodology, DriftState, DriftTargetKind } from "@/lib/queries/drift";
import type { BadgeTone } from "@/components/ui/badge";

/** Words, tone and a symbol per state: the symbol and the words carry the meaning, the colour only repeats it. */
export const driftStateStyles: Record<DriftState, { label: string; tone: BadgeTone; symbol: string; description: string }> = {
  LIVE_DRIFT: { label: "Live drift", tone: "danger", symbol: "≠", description: "The cluster differs from Git (or from the last deployment) while nothing new is waiting." },
  PENDING_CHANGE: { label: "Pending change", tone: "info", symbol: "↻", description: "A newer desired revision waits to be synced: sync lag, not drift." },
  ROLLOUT_IN_PROGRESS: { label: "Rolling out", tone: "warning", symbol: "…", description: "A sync or rollout is under way: neither drift nor lag yet." },
  UNKNOWN: { label: "Unknown", tone: "neutral", symbol: "?", description: "The source has not said yet." },
  NOT_OBSERVABLE: { label: "Drift not observable", tone: "neutral", symbol: "∅", description: "Drift cannot be seen here; left out of drift figures, never counted as clean." },
  IN_SYNC: { label: "In sync", tone: "success", symbol: "=", description: "What runs is what Git or the last deployment says." },
};

export const targetKindLabels: Record<DriftTargetKind, string> = {
  ARGOCD_APPLICATION: "Argo CD Application",
  FLUX_KUSTOMIZATION: "Flux Kustomization",
  FLUX_HELMRELEASE: "Flux HelmRelease",
  DEPLOYMENT: "Deployment (live)",
};

export const driftMethodologyLabels: Record<DriftMethodology, string> = { devops: "DevOps (push)", gitops: "GitOps (pull)" };

export const endReasonLabels: Record<NonNullable<DriftEpisodeDto["endReason"]>, string> = {
  AUTO_HEAL: "auto-heal",
  SYNC: "sync",
  NEW_DEPLOYMENT: "new deployment",
  SOURCE_REMOVED: "source removed",
};

export const episodeKindLabels: Record<DriftEpisodeDto["kind"], string> = { LIVE_DRIFT: "Live drift", PENDING_CHANGE: "Pending change" };

/** "45 s", "12 min", "3 h 20 min", "2 d 4 h": two units at most, the largest first. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** "less than a minute ago", "2 min ago", "3 h 5 min ago", from an age the server measured with its clock. */
export function formatAgo(seconds: number): string {
  return seconds < 60 ? "less than a minute ago" : `${formatDuration(seconds)} ago`;
}

/** A UTC instant as "2026-01-31 14:05 UTC" (the server renders in UTC too, so no hydration mismatch). */
export function formatInstant(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A revision as people quote it: a commit's first 7 characters, a tag or branch as it is. */
export function shortRevision(revision: string): string {
  return /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 7) : revision;
}

/** Argo CD's name for the cluster it runs in: said as "in-cluster" rather than as its API URL. */
const IN_CLUSTER = new Set(["in-cluster", "https://kubernetes.default.svc"]);

/** The cluster worth naming next to a target, or null for the default in-cluster one. */
export function clusterLabel(cluster: string): string | null {
  return cluster === "" || IN_CLUSTER.has(cluster) ? null : cluster;
}

/**
 * Who changes a workload on purpose, in words: "CI pipeline (push)" or the GitOps object from its
 * key (`argocd:<app>`, `flux:<kind>:<cluster>/<namespace>/<name>`), e.g. "Argo CD app catalog-api".
 */
export function describeManager(managedBy: string | null): string {
  if (managedBy === null) return "—";
  if (managedBy === "push") return "Pushed by CI";
  const [tool, ...rest] = managedBy.split(":");
  const name = rest.join(":").split("/").at(-1) ?? managedBy;
  if (tool === "argocd") return `Managed by Argo CD app ${name}`;
  if (tool === "flux") {
    const kind = rest[0] === "helmrelease" ? "HelmRelease" : rest[0] === "kustomization" ? "Kustomization" : "object";
    return `Managed by Flux ${kind} ${name}`;
  }
  return `Managed by ${managedBy}`;
}
