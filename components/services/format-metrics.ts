/**
 * How the services pages print metric values. Pure, so the e2e test prints the API's numbers the
 * same way and compares text. Units are spelled out; null is "no data", never 0.
 */

/** Hours as minutes below 1 h, hours below 2 days, days above. */
export function formatHours(hours: number): string {
  if (hours < 1) return `${Math.max(0, Math.round(hours * 60))} min`;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} d`;
}

/** A proportion in [0, 1] as a percentage with one decimal. */
export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

/** Deployments per day, two decimals (0.07/day is a weekly deploy; it must not print as 0). */
export function formatPerDay(perDay: number): string {
  return perDay.toFixed(2);
}

/** Deployment days per week (a median, so halves happen). */
export function formatDaysPerWeek(days: number): string {
  return Number.isInteger(days) ? String(days) : days.toFixed(1);
}

export const methodologyLabels = {
  devops: "DevOps",
  gitops: "GitOps",
  both: "Both",
} as const;

/** A UTC instant as "2026-01-31 14:05 UTC" (the server renders in UTC too, so no hydration mismatch). */
export function formatInstant(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function formatDay(iso: string): string {
  return iso.slice(0, 10);
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/**
 * What revealed a failed change (DESIGN §3), phrased to follow "revealed by", with the rule itself
 * for a tooltip: people reading "Failed change" ask "says who?", and each rule has a different fix.
 */
export const failedChangeRuleLabels = {
  rollback: { short: "a rollback", rule: "A later deployment within 7 days rolled back to a commit deployed before this one." },
  revert: { short: "a revert", rule: "A pull request reverting a change this deployment shipped was merged within 7 days." },
  hotfix: { short: "a hotfix", rule: "A pull request labelled hotfix was opened within 7 days, while this was the latest deployment that was not a rollback." },
  incident: { short: "an incident", rule: "An incident opened within 24 h, while this was the latest deployment that was not a rollback." },
} as const;
