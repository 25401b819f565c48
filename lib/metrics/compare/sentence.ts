import type { ComparedMetric } from "./compared-metrics";

/**
 * The comparison of one metric in one sentence a person can quote. Pure, and the only place the
 * wording lives: the page, the API and the CLI print the sentence the data layer built, so they
 * never disagree on a number or its rounding.
 */

/** "2.3×", "0.62×", "14×": two significant digits, which is all a bootstrap interval supports. */
export function formatRatio(ratio: number): string {
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toPrecision(2)}×`;
}

/** A share in [0, 1] as "12.3 %". */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

/** Percentage points with an explicit sign, "+0.4" / "-6.2". */
export function formatPoints(points: number): string {
  const rounded = Number(points.toFixed(1));
  return `${rounded > 0 ? "+" : ""}${rounded === 0 ? "0.0" : rounded.toFixed(1)}`;
}

export type Period =
  | { kind: "last-days"; days: number }
  | { kind: "range"; from: Date; to: Date; timeZone: string }
  /** The comparison covers only part of the window: the days both cohorts were observed. */
  | { kind: "observed"; from: Date; to: Date; timeZone: string };

function day(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone }).format(date);
}

/** "over the last 90 days", "from 3 Mar 2026 to 31 May 2026" (the last day included). */
export function describePeriod(period: Period): string {
  if (period.kind === "last-days") return `over the last ${period.days} days`;
  // `to` is exclusive: the last day shown is the one just before it.
  const lastDay = day(new Date(period.to.getTime() - 1), period.timeZone);
  const range = `${day(period.from, period.timeZone)} to ${lastDay}`;
  if (period.kind === "range") return `from ${range}`;
  const days = Math.round((period.to.getTime() - period.from.getTime()) / 86_400_000);
  return `over the ${days} day${days === 1 ? "" : "s"} both cohorts were observed (${range})`;
}

export interface ComparedSentenceInput {
  metric: ComparedMetric;
  estimate: number;
  interval: { low: number; high: number } | null;
  /** Why there is no interval, when there is none. */
  intervalGap?: "unbounded" | "undefined";
  devopsValue: number;
  gitopsValue: number;
  period: Period;
}

/** Whether the interval excludes "no difference" (1× or 0 pp), and which cohort that favours. */
export function verdictOf(metric: ComparedMetric, interval: { low: number; high: number } | null) {
  if (!interval) return "unknown" as const;
  const neutral = metric.kind === "ratio" ? 1 : 0;
  if (interval.low <= neutral && interval.high >= neutral) return "no-clear-difference" as const;
  const gitopsHigher = interval.low > neutral;
  return gitopsHigher === metric.higherIsBetter ? ("gitops-better" as const) : ("devops-better" as const);
}

export function comparedSentence(input: ComparedSentenceInput): string {
  const { metric, estimate, interval, period } = input;
  const when = describePeriod(period);
  const gap = input.intervalGap === "unbounded" ? "95 % CI unbounded: some resampled DevOps medians are 0" : "no 95 % CI: too many resamples have no value";
  if (metric.kind === "ratio") {
    const ci = interval ? `95 % CI ${formatRatio(interval.low).slice(0, -1)}–${formatRatio(interval.high)}` : gap;
    const sentence = `${metric.phrase(formatRatio(estimate))} (median per service; ${ci}) ${when}.`;
    return verdictOf(metric, interval) === "no-clear-difference" ? `${sentence} The interval includes 1×: no clear difference.` : sentence;
  }
  const points = Number(estimate.toFixed(1));
  // A difference that rounds to 0.0 but is not 0 is still a direction, and its interval may exclude 0.
  const size =
    estimate === 0
      ? `the same ${metric.noun} as DevOps`
      : points === 0
        ? `a ${metric.noun} less than 0.1 percentage points ${estimate > 0 ? "higher" : "lower"} than DevOps`
        : `a ${metric.noun} ${Math.abs(points).toFixed(1)} percentage points ${points > 0 ? "higher" : "lower"} than DevOps`;
  const ci = interval ? `95 % CI ${formatPoints(interval.low)} to ${formatPoints(interval.high)} pp` : gap;
  const sentence = `GitOps had ${size} (${formatShare(input.gitopsValue)} vs ${formatShare(input.devopsValue)}; ${ci}) ${when}.`;
  return verdictOf(metric, interval) === "no-clear-difference" ? `${sentence} The interval includes 0 pp: no clear difference.` : sentence;
}

/** Below the thresholds (DESIGN §3): which cohort lacks what. */
export function notEnoughDataSentence(
  metric: ComparedMetric,
  counts: { devops: { services: number; deployments: number }; gitops: { services: number; deployments: number } },
  minimum: { services: number; deployments: number },
  period: Period | null,
): string {
  if (!period) return `Not enough data to compare ${metric.label.toLowerCase()}: the two cohorts were never observed in the same period.`;
  const lacks = (["devops", "gitops"] as const).flatMap((cohort) => {
    const name = cohort === "devops" ? "DevOps" : "GitOps";
    const { services, deployments } = counts[cohort];
    const parts = [
      ...(services < minimum.services ? [`${services} service${services === 1 ? "" : "s"} with a value (${minimum.services} needed)`] : []),
      ...(deployments < minimum.deployments ? [`${deployments} deployment${deployments === 1 ? "" : "s"} (${minimum.deployments} needed)`] : []),
    ];
    return parts.length ? [`${name} has ${parts.join(" and ")}`] : [];
  });
  return `Not enough data to compare ${metric.label.toLowerCase()} ${describePeriod(period)}: ${lacks.join("; ")}.`;
}

/** A ratio over a DevOps median of 0 (or 0 / 0) has no value to state. */
export function zeroBaselineSentence(metric: ComparedMetric, gitopsValue: number, period: Period): string {
  const both = gitopsValue === 0 ? "Both cohorts' median" : "The DevOps services' median";
  return `${both} ${metric.label.toLowerCase()} is 0 ${describePeriod(period)}, so no ratio can be formed.`;
}

export function notApplicableSentence(metric: ComparedMetric): string {
  return `${metric.label} applies to GitOps only: a push-based deployment has no desired revision in Git to lag behind.`;
}

/**
 * Why a cohort has no success rate although it deployed: every deployment of the period is known
 * only from history (Argo CD keeps successful syncs only; Git keeps no failures), so no attempt a
 * source saw is left to measure. Said, so "0 services" is not read as "never deployed".
 */
export function unwitnessedNote(cohort: "DevOps" | "GitOps", deployments: number): string {
  return ` ${cohort}'s ${deployments} deployment${deployments === 1 ? " is" : "s are"} known only from history, which keeps no failed attempt, so its success rate counts from when its sources were first observed.`;
}
