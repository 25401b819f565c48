import { type Db, createPrismaClient } from "@/lib/db/client";
import { freePort, startEmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { createThrowawayDatabase } from "@/lib/db/throwaway-database";

export interface TestDatabase {
  url: string;
  /** "postgres" when TEST_DATABASE_URL points at a server, else an in-memory PGlite. */
  kind: "postgres" | "pglite";
  db: Db;
  close(): Promise<void>;
}

/** Refuses anything but a loopback server, so a test run can never touch a shared database. */
function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!["localhost", "127.0.0.1", "::1", "[::1]"].includes(host)) throw new Error(`TEST_DATABASE_URL must point at a local server, not ${host}`);
}

/** An empty database of its own for one test file; `migrated` (default) applies every migration. */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  let url: string;
  let kind: TestDatabase["kind"];
  let release: () => Promise<void>;
  if (serverUrl) {
    assertLocal(serverUrl);
    const database = await createThrowawayDatabase(serverUrl, "ph_test");
    ({ url } = database);
    kind = "postgres";
    release = () => database.drop();
  } else {
    const embedded = await startEmbeddedDatabase({ dataDir: null, port: await freePort() });
    ({ url } = embedded);
    kind = "pglite";
    release = () => embedded.stop();
  }
  if (options.migrated ?? true) await migrate(url);
  const db = createPrismaClient(url, { poolMax: 5 });
  return {
    url,
    kind,
    db,
    async close() {
      await db.$disconnect();
      await release();
    },
  };
}
