/**
 * The sandbox Argo CD: a loopback HTTP server speaking the part of Argo CD's REST API the product
 * uses (list, get and watch applications, resource tree, managed-resource diff, sync windows,
 * sync), at Argo CD's paths with its JSON shapes and errors. It serves the scenario's Argo CD
 * applications as they stood at the clock's now, so the product's real client reads a cluster that
 * moves as the clock does; a sync runs as an operation in the live overlay (lib/sandbox/live-cluster),
 * shared with the Kubernetes sandbox. This module owns the listener and the public API; requests are handled
 * in `handle-request.ts`.
 */
import http from "node:http";
import type { Clock } from "@/lib/clock";
import { listenOnLoopback, stopOnce } from "@/lib/sandbox/loopback-server";
import { type LiveCluster, createLiveCluster } from "@/lib/sandbox/live-cluster/live-edits";
import type { GroundTruth } from "@/lib/sandbox/scenario/ground-truth";
import { type ArgoSession, type ArgoState, type ArgoSyncCall, handleRequest } from "./handle-request";
import { createSnapshotSource } from "./snapshot";
import { gatedAppName } from "./sync-windows";

export type { ArgoSyncCall } from "./handle-request";

export interface ArgoCdSandboxOptions {
  /** The whole generated truth; responses show it cut at the clock's now. */
  truth: GroundTruth;
  clock: Clock;
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Bearer token with full rights (Argo CD's `admin`). */
  token: string;
  /** A token that may read but not sync, as a `role:readonly` account. */
  readOnlyToken?: string;
  /** Real-time period at which watch streams look for changes; default 200 ms. */
  pollMs?: number;
  /**
   * Runtime writes shared with the Kubernetes sandbox (hand edits, syncs); default a fresh overlay
   * of its own. Pass the same one to both servers so a sync here moves the Deployment there.
   */
  live?: LiveCluster;
}

export interface ArgoCdSandbox {
  /** Base URL to use as ARGOCD_SERVER, e.g. http://127.0.0.1:PORT */
  url: string;
  stop(): Promise<void>;
  /** Sync requests accepted so far, oldest first. */
  syncCalls(): ArgoSyncCall[];
  /** The runtime writes this server shows (the one passed in, or its own). */
  live: LiveCluster;
}

export async function startArgoCdSandbox(options: ArgoCdSandboxOptions): Promise<ArgoCdSandbox> {
  const sessions = new Map<string, ArgoSession>([[options.token, { subject: "admin", canSync: true }]]);
  if (options.readOnlyToken !== undefined && options.readOnlyToken !== options.token) sessions.set(options.readOnlyToken, { subject: "readonly", canSync: false });
  const live = options.live ?? createLiveCluster({ truth: options.truth, clock: options.clock });
  const state: ArgoState = {
    clock: options.clock,
    snapshot: createSnapshotSource(options.truth, options.clock, live),
    sessions,
    gatedApp: gatedAppName(options.truth.gitops.apps.filter((app) => app.controller === "argocd-application")),
    syncCalls: [],
    streams: new Set(),
    pollMs: options.pollMs ?? 200,
    live,
  };

  const server = http.createServer((req, res) => {
    handleRequest(state, req, res).catch((error: unknown) => {
      console.error("[argocd-sandbox] request failed", error);
      if (!res.headersSent) {
        const message = error instanceof Error ? error.message : String(error);
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: message, code: 13, message }));
        return;
      }
      res.end();
    });
  });

  const url = await listenOnLoopback(server, options.port, options.host);

  return {
    url,
    live,
    syncCalls: () => state.syncCalls.map((call) => ({ ...call })),
    // Watches never end on their own; end them so `close` does not wait for their clients.
    stop: stopOnce(server, () => {
      for (const stream of [...state.streams]) stream.close();
    }),
  };
}
