import http from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { parseEnv } from "@/lib/env";
import { type Integration, registerIntegrations } from "@/lib/ingest/integrations";
import { runKubernetesSync } from "@/lib/ingest/kubernetes/run-kubernetes-sync";
import { listenOnLoopback, stopOnce } from "@/lib/sandbox/loopback-server";
import { sandboxKubeconfig, writeKubeconfig } from "@/lib/sandbox/start-sandbox";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * A cluster without Flux (an Argo CD-only shop), whose API server answers 404 for Flux's kinds, or
 * whose credentials may not read HelmReleases (403): the Kubernetes source still reads Deployments,
 * and says which kinds it skipped, instead of failing as a whole.
 */
const TOKEN = "cluster-token";
const clock = frozenClock("2026-11-20T12:00:00Z");
const env = parseEnv({});
let database: TestDatabase;
let server: http.Server;
let stop: () => Promise<void>;
let dir: string;
let integration: Integration;
const requests: string[] = [];

function status(res: http.ServerResponse, code: number, reason: string, message: string) {
  res.writeHead(code, { "content-type": "application/json" });
  res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code }));
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    const url = new URL(req.url ?? "/", "http://cluster.invalid");
    if (url.pathname === "/apis/apps/v1/deployments") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          kind: "DeploymentList",
          apiVersion: "apps/v1",
          metadata: { resourceVersion: "41" },
          items: [
            {
              metadata: { name: "billing", namespace: "billing", uid: "u-1", resourceVersion: "40", labels: { app: "billing" } },
              spec: { replicas: 2, selector: { matchLabels: { app: "billing" } }, template: { metadata: { labels: { app: "billing" } }, spec: { containers: [{ name: "billing", image: "registry.example.com/billing:1.4.2" }] } } },
              status: { replicas: 2, readyReplicas: 2 },
            },
          ],
        }),
      );
      return;
    }
    if (url.pathname.startsWith("/apis/helm.toolkit.fluxcd.io/")) return status(res, 403, "Forbidden", 'helmreleases.helm.toolkit.fluxcd.io is forbidden: User "reader" cannot list resource "helmreleases"');
    return status(res, 404, "NotFound", "the server could not find the requested resource");
  });
  const url = await listenOnLoopback(server, 0);
  stop = stopOnce(server);
  dir = await mkdtemp(path.join(tmpdir(), "pipeline-health-noflux-"));
  const kubeconfigPath = path.join(dir, "kubeconfig.json");
  await writeKubeconfig(kubeconfigPath, sandboxKubeconfig({ server: url, token: TOKEN }));
  database = await createTestDatabase();
  const registered = await registerIntegrations(database.db, env, { sandboxUrl: null, sandboxKubeconfigPath: kubeconfigPath });
  integration = registered.find((entry) => entry.kind === "FLUX_KUBERNETES")!;
});

afterAll(async () => {
  await stop?.();
  await database?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("a cluster without Flux", () => {
  it("reads the Deployments, skips the kinds it is not served or may not read, and stays healthy", async () => {
    const summary = await runKubernetesSync(database.db, integration, { env, clock });
    expect(summary).toMatchObject({ deployments: 1, kustomizations: 0, helmReleases: 0, gitRepositories: 0 });
    expect(await database.db.workload.findMany({ select: { namespace: true, name: true, images: true, managedBy: true } })).toEqual([
      { namespace: "billing", name: "billing", images: ["registry.example.com/billing:1.4.2"], managedBy: "push" },
    ]);
    expect(await database.db.integration.findUnique({ where: { id: integration.id }, select: { health: true, lastError: true } })).toEqual({ health: "HEALTHY", lastError: null });
    expect(requests.some((request) => request.startsWith("/apis/helm.toolkit.fluxcd.io/"))).toBe(true);
  });
});
