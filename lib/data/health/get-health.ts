import "server-only";
import pkg from "@/package.json";
import { type Db, getDb } from "@/lib/db/client";
import { listMigrations } from "@/lib/db/migrate";
import { getEnv } from "@/lib/env";
import { WORKER_ALIVE_WITHIN_MS } from "@/lib/worker/liveness";
import { type ViewerContext, assertCan } from "@/lib/data/viewer";

export type HealthDto = {
  status: "ok" | "unavailable";
  version: string;
  database: { reachable: boolean; mode: "embedded" | "external"; latencyMs: number | null; error: string | null };
  migrations: { applied: number; latest: string | null; pending: string[] };
  /** Workers that beat recently, and the last heartbeat job the queue delivered; null when unknown. */
  workers: { running: number | null; lastQueueJobAt: string | null };
  checkedAt: string;
};

let migrationNames: string[] | undefined;

/** The migrations this build ships; read once, since they cannot change while the server runs. */
function knownMigrationNames(): string[] {
  migrationNames ??= listMigrations().map((migration) => migration.name);
  return migrationNames;
}

/**
 * Database reachability, the applied migration, the workers and the version. Workers do not
 * change the status: a load balancer asks whether this web server can serve, not the queue. Never throws for a database
 * problem: an unreachable database is the answer, reported as `unavailable` (HTTP 503).
 */
export async function getHealth(ctx: ViewerContext, dbOverride?: Db): Promise<HealthDto> {
  assertCan(ctx, "health:read");
  const mode = getEnv().PIPELINE_HEALTH_EMBEDDED ? "embedded" : "external";
  const checkedAt = ctx.clock.now().toISOString();
  const started = performance.now();
  try {
    const db = dbOverride ?? getDb();
    const applied = await db.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM "_prisma_migrations"
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL
      ORDER BY finished_at, migration_name`;
    const latencyMs = Math.round(performance.now() - started);
    const aliveSince = new Date(ctx.clock.now().getTime() - WORKER_ALIVE_WITHIN_MS);
    const [running, lastJob] = await Promise.all([
      db.workerHeartbeat.count({ where: { lastBeatAt: { gte: aliveSince } } }),
      db.workerHeartbeat.aggregate({ _max: { lastJobAt: true } }),
    ]);
    const appliedNames = new Set(applied.map((row) => row.migration_name));
    const pending = knownMigrationNames().filter((name) => !appliedNames.has(name));
    return {
      status: pending.length === 0 ? "ok" : "unavailable",
      version: pkg.version,
      database: { reachable: true, mode, latencyMs, error: null },
      migrations: { applied: applied.length, latest: applied.at(-1)?.migration_name ?? null, pending },
      workers: { running, lastQueueJobAt: lastJob._max.lastJobAt?.toISOString() ?? null },
      checkedAt,
    };
  } catch (error) {
    return {
      status: "unavailable",
      version: pkg.version,
      database: { reachable: false, mode, latencyMs: null, error: describeDatabaseError(error) },
      migrations: { applied: 0, latest: null, pending: [] },
      workers: { running: null, lastQueueJobAt: null },
      checkedAt,
    };
  }
}

// Enough for an operator to act on, without echoing connection strings or credentials.
function describeDatabaseError(error: unknown): string {
  const driverKind = (error as { meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string } } } }).meta?.driverAdapterError?.cause;
  if (driverKind?.kind === "DatabaseNotReachable") return "connection refused";
  if (driverKind?.kind === "SocketTimeout" || driverKind?.kind === "ConnectionClosed") return "connection lost or timed out";
  if (driverKind?.kind === "TableDoesNotExist" || driverKind?.originalCode === "42P01") return "database not migrated (run npm run db:migrate)";
  if (driverKind?.kind === "AuthenticationFailed") return "authentication failed";
  return "database query failed";
}
