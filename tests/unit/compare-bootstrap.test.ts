import { describe, expect, it } from "vitest";
import { bootstrapInterval, effectOf, medianOf, pooledShare, quantileOfSorted } from "@/lib/metrics/compare/bootstrap";
import { COMPARED_METRICS } from "@/lib/metrics/compare/compared-metrics";
import { comparedSentence, describePeriod, formatPoints, formatRatio, notEnoughDataSentence, verdictOf } from "@/lib/metrics/compare/sentence";

/**
 * The comparison's statistics. The reference bootstrap below is written independently of the
 * product's (another PRNG, plain arrays, nearest-rank-free quantiles by hand), so agreement means the
 * product's interval is a bootstrap percentile interval, not merely that it is deterministic.
 */

/** mulberry32: a different generator from the product's xoroshiro128+. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function referenceMedian(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function referencePercentile(sorted: number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  return sorted[lower]! + (sorted[Math.min(lower + 1, sorted.length - 1)]! - sorted[lower]!) * (position - lower);
}

function referenceInterval(statistic: (pick: <T>(values: readonly T[]) => T[]) => number, seed: number, resamples = 20_000) {
  const random = mulberry32(seed);
  const pick = <T,>(values: readonly T[]) => values.map(() => values[Math.floor(random() * values.length)]!);
  const effects: number[] = [];
  for (let r = 0; r < resamples; r++) effects.push(statistic(pick));
  effects.sort((a, b) => a - b);
  return { low: referencePercentile(effects, 0.025), high: referencePercentile(effects, 0.975) };
}

/** Log-normal-ish positive values from a fixed stream, so the data are not hand-picked to agree. */
function sampleValues(n: number, seed: number, scale: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => scale * Math.exp(1.2 * (random() + random() + random() - 1.5)));
}

