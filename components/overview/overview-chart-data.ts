/**
 * What the Overview's trend and distribution cards draw, derived from their DTOs without React, so
 * the rules (which weeks are muted, which shares are undefined, how an axis picks its unit) are
 * tested on their own.
 */
import type { Cohort } from "@/components/charts/chart-theme";
import type { LeadTimeDistributionDto, OverviewTrendsDto, TrendCohortWeekDto, TrendMetricKey } from "@/lib/queries/overview-charts";
import { formatHours, formatPerDay, formatRate } from "./format-metric";

export const COHORTS: readonly Cohort[] = ["devops", "gitops"];

/** How a metric's values read: the unit decides the axis and every formatted value. */
export type TrendValueKind = "perDay" | "hours" | "rate" | "per30Days";

/** The count a week's value rests on, named for the table view. */
type CountKey = Extract<
  keyof TrendCohortWeekDto,
  "deploymentCount" | "attemptCount" | "leadTimeChangeCount" | "recoveredCount" | "syncLagDeploymentCount" | "driftObservableServiceCount" | "changeCount"
>;

/** A noun's singular and plural, for "1 deployment" and "2 deployments". */
export type Noun = readonly [one: string, other: string];

/** A count with its noun in the right number. */
export const countOf = (count: number, [one, other]: Noun): string => `${count.toLocaleString("en")} ${count === 1 ? one : other}`;

export interface TrendMetricOption {
  key: TrendMetricKey;
  /** The id of its entry in `metricDefinitions` (the glossary), for the definition text. */
  definitionId: string;
  label: string;
  kind: TrendValueKind;
  /** How the cohort value is formed (DESIGN §3, Cohorts). */
  cohortValue: string;
  countKey: CountKey;
  /** What `countKey` counts, singular and plural. */
  countNoun: Noun;
  /** Only this cohort has the metric; the other is "not applicable", not "no data". */
  onlyFor?: Cohort;
}

/** The picker's metrics, in the glossary's order. */
export const TREND_METRICS: readonly TrendMetricOption[] = [
  { key: "deploymentsPerDay", definitionId: "deploymentFrequency", label: "Deployment frequency", kind: "perDay", cohortValue: "median of services", countKey: "deploymentCount", countNoun: ["deployment", "deployments"] },
  { key: "leadTimeMedianHours", definitionId: "leadTime", label: "Lead time for changes (median)", kind: "hours", cohortValue: "median of services", countKey: "leadTimeChangeCount", countNoun: ["change measured", "changes measured"] },
  { key: "changeFailRate", definitionId: "changeFailRate", label: "Change fail rate", kind: "rate", cohortValue: "pooled proportion", countKey: "deploymentCount", countNoun: ["deployment", "deployments"] },
  { key: "recoveryTimeMedianHours", definitionId: "recoveryTime", label: "Failed deployment recovery time (median)", kind: "hours", cohortValue: "median of services", countKey: "recoveredCount", countNoun: ["recovered failed change", "recovered failed changes"] },
  { key: "reworkRate", definitionId: "reworkRate", label: "Deployment rework rate", kind: "rate", cohortValue: "pooled proportion", countKey: "deploymentCount", countNoun: ["deployment", "deployments"] },
  { key: "deploymentSuccessRate", definitionId: "successRate", label: "Deployment success rate", kind: "rate", cohortValue: "pooled proportion", countKey: "attemptCount", countNoun: ["attempt", "attempts"] },
  { key: "syncLagMedianHours", definitionId: "syncLag", label: "Sync lag (median)", kind: "hours", cohortValue: "median of services", countKey: "syncLagDeploymentCount", countNoun: ["deployment measured", "deployments measured"], onlyFor: "gitops" },
  { key: "driftEpisodesPer30Days", definitionId: "driftEpisodesPer30Days", label: "Drift episodes", kind: "per30Days", cohortValue: "median of services", countKey: "driftObservableServiceCount", countNoun: ["service observed", "services observed"] },
  { key: "driftMedianHoursToReconcile", definitionId: "driftMedianHoursToReconcile", label: "Time to reconcile drift (median)", kind: "hours", cohortValue: "median of services", countKey: "driftObservableServiceCount", countNoun: ["service observed", "services observed"] },
  { key: "timeInSyncRatio", definitionId: "timeInSyncRatio", label: "Time in sync", kind: "rate", cohortValue: "pooled over observed time", countKey: "driftObservableServiceCount", countNoun: ["service observed", "services observed"] },
  { key: "approvedChangeShare", definitionId: "approvedChangeShare", label: "Independently approved changes", kind: "rate", cohortValue: "pooled proportion", countKey: "changeCount", countNoun: ["change", "changes"] },
];

export function trendMetric(key: TrendMetricKey): TrendMetricOption {
  const found = TREND_METRICS.find((option) => option.key === key);
  if (!found) throw new Error(`unknown trend metric ${key}`);
  return found;
}

/** A value with its unit, as the cards and tables print it. */
export function formatTrendValue(kind: TrendValueKind, value: number): string {
  const joined = ({ value: number, unit }: { value: string; unit: string }) => (unit === "%" ? `${number} %` : `${number} ${unit}`);
  switch (kind) {
    case "perDay":
      return joined(formatPerDay(value));
    case "hours":
      return joined(formatHours(value));
    case "rate":
      return joined(formatRate(value));
    case "per30Days":
      return `${value.toFixed(1)} per 30 days`;
  }
}

