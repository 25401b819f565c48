import type { Db, DbTransaction } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";

export interface SourceCursorValue<P> {
  position: P | null;
  etag: string | null;
}

/** Where a resource's last committed sync got to, and the ETag of its first page. */
export async function readCursor<P>(db: Db | DbTransaction, integrationId: string, scope: string): Promise<SourceCursorValue<P>> {
  const row = await db.sourceCursor.findUnique({ where: { integrationId_scope: { integrationId, scope } } });
  return { position: (row?.position as P | undefined) ?? null, etag: row?.etag ?? null };
}

/** Written in the same transaction as the rows it covers, so a crash never skips data. */
export async function writeCursor(tx: DbTransaction, integrationId: string, scope: string, value: { position: Prisma.InputJsonValue; etag: string | null }): Promise<void> {
  await tx.sourceCursor.upsert({
    where: { integrationId_scope: { integrationId, scope } },
    create: { integrationId, scope, position: value.position, etag: value.etag },
    update: { position: value.position, etag: value.etag },
  });
}
