import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getEnv } from "@/lib/env";
import { createThrowawayDatabase } from "@/lib/db/throwaway-database";
import { MIGRATIONS_DIR, migrate } from "@/lib/db/migrate";

/**
 * Drafts the next migration: applies the existing ones to a throwaway database on a Postgres server and asks
 * Prisma's schema engine what `schema.prisma` still needs. Review the file before committing it;
 * hand-written parts (triggers, functions) go in their own migration.
 */
export async function runMigrateDraft(name: string | undefined): Promise<number> {
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error("Usage: npm run cli -- migrate-draft <name>   (lower-case letters, digits and underscores)");
    return 2;
  }
  // The Wasm schema engine panics introspecting PGlite, so drafting needs a real Postgres server.
  const env = getEnv();
  const serverUrl = env.DRAFT_DATABASE_URL ?? env.TEST_DATABASE_URL;
  if (!serverUrl) {
    console.error("Set DRAFT_DATABASE_URL to a Postgres server where a throwaway database may be created.");
    return 2;
  }
  const { diffDatabaseToSchema } = await import("@/lib/db/schema-engine");
  const db = await createThrowawayDatabase(serverUrl);
  try {
    await migrate(db.url);
    const sql = await diffDatabaseToSchema(db.url);
    if (!sql) {
      console.log("schema.prisma and the migrations agree; nothing to draft.");
      return 0;
    }
    // Prisma's folder names are UTC timestamps to the second.
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const folder = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, "migration.sql"), sql);
    console.log(`Drafted ${path.relative(process.cwd(), folder)}/migration.sql — review it before committing.`);
    return 0;
  } finally {
    await db.drop();
  }
}
