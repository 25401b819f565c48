import type { Clock } from "@/lib/clock";
import { SANDBOX_ARGOCD_TOKEN, SANDBOX_GITHUB_TOKEN, SANDBOX_HISTORY_DAYS } from "@/lib/ingest/integrations";
import { startArgoCdSandbox } from "@/lib/sandbox/argocd/server/start-argocd-sandbox";
import { startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import type { GroundTruth } from "@/lib/sandbox/scenario/ground-truth";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { truthAsOf } from "@/lib/sandbox/scenario/truth-as-of";

/**
 * How far past the later of the anchor and "now" the org is generated at start: a demo left
 * running for weeks keeps getting new commits, releases and incidents. A restart generates afresh
 * from its own "now"; the earlier history comes out the same, so nothing ingested is contradicted.
 */
export const SANDBOX_LIVE_DAYS = 60;

const DAY_MS = 86_400_000;

export interface RunningSandbox {
  githubUrl: string;
  /** Argo CD's API over the same truth (ARGOCD_SERVER); it accepts SANDBOX_ARGOCD_TOKEN. */
  argocdUrl: string;
  /** The last instant the org was generated to; past it the org stands still. */
  until: Date;
  /** The ground truth as of `instant` (at most `until`): what had happened by then. */
  truthAt(instant: Date): GroundTruth;
  stop(): Promise<void>;
}

/**
 * The demo org: the scenario's history up to its anchor, continued past the clock's "now", served
 * on a loopback port. The server shows only what has happened by the clock's now, so with a real
 * clock the org grows as time passes, and the product's real GitHub client reads it over HTTP
 * exactly as it reads GitHub.
 */
export async function startSandbox(options: {
  clock: Clock;
  port: number;
  /** Argo CD's port; default 0 (a free one), so an existing SANDBOX_PORT setup needs no second port. */
  argocdPort?: number;
  seed?: string;
  anchor?: Date;
}): Promise<RunningSandbox> {
  const now = options.clock.now();
  const anchor = options.anchor ?? now;
  const until = new Date(Math.max(anchor.getTime(), now.getTime()) + SANDBOX_LIVE_DAYS * DAY_MS);
  const { org, truth } = generateScenario({ seed: options.seed, anchor, historyDays: SANDBOX_HISTORY_DAYS, until });
  // 15,000 requests an hour, a GitHub App's budget on Enterprise Cloud: the demo's first backfill
  // (about 8,000 requests) fits, as it would for a real org of this size.
  const github = await startGithubSandbox({ org, clock: options.clock, port: options.port, token: SANDBOX_GITHUB_TOKEN, rateLimit: { limit: 15_000, windowSeconds: 3600 } });
  const argocd = await startArgoCdSandbox({ truth, clock: options.clock, port: options.argocdPort ?? 0, token: SANDBOX_ARGOCD_TOKEN }).catch(async (error: unknown) => {
    await github.stop();
    throw error;
  });
  return {
    githubUrl: github.url,
    argocdUrl: argocd.url,
    until,
    truthAt: (instant) => truthAsOf(truth, instant),
    stop: async () => {
      await Promise.all([github.stop(), argocd.stop()]);
    },
  };
}

/** A port conflict explained the way the embedded database explains its own. */
export function describeSandboxError(error: unknown, port: number): Error {
  if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
    return new Error(`Port ${port} on 127.0.0.1 is already in use, so the sandbox org cannot be served there. Stop what uses it, or set SANDBOX_PORT to a free port.`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
