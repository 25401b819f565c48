import { PrismaPg } from "@prisma/adapter-pg";
import { getEnv } from "@/lib/env";
import { PrismaClient } from "@/lib/db/generated/client";

/**
 * The one Prisma client. Pool limits and timeouts are set so a slow or absent database fails a
 * request in seconds instead of hanging it; the encrypted credentials column is never selected
 * unless a caller asks for it by name.
 */

export type Db = ReturnType<typeof createPrismaClient>;
/** A client or the transaction client handed to `$transaction(async (tx) => …)`. */
export type DbTransaction = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export function createPrismaClient(connectionString: string, options: { poolMax?: number } = {}) {
  const adapter = new PrismaPg({
    connectionString,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // Server-side cap on any one statement; metric queries that need longer should say so explicitly.
    statement_timeout: 60_000,
  });
  return new PrismaClient({ adapter, omit: { integration: { credentialsEncrypted: true } } });
}

const globalForPrisma = globalThis as unknown as { pipelineHealthPrisma?: Db };

/** The process-wide client, created on first use (module reloads in `next dev` reuse it). */
export function getDb(): Db {
  if (!globalForPrisma.pipelineHealthPrisma) {
    const env = getEnv();
    if (!env.DATABASE_URL) {
      throw new Error("DATABASE_URL is not set in this process. Start the product with `npm start`, which provides the embedded database, or set DATABASE_URL.");
    }
    globalForPrisma.pipelineHealthPrisma = createPrismaClient(env.DATABASE_URL, { poolMax: env.DATABASE_POOL_MAX });
  }
  return globalForPrisma.pipelineHealthPrisma;
}
