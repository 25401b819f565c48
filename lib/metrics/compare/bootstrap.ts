import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

/**
 * The bootstrap behind every DevOps-versus-GitOps interval (DESIGN §3, Comparison): resample the
 * services of each cohort with replacement, recompute the effect, and take the 2.5th and 97.5th
 * percentiles of the resampled effects. Pure and deterministic: a named PRNG with a fixed seed, fresh
 * for every metric, so the same per-service values always give the same interval, whatever else the
 * request computed.
 *
 * Draw order (so anyone can reproduce an interval exactly): for each resample in turn, first
 * `devops.length` indices for the DevOps cohort, then `gitops.length` for GitOps, each an integer in
 * [0, n − 1] from pure-rand's `uniformInt` over `xoroshiro128plus(BOOTSTRAP_SEED)`.
 */
export const BOOTSTRAP_PRNG = "xoroshiro128+ (pure-rand)";
export const BOOTSTRAP_SEED = 20_231_205;
export const BOOTSTRAP_RESAMPLES = 10_000;
/** A two-sided 95 % percentile interval. */
export const BOOTSTRAP_LEVEL = 0.95;
/**
 * When more resamples than this share have no defined effect (a resampled cohort with no data, 0/0),
 * the interval is not reported: the percentiles of the rest would describe a biased selection.
 */
export const MAX_UNDEFINED_SHARE = 0.01;

/**
 * The `p`-quantile of ascending `sorted` by linear interpolation between closest ranks: what
 * Postgres's `percentile_cont(p)` computes, so the cohort's median here and in SQL agree.
 * `±Infinity` neighbours give that infinity (never NaN from ∞ − ∞).
 */
export function quantileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const position = (n - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, n - 1);
  const weight = position - lower;
  const a = sorted[lower]!;
  const b = sorted[upper]!;
  if (weight === 0 || a === b) return a;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return !Number.isFinite(b) ? b : a;
  return a + (b - a) * weight;
}

/** `percentile_cont(0.5)` of the values (order irrelevant); NaN for none. */
export function medianOf(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  return quantileOfSorted(sorted, 0.5);
}

/** A share pooled over services: the sum of numerators over the sum of denominators. */
export interface PooledPart {
  numerator: number;
  denominator: number;
}

export function pooledShare(parts: readonly PooledPart[]): number {
  let numerator = 0;
  let denominator = 0;
  for (const part of parts) {
    numerator += part.numerator;
    denominator += part.denominator;
  }
  return denominator === 0 ? Number.NaN : numerator / denominator;
}

/**
 * The effects this product reports: the ratio GitOps / DevOps of the cohorts' medians of per-service
 * values, or the difference GitOps − DevOps of pooled shares in percentage points.
 */
export type EffectSamples =
  | { kind: "ratio"; devops: readonly number[]; gitops: readonly number[] }
  | { kind: "difference"; devops: readonly PooledPart[]; gitops: readonly PooledPart[] };

/** The effect of the samples as given: NaN when undefined (0/0), ±Infinity for a ratio over a zero median. */
export function effectOf(samples: EffectSamples): number {
  if (samples.kind === "ratio") return medianOf(samples.gitops) / medianOf(samples.devops);
  return (pooledShare(samples.gitops) - pooledShare(samples.devops)) * 100;
}

export type BootstrapInterval =
  | { defined: true; low: number; high: number; undefinedResamples: number }
  /** `unbounded`: a bound is infinite (a resampled DevOps median of 0); `undefined`: too many resamples without an effect. */
  | { defined: false; reason: "unbounded" | "undefined"; undefinedResamples: number };

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
  level?: number;
}

/**
 * The median of a resample without sorting it: the original values are sorted once, a resample
 * only counts how often each was drawn, and the middle ranks are found by walking those counts.
 * O(n) per resample instead of O(n log n), the same value as sorting the drawn values (so the
 * intervals are what the documented draws give), and it is what keeps 10,000 resamples of an org
 * with hundreds of services per cohort fast (`npm run bench:metrics`).
 */
