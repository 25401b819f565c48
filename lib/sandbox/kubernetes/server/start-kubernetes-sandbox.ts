/**
 * The sandbox's Kubernetes API: a loopback HTTP server speaking the subset of the API server the
 * product reads (Flux Kustomizations, HelmReleases and GitRepositories; `apps/v1` Deployments;
 * list, get and watch with resourceVersion, 410 Expired for a watch that starts too far back), at
 * the real paths with the real shapes. It serves the scenario's cluster as it stood at the clock's
 * now, so `@kubernetes/client-node` reads a cluster that moves as the clock does; Deployments take
 * hand edits (PATCH, PUT) through the live overlay (lib/sandbox/live-cluster). This module owns
 * the listener and the public API; requests are handled in `handle-request.ts`.
 */
import http from "node:http";
import type { Clock } from "@/lib/clock";
import { listenOnLoopback, stopOnce } from "@/lib/sandbox/loopback-server";
import { type LiveCluster, createLiveCluster } from "@/lib/sandbox/live-cluster/live-edits";
import type { GroundTruth } from "@/lib/sandbox/scenario/ground-truth";
import { type KubeState, handleRequest } from "./handle-request";
import { createClusterStore } from "./store";
import { buildTimeline } from "./timeline";

export interface KubernetesSandboxOptions {
  /** The whole generated truth; responses show it cut at the clock's now. */
  truth: GroundTruth;
  clock: Clock;
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Bearer token (a service account's) with read access to everything served. */
  token: string;
  /** Real-time period at which watches look for changes; default 200 ms. */
  pollMs?: number;
  /**
   * How much scenario time of writes the store remembers for watches, as etcd keeps recent
   * revisions until compaction; default one hour. A watch from an older resourceVersion gets 410.
   */
  historySeconds?: number;
  /**
   * Runtime writes shared with the Argo CD sandbox (hand edits, syncs); default a fresh overlay of
   * its own. Pass the same one to both servers so an edit here shows there and a sync there here.
   */
  live?: LiveCluster;
}

export interface KubernetesSandbox {
  /** Base URL, the `server` of a kubeconfig cluster, e.g. http://127.0.0.1:PORT */
  url: string;
  stop(): Promise<void>;
  /** The runtime writes this server shows (the one passed in, or its own). */
  live: LiveCluster;
}

export async function startKubernetesSandbox(options: KubernetesSandboxOptions): Promise<KubernetesSandbox> {
  const timeline = buildTimeline(options.truth);
  const until = Math.floor(Date.parse(options.truth.until) / 1000);
  const live = options.live ?? createLiveCluster({ truth: options.truth, clock: options.clock });
  const state: KubeState = {
    store: createClusterStore(timeline, options.clock, until, options.historySeconds ?? 3600, live),
    token: options.token,
    streams: new Set(),
    pollMs: options.pollMs ?? 200,
    live,
  };

  const server = http.createServer((req, res) => {
    handleRequest(state, req, res).catch((error: unknown) => {
      console.error("[kubernetes-sandbox] request failed", error);
      if (!res.headersSent) {
        const message = error instanceof Error ? error.message : String(error);
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "InternalError", code: 500 }));
        return;
      }
      res.end();
    });
  });

  const url = await listenOnLoopback(server, options.port, options.host);

  return {
    url,
    live,
    // Watches never end on their own; end them so `close` does not wait for their clients.
    stop: stopOnce(server, () => {
      for (const stream of [...state.streams]) stream.close();
    }),
  };
}
