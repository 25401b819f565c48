import { describe, expect, it } from "vitest";
import {
  TREND_METRICS,
  axisTickFormatter,
  countOf,
  distributionRows,
  durationAxisUnit,
  formatLocalDate,
  formatTrendValue,
  formatWeekRange,
  hasAnyAttempt,
  hasAnyValue,
  trendPoints,
  weekCaveats,
} from "@/components/overview/overview-chart-data";
import {
  type LeadTimeDistributionDto,
  type OverviewTrendsDto,
  TREND_METRIC_KEYS,
  type TrendCohortWeekDto,
  isThinWeek,
  overviewTrendsDtoSchema,
} from "@/lib/queries/overview-charts";

function cohortWeek(overrides: Partial<TrendCohortWeekDto> = {}): TrendCohortWeekDto {
  return {
    ...(Object.fromEntries(TREND_METRIC_KEYS.map((key) => [key, null])) as Record<(typeof TREND_METRIC_KEYS)[number], null>),
    deploymentCount: 0,
    attemptCount: 0,
    activeServiceCount: 0,
    leadTimeChangeCount: 0,
    failedChangeCount: 0,
    recoveredCount: 0,
    changeCount: 0,
    syncLagDeploymentCount: 0,
    driftObservableServiceCount: 0,
    provisional: false,
    thin: false,
    ...overrides,
  };
}

function trendsDto(weeks: OverviewTrendsDto["weeks"]): OverviewTrendsDto {
  return overviewTrendsDtoSchema.parse({
    window: { from: "2026-01-07T00:00:00.000Z", to: "2026-01-26T00:00:00.000Z" },
    generatedAt: "2026-03-01T00:00:00.000Z",
    timeZone: "UTC",
    thinWeek: { minServices: 5, minDeployments: 20 },
    weeks,
  });
}

const week = (weekStart: string, devops: TrendCohortWeekDto, gitops: TrendCohortWeekDto, partial = false) => ({
  weekStart,
  from: `${weekStart}T00:00:00.000Z`,
  to: `${weekStart}T00:00:00.000Z`,
  partial,
  devops,
  gitops,
});

describe("thin weeks", () => {
  it("is thin below 5 active services or below 20 deployments, and not at exactly those", () => {
    expect(isThinWeek({ activeServiceCount: 5, deploymentCount: 20 })).toBe(false);
    expect(isThinWeek({ activeServiceCount: 4, deploymentCount: 200 })).toBe(true);
    expect(isThinWeek({ activeServiceCount: 50, deploymentCount: 19 })).toBe(true);
    expect(isThinWeek({ activeServiceCount: 0, deploymentCount: 0 })).toBe(true);
  });
});

describe("trend points", () => {
  const dto = trendsDto([
    week("2026-01-05", cohortWeek({ deploymentsPerDay: 0.4, attemptCount: 5 }), cohortWeek({ deploymentsPerDay: 0.3, thin: true, attemptCount: 3 }), true),
    week("2026-01-12", cohortWeek(), cohortWeek({ driftEpisodesPer30Days: 30 / 7 })),
    week("2026-01-19", cohortWeek({ deploymentsPerDay: 1 / 7, provisional: true, thin: true, attemptCount: 1 }), cohortWeek({ deploymentsPerDay: 2 / 7, attemptCount: 2 })),
  ]);

  it("keeps every value on the faded line, and only firm weeks on the solid one; null stays a gap", () => {
    expect(trendPoints(dto, "deploymentsPerDay")).toEqual([
      { bucket: "2026-01-05", partial: true, devops: 0.4, gitops: 0.3, devopsFirm: 0.4, gitopsFirm: null, devopsMuted: false, gitopsMuted: true },
      { bucket: "2026-01-12", partial: false, devops: null, gitops: null, devopsFirm: null, gitopsFirm: null, devopsMuted: false, gitopsMuted: false },
      { bucket: "2026-01-19", partial: false, devops: 1 / 7, gitops: 2 / 7, devopsFirm: null, gitopsFirm: 2 / 7, devopsMuted: true, gitopsMuted: false },
    ]);
    expect(weekCaveats(dto.weeks[2]!.devops)).toEqual(["provisional", "thin"]);
    expect(weekCaveats(dto.weeks[2]!.gitops)).toEqual([]);
  });

  it("knows an empty window from a metric without values", () => {
    expect(hasAnyAttempt(dto)).toBe(true);
    expect(hasAnyValue(dto, "driftEpisodesPer30Days")).toBe(true);
    expect(hasAnyValue(dto, "syncLagMedianHours")).toBe(false);
    expect(hasAnyAttempt(trendsDto([week("2026-01-12", cohortWeek(), cohortWeek({ driftEpisodesPer30Days: 1 }))]))).toBe(false);
  });
});

