import { cpSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, MigrationError, getMigrationStatus, listMigrations, migrate, migrationChecksum } from "@/lib/db/migrate";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

async function rows(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query(`SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at, logs, length(id) AS id_length FROM "_prisma_migrations" ORDER BY migration_name`);
    return result.rows;
  } finally {
    await client.end();
  }
}

function copyMigrations(): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "ph-migrations-")), "migrations");
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

describe("migration runner", () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  it("applies every migration in order and records it the way Prisma does", async () => {
    database = await createTestDatabase({ migrated: false });
    const files = listMigrations();
    expect(files.map((file) => file.name)).toEqual([...files.map((file) => file.name)].sort());

    const applied = await migrate(database.url);
    expect(applied).toEqual(files.map((file) => file.name));
    const recorded = await rows(database.url);
    expect(recorded.map((row) => row.migration_name)).toEqual(applied);
    for (const [index, row] of recorded.entries()) {
      const sql = readFileSync(path.join(MIGRATIONS_DIR, row.migration_name, "migration.sql"), "utf8");
      expect(row.checksum).toBe(migrationChecksum(sql));
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
      expect(Number(row.id_length)).toBe(36);
      expect(row.migration_name).toBe(files[index]!.name);
    }

    expect(await migrate(database.url)).toEqual([]);
    const pool = new pg.Pool({ connectionString: database.url });
    expect(await getMigrationStatus(pool)).toEqual({ applied: applied, pending: [], latest: applied.at(-1) });
    await pool.end();
  });

  it("is safe when two processes migrate at once: each migration is applied exactly once", async () => {
    database = await createTestDatabase({ migrated: false });
    const results = await Promise.all([migrate(database.url), migrate(database.url), migrate(database.url)]);
    const all = results.flat().sort();
    expect(all).toEqual(listMigrations().map((file) => file.name));
    expect((await rows(database.url)).length).toBe(listMigrations().length);
  });

  it("refuses to continue when an applied migration was edited", async () => {
    database = await createTestDatabase({ migrated: false });
    const dir = copyMigrations();
    await migrate(database.url, { dir });
    const first = listMigrations(dir)[0]!;
    writeFileSync(path.join(dir, first.name, "migration.sql"), `${first.sql}\n-- edited later\n`);
    await expect(migrate(database.url, { dir })).rejects.toThrow(new MigrationError(`Migration ${first.name} was modified after it was applied (checksum differs). Add a new migration instead of editing an applied one.`));
  });

  it("rolls a failing migration back completely and names it", async () => {
    database = await createTestDatabase({ migrated: false });
    const dir = copyMigrations();
    mkdirSync(path.join(dir, "29990101000000_broken"));
    writeFileSync(path.join(dir, "29990101000000_broken", "migration.sql"), `CREATE TABLE "Half" (id int);\nSELECT * FROM "NoSuchTable";\n`);
    await expect(migrate(database.url, { dir })).rejects.toThrow(/Migration 29990101000000_broken failed and was rolled back: .*NoSuchTable/);
    const recorded = await rows(database.url);
    expect(recorded.map((row) => row.migration_name)).not.toContain("29990101000000_broken");
    expect(recorded.length).toBe(listMigrations().length);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const half = await client.query(`SELECT to_regclass('"Half"') AS exists`);
    await client.end();
    expect(half.rows[0].exists).toBeNull();
  });
});
