import type { DbTransaction } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";

export interface UpsertColumn {
  name: string;
  /** SQL type to cast the parameter to, e.g. `"DeploymentStatus"`, `text[]`, `timestamptz`. */
  cast?: string;
}

export interface BatchUpsertSpec<Row> {
  table: string;
  columns: UpsertColumn[];
  values: (row: Row) => unknown[];
  conflict: string[];
  /** Columns overwritten on conflict (defaults to every column outside `conflict`). */
  update?: string[];
  /**
   * Source-time guard: on conflict the row is updated only when the incoming value of this column
   * is not older than the stored one, so an older event never overwrites a newer state.
   */
  newerBy?: string;
  /** A whole `WHERE …` guard on the conflict update, for rules a single column cannot say. */
  guardSql?: Prisma.Sql;
  /** False for tables without an `updatedAt` column (immutable mirrors such as commits). */
  touchesUpdatedAt?: boolean;
}

const ident = (name: string) => Prisma.raw(`"${name.replace(/"/g, '""')}"`);
// Postgres allows 65535 parameters per statement; stay well below with a fixed row count.
const ROWS_PER_STATEMENT = 400;

/**
 * `INSERT … ON CONFLICT DO UPDATE` for many rows in a few statements. Ids and `createdAt` come
 * from database defaults; `updatedAt` is set here because Prisma's @updatedAt has no default.
 * Returns how many rows were inserted or changed.
 */
export async function batchUpsert<Row>(tx: DbTransaction, spec: BatchUpsertSpec<Row>, rows: Row[]): Promise<number> {
  if (rows.length === 0) return 0;
  const update = spec.update ?? spec.columns.map((column) => column.name).filter((name) => !spec.conflict.includes(name));
  const touch = spec.touchesUpdatedAt ?? true;
  const columnList = Prisma.join([...spec.columns.map((column) => ident(column.name)), ...(touch ? [ident("updatedAt")] : [])]);
  const setList = Prisma.join([...update.map((name) => Prisma.sql`${ident(name)} = EXCLUDED.${ident(name)}`), ...(touch ? [Prisma.sql`${ident("updatedAt")} = now()`] : [])]);
  const guard = spec.guardSql ?? (spec.newerBy ? Prisma.sql`WHERE ${ident(spec.table)}.${ident(spec.newerBy)} <= EXCLUDED.${ident(spec.newerBy)}` : Prisma.empty);
  let changed = 0;
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const tuples = chunk.map((row) => {
      const values = spec.values(row);
      const cells = spec.columns.map((column, index) => (column.cast ? Prisma.sql`${values[index]}::${Prisma.raw(column.cast)}` : Prisma.sql`${values[index]}`));
      return Prisma.sql`(${Prisma.join([...cells, ...(touch ? [Prisma.sql`now()`] : [])])})`;
    });
    changed += await tx.$executeRaw`INSERT INTO ${ident(spec.table)} (${columnList}) VALUES ${Prisma.join(tuples)}
      ON CONFLICT (${Prisma.join(spec.conflict.map(ident))}) DO UPDATE SET ${setList} ${guard}`;
  }
  return changed;
}
