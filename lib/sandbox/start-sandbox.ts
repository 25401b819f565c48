import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Clock } from "@/lib/clock";
import { SANDBOX_ARGOCD_TOKEN, SANDBOX_GITHUB_TOKEN, SANDBOX_HISTORY_DAYS, SANDBOX_KUBERNETES_TOKEN } from "@/lib/ingest/integrations";
import { createLiveCluster } from "@/lib/sandbox/live-cluster/live-edits";
import { startArgoCdSandbox } from "@/lib/sandbox/argocd/server/start-argocd-sandbox";
import { startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import { startKubernetesSandbox } from "@/lib/sandbox/kubernetes/server/start-kubernetes-sandbox";
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
  /**
   * The Kubernetes API over the same truth (Flux objects and Deployments); it accepts
   * SANDBOX_KUBERNETES_TOKEN. `kubeconfig` is a kubeconfig for it (see `sandboxKubeconfig`).
   */
  kubernetesUrl: string;
  kubeconfig: string;
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
  /** The Kubernetes API's port; default 0 (a free one). */
  kubernetesPort?: number;
  /** Where to write the kubeconfig for the sandbox's Kubernetes API (mode 0600); none when unset. */
  kubeconfigPath?: string;
  seed?: string;
  anchor?: Date;
}): Promise<RunningSandbox> {
  const now = options.clock.now();
  const anchor = options.anchor ?? now;
  const until = new Date(Math.max(anchor.getTime(), now.getTime()) + SANDBOX_LIVE_DAYS * DAY_MS);
  const { org, truth } = generateScenario({ seed: options.seed, anchor, historyDays: SANDBOX_HISTORY_DAYS, until });
  const started: { stop(): Promise<void> }[] = [];
  // One after another, the fixed SANDBOX_PORT first so a port conflict fails before the slow work;
  // one that fails stops those already up.
  const stopStarted = () => Promise.all(started.map((server) => server.stop()));
  try {
    // 15,000 requests an hour, a GitHub App's budget on Enterprise Cloud: the demo's first backfill
    // (about 8,000 requests) fits, as it would for a real org of this size.
    const github = await startGithubSandbox({ org, clock: options.clock, port: options.port, token: SANDBOX_GITHUB_TOKEN, rateLimit: { limit: 15_000, windowSeconds: 3600 } });
    started.push(github);
    // One live overlay for both: a hand edit made through the Kubernetes API shows as drift in Argo
    // CD, and a sync made through Argo CD changes the Deployment the Kubernetes API serves.
    const live = createLiveCluster({ truth, clock: options.clock });
    const argocd = await startArgoCdSandbox({ truth, clock: options.clock, port: options.argocdPort ?? 0, token: SANDBOX_ARGOCD_TOKEN, live });
    started.push(argocd);
    // The slowest to start (it computes every object's versions over the whole scenario, ~3.5 s).
    const kubernetes = await startKubernetesSandbox({ truth, clock: options.clock, port: options.kubernetesPort ?? 0, token: SANDBOX_KUBERNETES_TOKEN, live });
    started.push(kubernetes);
    const kubeconfig = sandboxKubeconfig({ server: kubernetes.url, token: SANDBOX_KUBERNETES_TOKEN });
    if (options.kubeconfigPath) await writeKubeconfig(options.kubeconfigPath, kubeconfig);
    return {
      githubUrl: github.url,
      argocdUrl: argocd.url,
      kubernetesUrl: kubernetes.url,
      kubeconfig,
      until,
      truthAt: (instant) => truthAsOf(truth, instant),
      stop: async () => {
        await stopStarted();
      },
    };
  } catch (error) {
    await stopStarted();
    throw error;
  }
}

/**
 * A kubeconfig (JSON, which kubectl and client-node read as YAML) for a cluster named `sandbox`
 * reached with a bearer token, in one context `sandbox` that is current. Pure, so it is tested
 * without a server. client-node refuses a plain `http://` server unless the cluster says
 * `insecure-skip-tls-verify: true`, so it says so for one (there is no TLS to verify).
 */
export function sandboxKubeconfig(options: { server: string; token: string }): string {
  const plainHttp = options.server.startsWith("http:");
  const config = {
    apiVersion: "v1",
    kind: "Config",
    preferences: {},
    clusters: [{ name: "sandbox", cluster: { server: options.server, ...(plainHttp ? { "insecure-skip-tls-verify": true } : {}) } }],
    users: [{ name: "sandbox", user: { token: options.token } }],
    contexts: [{ name: "sandbox", context: { cluster: "sandbox", user: "sandbox" } }],
    "current-context": "sandbox",
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Writes a kubeconfig readable by its owner only (it holds a credential), making its directory if needed. */
export async function writeKubeconfig(filePath: string, kubeconfig: string): Promise<void> {
  await mkdir(path.dirname(filePath), { recursive: true, mode: 0o700 });
  await writeFile(filePath, kubeconfig, { mode: 0o600 });
  // `mode` applies only when the file is created; an existing one keeps its own.
  await chmod(filePath, 0o600);
}

/** A port conflict explained the way the embedded database explains its own. */
export function describeSandboxError(error: unknown, port: number): Error {
  if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
    return new Error(`Port ${port} on 127.0.0.1 is already in use, so the sandbox org cannot be served there. Stop what uses it, or set SANDBOX_PORT to a free port.`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
