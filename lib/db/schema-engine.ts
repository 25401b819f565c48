import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

/**
 * Prisma's schema engine compiled to Wasm, driven through the pg driver adapter.
 *
 * The native schema engine is a download these machines cannot make (DESIGN §10), but the Wasm
 * build ships inside an npm package, so Prisma's own diffing is available: it drafts migration SQL
 * and proves that the migrated database matches `schema.prisma`. Migrations themselves are applied
 * by our runner (lib/db/migrate.ts), not by this engine.
 */

type DiffTarget =
  | { tag: "empty" }
  | { tag: "schemaDatamodel"; files: { path: string; content: string }[] }
  | { tag: "schemaDatasource"; files: { path: string; content: string }[]; configDir: string };

interface SchemaEngineInstance {
  diff(params: {
    from: DiffTarget;
    to: DiffTarget;
    script: boolean;
    exitCode: boolean | null;
    filters: { externalTables: string[]; externalEnums: string[] };
  }): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}

interface SchemaEngineModule {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
  SchemaEngine: {
    new: (options: { datamodels: undefined }, log: (...args: unknown[]) => void, adapter: object) => Promise<SchemaEngineInstance>;
  };
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * The schema engine's introspection reads catalog columns of Postgres's one-byte `"char"` type,
 * which the pg adapter has no mapping for; they are plain text to the engine, so report them as text.
 */
class CatalogFriendlyPool extends pg.Pool {
  // pg's overloads make a faithful signature unwieldy; the adapter only uses the promise form.
  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown).apply(this, args);
    if (!(result instanceof Promise)) return result as never;
    return result.then((value: pg.QueryResult) => {
      for (const field of value?.fields ?? []) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
      return value;
    }) as never;
  }
}

let engineModule: Promise<SchemaEngineModule> | undefined;

// The package's entry imports the .wasm file as an ES module, which Node cannot do; instantiate it by hand.
async function loadEngineModule(): Promise<SchemaEngineModule> {
  // The Wasm build reports panics through this global; without it a panic hides its message.
  const registry = { message: "", set_message(message: string) { this.message = `schema engine panic: ${message}`; } };
  (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: typeof registry }).PRISMA_WASM_PANIC_REGISTRY ??= registry;
  const require = createRequire(import.meta.url);
  const bindingsPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bindings = (await import(bindingsPath)) as SchemaEngineModule;
  const bytes = readFileSync(bindingsPath.replace(/\.js$/, ".wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bindings as unknown as WebAssembly.ModuleImports });
  bindings.__wbg_set_wasm(instance.exports);
  const start = instance.exports.__wbindgen_start;
  if (typeof start === "function") start();
  return bindings;
}

export const SCHEMA_PATH = path.resolve("prisma/schema.prisma");

function schemaFiles(): { path: string; content: string }[] {
  return [{ path: SCHEMA_PATH, content: readFileSync(SCHEMA_PATH, "utf8") }];
}

/**
 * SQL that would take the database at `databaseUrl` to `schema.prisma` ("" when they match).
 * `fromEmpty` drafts the whole schema instead of comparing with the database.
 */
export async function diffDatabaseToSchema(databaseUrl: string, options: { fromEmpty?: boolean } = {}): Promise<string> {
  engineModule ??= loadEngineModule();
  const bindings = await engineModule;
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(new CatalogFriendlyPool({ connectionString: databaseUrl, max: 2 })));
  const engine = await bindings.SchemaEngine.new({ datamodels: undefined }, () => {}, adapter);
  try {
    const result = await engine.diff({
      from: options.fromEmpty ? { tag: "empty" } : { tag: "schemaDatasource", files: schemaFiles(), configDir: path.dirname(SCHEMA_PATH) },
      to: { tag: "schemaDatamodel", files: schemaFiles() },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const script = result.stdout ?? "";
    // An empty diff still carries a comment line; only statements count.
    return script.split("\n").some((line) => line.trim() !== "" && !line.trim().startsWith("--")) ? script : "";
  } finally {
    engine.free();
  }
}
