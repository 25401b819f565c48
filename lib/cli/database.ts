import path from "node:path";
import { getEnv } from "@/lib/env";
import { findRunningEmbeddedDatabase, startEmbeddedDatabase } from "@/lib/db/embedded";

export interface ResolvedDatabase {
  url: string;
  mode: "external" | "embedded";
  /** Stops what this process started (nothing when it reused a running database). */
  release(): Promise<void>;
}

/**
 * The database a CLI command talks to: `DATABASE_URL` when set; else the embedded database that a
 * running `npm start` serves from the data folder; else an embedded one started for this command.
 */
export async function resolveDatabase(): Promise<ResolvedDatabase> {
  const env = getEnv();
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, mode: env.PIPELINE_HEALTH_EMBEDDED ? "embedded" : "external", release: async () => {} };
  const dataDir = path.resolve(env.PIPELINE_HEALTH_DATA_DIR);
  const running = findRunningEmbeddedDatabase(dataDir);
  if (running) return { url: running.url, mode: "embedded", release: async () => {} };
  const embedded = await startEmbeddedDatabase({ dataDir, port: env.EMBEDDED_DB_PORT });
  return { url: embedded.url, mode: "embedded", release: () => embedded.stop() };
}
