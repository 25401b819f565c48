import type { Clock } from "@/lib/clock";
import { startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import { SANDBOX_GITHUB_TOKEN, SANDBOX_HISTORY_DAYS } from "@/lib/ingest/integrations";
import type { GroundTruth } from "@/lib/sandbox/scenario/ground-truth";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";

export interface RunningSandbox {
  githubUrl: string;
  truth: GroundTruth;
  stop(): Promise<void>;
}

/**
 * The demo org: the scenario generated for the clock's "now" and served on a loopback port, so
 * the product's real GitHub client reads it over HTTP exactly as it reads GitHub.
 */
export async function startSandbox(options: { clock: Clock; port: number; seed?: string; anchor?: Date }): Promise<RunningSandbox> {
  const { org, truth } = generateScenario({ seed: options.seed, anchor: options.anchor ?? options.clock.now(), historyDays: SANDBOX_HISTORY_DAYS });
  // 15,000 requests an hour, a GitHub App's budget on Enterprise Cloud: the demo's first backfill
  // (about 8,000 requests) fits, as it would for a real org of this size.
  const github = await startGithubSandbox({ org, clock: options.clock, port: options.port, token: SANDBOX_GITHUB_TOKEN, rateLimit: { limit: 15_000, windowSeconds: 3600 } });
  return { githubUrl: github.url, truth, stop: () => github.stop() };
}

/** A port conflict explained the way the embedded database explains its own. */
export function describeSandboxError(error: unknown, port: number): Error {
  if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
    return new Error(`Port ${port} on 127.0.0.1 is already in use, so the sandbox org cannot be served there. Stop what uses it, or set SANDBOX_PORT to a free port.`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
