import { Prisma } from "@/lib/db/generated/client";

/**
 * Change traceability (DESIGN §3), over the changes shipped by successful deployments in scope
 * (every `DeploymentChange`, measured lead time or not; what counts as independently approved, known
 * and signed is defined with the day facts in `day-facts.ts`).
 *
 * Totals (`TRACEABILITY_TOTALS`, one pass with the others), read through CTE `change_traceability`,
 * one row per (service, cohort) with a finished attempt: the sums of
 * `change_count`, `independently_approved_count`, `known_commit_count` and `signed_commit_count`.
 * Expects `baseCtes` before it.
 */
export const TRACEABILITY_TOTALS = Prisma.sql`sum(change_count)::int AS change_count,
      sum(independently_approved_count)::int AS independently_approved_count,
      sum(known_commit_count)::int AS known_commit_count,
      sum(signed_commit_count)::int AS signed_commit_count`;

export function traceabilityCtes(): Prisma.Sql {
  return Prisma.sql`
  change_traceability AS (
    SELECT service_id, cohort, change_count, independently_approved_count, known_commit_count, signed_commit_count FROM metric_totals
  )`;
}
