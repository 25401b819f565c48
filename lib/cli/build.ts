import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const ROOT = process.cwd();
const SOURCE_ROOTS = ["app", "components", "lib", "public", "prisma/schema.prisma", "proxy.ts", "next.config.ts", "package.json", "package-lock.json", "postcss.config.mjs", "tsconfig.json"];
const IGNORED = new Set(["node_modules", ".next", "generated", ".data"]);

/** Newest modification time (ms) under the given paths; ignores build output and generated code. */
export function newestMtime(paths: string[], root: string = ROOT): number {
  let newest = 0;
  const visit = (target: string) => {
    if (!existsSync(target)) return;
    const stat = statSync(target);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(target)) if (!IGNORED.has(entry)) visit(path.join(target, entry));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const p of paths) visit(path.join(root, p));
  return newest;
}

/** True when there is no production build, or a source changed after it was made. */
export function buildIsStale(root: string = ROOT): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  return newestMtime(SOURCE_ROOTS, root) > statSync(buildId).mtimeMs;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  // The tools' progress goes to stderr: stdout belongs to commands whose output is data (`metrics --json`).
  const result = spawnSync(command, args, { stdio: ["inherit", process.stderr, "inherit"], env, cwd: ROOT });
  if (result.status !== 0) throw new Error(`${[command, ...args].join(" ")} exited with ${result.status ?? result.signal}`);
}

/**
 * Generates the Prisma client when it is missing or older than the schema. `prisma generate`
 * never runs the schema engine, but Prisma 7 still tries to download it unless told where one is;
 * pointing it at any existing file keeps generation offline (DESIGN §10).
 */
export function ensurePrismaClient(options: { force?: boolean } = {}): void {
  const generated = path.join(ROOT, "lib/db/generated/client.ts");
  const schema = path.join(ROOT, "prisma/schema.prisma");
  if (!options.force && existsSync(generated) && statSync(generated).mtimeMs >= statSync(schema).mtimeMs) return;
  const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? path.join(ROOT, "package.json"), PRISMA_HIDE_UPDATE_MESSAGE: "1" };
  run(process.execPath, [path.join(ROOT, "node_modules/prisma/build/index.js"), "generate"], env);
}

/** Builds the web app when stale (`force` rebuilds regardless). */
export function ensureBuild(options: { force?: boolean; log?: (line: string) => void } = {}): void {
  const log = options.log ?? console.log;
  ensurePrismaClient();
  if (!options.force && !buildIsStale()) {
    log("Build is up to date.");
    return;
  }
  log("Building the web app (next build)…");
  // The build must not depend on a database: pages are dynamic and read data at request time.
  run(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], { ...process.env, NODE_ENV: "production" as const, NEXT_TELEMETRY_DISABLED: "1" });
}
