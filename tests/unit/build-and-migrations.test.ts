import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildIsStale, newestMtime } from "@/lib/cli/build";
import { MigrationError, listMigrations } from "@/lib/db/migrate";

function touch(file: string, seconds: number) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, "x");
  utimesSync(file, seconds, seconds);
}

describe("build staleness", () => {
  it("rebuilds when there is no build or a source is newer than it, and ignores generated code", () => {
    const root = mkdtempSync(path.join(tmpdir(), "ph-build-"));
    touch(path.join(root, "app/page.tsx"), 1_000);
    expect(buildIsStale(root)).toBe(true);
    touch(path.join(root, ".next/BUILD_ID"), 2_000);
    expect(buildIsStale(root)).toBe(false);
    touch(path.join(root, "lib/db/generated/client.ts"), 3_000);
    expect(buildIsStale(root)).toBe(false);
    touch(path.join(root, "components/ui/card.tsx"), 3_000);
    expect(buildIsStale(root)).toBe(true);
    expect(newestMtime(["app", "components"], root)).toBe(3_000_000);
  });
});

describe("migration files", () => {
  it("are read in name order with Prisma's checksum", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ph-mig-"));
    for (const name of ["20260102000000_b", "20260101000000_a"]) {
      mkdirSync(path.join(dir, name));
      writeFileSync(path.join(dir, name, "migration.sql"), `-- ${name}\n`);
    }
    writeFileSync(path.join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');
    const migrations = listMigrations(dir);
    expect(migrations.map((m) => m.name)).toEqual(["20260101000000_a", "20260102000000_b"]);
    expect(migrations[0]!.checksum).toBe(createHash("sha256").update("-- 20260101000000_a\n").digest("hex"));
  });

  it("fail clearly when a folder has no migration.sql", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ph-mig-"));
    mkdirSync(path.join(dir, "20260101000000_empty"));
    expect(() => listMigrations(dir)).toThrow(new MigrationError("Migration 20260101000000_empty has no migration.sql."));
  });
});
