import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

/**
 * Applies `prisma/migrations/<timestamp>_<name>/migration.sql` in name order and records each in
 * `_prisma_migrations` exactly as Prisma does (id, SHA-256 checksum of the file, start and finish
 * times, applied steps), so `prisma migrate deploy` on a machine with Prisma's engines agrees.
 *
 * Each migration runs in its own transaction under a transaction-scoped advisory lock: two
 * processes migrating at once serialise, and the second finds the work done. Session locks are not
 * used because on the embedded database every connection shares one session (DESIGN §10).
 */

// turbopackIgnore: the folder is read at run time, not bundled, and must not make the build trace the whole project.
export const MIGRATIONS_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), "prisma", "migrations");

// Any fixed 64-bit key; written out so it is greppable when inspecting pg_locks.
const MIGRATION_LOCK_KEY = 7_223_117_301_550_001n;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  latest: string | null;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

/** Prisma's checksum: lower-case hex SHA-256 of the migration file's bytes. */
export function migrationChecksum(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

export function listMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  if (!existsSync(dir)) throw new MigrationError(`Migrations folder ${dir} does not exist.`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = path.join(dir, name, "migration.sql");
      if (!existsSync(file)) throw new MigrationError(`Migration ${name} has no migration.sql.`);
      const sql = readFileSync(file, "utf8");
      return { name, sql, checksum: migrationChecksum(sql) };
    });
}

// Prisma's own definition of the table, so either tool can take over from the other.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

async function readApplied(client: pg.ClientBase): Promise<AppliedRow[]> {
  const exists = await client.query<{ exists: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS exists`);
  if (!exists.rows[0]?.exists) return [];
  const result = await client.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
  return result.rows;
}

function checkHistory(files: MigrationFile[], applied: AppliedRow[]): void {
  const byName = new Map(files.map((file) => [file.name, file]));
  for (const row of applied) {
    if (row.rolled_back_at) continue;
    if (!row.finished_at) {
      throw new MigrationError(
        `Migration ${row.migration_name} started but never finished. Inspect the database, fix it by hand, then mark the row rolled back (rolled_back_at) in _prisma_migrations.`,
      );
    }
    const file = byName.get(row.migration_name);
    if (!file) throw new MigrationError(`Migration ${row.migration_name} is applied to the database but missing from ${MIGRATIONS_DIR}.`);
    if (file.checksum !== row.checksum) {
      throw new MigrationError(`Migration ${row.migration_name} was modified after it was applied (checksum differs). Add a new migration instead of editing an applied one.`);
    }
  }
}

function pendingOf(files: MigrationFile[], applied: AppliedRow[]): MigrationFile[] {
  const done = new Set(applied.filter((row) => row.finished_at && !row.rolled_back_at).map((row) => row.migration_name));
  return files.filter((file) => !done.has(file.name));
}

export async function getMigrationStatus(client: pg.ClientBase | pg.Pool, dir: string = MIGRATIONS_DIR): Promise<MigrationStatus> {
  const files = listMigrations(dir);
  const connection = client instanceof pg.Pool ? await client.connect() : client;
  try {
    const applied = (await readApplied(connection)).filter((row) => row.finished_at && !row.rolled_back_at).map((row) => row.migration_name);
    const appliedSet = new Set(applied);
    return { applied, pending: files.filter((file) => !appliedSet.has(file.name)).map((file) => file.name), latest: applied.at(-1) ?? null };
  } finally {
    if (connection !== client) (connection as pg.PoolClient).release();
  }
}

/** Applies every pending migration; returns the names applied by this call. */
export async function migrate(connectionString: string, options: { dir?: string; log?: (line: string) => void } = {}): Promise<string[]> {
  const dir = options.dir ?? MIGRATIONS_DIR;
  const log = options.log ?? (() => {});
  const files = listMigrations(dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  const appliedNow: string[] = [];
  try {
    for (;;) {
      await client.query("BEGIN");
      try {
        await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY.toString()]);
        await client.query(CREATE_MIGRATIONS_TABLE);
        const applied = await readApplied(client);
        checkHistory(files, applied);
        const next = pendingOf(files, applied)[0];
        if (!next) {
          await client.query("COMMIT");
          break;
        }
        const id = randomUUID();
        await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, clock_timestamp(), 0)`, [
          id,
          next.checksum,
          next.name,
        ]);
        try {
          await client.query(next.sql);
        } catch (error) {
          throw new MigrationError(`Migration ${next.name} failed and was rolled back: ${(error as Error).message}`);
        }
        await client.query(`UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`, [id]);
        await client.query("COMMIT");
        appliedNow.push(next.name);
        log(`applied migration ${next.name}`);
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      }
    }
  } finally {
    await client.end();
  }
  return appliedNow;
}
