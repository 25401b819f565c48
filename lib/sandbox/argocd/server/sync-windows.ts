/**
 * Argo CD sync windows, reduced to what the sandbox needs: one manual-sync app (the first by name)
 * sits behind a weekend deny window, so the approval flow has a real `canSync: false` to respect.
 * Real windows are cron schedules on the AppProject; the sandbox evaluates its one fixed schedule
 * directly (Saturday 00:00 UTC for 48 hours) instead of parsing cron.
 */
import type { GitopsApp } from "@/lib/sandbox/scenario/gitops/model";

export interface SyncWindow {
  kind: "allow" | "deny";
  schedule: string;
  duration: string;
  manualSync: boolean;
}

export interface SyncWindowsResponse {
  assignedWindows: SyncWindow[];
  activeWindows: SyncWindow[];
  canSync: boolean;
}

const WEEKEND_DENY: SyncWindow = { kind: "deny", schedule: "0 0 * * 6", duration: "48h", manualSync: false };

/** The app the weekend window is assigned to: the first manual-sync app by name. */
export function gatedAppName(apps: Iterable<GitopsApp>): string | null {
  const manual = [...apps].filter((app) => !app.autoSync).map((app) => app.name).sort();
  return manual[0] ?? null;
}

function isWeekendUtc(at: Date): boolean {
  const day = at.getUTCDay();
  return day === 6 || day === 0;
}

export function syncWindowsOf(app: GitopsApp, gatedApp: string | null, at: Date): SyncWindowsResponse {
  if (app.name !== gatedApp) return { assignedWindows: [], activeWindows: [], canSync: true };
  const active = isWeekendUtc(at);
  return { assignedWindows: [WEEKEND_DENY], activeWindows: active ? [WEEKEND_DENY] : [], canSync: !active };
}
