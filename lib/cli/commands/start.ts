import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { ensureBuild } from "@/lib/cli/build";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { getEnv } from "@/lib/env";
import { getClock } from "@/lib/clock";
import { createPrismaClient } from "@/lib/db/client";
import { githubConfigured, registerIntegrations, useSandbox } from "@/lib/ingest/integrations";
import { type RunningSandbox, describeSandboxError, startSandbox } from "@/lib/sandbox/start-sandbox";
import { getSandboxAnchor } from "@/lib/sandbox/sandbox-anchor";
import { resolveSecrets } from "@/lib/security/secrets";
import { disableDemoUsers, seedDemoUsers } from "@/lib/auth/local-accounts";

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

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number, cancelled: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !cancelled()) {
    if (child.exitCode !== null) throw new Error(`the web server exited with code ${child.exitCode} while starting`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200 || response.status === 503) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  if (!cancelled()) throw new Error(`the web server did not answer ${url} within ${timeoutMs / 1000}s`);
}

/** Where to reach the web server from this machine: the bound address, or loopback for a wildcard. */
function probeHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "localhost") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * Runs as `node --import tsx`, not through the `tsx` wrapper: the wrapper SIGKILLs its child when
 * the child does not acknowledge a signal within 30 ms, and the embedded database can hold this
 * process's event loop longer than that, which would skip the clean shutdown below.
 *
 * `npm start`: build if stale, database (embedded unless DATABASE_URL is set), migrations, then
 * the web server and one worker as child processes. Ctrl-C or SIGTERM at any point stops what has
 * started, closes the embedded database and exits; a second signal only hurries the children.
 */
