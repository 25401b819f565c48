import pg from "pg";

/**
 * A plain-text description of everything a schema defines in `public` — tables, columns (type,
 * nullability, default), enums, constraints (primary, unique, foreign and check keys with their
 * actions) and indexes — one line per fact, so two databases can be compared line by line.
 * Prisma's bookkeeping table is left out; triggers and functions are compared elsewhere.
 */
export async function catalogSnapshot(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const lines: string[] = [];
    const columns = await client.query<{ line: string }>(`
      SELECT format('column %s.%s %s %s default=%s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                    CASE WHEN a.attnotnull THEN 'not null' ELSE 'null' END,
                    coalesce(pg_get_expr(d.adbin, d.adrelid), '-')) AS line
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'`);
    const enums = await client.query<{ line: string }>(`
      SELECT format('enum %s (%s)', t.typname, string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder)) AS line
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' GROUP BY t.typname`);
    const constraints = await client.query<{ line: string }>(`
      SELECT format('constraint %s.%s %s', c.relname, k.conname, pg_get_constraintdef(k.oid)) AS line
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname <> '_prisma_migrations'`);
    const indexes = await client.query<{ line: string }>(`
      SELECT format('index %s %s', indexname, indexdef) AS line FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
    for (const result of [columns, enums, constraints, indexes]) lines.push(...result.rows.map((row) => row.line));
    return lines.sort();
  } finally {
    await client.end();
  }
}

/** Lines only in `expected` ("- ") or only in `actual` ("+ "); empty when the schemas match. */
export function diffSnapshots(expected: string[], actual: string[]): string[] {
  const inActual = new Set(actual);
  const inExpected = new Set(expected);
  return [...expected.filter((line) => !inActual.has(line)).map((line) => `- ${line}`), ...actual.filter((line) => !inExpected.has(line)).map((line) => `+ ${line}`)];
}
