/**
 * Seeded fault injection. Each request draws the same number of values from one PRNG whatever the
 * outcome, so the n-th request of a run gets the same fault for the same seed and plan: a failing
 * robustness test replays exactly. Shares are independent probabilities per request; the exclusive
 * faults (429, secondary 403, 5xx, drop) share one draw, slowness is decided by a second one and
 * combines with any outcome.
 */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";

export interface FaultPlan {
  rateLimited429?: number;
  secondaryRateLimit403?: number;
  serverError5xx?: number;
  slow?: number;
  /** Delay of a slow response; default 1500 ms. */
  slowMs?: number;
  dropConnection?: number;
  seed?: string;
  /** `retry-after` seconds on 429 and secondary 403; default 1 so retries in tests stay quick. */
  retryAfterSeconds?: number;
}

export type FaultKind = "rate-limited-429" | "secondary-rate-limit-403" | "server-error-502" | "server-error-503" | "dropped-connection";

export interface FaultDecision {
  kind: FaultKind | null;
  /** Delay before answering (or before the fault), 0 when not slow. */
  delayMs: number;
  /** 5xx only: HTML (like GitHub's unicorn page) rather than JSON. */
  html: boolean;
}

const NO_FAULT: FaultDecision = { kind: null, delayMs: 0, html: false };

/** FNV-1a, so any string seed maps to a stable 32-bit PRNG seed. */
function hashSeed(seed: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < seed.length; index += 1) {
    hash ^= seed.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

export class FaultInjector {
  private readonly rng: RandomGenerator;

  constructor(readonly plan: FaultPlan) {
    this.rng = xoroshiro128plus(hashSeed(plan.seed ?? "sandbox-faults"));
  }

  next(): FaultDecision {
    const kindDraw = uniformFloat64(this.rng);
    const slowDraw = uniformFloat64(this.rng);
    const variantDraw = uniformFloat64(this.rng);
    const plan = this.plan;
    const delayMs = slowDraw < (plan.slow ?? 0) ? (plan.slowMs ?? 1500) : 0;
    const bands: Array<[number, (variant: number) => FaultKind]> = [
      [plan.rateLimited429 ?? 0, () => "rate-limited-429"],
      [plan.secondaryRateLimit403 ?? 0, () => "secondary-rate-limit-403"],
      [plan.serverError5xx ?? 0, (variant) => (variant < 0.5 ? "server-error-502" : "server-error-503")],
      [plan.dropConnection ?? 0, () => "dropped-connection"],
    ];
    let threshold = 0;
    for (const [share, kind] of bands) {
      threshold += share;
      // The variant draw also picks the 5xx body: the lower half of each status's range gets HTML.
      if (kindDraw < threshold) return { kind: kind(variantDraw), delayMs, html: variantDraw % 0.5 < 0.25 };
    }
    return delayMs > 0 ? { ...NO_FAULT, delayMs } : NO_FAULT;
  }
}
