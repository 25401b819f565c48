import { resolveDatabase } from "@/lib/cli/database";
import { getClock } from "@/lib/clock";
import { createPrismaClient } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { getEnv } from "@/lib/env";
import { runGithubSync } from "@/lib/ingest/github/run-github-sync";
import { registerIntegrations, useSandbox } from "@/lib/ingest/integrations";
import { runArgoCdSync } from "@/lib/ingest/argocd/run-argocd-sync";
import { runKubernetesSync } from "@/lib/ingest/kubernetes/run-kubernetes-sync";
import { GithubRateLimitedError } from "@/lib/sources/github/errors";

/** Exit code when a source asked us to wait: try again after the time printed (sysexits EX_TEMPFAIL). */
const EXIT_RATE_LIMITED = 75;

function progressLine(name: string, done: number, total: number, repository: string | null): string {
  const width = 24;
  const filled = total ? Math.round((done / total) * width) : 0;
  return `[${name}] [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}${repository ? ` ${repository}` : ""}`;
}

/**
 * `npm run cli -- sync [--sandbox]`: ingests every configured and stored source once, progress on stderr and
 * a JSON summary on stdout. With no source configured it syncs the sandbox org.
 */
export async function runSync(options: { sandbox: boolean }): Promise<number> {
  const env = getEnv();
  const clock = getClock();
  const database = await resolveDatabase();
  const db = createPrismaClient(database.url, { poolMax: 4 });
  let sandbox: { stop(): Promise<void> } | null = null;
  try {
    await migrate(database.url);
    let sandboxUrl: string | null = null;
    let sandboxArgocdUrl: string | null = null;
    let sandboxKubeconfigPath: string | null = null;
    if (useSandbox(env, options.sandbox)) {
      const { startSandbox } = await import("@/lib/sandbox/start-sandbox");
      const { getSandboxAnchor } = await import("@/lib/sandbox/sandbox-anchor");
      const { mkdtemp } = await import("node:fs/promises");
      const { tmpdir } = await import("node:os");
      const path = await import("node:path");
      sandboxKubeconfigPath = path.join(await mkdtemp(path.join(tmpdir(), "pipeline-health-sync-")), "kubeconfig.json");
      const running = await startSandbox({ clock, port: 0, anchor: await getSandboxAnchor(db, clock), kubeconfigPath: sandboxKubeconfigPath });
      sandbox = running;
      sandboxUrl = running.githubUrl;
      sandboxArgocdUrl = running.argocdUrl;
      process.stderr.write(`No source configured: syncing the sandbox org (${running.githubUrl}).\n`);
    }
    const configured = await registerIntegrations(db, env, { sandboxUrl, sandboxArgocdUrl, sandboxKubeconfigPath });
    // Integrations an admin stored in Settings sync too; their tokens are decrypted per run.
    const stored = await db.integration.findMany({ where: { origin: "DATABASE", kind: "GITHUB", enabled: true }, orderBy: { name: "asc" } });
    const integrations = [...configured, ...stored];
    const summaries = [];
    for (const integration of integrations) {
      const interactive = process.stderr.isTTY;
      if (integration.kind === "ARGOCD") {
        const summary = await runArgoCdSync(db, integration, {
          env,
          clock,
          onProgress: ({ done, total, application }) => {
            const line = progressLine(integration.name, done, total, application);
            process.stderr.write(interactive ? `\r${line.padEnd(100)}` : `${line}\n`);
          },
        });
        if (interactive) process.stderr.write("\n");
        summaries.push({ integration: integration.name, kind: integration.kind, ...summary });
        continue;
      }
      if (integration.kind === "FLUX_KUBERNETES") {
        const summary = await runKubernetesSync(db, integration, {
          env,
          clock,
          onProgress: ({ done, total }) => {
            const line = progressLine(integration.name, done, total, null);
            process.stderr.write(interactive ? `\r${line.padEnd(100)}` : `${line}\n`);
          },
        });
        if (interactive) process.stderr.write("\n");
        summaries.push({ integration: integration.name, kind: integration.kind, ...summary });
        continue;
      }
      if (integration.kind !== "GITHUB") continue;
      const summary = await runGithubSync(db, integration, {
        env,
        clock,
        onProgress: ({ done, total, repository }) => {
          const line = progressLine(integration.name, done, total, repository);
          process.stderr.write(interactive ? `\r${line.padEnd(100)}` : `${line}\n`);
        },
      });
      if (interactive) process.stderr.write("\n");
      summaries.push({ integration: integration.name, kind: integration.kind, ...summary });
    }
    process.stdout.write(`${JSON.stringify({ synced: summaries }, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof GithubRateLimitedError) {
      process.stderr.write(`\nGitHub asked us to wait: ${error.message}. Run the sync again after that time.\n`);
      return EXIT_RATE_LIMITED;
    }
    throw error;
  } finally {
    await sandbox?.stop();
    await db.$disconnect();
    await database.release();
  }
}
