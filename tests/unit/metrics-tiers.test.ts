import { describe, expect, it } from "vitest";
import { toErrorResponse } from "@/lib/errors";
import { resolveWindow } from "@/lib/data/metrics/compute-metrics";
import { isWindowProvisional } from "@/lib/metrics/definitions/provisional";
import { DORA_TIERS, changeFailRateTier, deploymentFrequencyTier, leadTimeTier, recoveryTimeTier } from "@/lib/metrics/tiers";
import { metricsParamsSchema } from "@/lib/queries/metrics";

const frequency = (perWeek: number | null, perMonth: number | null) =>
  deploymentFrequencyTier({ deploymentDaysPerWeekMedian: perWeek, deploymentDaysPerMonthMedian: perMonth });

describe("DORA 2023 tiers at their band edges", () => {
  it("is a versioned constant", () => {
    expect(DORA_TIERS.version).toBe("dora-2023-devlake-v1");
  });

  it("deployment frequency: elite ≥ 5 days a week, high ≥ 1 a week, medium ≥ 1 a month", () => {
    expect(frequency(5, 20)).toBe("elite");
    expect(frequency(4.999, 20)).toBe("high");
    expect(frequency(1, 4)).toBe("high");
    expect(frequency(0.5, 1)).toBe("medium");
    expect(frequency(0, 1)).toBe("medium");
    expect(frequency(0, 0.999)).toBe("low");
    expect(frequency(null, null)).toBeNull();
  });

  it("lead time: elite < 1 day, high < 1 week, medium < 1 month, low from a month", () => {
    expect(leadTimeTier(23.999)).toBe("elite");
    expect(leadTimeTier(24)).toBe("high");
    expect(leadTimeTier(167.999)).toBe("high");
    expect(leadTimeTier(168)).toBe("medium");
    expect(leadTimeTier(719.999)).toBe("medium");
    expect(leadTimeTier(720)).toBe("low");
    expect(leadTimeTier(null)).toBeNull();
  });

  it("change fail rate: bounds inclusive at 5, 10 and 15 %, also when the rate is a computed fraction", () => {
    expect(changeFailRateTier(0)).toBe("elite");
    expect(changeFailRateTier(1 / 20)).toBe("elite");
    expect(changeFailRateTier(0.0501)).toBe("high");
    expect(changeFailRateTier(1 / 10)).toBe("high");
    expect(changeFailRateTier(0.1001)).toBe("medium");
    expect(changeFailRateTier(3 / 20)).toBe("medium");
    expect(changeFailRateTier(0.1 + 0.05)).toBe("medium"); // 0.15000000000000002 in floating point
    expect(changeFailRateTier(0.1501)).toBe("low");
    expect(changeFailRateTier(null)).toBeNull();
  });

  it("recovery time: elite < 1 h, high < 1 day, medium < 1 week", () => {
    expect(recoveryTimeTier(0.999)).toBe("elite");
    expect(recoveryTimeTier(1)).toBe("high");
    expect(recoveryTimeTier(23.999)).toBe("high");
    expect(recoveryTimeTier(24)).toBe("medium");
    expect(recoveryTimeTier(167.999)).toBe("medium");
    expect(recoveryTimeTier(168)).toBe("low");
    expect(recoveryTimeTier(null)).toBeNull();
  });
});

describe("metrics parameters", () => {
  function problem(input: unknown): { status: number; message: string } {
    const result = metricsParamsSchema.safeParse(input);
    if (result.success) throw new Error("expected a validation error");
    const { status, body } = toErrorResponse(result.error);
    return { status, message: body.error.message };
  }

  it("accepts ISO instants, a team and a service slug", () => {
    expect(metricsParamsSchema.parse({ from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00+01:00", team: " Payments ", service: "api" })).toEqual({
      from: "2026-01-01T00:00:00Z",
      to: "2026-02-01T00:00:00+01:00",
      team: "Payments",
      service: "api",
    });
    expect(metricsParamsSchema.parse({})).toEqual({});
  });

  it("answers 422 naming the bad parameter", () => {
    expect(problem({ from: "yesterday" })).toMatchObject({ status: 422, message: expect.stringMatching(/^from: /) });
    expect(problem({ to: "2026-01-01" })).toMatchObject({ status: 422, message: expect.stringMatching(/^to: /) });
    expect(problem({ from: "2026-02-01T00:00:00Z", to: "2026-02-01T00:00:00Z" })).toMatchObject({ status: 422, message: expect.stringContaining("from: must be before") });
    expect(problem({ service: "Not A Slug" })).toMatchObject({ status: 422, message: expect.stringMatching(/^service: /) });
    expect(problem({ window: "90d" })).toMatchObject({ status: 422, message: expect.stringContaining("window") });
  });

  it("defaults the window to the last 90 complete local days and refuses from ≥ to after defaults", () => {
    const now = new Date("2026-04-01T10:30:00Z");
    // Whole UTC days: 90 days before the start of today, up to the start of today.
    expect(resolveWindow({}, now, "UTC")).toEqual({ from: new Date("2026-01-01T00:00:00Z"), to: new Date("2026-04-01T00:00:00Z") });
    // Whole Berlin days across the DST change of 29 March: local midnights, 90 calendar days (not 90 × 24 h).
    const berlin = resolveWindow({}, now, "Europe/Berlin");
    expect(berlin).toEqual({ from: new Date("2025-12-31T23:00:00Z"), to: new Date("2026-03-31T22:00:00Z") });
    expect(berlin.to.getTime() - berlin.from.getTime()).toBe(90 * 24 * 3_600_000 - 3_600_000);
    // A preset length other than 90, and only `to`: the same local time `days` calendar days earlier.
    expect(resolveWindow({}, now, "UTC", 7).from).toEqual(new Date("2026-03-25T00:00:00Z"));
    expect(resolveWindow({ to: "2026-02-01T15:00:00Z" }, now, "UTC").from).toEqual(new Date("2025-11-03T15:00:00Z"));
    // Only `from`: up to now.
    expect(resolveWindow({ from: "2026-03-31T12:00:00Z" }, now, "UTC")).toEqual({ from: new Date("2026-03-31T12:00:00Z"), to: now });
    expect(() => resolveWindow({ from: "2026-05-01T00:00:00Z" }, now, "UTC")).toThrow(/from: must be before to/);
  });

  it("a window is provisional until 7 days after its end", () => {
    const now = new Date("2026-03-08T00:00:00Z");
    expect(isWindowProvisional(new Date("2026-03-01T00:00:00Z"), now)).toBe(false);
    expect(isWindowProvisional(new Date("2026-03-01T00:00:00.001Z"), now)).toBe(true);
    expect(isWindowProvisional(new Date("2026-03-09T00:00:00Z"), now)).toBe(true);
  });
});
