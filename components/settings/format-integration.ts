import type { IntegrationDto, RemovalCounts, RemovalPreviewDto } from "@/lib/queries/integrations";
import type { BadgeTone } from "@/components/ui/badge";

export const kindLabels: Record<IntegrationDto["kind"], string> = {
  GITHUB: "GitHub",
  ARGOCD: "Argo CD",
  FLUX_KUBERNETES: "Flux / Kubernetes",
};

/** Where the configuration lives: only stored integrations could ever be edited here. */
export const originLabels: Record<IntegrationDto["origin"], string> = {
  ENV: "From environment — read-only",
  SANDBOX: "Sandbox org — read-only",
  DATABASE: "Stored",
};

export function describeHealth(integration: Pick<IntegrationDto, "health" | "lastSyncedAt">): { tone: BadgeTone; label: string } {
  switch (integration.health) {
    case "HEALTHY":
      return { tone: "success", label: "Healthy" };
    case "DEGRADED":
      return { tone: "warning", label: "Degraded" };
    case "FAILING":
      return { tone: "danger", label: "Failing" };
    case "UNKNOWN":
      return integration.lastSyncedAt ? { tone: "neutral", label: "Health unknown" } : { tone: "neutral", label: "Not synced yet" };
    default: {
      const never: never = integration.health;
      return never;
    }
  }
}

// Fixed locale: the server render and hydration must produce the same digits and separators.
const integerFormat = new Intl.NumberFormat("en-US");

export function formatCount(value: number): string {
  return integerFormat.format(value);
}

/** "12 May 2025", in UTC like every other absolute time on the page. */
export function formatUtcDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(date);
}

/** "14:05 UTC", or with the date when it is not today's (UTC). */
export function formatUtcTime(iso: string, nowMs: number): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const time = `${date.toISOString().slice(11, 16)} UTC`;
  return date.toISOString().slice(0, 10) === new Date(nowMs).toISOString().slice(0, 10) ? time : `${formatUtcDate(iso)}, ${time}`;
}

/**
 * "3 min ago", "2 hours ago", "5 days ago". A time slightly in the future (the browser's clock
 * behind the server's) reads as "less than a minute ago", never as a negative age.
 */
export function formatTimeAgo(iso: string, nowMs: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.max(0, Math.round((nowMs - then) / 1000));
  if (seconds < 60) return "less than a minute ago";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} ${hours === 1 ? "hour" : "hours"} ago`;
  const days = Math.floor(hours / 24);
  return `${days} ${days === 1 ? "day" : "days"} ago`;
}

/** What the progress bar says, e.g. "Syncing sandbox: 12 of 24 repositories". */
export function describeRunProgress(name: string, run: NonNullable<IntegrationDto["currentRun"]>): string {
  if (run.itemsTotal === null) return `Syncing ${name}: listing repositories`;
  const done = Math.min(run.itemsProcessed, run.itemsTotal);
  return `Syncing ${name}: ${formatCount(done)} of ${formatCount(run.itemsTotal)} ${run.itemsTotal === 1 ? "repository" : "repositories"}`;
}

/** Singular and plural nouns for what removal deletes, in the order people care about. */
const removalNouns: [keyof RemovalCounts, string, string][] = [
  ["repositories", "repository", "repositories"],
  ["commits", "commit", "commits"],
  ["pullRequests", "pull request", "pull requests"],
  ["deployments", "deployment", "deployments"],
  ["deploymentChanges", "deployment change", "deployment changes"],
  ["incidents", "incident", "incidents"],
  ["gitOpsApps", "GitOps app", "GitOps apps"],
  ["gitOpsOperations", "sync operation", "sync operations"],
  ["workloads", "workload", "workloads"],
  ["driftEpisodes", "drift episode", "drift episodes"],
  ["syncRequests", "sync request", "sync requests"],
  ["syncApprovals", "sync approval", "sync approvals"],
  ["bindings", "service binding", "service bindings"],
  ["ingestRuns", "sync run", "sync runs"],
  ["sourceCursors", "sync cursor", "sync cursors"],
  ["webhookDeliveries", "webhook delivery", "webhook deliveries"],
];

function countOf(value: number, singular: string, plural: string): string {
  return `${formatCount(value)} ${value === 1 ? singular : plural}`;
}

function joinWords(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** "Removes 26 repositories, 1,271 deployments and 3 sync runs. Audit events (42) and services (5) are kept." */
export function describeRemoval(preview: Pick<RemovalPreviewDto, "deletes" | "keeps">): { deletes: string; keeps: string } {
  const parts = removalNouns.filter(([key]) => preview.deletes[key] > 0).map(([key, singular, plural]) => countOf(preview.deletes[key], singular, plural));
  return {
    deletes: parts.length === 0 ? "Removes the integration; it holds no data yet." : `Removes ${joinWords(parts)}.`,
    keeps: `Audit events (${formatCount(preview.keeps.auditEvents)}) and services (${formatCount(preview.keeps.services)}) are kept.`,
  };
}