describe("quantiles match percentile_cont", () => {
  it("interpolates between the closest ranks", () => {
    expect(quantileOfSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileOfSorted([10], 0.9)).toBe(10);
    expect(quantileOfSorted([0, 10], 0.25)).toBe(2.5);
    expect(quantileOfSorted([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6, 12);
    expect(medianOf([5, 1, 3])).toBe(3);
    expect(medianOf([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(medianOf([]))).toBe(true);
  });

  it("keeps an infinite neighbour infinite instead of NaN", () => {
    expect(quantileOfSorted([1, Number.POSITIVE_INFINITY], 0.5)).toBe(Number.POSITIVE_INFINITY);
    expect(quantileOfSorted([1, 2, Number.POSITIVE_INFINITY], 0.5)).toBe(2);
  });

  it("pools shares as sums, not as a mean of shares", () => {
    // 1/10 and 9/10: the mean of shares would be 0.5, the pooled share is 10/20 too; 1/2 and 9/90 differ.
    expect(pooledShare([{ numerator: 1, denominator: 2 }, { numerator: 9, denominator: 90 }])).toBeCloseTo(10 / 92, 12);
    expect(Number.isNaN(pooledShare([]))).toBe(true);
  });
});

describe("bootstrapInterval", () => {
  const devops = sampleValues(40, 7, 1);
  const gitops = sampleValues(35, 11, 2.2);

  it("agrees with an independent bootstrap of the same per-service values (ratio of medians)", () => {
    const ours = bootstrapInterval({ kind: "ratio", devops, gitops });
    const reference = referenceInterval((pick) => referenceMedian(pick(gitops)) / referenceMedian(pick(devops)), 1);
    expect(ours.defined).toBe(true);
    if (!ours.defined) return;
    const estimate = effectOf({ kind: "ratio", devops, gitops });
    expect(estimate).toBeCloseTo(referenceMedian(gitops) / referenceMedian(devops), 12);
    expect(ours.low).toBeLessThan(estimate);
    expect(ours.high).toBeGreaterThan(estimate);
    // Two Monte Carlo estimates of the same percentiles: equal up to resampling noise (a few % here).
    const width = reference.high - reference.low;
    expect(Math.abs(ours.low - reference.low)).toBeLessThan(0.08 * width);
    expect(Math.abs(ours.high - reference.high)).toBeLessThan(0.08 * width);
  });

  it("agrees with an independent bootstrap for pooled shares (difference in points)", () => {
    const random = mulberry32(3);
    const parts = (n: number, rate: number) =>
      Array.from({ length: n }, () => {
        const denominator = 5 + Math.floor(random() * 40);
        return { numerator: Math.round(denominator * rate * (0.3 + 1.4 * random())), denominator };
      });
    const devopsParts = parts(30, 0.15);
    const gitopsParts = parts(25, 0.08);
    const ours = bootstrapInterval({ kind: "difference", devops: devopsParts, gitops: gitopsParts });
    const pooled = (values: { numerator: number; denominator: number }[]) =>
      values.reduce((sum, part) => sum + part.numerator, 0) / values.reduce((sum, part) => sum + part.denominator, 0);
    const reference = referenceInterval((pick) => (pooled(pick(gitopsParts)) - pooled(pick(devopsParts))) * 100, 2);
    expect(ours.defined).toBe(true);
    if (!ours.defined) return;
    const width = reference.high - reference.low;
    expect(Math.abs(ours.low - reference.low)).toBeLessThan(0.08 * width);
    expect(Math.abs(ours.high - reference.high)).toBeLessThan(0.08 * width);
    expect(effectOf({ kind: "difference", devops: devopsParts, gitops: gitopsParts })).toBeCloseTo((pooled(gitopsParts) - pooled(devopsParts)) * 100, 10);
  });

  it("is deterministic: the same values give the same interval, another seed another one", () => {
    const first = bootstrapInterval({ kind: "ratio", devops, gitops });
    const second = bootstrapInterval({ kind: "ratio", devops: [...devops], gitops: [...gitops] });
    expect(second).toEqual(first);
    expect(bootstrapInterval({ kind: "ratio", devops, gitops }, { seed: 99 })).not.toEqual(first);
  });

  it("collapses to the estimate when every service has the same value", () => {
    const interval = bootstrapInterval({ kind: "ratio", devops: [2, 2, 2, 2, 2], gitops: [3, 3, 3, 3, 3] });
    expect(interval).toEqual({ defined: true, low: 1.5, high: 1.5, undefinedResamples: 0 });
  });

  it("reports an unbounded interval when resampled DevOps medians can be 0", () => {
    const interval = bootstrapInterval({ kind: "ratio", devops: [0, 0, 0, 1, 2], gitops: [1, 1, 2, 2, 3] });
    expect(interval).toMatchObject({ defined: false, reason: "unbounded" });
  });

  it("reports an undefined interval when many resamples have nothing to pool", () => {
    // Most services have a denominator of 0 only in this contrived case: resamples of only those are 0/0.
    const interval = bootstrapInterval(
      { kind: "difference", devops: [{ numerator: 0, denominator: 0 }, { numerator: 0, denominator: 0 }, { numerator: 1, denominator: 2 }], gitops: [{ numerator: 1, denominator: 4 }] },
    );
    expect(interval).toMatchObject({ defined: false, reason: "undefined" });
    if (!interval.defined) expect(interval.undefinedResamples).toBeGreaterThan(2_000);
  });

  it("refuses an empty cohort", () => {
    expect(() => bootstrapInterval({ kind: "ratio", devops: [], gitops: [1] })).toThrow(/at least one service/);
  });
});

describe("the sentence", () => {
  const frequency = COMPARED_METRICS.find((metric) => metric.id === "deploymentFrequency")!;
  const failRate = COMPARED_METRICS.find((metric) => metric.id === "changeFailRate")!;
  const leadTime = COMPARED_METRICS.find((metric) => metric.id === "leadTime")!;

  it("states ratio, interval and period as a person would quote them", () => {
    expect(
      comparedSentence({ metric: frequency, estimate: 2.3, interval: { low: 1.7, high: 3.1 }, devopsValue: 1, gitopsValue: 2.3, period: { kind: "last-days", days: 90 } }),
    ).toBe("GitOps services deployed to production 2.3× as often as DevOps services (median per service; 95 % CI 1.7–3.1×) over the last 90 days.");
  });

  it("states a difference of shares in points, with both values, and says when the interval includes no difference", () => {
    expect(
      comparedSentence({
        metric: failRate,
        estimate: -3.1,
        interval: { low: -6.24, high: 0.41 },
        devopsValue: 0.151,
        gitopsValue: 0.12,
        period: { kind: "range", from: new Date("2026-03-01T00:00:00Z"), to: new Date("2026-06-01T00:00:00Z"), timeZone: "UTC" },
      }),
    ).toBe(
      "GitOps had a change fail rate 3.1 percentage points lower than DevOps (12.0 % vs 15.1 %; 95 % CI -6.2 to +0.4 pp) from 1 Mar 2026 to 31 May 2026. The interval includes 0 pp: no clear difference.",
    );
  });

  it("keeps the direction of a difference that rounds to 0.0 points", () => {
    const sentence = comparedSentence({
      metric: failRate,
      estimate: 0.04,
      interval: { low: 0.01, high: 0.08 },
      devopsValue: 0.1,
      gitopsValue: 0.1004,
      period: { kind: "last-days", days: 90 },
    });
    expect(sentence).toBe("GitOps had a change fail rate less than 0.1 percentage points higher than DevOps (10.0 % vs 10.0 %; 95 % CI 0.0 to +0.1 pp) over the last 90 days.");
  });

  it("names the period both cohorts were observed when it is shorter than the window", () => {
    expect(describePeriod({ kind: "observed", from: new Date("2026-01-05T00:00:00Z"), to: new Date("2026-01-19T00:00:00Z"), timeZone: "UTC" })).toBe(
      "over the 14 days both cohorts were observed (5 Jan 2026 to 18 Jan 2026)",
    );
  });

  it("says which cohort lacks what below the thresholds", () => {
    expect(
      notEnoughDataSentence(frequency, { devops: { services: 6, deployments: 19 }, gitops: { services: 4, deployments: 30 } }, { services: 5, deployments: 20 }, { kind: "last-days", days: 30 }),
    ).toBe(
      "Not enough data to compare deployment frequency over the last 30 days: DevOps has 19 deployments (20 needed); GitOps has 4 services with a value (5 needed).",
    );
  });

  it("judges the verdict by the metric's direction", () => {
    expect(verdictOf(frequency, { low: 1.2, high: 2 })).toBe("gitops-better");
    expect(verdictOf(leadTime, { low: 1.2, high: 2 })).toBe("devops-better");
    expect(verdictOf(leadTime, { low: 0.9, high: 1.1 })).toBe("no-clear-difference");
    expect(verdictOf(failRate, { low: -4, high: -1 })).toBe("gitops-better");
    expect(verdictOf(failRate, null)).toBe("unknown");
  });

  it("rounds ratios to two significant digits and points to one decimal", () => {
    expect(formatRatio(0.6234)).toBe("0.62×");
    expect(formatRatio(14.2)).toBe("14×");
    expect(formatRatio(1)).toBe("1.0×");
    expect(formatPoints(-0.04)).toBe("0.0");
    expect(formatPoints(2.25)).toBe("+2.3");
  });
});
