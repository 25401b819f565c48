import { Prisma } from "@/lib/db/generated/client";

/** Flags that depend on the next 7 days (failed change, recovery) settle after this long (DESIGN §3). */
export const PROVISIONAL_HORIZON_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * A window whose end is less than 7 days before now (or in the future) is provisional as a whole: a
 * deployment near its end may still turn out to be a failed change. At exactly 7 days it has settled.
 */
export function isWindowProvisional(windowTo: Date, now: Date): boolean {
  return windowTo.getTime() > now.getTime() - PROVISIONAL_HORIZON_MS;
}

/**
 * Totals (`PROVISIONAL_TOTALS`, one pass with the others), read through CTE `provisional_flags`, one
 * row per (service, cohort) with a finished attempt: whether any of its successful deployments in
 * scope carries a flag the derivation marked `provisional`.
 */
export const PROVISIONAL_TOTALS = Prisma.sql`bool_or(any_provisional) AS any_provisional`;

export function provisionalCtes(): Prisma.Sql {
  return Prisma.sql`
  provisional_flags AS (SELECT service_id, cohort, any_provisional FROM metric_totals)`;
}
