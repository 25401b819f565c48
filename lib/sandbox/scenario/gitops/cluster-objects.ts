import type { GitopsApp, GitopsOperation, GitopsTruth } from "./model";

/**
 * The Argo CD Application, Flux Kustomization or HelmRelease of an app as the cluster would show it
 * at the end of a truth (cut it with `truthAsOf` for another instant). Plain objects in the shapes
 * of the published CRDs; the sandbox's Argo CD and Kubernetes APIs will serve these. Argo CD keeps
 * ten syncs in `status.history`, Flux five entries: older ones are forgotten here as there.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type ClusterObject = { [key: string]: Json };

const ARGO_HISTORY = 10;
const FLUX_HISTORY = 5;

export function clusterObjectOf(truth: GitopsTruth, app: GitopsApp): ClusterObject {
  const operations = truth.operations.filter((operation) => operation.serviceSlug === app.serviceSlug);
  const head = truth.configCommits.filter((commit) => commit.serviceSlug === app.serviceSlug).at(-1) ?? null;
  const applied = [...operations].reverse().find((operation) => operation.result?.phase === "Succeeded" && operation.changesRevision);
  const openDrift = truth.driftEpisodes.some((episode) => episode.serviceSlug === app.serviceSlug && episode.endedAt === null);
  const health = truth.healthTransitions.filter((transition) => transition.serviceSlug === app.serviceSlug).at(-1)?.status ?? "Healthy";
  const metadata = { name: app.name, namespace: app.namespace, creationTimestamp: app.createdAt };
  if (app.controller === "argocd-application") return argoApplication(app, metadata, operations, head?.sha ?? null, applied, openDrift, health, truth);
  const last = operations.at(-1);
  const ready = last?.result ? last.result.phase === "Succeeded" : true;
  const conditions: Json[] = [
    {
      type: "Ready",
      status: last && !last.result ? "Unknown" : ready ? "True" : "False",
      reason: last && !last.result ? "Progressing" : ready ? "ReconciliationSucceeded" : "HealthCheckFailed",
      message: last?.result?.message ?? "Reconciliation in progress",
      lastTransitionTime: last?.result?.finishedAt ?? last?.startedAt ?? app.createdAt,
    },
  ];
  // A HelmRelease that detects drift says so while it lasts (DESIGN §4); with detection off it cannot.
  const drift = truth.driftEpisodes.filter((episode) => episode.serviceSlug === app.serviceSlug && episode.endedAt === null).at(-1);
  if (app.controller === "flux-helmrelease" && app.driftDetection === "enabled" && drift) {
    conditions.push({
      type: "Drifted",
      status: "True",
      reason: "DriftDetected",
      message: drift.resources.map((resource) => `${resource.kind}/${resource.namespace}/${resource.name} ${resource.field}: ${resource.liveValue} (desired ${resource.desiredValue})`).join("; "),
      lastTransitionTime: drift.startedAt,
    });
  }
  const revision = (sha: string | null | undefined): string => (sha ? `${app.configBranch}@sha1:${sha}` : "");
  if (app.controller === "flux-kustomization") {
    return {
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      metadata,
      spec: { interval: "10m0s", path: `./${app.path}`, prune: true, sourceRef: { kind: "GitRepository", name: `${app.serviceSlug}-config` }, targetNamespace: app.workload.namespace },
      status: { conditions, lastAppliedRevision: revision(applied?.revision), lastAttemptedRevision: revision(last?.revision), observedGeneration: 1 },
    };
  }
  const successes = operations.filter((operation) => operation.changesRevision && operation.result?.phase === "Succeeded");
  const history: Json[] = successes
    .slice(-FLUX_HISTORY)
    .reverse()
    .map((operation, index) => ({
      name: app.name,
      namespace: app.workload.namespace,
      version: successes.length - index,
      status: index === 0 ? "deployed" : "superseded",
      chartName: app.serviceSlug,
      chartVersion: "1.0.0",
      configDigest: configDigestOf(operation.revision),
      digest: `sha256:${operation.revision.slice(0, 24)}${operation.revision}`,
      firstDeployed: app.createdAt,
      lastDeployed: operation.result!.finishedAt,
    }));
  return {
    apiVersion: "helm.toolkit.fluxcd.io/v2",
    kind: "HelmRelease",
    metadata,
    spec: {
      interval: "10m0s",
      chart: { spec: { chart: `./charts/${app.serviceSlug}`, sourceRef: { kind: "GitRepository", name: `${app.serviceSlug}-config` } } },
      driftDetection: { mode: app.driftDetection ?? "disabled" },
      valuesFrom: [{ kind: "ConfigMap", name: `${app.serviceSlug}-values` }],
    },
    // helm-controller v2 records the digest of the values it last tried (the chart version is the
    // same every time): a failed upgrade leaves it different from the deployed release's.
    status: { conditions, history, ...(last ? { lastAttemptedConfigDigest: configDigestOf(last.revision) } : {}), lastAttemptedRevision: "1.0.0", observedGeneration: 1 },
  };
}

/** A HelmRelease release's `configDigest`: the digest of the values a config revision gives it. */
function configDigestOf(revision: string): string {
  return `sha256:${revision}${revision.slice(0, 24)}`;
}

