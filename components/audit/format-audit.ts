import type { BadgeTone } from "@/components/ui/badge";

/**
 * "2026-01-31 14:05:09" in the org's time zone (ORG_TIMEZONE, sent with the data, so the server's
 * render and the browser's agree and there is no hydration mismatch), with the zone's short name.
 */
export function formatAuditTime(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZoneName: "short" })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${parts.timeZoneName ?? timeZone}`;
}

/** "just now", "3 min ago", "5 h ago", "2 days ago". */
export function formatAge(seconds: number): string {
  if (seconds < 60) return "just now";
  if (seconds < 3_600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3_600)} h ago`;
  const days = Math.floor(seconds / 86_400);
  return `${days} day${days === 1 ? "" : "s"} ago`;
}

export const outcomeTone: Record<string, BadgeTone> = { success: "success", failure: "danger", denied: "warning", info: "neutral" };

export const sourceLabels: Record<string, string> = {
  github: "GitHub",
  "github-webhook": "GitHub webhook",
  argocd: "Argo CD",
  flux: "Flux",
  drift: "Drift detection",
  dashboard: "Dashboard",
  worker: "Worker",
};

export const actorKindLabels = { PERSON: "Person", SYSTEM: "System", SOURCE: "Source", ANONYMOUS: "Anonymous" } as const;

/** Action prefixes offered as groups in the picker: `sync.*` for every sync action. */
export function actionPrefixes(actions: readonly string[]): string[] {
  const prefixes = new Set<string>();
  for (const action of actions) {
    const dot = action.indexOf(".");
    if (dot > 0) prefixes.add(`${action.slice(0, dot)}.*`);
  }
  return [...prefixes].sort();
}

export const numberFormat = new Intl.NumberFormat("en-GB");
