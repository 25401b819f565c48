/**
 * DORA performance tiers (DESIGN §3): the 2023 bands as Apache DevLake normalises them. A versioned
 * constant, so a stored or exported tier can say which bands produced it; change the version when
 * a band moves. Rework rate and success rate have no tier. Pure: no database, no clock.
 */

export type Tier = "elite" | "high" | "medium" | "low";

export const DORA_TIERS = {
  version: "dora-2023-devlake-v1",
  /** Deployment days: elite ≥ 5 a week (weekly median), high ≥ 1 a week, medium ≥ 1 a month (monthly median). */
  deploymentFrequency: { eliteDaysPerWeek: 5, highDaysPerWeek: 1, mediumDaysPerMonth: 1 },
  /** Lead time for changes, hours: elite < 1 day, high < 1 week, medium < 1 month (30 days). */
  leadTimeHours: { elite: 24, high: 24 * 7, medium: 24 * 30 },
  /** Change fail rate, a proportion (upper bounds are inclusive): elite ≤ 5 %, high ≤ 10 %, medium ≤ 15 %. */
  changeFailRate: { elite: 0.05, high: 0.1, medium: 0.15 },
  /** Failed deployment recovery time, hours: elite < 1 h, high < 1 day, medium < 1 week. */
  recoveryTimeHours: { elite: 1, high: 24, medium: 24 * 7 },
} as const;

export type TierVersion = (typeof DORA_TIERS)["version"];

/**
 * Rates come out of SQL divisions; 3/20 must land in the ≤ 15 % band even if a float rounds a hair
 * above 0.15, so inclusive upper bounds allow this much slack.
 */
const RATE_TOLERANCE = 1e-9;

/**
 * Deployment frequency tier from the median deployment days per week and per month. Monthly is
 * needed because a once-a-month service has a weekly median of 0 and would otherwise fall to low.
 */
export function deploymentFrequencyTier(input: { deploymentDaysPerWeekMedian: number | null; deploymentDaysPerMonthMedian: number | null }): Tier | null {
  const { deploymentDaysPerWeekMedian: perWeek, deploymentDaysPerMonthMedian: perMonth } = input;
  if (perWeek === null && perMonth === null) return null;
  const bands = DORA_TIERS.deploymentFrequency;
  if (perWeek !== null && perWeek >= bands.eliteDaysPerWeek) return "elite";
  if (perWeek !== null && perWeek >= bands.highDaysPerWeek) return "high";
  if (perMonth !== null && perMonth >= bands.mediumDaysPerMonth) return "medium";
  return "low";
}

/** Lead time tier from a median lead time in hours; null when there is no lead time. */
export function leadTimeTier(leadTimeMedianHours: number | null): Tier | null {
  if (leadTimeMedianHours === null) return null;
  const bands = DORA_TIERS.leadTimeHours;
  if (leadTimeMedianHours < bands.elite) return "elite";
  if (leadTimeMedianHours < bands.high) return "high";
  if (leadTimeMedianHours < bands.medium) return "medium";
  return "low";
}

/** Change fail rate tier from a proportion in [0, 1]; null when there were no successful deployments. */
export function changeFailRateTier(changeFailRate: number | null): Tier | null {
  if (changeFailRate === null) return null;
  const bands = DORA_TIERS.changeFailRate;
  if (changeFailRate <= bands.elite + RATE_TOLERANCE) return "elite";
  if (changeFailRate <= bands.high + RATE_TOLERANCE) return "high";
  if (changeFailRate <= bands.medium + RATE_TOLERANCE) return "medium";
  return "low";
}

/** Recovery time tier from a median recovery time in hours; null when nothing failed (or nothing recovered yet). */
export function recoveryTimeTier(recoveryTimeMedianHours: number | null): Tier | null {
  if (recoveryTimeMedianHours === null) return null;
  const bands = DORA_TIERS.recoveryTimeHours;
  if (recoveryTimeMedianHours < bands.elite) return "elite";
  if (recoveryTimeMedianHours < bands.high) return "high";
  if (recoveryTimeMedianHours < bands.medium) return "medium";
  return "low";
}

export interface MetricTiers {
  version: TierVersion;
  deploymentFrequency: Tier | null;
  leadTime: Tier | null;
  changeFailRate: Tier | null;
  recoveryTime: Tier | null;
}

/** Every tier of one set of values (a service, a team or a cohort), with the bands' version. */
export function tiersOf(values: {
  deploymentDaysPerWeekMedian: number | null;
  deploymentDaysPerMonthMedian: number | null;
  leadTimeMedianHours: number | null;
  changeFailRate: number | null;
  recoveryTimeMedianHours: number | null;
}): MetricTiers {
  return {
    version: DORA_TIERS.version,
    deploymentFrequency: deploymentFrequencyTier(values),
    leadTime: leadTimeTier(values.leadTimeMedianHours),
    changeFailRate: changeFailRateTier(values.changeFailRate),
    recoveryTime: recoveryTimeTier(values.recoveryTimeMedianHours),
  };
}