function argoApplication(
  app: GitopsApp,
  metadata: ClusterObject,
  operations: GitopsOperation[],
  desired: string | null,
  applied: GitopsOperation | undefined,
  openDrift: boolean,
  health: string,
  truth: GitopsTruth,
): ClusterObject {
  const last = operations.at(-1);
  const source = { repoURL: `https://github.com/${app.configRepository}.git`, path: app.path, targetRevision: app.configBranch };
  const synced = applied?.revision ?? null;
  const image = truth.configCommits.find((commit) => commit.sha === synced)?.image;
  const history: Json[] = operations
    .filter((operation) => operation.result?.phase === "Succeeded" && !operation.partialResources && operation.trigger !== "self-heal")
    .slice(-ARGO_HISTORY)
    .map((operation, index) => ({ id: index, revision: operation.revision, deployStartedAt: operation.startedAt, deployedAt: operation.result!.finishedAt, source, initiatedBy: initiator(operation) }));
  const status: ClusterObject = {
    sync: { status: synced !== null && synced === desired && !openDrift ? "Synced" : "OutOfSync", revision: desired ?? "", comparedTo: { source, destination: { server: "https://kubernetes.default.svc", namespace: app.workload.namespace } } },
    health: { status: health },
    history,
    summary: { images: image ? [image] : [] },
  };
  if (last) {
    status.operationState = {
      // Argo CD counts self-heal attempts on the operations its controller starts to undo drift.
      operation: { sync: { revision: last.revision, ...(last.trigger === "self-heal" ? { autoHealAttemptsCount: 1 } : {}), ...(last.partialResources ? { resources: last.partialResources.map(({ kind, namespace, name }) => ({ group: kind === "Deployment" ? "apps" : "", kind, namespace, name })) } : {}) }, initiatedBy: initiator(last), retry: { limit: 5 } },
      phase: last.result?.phase ?? "Running",
      message: last.result?.message ?? "waiting for completion of hook and other tasks",
      startedAt: last.startedAt,
      ...(last.result ? { finishedAt: last.result.finishedAt, syncResult: { revision: last.revision, source, resources: [] } } : {}),
    };
  }
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata,
    spec: {
      project: "default",
      source,
      destination: { server: "https://kubernetes.default.svc", namespace: app.workload.namespace },
      syncPolicy: app.autoSync ? { automated: { prune: true, selfHeal: app.selfHeal } } : {},
    },
    status,
  };
}

function initiator(operation: GitopsOperation): ClusterObject {
  return operation.initiatedBy.automated ? { automated: true } : { username: operation.initiatedBy.username ?? "", automated: false };
}
