import { Prisma } from "@/lib/db/generated/client";

/**
 * Deployment rework rate (DESIGN §3): remediating deployments / successful deployments.
 *
 * Totals (`REWORK_TOTALS`, one pass with the others), read through CTE `rework`, one row per
 * (service, cohort) with a finished attempt:
 * - `rework_count`: successful deployments flagged `isRework` or `isRollback` (the day facts' `rework_count`).
 * The rate is assembled with `successful_count` from `change_failure`. Rework has no DORA tier.
 * Expects `baseCtes` before it.
 */
export const REWORK_TOTALS = Prisma.sql`sum(rework_count)::int AS rework_count`;

export function reworkCtes(): Prisma.Sql {
  return Prisma.sql`
  rework AS (SELECT service_id, cohort, rework_count FROM metric_totals)`;
}