export async function runStart(options: { port?: number; host?: string; build: boolean; sandbox?: boolean }): Promise<number> {
  const env = getEnv();
  const port = options.port ?? env.PORT;
  const host = options.host ?? env.HOST;

  let embedded: EmbeddedDatabase | null = null;
  let sandbox: RunningSandbox | null = null;
  const children: ChildProcess[] = [];
  let shutdown: Promise<number> | null = null;
  let signalled = false;
  let resolveRun: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (resolveRun = resolve));

  // One shutdown of the children, however many times and from wherever it is asked for.
  const stopAll = (code: number): Promise<number> => {
    shutdown ??= (async () => {
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
      return code;
    })();
    return shutdown;
  };
  const onSignal = () => {
    if (signalled) {
      // A second Ctrl-C: stop waiting for the children, but still close the database files.
      for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
      return;
    }
    signalled = true;
    void stopAll(0).then(resolveRun);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    const sandboxMode = useSandbox(env, options.sandbox ?? false);
    // Before anything slow: a real installation without its secrets should fail at once, saying which.
    const secrets = resolveSecrets(env, { generateIfMissing: sandboxMode && !githubConfigured(env) });
    if (options.build) ensureBuild();
    if (signalled) return await finished;

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
    if (signalled) return await finished;

    const applied = await migrate(databaseUrl, { log: (line) => console.log(line) });
    console.log(applied.length ? `Migrations: applied ${applied.length}.` : "Migrations: up to date.");
    if (signalled) return await finished;

    const db = createPrismaClient(databaseUrl, { poolMax: 2 });
    let demoAccounts = false;
    try {
      if (sandboxMode) {
        const anchor = await getSandboxAnchor(db, getClock());
        // The sandbox cluster's kubeconfig lives with the data, readable by its owner only.
        const kubeconfigPath = path.join(path.resolve(env.PIPELINE_HEALTH_DATA_DIR), "sandbox-kubeconfig.json");
        sandbox = await startSandbox({ clock: getClock(), port: env.SANDBOX_PORT, anchor, kubeconfigPath }).catch((error: unknown) => {
          throw describeSandboxError(error, env.SANDBOX_PORT);
        });
        console.log(`Sources: ${githubConfigured(env) ? "GitHub and " : "none configured, so "}the sandbox org (acme-sandbox): GitHub API ${sandbox.githubUrl}, Argo CD ${sandbox.argocdUrl}, Kubernetes ${sandbox.kubernetesUrl}`);
      } else {
        console.log(`Sources: GitHub (${env.GITHUB_ORG ? `org ${env.GITHUB_ORG}` : env.GITHUB_REPOS.join(", ")}) at ${env.GITHUB_API_URL}`);
      }
      await registerIntegrations(db, env, {
        sandboxUrl: sandbox?.githubUrl ?? null,
        sandboxArgocdUrl: sandbox?.argocdUrl ?? null,
        sandboxKubeconfigPath: sandbox ? path.join(path.resolve(env.PIPELINE_HEALTH_DATA_DIR), "sandbox-kubeconfig.json") : null,
      });
      // A stored source may be a real org: then public demo passwords must not open it.
      const storedSources = await db.integration.count({ where: { origin: "DATABASE", enabled: true } });
      demoAccounts = sandboxMode && !githubConfigured(env) && storedSources === 0;
      if (demoAccounts) {
        await seedDemoUsers(db, getClock());
        console.log("Sign-in: demo accounts for each role are listed on the sign-in page.");
      } else {
        const disabled = await disableDemoUsers(db, getClock());
        if (disabled > 0) console.log(`Sign-in: ${disabled} sandbox demo account(s) switched off, since a real or stored source is configured.`);
        const admins = await db.user.count({ where: { role: "ADMIN", disabled: false } });
        if (admins === 0) console.log('Sign-in: no admin account yet. Create one with `npm run cli -- users add --email you@example.com --name "Your Name" --role admin`.');
      }
    } finally {
      await db.$disconnect();
    }
    if (signalled) return await finished;

    const childEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PIPELINE_HEALTH_EMBEDDED: embedded ? "1" : "",
      PIPELINE_HEALTH_SANDBOX: demoAccounts ? "1" : "",
      AUTH_SECRET: secrets.authSecret,
      ENCRYPTION_KEY: secrets.encryptionKey,
      // Sign-in derives its own address from the port actually served.
      PORT: String(port),
      NODE_ENV: "production" as const,
      NEXT_TELEMETRY_DISABLED: "1",
    };
    const root = process.cwd();
    const web = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", host], { env: childEnv, stdio: "inherit" });
    const worker = spawn(process.execPath, ["--import", "tsx", path.join(root, "lib/cli/main.ts"), "worker"], { env: childEnv, stdio: "inherit" });
    children.push(web, worker);
    const named: [string, ChildProcess][] = [["web server", web], ["worker", worker]];
    for (const [name, child] of named) {
      child.once("exit", (code, signal) => {
        if (shutdown) return;
        console.error(`The ${name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping everything.`);
        void stopAll(1).then(resolveRun);
      });
    }
    const displayHost = host === "0.0.0.0" || host === "127.0.0.1" ? "localhost" : host;
    if (!env.PUBLIC_URL && !["127.0.0.1", "localhost", "::1"].includes(host)) {
      console.warn(`Sign-in accepts requests from http://localhost:${port} only until PUBLIC_URL says where people reach this server (e.g. https://pipeline-health.example.com).`);
    }
    waitForHealth(`http://${probeHost(host)}:${port}/api/health`, web, 120_000, () => shutdown !== null).then(
      () => {
        if (!shutdown) console.log(`\nPipeline Health is running at http://${displayHost}:${port}  (Ctrl-C to stop)\n`);
      },
      (error: Error) => {
        if (shutdown) return;
        console.error(`Could not start: ${error.message}`);
        void stopAll(1).then(resolveRun);
      },
    );
    return await finished;
  } catch (error) {
    await stopAll(1);
    throw error;
  } finally {
    await sandbox?.stop().catch(() => {});
    // Here rather than in stopAll: a signal during start-up may come before the database exists.
    await embedded?.stop().catch((error: Error) => console.error(`Closing the embedded database failed: ${error.message}`));
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
