/**
 * Ingestion benchmark: backfills the sandbox org from scratch into a real Postgres, then syncs the
 * unchanged org again. Prints figures; asserts nothing.
 *
 *   TEST_DATABASE_URL=postgresql://… npm run bench:ingest [-- historyDays]
 */
import { frozenClock } from "@/lib/clock";
import { parseEnv } from "@/lib/env";
import { runGithubSync } from "@/lib/ingest/github/run-github-sync";
import { registerIntegrations } from "@/lib/ingest/integrations";
import { startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { createTestDatabase } from "../integration/helpers/test-database";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { followArgoCd } from "@/lib/ingest/argocd/follow-argocd";
import { runArgoCdSync } from "@/lib/ingest/argocd/run-argocd-sync";
import { SANDBOX_ARGOCD_TOKEN, SANDBOX_KUBERNETES_TOKEN } from "@/lib/ingest/integrations";
import { followKubernetes } from "@/lib/ingest/kubernetes/follow-kubernetes";
import { runKubernetesSync } from "@/lib/ingest/kubernetes/run-kubernetes-sync";
import { startArgoCdSandbox } from "@/lib/sandbox/argocd/server/start-argocd-sandbox";
import { startKubernetesSandbox } from "@/lib/sandbox/kubernetes/server/start-kubernetes-sandbox";
import { createLiveCluster } from "@/lib/sandbox/live-cluster/live-edits";
import { sandboxKubeconfig, writeKubeconfig } from "@/lib/sandbox/start-sandbox";

if (!process.env.TEST_DATABASE_URL) {
  console.error("Set TEST_DATABASE_URL to a local Postgres server (a throwaway database is created on it); the benchmark measures real Postgres, not the embedded one.");
  process.exit(2);
}

const historyDays = Number(process.argv[2] ?? 200);
const clock = frozenClock("2026-11-27T12:00:00Z");
const generated = performance.now();
const { org, truth } = generateScenario({ anchor: clock.now(), historyDays });
const generationMs = performance.now() - generated;
const sandbox = await startGithubSandbox({ org, clock, port: 0, rateLimit: { limit: 1_000_000, windowSeconds: 3600 } });
const database = await createTestDatabase();
const env = parseEnv({});
const [integration] = await registerIntegrations(database.db, env, { sandboxUrl: sandbox.url });

const first = performance.now();
await runGithubSync(database.db, integration!, { env, clock });
const firstSeconds = (performance.now() - first) / 1000;
const firstRequests = sandbox.requests.length;
const deployments = await database.db.deployment.count();
const [pulls, commits] = await Promise.all([database.db.pullRequest.count(), database.db.commit.count()]);

sandbox.resetLog();
const second = performance.now();
await runGithubSync(database.db, integration!, { env, clock });
const secondSeconds = (performance.now() - second) / 1000;
const notModified = sandbox.requests.filter((request) => request.status === 304).length;

console.log(`conditions: node ${process.version}, Postgres at TEST_DATABASE_URL, sandbox on loopback, ${historyDays} days of history, no faults`);
console.log(`scenario: ${org.repositories.length} repositories, ${truth.deployments.length} deployments, ${truth.changes.length} changes (generated in ${Math.round(generationMs)} ms)`);
console.log(`backfill: ${deployments} deployments, ${pulls} pull requests, ${commits} commits in ${firstSeconds.toFixed(1)} s`);
console.log(`          ${(deployments / firstSeconds).toFixed(1)} deployments/s, ${firstRequests} GitHub requests = ${(firstRequests / deployments).toFixed(2)} requests per deployment`);
console.log(`unchanged re-sync: ${sandbox.requests.length} requests in ${secondSeconds.toFixed(1)} s, ${notModified} answered 304 (${((100 * notModified) / Math.max(1, sandbox.requests.length)).toFixed(0)} %), rate budget spent: ${sandbox.requests.length - notModified}`);

// ── Cluster sources: Argo CD and the Kubernetes API (Flux, Deployments) ──
const dir = await mkdtemp(path.join(tmpdir(), "pipeline-health-bench-"));
const kubeconfigPath = path.join(dir, "kubeconfig.json");
const live = createLiveCluster({ truth, clock });
const argocd = await startArgoCdSandbox({ truth, clock, port: 0, token: SANDBOX_ARGOCD_TOKEN, live });
const kubernetes = await startKubernetesSandbox({ truth, clock, port: 0, token: SANDBOX_KUBERNETES_TOKEN, live, pollMs: 100 });
await writeKubeconfig(kubeconfigPath, sandboxKubeconfig({ server: kubernetes.url, token: SANDBOX_KUBERNETES_TOKEN }));
const clusterIntegrations = await registerIntegrations(database.db, env, { sandboxUrl: sandbox.url, sandboxArgocdUrl: argocd.url, sandboxKubeconfigPath: kubeconfigPath });
const argoIntegration = clusterIntegrations.find((entry) => entry.kind === "ARGOCD")!;
const kubeIntegration = clusterIntegrations.find((entry) => entry.kind === "FLUX_KUBERNETES")!;

const argoStart = performance.now();
const argoSummary = await runArgoCdSync(database.db, argoIntegration, { env, clock });
const argoSeconds = (performance.now() - argoStart) / 1000;
const kubeStart = performance.now();
const kubeSummary = await runKubernetesSync(database.db, kubeIntegration, { env, clock });
const kubeSeconds = (performance.now() - kubeStart) / 1000;
const kubeObjects = kubeSummary.deployments + kubeSummary.kustomizations + kubeSummary.helmReleases + kubeSummary.gitRepositories;
const operations = await database.db.gitOpsOperation.count();
console.log(`argocd pass: ${argoSummary.applications} applications, ${operations} operations stored in ${argoSeconds.toFixed(2)} s (${(argoSummary.applications / argoSeconds).toFixed(1)} applications/s, each with its history)`);
console.log(`kubernetes pass: ${kubeObjects} objects in ${kubeSeconds.toFixed(2)} s (${(kubeObjects / kubeSeconds).toFixed(1)} objects/s, then the metric refresh)`);

// Change → dashboard while watching: a hand edit of a push-based service's production Deployment,
// timed until the drift episode is in the database the Drift page reads (it polls every 5 s).
const controller = new AbortController();
const followers = Promise.all([
  followArgoCd(database.db, argoIntegration, { env, clock, signal: controller.signal, settleMs: 200 }),
  followKubernetes(database.db, kubeIntegration, { env, clock, signal: controller.signal, settleMs: 200 }),
]);
await new Promise((resolve) => setTimeout(resolve, 3_000));
const pushWorkloads = truth.gitops.pushWorkloads.slice(0, 5);
const latencies: number[] = [];
for (const [index, { workload }] of pushWorkloads.entries()) {
  const before = await database.db.driftEpisode.count();
  const started = performance.now();
  const response = await fetch(`${kubernetes.url}/apis/apps/v1/namespaces/${workload.namespace}/deployments/${workload.name}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${SANDBOX_KUBERNETES_TOKEN}`, "content-type": "application/strategic-merge-patch+json" },
    body: JSON.stringify({ spec: { template: { spec: { containers: [{ name: workload.container, image: `registry.acme-sandbox.dev/${workload.name}:debug-bench-${index}` }] } } } }),
  });
  if (!response.ok) throw new Error(`PATCH ${workload.name}: ${response.status} ${await response.text()}`);
  while ((await database.db.driftEpisode.count()) === before) {
    if (performance.now() - started > 30_000) throw new Error(`no drift episode for ${workload.name} after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  latencies.push(performance.now() - started);
}
controller.abort();
await followers;
latencies.sort((a, b) => a - b);
console.log(`watch latency, hand edit → drift episode stored: median ${Math.round(latencies[Math.floor(latencies.length / 2)]!)} ms, max ${Math.round(latencies.at(-1)!)} ms over ${latencies.length} edits (sandbox watch poll 100 ms; the Drift page refetches every 5 s on top)`);
await Promise.all([sandbox.stop(), argocd.stop(), kubernetes.stop()]);
await rm(dir, { recursive: true, force: true });
await database.close();
