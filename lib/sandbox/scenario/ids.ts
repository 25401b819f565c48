import type { Random } from "./random";

/**
 * Ids are allocated in the order the simulation creates objects, which is chronological across the
 * whole org (one event queue), so — as on GitHub — a newer deployment has a larger id. The bases
 * only make the numbers look like GitHub's and keep kinds visibly apart.
 */
const ID_BASES = {
  user: 9_100_000,
  repository: 610_000_000,
  pullRequest: 1_800_000_000,
  review: 2_100_000_000,
  issue: 2_700_000_000,
  deployment: 1_400_000_000,
  deploymentStatus: 3_900_000_000,
  workflow: 71_000_000,
  workflowRun: 11_000_000_000,
} as const;

export type IdKind = keyof typeof ID_BASES;

export class IdSequences {
  private readonly last = new Map<IdKind, number>();

  next(kind: IdKind): number {
    const value = (this.last.get(kind) ?? ID_BASES[kind]) + 1;
    this.last.set(kind, value);
    return value;
  }
}

/** Hands out git-shaped shas, never the same one twice in the org. */
export class ShaFactory {
  private readonly used = new Set<string>();

  next(random: Random): string {
    for (;;) {
      const sha = random.hexSha();
      if (!this.used.has(sha)) {
        this.used.add(sha);
        return sha;
      }
    }
  }
}