/**
 * One unit for a whole duration axis, picked from its largest value (ticks of one axis in mixed
 * units would not compare at a glance); values stay in hours, the ticks are divided.
 */
export function durationAxisUnit(maxHours: number): { unit: "min" | "h" | "days"; hoursPerUnit: number } {
  if (maxHours < 1) return { unit: "min", hoursPerUnit: 1 / 60 };
  if (maxHours < 48) return { unit: "h", hoursPerUnit: 1 };
  return { unit: "days", hoursPerUnit: 24 };
}

/** A tick of the value axis: short, in the axis's one unit. */
export function axisTickFormatter(kind: TrendValueKind, maxValue: number): (value: number) => string {
  const trim = (value: number) => Number(value.toFixed(2)).toLocaleString("en");
  switch (kind) {
    case "perDay":
    case "per30Days":
      return trim;
    case "rate":
      return (value) => `${Number((value * 100).toFixed(1)).toLocaleString("en")} %`;
    case "hours": {
      const { unit, hoursPerUnit } = durationAxisUnit(maxValue);
      return (value) => `${trim(value / hoursPerUnit)} ${unit}`;
    }
  }
}

/** Why a cohort's week is drawn faded; empty when it is drawn plainly. */
export function weekCaveats(cohortWeek: TrendCohortWeekDto): string[] {
  return [...(cohortWeek.provisional ? ["provisional"] : []), ...(cohortWeek.thin ? ["thin"] : [])];
}

/** One week as the line chart reads it. */
export interface TrendPoint {
  /** The week's local Monday, `YYYY-MM-DD`: the category of the x axis. */
  bucket: string;
  partial: boolean;
  /** Every week's value (the faded line through all weeks); null is a gap. */
  devops: number | null;
  gitops: number | null;
  /** The value only where the week is neither thin nor provisional (the solid line); else null. */
  devopsFirm: number | null;
  gitopsFirm: number | null;
  devopsMuted: boolean;
  gitopsMuted: boolean;
}

export function trendPoints(dto: OverviewTrendsDto, key: TrendMetricKey): TrendPoint[] {
  return dto.weeks.map((week) => {
    const value = (cohort: Cohort) => week[cohort][key];
    const muted = (cohort: Cohort) => weekCaveats(week[cohort]).length > 0;
    return {
      bucket: week.weekStart,
      partial: week.partial,
      devops: value("devops"),
      gitops: value("gitops"),
      devopsFirm: muted("devops") ? null : value("devops"),
      gitopsFirm: muted("gitops") ? null : value("gitops"),
      devopsMuted: muted("devops"),
      gitopsMuted: muted("gitops"),
    };
  });
}

/** Whether any week of either cohort had a finished production attempt (the card's empty state). */
export function hasAnyAttempt(dto: OverviewTrendsDto): boolean {
  return dto.weeks.some((week) => week.devops.attemptCount > 0 || week.gitops.attemptCount > 0);
}

/** Whether the metric has a value in any week of either cohort. */
export function hasAnyValue(dto: OverviewTrendsDto, key: TrendMetricKey): boolean {
  return dto.weeks.some((week) => week.devops[key] !== null || week.gitops[key] !== null);
}

/** `YYYY-MM-DD` as "Jan 5", read as a calendar date (no zone: it is already the org's local day). */
export function formatLocalDate(day: string): string {
  const [year, month, date] = day.split("-").map(Number);
  return new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(year!, month! - 1, date!)));
}

/**
 * The days a week covers, in the org's zone: "Jan 5–11", or a partial week's own days ("Jan 7–11").
 * `to` is exclusive, so the last day is the one of the instant just before it.
 */
export function formatWeekRange(from: string, to: string, timeZone: string): string {
  const format = (instant: number, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat("en", { ...options, timeZone }).format(new Date(instant));
  const start = Date.parse(from);
  const last = Date.parse(to) - 1;
  const sameMonth = format(start, { month: "short" }) === format(last, { month: "short" });
  const first = format(start, { month: "short", day: "numeric" });
  if (format(start, { month: "short", day: "numeric" }) === format(last, { month: "short", day: "numeric" })) return first;
  return `${first}–${sameMonth ? format(last, { day: "numeric" }) : format(last, { month: "short", day: "numeric" })}`;
}

/** A part of a whole, or null when the whole is empty (no data, not 0 %). */
export const shareOf = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** One lead-time bin with both cohorts' counts and their shares of the cohort's changes. */
export interface DistributionRow {
  bin: string;
  devopsCount: number;
  gitopsCount: number;
  /** Share of the cohort's measured changes in this bin, [0, 1]; null when the cohort has none. */
  devops: number | null;
  gitops: number | null;
}

/** Shares rather than counts, so cohorts of different sizes compare bin by bin. */
export function distributionRows(dto: LeadTimeDistributionDto): DistributionRow[] {
  return dto.bins.map((bin) => ({
    bin: bin.bin,
    devopsCount: bin.devops,
    gitopsCount: bin.gitops,
    devops: shareOf(bin.devops, dto.cohorts.devops.changeCount),
    gitops: shareOf(bin.gitops, dto.cohorts.gitops.changeCount),
  }));
}
