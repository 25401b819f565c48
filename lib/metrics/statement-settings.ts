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

/**
 * The transaction of a metrics read (one snapshot). Prisma's default 5 s would abort an org-sized
 * window (`npm run bench:metrics`), and on the embedded database, which has one connection, a page's
 * widgets queue behind each other and behind ingestion: 30 s of waiting (as the other pages allow)
 * instead of failing the Overview's server render after 10 s, as CI saw while the sandbox synced.
 * The client's statement timeout (60 s) still bounds each query.
 */
export const METRICS_READ_TX = { isolationLevel: "RepeatableRead", timeout: 120_000, maxWait: 30_000 } as const;
