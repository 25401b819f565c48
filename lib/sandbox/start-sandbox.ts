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
export async function startSandbox(options: { clock: Clock; port: number; seed?: string }): Promise<RunningSandbox> {
  const { org, truth } = generateScenario({ seed: options.seed, anchor: options.clock.now(), historyDays: SANDBOX_HISTORY_DAYS });
  const github = await startGithubSandbox({ org, clock: options.clock, port: options.port, token: SANDBOX_GITHUB_TOKEN });
  return { githubUrl: github.url, truth, stop: () => github.stop() };
}
