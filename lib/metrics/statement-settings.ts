import type { DbTransaction } from "@/lib/db/client";

/**
 * Settings for the statements that compute metrics, scoped to the caller's transaction (`SET LOCAL`):
 * JIT compilation costs more than it saves on them, and an org-sized window's cohort-keyed day facts
 * and per-service sorts spill to disk under the default 4 MB (`npm run bench:metrics`: a million
 * deployments need about 60 MB for the day facts of a 90-day window).
 */
export async function applyMetricStatementSettings(tx: Pick<DbTransaction, "$executeRawUnsafe">): Promise<void> {
  await tx.$executeRawUnsafe("SET LOCAL jit = off");
  await tx.$executeRawUnsafe("SET LOCAL work_mem = '128MB'");
}
