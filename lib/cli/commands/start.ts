import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { ensureBuild } from "@/lib/cli/build";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { getEnv } from "@/lib/env";

/** Fails with an actionable message when an external DATABASE_URL cannot be reached. */
export async function assertDatabaseReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    const { hostname, port, pathname } = new URL(url);
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(
      `Cannot reach the database at ${hostname}:${port || 5432}${pathname} (DATABASE_URL): ${reason}. ` +
        "Check that Postgres is running and the URL, user and password are right, or unset DATABASE_URL to use the embedded database.",
    );
  } finally {
    await client.end().catch(() => {});
  }
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the web server exited with code ${child.exitCode} while starting`);
    try {
      const response = await fetch(url);
      if (response.status === 200 || response.status === 503) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`the web server did not answer ${url} within ${timeoutMs / 1000}s`);
}

/**
 * Runs as `node --import tsx`, not through the `tsx` wrapper: the wrapper SIGKILLs its child when
 * the child does not acknowledge a signal within 30 ms, and the embedded database can hold this
 * process's event loop longer than that, which would skip the clean shutdown below.
 *
 * `npm start`: build if stale, database (embedded unless DATABASE_URL is set), migrations, then
 * the web server and one worker as child processes. Ctrl-C or SIGTERM stops them all cleanly.
 */
export async function runStart(options: { port?: number; host?: string; build: boolean }): Promise<number> {
  const env = getEnv();
  const port = options.port ?? env.PORT;
  const host = options.host ?? env.HOST;
  if (options.build) ensureBuild();

  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl: string;
  if (env.DATABASE_URL) {
    await assertDatabaseReachable(env.DATABASE_URL);
    databaseUrl = env.DATABASE_URL;
    console.log("Database: DATABASE_URL");
  } else {
    const dataDir = path.resolve(env.PIPELINE_HEALTH_DATA_DIR);
    embedded = await startEmbeddedDatabase({ dataDir, port: env.EMBEDDED_DB_PORT });
    databaseUrl = embedded.url;
    console.log(`Database: embedded, data in ${dataDir}, serving on 127.0.0.1:${embedded.port}`);
  }

  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number): Promise<number> => {
    if (stopping) return code;
    stopping = true;
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
            child.once("exit", () => {
              clearTimeout(force);
              resolve();
            });
          }),
      ),
    );
    await embedded?.stop();
    return code;
  };

  try {
    const applied = await migrate(databaseUrl, { log: (line) => console.log(line) });
    console.log(applied.length ? `Migrations: applied ${applied.length}.` : "Migrations: up to date.");
  } catch (error) {
    await stopAll(1);
    throw error;
  }

  const childEnv = { ...process.env, DATABASE_URL: databaseUrl, PIPELINE_HEALTH_EMBEDDED: embedded ? "1" : "", NODE_ENV: "production" as const, NEXT_TELEMETRY_DISABLED: "1" };
  const root = process.cwd();
  const web = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", host], { env: childEnv, stdio: "inherit" });
  const worker = spawn(process.execPath, ["--import", "tsx", path.join(root, "lib/cli/main.ts"), "worker"], { env: childEnv, stdio: "inherit" });
  children.push(web, worker);

  return await new Promise<number>((resolve) => {
    const finish = (code: number) => void stopAll(code).then(resolve);
    process.once("SIGINT", () => finish(0));
    process.once("SIGTERM", () => finish(0));
    const named: [string, ChildProcess][] = [["web server", web], ["worker", worker]];
    for (const [name, child] of named) {
      child.once("exit", (code, signal) => {
        if (stopping) return;
        console.error(`The ${name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping everything.`);
        finish(1);
      });
    }
    const displayHost = host === "0.0.0.0" || host === "127.0.0.1" ? "localhost" : host;
    waitForHealth(`http://127.0.0.1:${port}/api/health`, web, 120_000).then(
      () => console.log(`\nPipeline Health is running at http://${displayHost}:${port}  (Ctrl-C to stop)\n`),
      (error: Error) => {
        console.error(`Could not start: ${error.message}`);
        finish(1);
      },
    );
  });
}