describe("formatting", () => {
  it("offers every trend metric exactly once", () => {
    expect(TREND_METRICS.map((option) => option.key).sort()).toEqual([...TREND_METRIC_KEYS].sort());
    expect(TREND_METRICS.filter((option) => option.onlyFor).map((option) => [option.key, option.onlyFor])).toEqual([["syncLagMedianHours", "gitops"]]);
  });

  it("puts a count's noun in the right number", () => {
    expect(countOf(1, ["deployment", "deployments"])).toBe("1 deployment");
    expect(countOf(0, ["deployment", "deployments"])).toBe("0 deployments");
    expect(countOf(1200, ["change", "changes"])).toBe("1,200 changes");
  });

  it("prints values with their unit", () => {
    expect(formatTrendValue("perDay", 0.4)).toBe("0.40 per day");
    expect(formatTrendValue("hours", 0.5)).toBe("30 min");
    expect(formatTrendValue("hours", 7.375)).toBe("7.4 h");
    expect(formatTrendValue("hours", 372)).toBe("16 days"); // format-metric: whole days from 10 on
    expect(formatTrendValue("rate", 0.25)).toBe("25 %");
    expect(formatTrendValue("per30Days", 30 / 7)).toBe("4.3 per 30 days");
  });

  it("gives a duration axis one unit, picked from its largest value", () => {
    expect(durationAxisUnit(0.9)).toEqual({ unit: "min", hoursPerUnit: 1 / 60 });
    expect(durationAxisUnit(1)).toEqual({ unit: "h", hoursPerUnit: 1 });
    expect(durationAxisUnit(48)).toEqual({ unit: "days", hoursPerUnit: 24 });
    const days = axisTickFormatter("hours", 372);
    expect([days(0), days(12), days(372)]).toEqual(["0 days", "0.5 days", "15.5 days"]);
    expect(axisTickFormatter("rate", 1)(0.125)).toBe("12.5 %");
  });

  it("reads local days as calendar dates, and a week's days in the org's zone", () => {
    expect(formatLocalDate("2026-01-05")).toBe("Jan 5");
    expect(formatWeekRange("2026-01-07T00:00:00.000Z", "2026-01-12T00:00:00.000Z", "UTC")).toBe("Jan 7–11");
    expect(formatWeekRange("2026-01-26T00:00:00.000Z", "2026-02-02T00:00:00.000Z", "UTC")).toBe("Jan 26–Feb 1");
    // Tokyo: the week of Jan 12 runs from Sunday 15:00Z to the next Sunday 15:00Z.
    expect(formatWeekRange("2026-01-11T15:00:00.000Z", "2026-01-18T15:00:00.000Z", "Asia/Tokyo")).toBe("Jan 12–18");
    expect(formatWeekRange("2026-01-25T15:00:00.000Z", "2026-01-26T00:00:00.000Z", "Asia/Tokyo")).toBe("Jan 26");
  });
});

describe("distribution rows", () => {
  it("turns counts into shares of each cohort's changes, null for a cohort without any", () => {
    const dto: LeadTimeDistributionDto = {
      window: { from: "2026-01-07T00:00:00.000Z", to: "2026-01-26T00:00:00.000Z" },
      generatedAt: "2026-03-01T00:00:00.000Z",
      timeZone: "UTC",
      bins: [
        { bin: "< 1 h", minHours: 0, maxHours: 1, devops: 1, gitops: 0 },
        { bin: "≥ 1 h", minHours: 1, maxHours: null, devops: 3, gitops: 0 },
      ],
      cohorts: {
        devops: { changeCount: 4, serviceCount: 2, pooledMedianHours: 8, pooledP90Hours: 120.6 },
        gitops: { changeCount: 0, serviceCount: 0, pooledMedianHours: null, pooledP90Hours: null },
      },
    };
    expect(distributionRows(dto)).toEqual([
      { bin: "< 1 h", devopsCount: 1, gitopsCount: 0, devops: 0.25, gitops: null },
      { bin: "≥ 1 h", devopsCount: 3, gitopsCount: 0, devops: 0.75, gitops: null },
    ]);
  });
});