class ResampledMedian {
  private readonly sorted: Float64Array;
  /** The rank in `sorted` of each original value (equal values share any of their ranks). */
  private readonly rankOf: Int32Array;
  private readonly counts: Int32Array;

  constructor(values: readonly number[]) {
    const order = values.map((_, index) => index).sort((a, b) => values[a]! - values[b]!);
    this.sorted = Float64Array.from(order, (index) => values[index]!);
    this.rankOf = new Int32Array(values.length);
    order.forEach((index, rank) => (this.rankOf[index] = rank));
    this.counts = new Int32Array(values.length);
  }

  reset(): void {
    this.counts.fill(0);
  }

  add(index: number): void {
    this.counts[this.rankOf[index]!]! += 1;
  }

  /** `percentile_cont(0.5)` of the drawn multiset: the mean of the values at ranks ⌊(n−1)/2⌋ and ⌈(n−1)/2⌉. */
  median(): number {
    const n = this.sorted.length;
    const lowerRank = Math.floor((n - 1) / 2);
    const upperRank = Math.ceil((n - 1) / 2);
    let seen = 0;
    let lower = Number.NaN;
    for (let rank = 0; rank < n; rank++) {
      seen += this.counts[rank]!;
      if (Number.isNaN(lower) && seen > lowerRank) lower = this.sorted[rank]!;
      if (seen > upperRank) {
        const upper = this.sorted[rank]!;
        return lower === upper ? lower : lower + (upper - lower) * 0.5;
      }
    }
    return Number.NaN;
  }
}

/** The bootstrap percentile interval of `effectOf(samples)`; both cohorts need at least one service. */
export function bootstrapInterval(samples: EffectSamples, options: BootstrapOptions = {}): BootstrapInterval {
  const resamples = options.resamples ?? BOOTSTRAP_RESAMPLES;
  const level = options.level ?? BOOTSTRAP_LEVEL;
  const generator = xoroshiro128plus(options.seed ?? BOOTSTRAP_SEED);
  const nDevops = samples.devops.length;
  const nGitops = samples.gitops.length;
  if (nDevops === 0 || nGitops === 0) throw new Error("bootstrapInterval: each cohort needs at least one service");

  const effects = new Float64Array(resamples);
  let kept = 0;
  let undefinedResamples = 0;
  if (samples.kind === "ratio") {
    const devops = new ResampledMedian(samples.devops);
    const gitops = new ResampledMedian(samples.gitops);
    for (let r = 0; r < resamples; r++) {
      devops.reset();
      for (let i = 0; i < nDevops; i++) devops.add(uniformInt(generator, 0, nDevops - 1));
      gitops.reset();
      for (let i = 0; i < nGitops; i++) gitops.add(uniformInt(generator, 0, nGitops - 1));
      const effect = gitops.median() / devops.median();
      if (Number.isNaN(effect)) undefinedResamples++;
      else effects[kept++] = effect;
    }
  } else {
    // Pooled shares need only the sums, so a resample adds the drawn services' parts.
    const pooled = (parts: readonly PooledPart[], n: number) => {
      let numerator = 0;
      let denominator = 0;
      for (let i = 0; i < n; i++) {
        const part = parts[uniformInt(generator, 0, n - 1)]!;
        numerator += part.numerator;
        denominator += part.denominator;
      }
      return denominator === 0 ? Number.NaN : numerator / denominator;
    };
    for (let r = 0; r < resamples; r++) {
      const devops = pooled(samples.devops, nDevops);
      const gitops = pooled(samples.gitops, nGitops);
      const effect = (gitops - devops) * 100;
      if (Number.isNaN(effect)) undefinedResamples++;
      else effects[kept++] = effect;
    }
  }

  if (undefinedResamples > resamples * MAX_UNDEFINED_SHARE) return { defined: false, reason: "undefined", undefinedResamples };
  const sorted = effects.subarray(0, kept).sort();
  const tail = (1 - level) / 2;
  const low = quantileOfSorted(sorted, tail);
  const high = quantileOfSorted(sorted, 1 - tail);
  if (!Number.isFinite(low) || !Number.isFinite(high)) return { defined: false, reason: "unbounded", undefinedResamples };
  return { defined: true, low, high, undefinedResamples };
}
