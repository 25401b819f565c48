/**
 * The sandbox cluster's runtime writes, on top of the scenario's precomputed timeline: hand edits
 * of a Deployment (image, replicas) made through the Kubernetes API, and sync operations started
 * through Argo CD's API, together with what the owning controller does about them (Argo CD
 * self-heal, Flux's next reconcile). One object is shared by the sandbox's Kubernetes and Argo CD
 * servers, so an edit made through one shows in the other.
 *
 * Everything is written at the clock's now (epoch seconds, the resolution of the scenario and of
 * Kubernetes timestamps) and a controller's reaction is written at once with the future instant it
 * happens at: readers cut the record at their own now, so nothing needs a timer, a frozen clock in
 * tests sees an edit at once and its self-heal only once the test moves the clock, and a real clock
 * plays it out as time passes.
 *
 * Which writes stand: a later write wins. A hand edit lasts until the owner undoes it (see
 * `controllerResponse`) or until the scenario next applies something to the workload (a sync or
 * reconcile that succeeded, a push-based deployment): those scenario instants are "resets" that
 * drop every runtime write made before them, as applying the manifests again would.
 */
import type { Clock } from "@/lib/clock";
import type { GitopsApp, GitopsControllerKind } from "@/lib/sandbox/scenario/gitops/model";
import type { GroundTruth } from "@/lib/sandbox/scenario/ground-truth";

/** Argo CD self-heal: how long after a hand edit its automated sync starts, and how long it runs. */
export const SELF_HEAL_DELAY_SECONDS = 5;
export const SELF_HEAL_DURATION_SECONDS = 2;
/** How long a sync started through the Argo CD API runs before it succeeds. */
export const SYNC_DURATION_SECONDS = 3;
/**
 * The reconcile period Flux applies to runtime edits. The scenario's objects say 10 minutes; a
 * demo (and a test) should not wait that long to see a Kustomization undo a hand edit, so runtime
 * edits are corrected at the next whole minute of clock time.
 */
export const RUNTIME_RECONCILE_INTERVAL_SECONDS = 60;
/** Replicas the config repositories ask for; a sync puts a hand-scaled Deployment back to it. */
export const DESIRED_REPLICAS = 3;

export type LiveOwnerKind = GitopsControllerKind | "push";

export interface LiveWorkload {
  serviceSlug: string;
  namespace: string;
  name: string;
  container: string;
  owner: LiveOwnerKind;
  /** The GitOps app that reconciles it; null for a push-based service's Deployment. */
  app: GitopsApp | null;
}

/** The hand edits in effect on a workload. */
export interface LiveEdit {
  /** Edited image of the workload's container, null when only replicas were edited. */
  image: string | null;
  replicas: number | null;
  /** First edit since the workload last matched its owner's intent: when the drift started. */
  since: number;
  /** Last edit, and each field manager's last write (`metadata.managedFields`). */
  at: number;
  managers: { manager: string; at: number }[];
}

/** A runtime write's effect on one workload at an instant. */
export interface WorkloadLayer {
  edit: LiveEdit | null;
  /** What a sync run through the Argo CD API applied, until the scenario applies something newer. */
  synced: { revision: string; image: string; at: number; operationId: string } | null;
  /** The owner's last write that undid hand edits (self-heal, reconcile, sync), for managedFields. */
  restored: { at: number; manager: string } | null;
  /** Spec writes so far (edits, reverts, syncs): the Deployment's generation moves by these. */
  writes: number;
  /** Last instant the layer changed; null while the overlay never touched the workload. */
  changedAt: number | null;
}

export interface LiveOperation {
  id: string;
  appName: string;
  serviceSlug: string;
  trigger: "self-heal" | "manual";
  /** Config repository sha synced (`syncResult.revision`). */
  revision: string;
  /** The revision as asked for (`operation.sync.revision`): a sha, a branch or "HEAD". */
  requestedRevision: string;
  startedAt: number;
  finishedAt: number;
  initiatedBy: { automated: true } | { automated: false; username: string };
  info: { name: string; value: string }[];
  prune: boolean;
  dryRun: boolean;
  /** A partial sync's resources; null for a whole-app sync. */
  resources: { group: string; kind: string; namespace: string; name: string }[] | null;
  /** Argo CD counts the self-heal attempts it made for the same drift; null for a person's sync. */
  autoHealAttemptsCount: number | null;
}

/** One write the Kubernetes store must show as a MODIFIED object of its own, in store order. */
export interface LiveKubeEntry {
  at: number;
  resource: "deployments" | "helmreleases";
  namespace: string;
  name: string;
  /** The workload whose layer the object shows. */
  workload: { namespace: string; name: string };
  /** Cut for `layerAt`: runtime writes of the same second up to this sequence number count. */
  cutSeq: number;
}

/**
 * Which writes `layerAt` folds: everything before `at`, and at `at` the writes numbered up to
 * `seq` (Infinity: all of that second; -1: none, as the scenario's own writes of a second come
 * before the runtime writes of that second). Scenario resets at or before `at` always count.
 */
export interface LayerCut {
  at: number;
  seq: number;
}

export interface EditInput {
  namespace: string;
  name: string;
  image: string | null;
  replicas: number | null;
  /** Field manager (`?fieldManager=`, else the client's user agent), as the API server records it. */
  manager: string;
}

export interface SyncInput {
  appName: string;
  /** The resolved config sha, and the revision as the request named it. */
  revision: string;
  requestedRevision: string;
  /** The image the revision's manifests name. */
  image: string;
  username: string;
  info: { name: string; value: string }[];
  prune: boolean;
  dryRun: boolean;
  resources: LiveOperation["resources"];
}

export class LiveOperationInProgress extends Error {
  constructor(appName: string) {
    super(`another operation is already in progress on ${appName}`);
  }
}

export interface LiveCluster {
  /** Moves on every write, so readers can cache per (second, version). */
  version(): number;
  /** The clock's now, epoch seconds. */
  nowSeconds(): number;
  workload(namespace: string, name: string): LiveWorkload | undefined;
  workloadOfApp(appName: string): LiveWorkload | undefined;
  /** Records a hand edit at the clock's now and schedules its owner's answer. */
  edit(input: EditInput): void;
  /** Starts a sync of an Argo CD app at the clock's now; throws LiveOperationInProgress while one runs. */
  startSync(input: SyncInput): LiveOperation;
  layerAt(namespace: string, name: string, cut: LayerCut): WorkloadLayer;
  /** The runtime operations of an app started at or before `at`, oldest first. */
  operations(appName: string, at: number): LiveOperation[];
  /** Every instant at which an app's Argo CD view changes through runtime writes, sorted. */
  appInstants(appName: string): number[];
  /** The Kubernetes store's extra writes, in store order. */
  kubeEntries(): LiveKubeEntry[];
  /** The revision an Argo CD app runs at `at`: the last sync that applied one (runtime or scenario). */
  syncedRevision(appName: string, at: number): string | null;
}

type WorkloadEvent =
  | { kind: "edit"; seq: number; at: number; image: string | null; replicas: number | null; manager: string }
  | { kind: "revert"; seq: number; at: number; manager: string; operationId: string | null }
  | { kind: "sync"; seq: number; at: number; revision: string; image: string; operationId: string };

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const keyOf = (namespace: string, name: string) => `${namespace}/${name}`;

/** Index of the first entry greater than `value` in a sorted array. */
function upperBound(sorted: number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The manager name the owner's controller writes under, as the real controllers call themselves. */
function controllerManager(owner: LiveOwnerKind): string {
  switch (owner) {
    case "argocd-application":
      return "argocd-controller";
    case "flux-kustomization":
      return "kustomize-controller";
    case "flux-helmrelease":
      return "helm-controller";
    case "push":
      return "pipeline";
  }
}

export function createLiveCluster(options: { truth: GroundTruth; clock: Clock }): LiveCluster {
  const { truth, clock } = options;
  const workloads = new Map<string, LiveWorkload>();
  const byApp = new Map<string, LiveWorkload>();
  for (const app of truth.gitops.apps) {
    const workload: LiveWorkload = { serviceSlug: app.serviceSlug, ...app.workload, owner: app.controller, app };
    workloads.set(keyOf(app.workload.namespace, app.workload.name), workload);
    if (app.controller === "argocd-application") byApp.set(app.name, workload);
  }
  for (const entry of truth.gitops.pushWorkloads) {
    workloads.set(keyOf(entry.workload.namespace, entry.workload.name), { serviceSlug: entry.serviceSlug, ...entry.workload, owner: "push", app: null });
  }

  // Scenario instants that apply the workload's manifests again, dropping runtime writes before them.
  const resets = new Map<string, number[]>();
  const resetsOf = (workload: LiveWorkload): number[] => {
    const key = keyOf(workload.namespace, workload.name);
    let list = resets.get(key);
    if (list) return list;
    const instants =
      workload.owner === "push"
        ? truth.deployments.filter((deployment) => deployment.serviceSlug === workload.serviceSlug && deployment.production && deployment.outcome === "success").map((deployment) => seconds(deployment.finishedAt))
        : truth.gitops.operations.filter((operation) => operation.serviceSlug === workload.serviceSlug && operation.result?.phase === "Succeeded").map((operation) => seconds(operation.result!.finishedAt));
    list = [...new Set(instants)].sort((a, b) => a - b);
    resets.set(key, list);
    return list;
  };

  const events = new Map<string, WorkloadEvent[]>();
  const operations = new Map<string, LiveOperation[]>();
  let seq = 0;
  let version = 0;
  let entriesCache: { version: number; entries: LiveKubeEntry[] } | null = null;
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

  const addEvent = (workload: LiveWorkload, event: WorkloadEvent) => {
    const key = keyOf(workload.namespace, workload.name);
    const list = events.get(key) ?? [];
    list.push(event);
    list.sort((a, b) => a.at - b.at || a.seq - b.seq);
    events.set(key, list);
  };

  function fold(workload: LiveWorkload, cut: LayerCut): WorkloadLayer {
    const layer: WorkloadLayer = { edit: null, synced: null, restored: null, writes: 0, changedAt: null };
    const instants = resetsOf(workload);
    let last = -Infinity;
    const resetUpTo = (at: number) => {
      // The latest scenario reset in (last, at]: it drops what the runtime wrote before it.
      const index = upperBound(instants, at) - 1;
      const reset = instants[index];
      if (reset !== undefined && reset > last && (layer.edit || layer.synced)) {
        layer.edit = null;
        layer.synced = null;
        layer.changedAt = reset;
      }
    };
    for (const event of events.get(keyOf(workload.namespace, workload.name)) ?? []) {
      if (event.at > cut.at || (event.at === cut.at && event.seq > cut.seq)) break;
      resetUpTo(event.at);
      last = event.at;
      layer.writes++;
      layer.changedAt = event.at;
      if (event.kind === "edit") {
        const previous = layer.edit;
        const managers = (previous?.managers ?? []).filter((entry) => entry.manager !== event.manager);
        layer.edit = {
          image: event.image ?? previous?.image ?? null,
          replicas: event.replicas ?? previous?.replicas ?? null,
          since: previous?.since ?? event.at,
          at: event.at,
          managers: [...managers, { manager: event.manager, at: event.at }],
        };
      } else if (event.kind === "revert") {
        if (layer.edit) layer.restored = { at: event.at, manager: event.manager };
        layer.edit = null;
      } else {
        layer.edit = null;
        layer.synced = { revision: event.revision, image: event.image, at: event.at, operationId: event.operationId };
        layer.restored = { at: event.at, manager: controllerManager("argocd-application") };
      }
    }
    resetUpTo(cut.at);
    return layer;
  }

  const scenarioAppliedRevision = (workload: LiveWorkload, at: number): { revision: string; at: number } | null => {
    const applied = truth.gitops.operations
      .filter((operation) => operation.serviceSlug === workload.serviceSlug && operation.changesRevision && operation.result?.phase === "Succeeded" && seconds(operation.result.finishedAt) <= at)
      .at(-1);
    return applied ? { revision: applied.revision, at: seconds(applied.result!.finishedAt) } : null;
  };

  const syncedRevision = (appName: string, at: number): string | null => {
    const workload = byApp.get(appName);
    if (!workload) return null;
    const layer = fold(workload, { at, seq: Infinity });
    return layer.synced?.revision ?? scenarioAppliedRevision(workload, at)?.revision ?? null;
  };

  /** The owner's answer to a hand edit, written now with the instant it will happen. */
  function controllerResponse(workload: LiveWorkload, at: number): void {
    const app = workload.app;
    if (!app) return; // A push-based Deployment stays edited until its next deployment (a reset).
    if (app.controller === "argocd-application") {
      if (!app.autoSync || !app.selfHeal) return; // Stays OutOfSync until someone syncs.
      const own = operations.get(app.name) ?? [];
      // One pending self-heal covers every edit made before it starts.
      if (own.some((operation) => operation.trigger === "self-heal" && operation.startedAt > at)) return;
      const busyUntil = Math.max(at, ...own.map((operation) => operation.finishedAt));
      const startedAt = Math.max(at + SELF_HEAL_DELAY_SECONDS, busyUntil);
      const revision = syncedRevision(app.name, at);
      if (!revision) return;
      // Argo CD carries the count over from the app's last operation and adds one per self-heal of
      // the revision already synced; a person's sync in between starts it again.
      const lastScenario = truth.gitops.operations.filter((operation) => operation.serviceSlug === app.serviceSlug && seconds(operation.startedAt) <= at).at(-1);
      const lastLive = own.at(-1);
      const previous =
        lastLive && (!lastScenario || lastLive.startedAt >= seconds(lastScenario.startedAt)) ? (lastLive.autoHealAttemptsCount ?? 0) : lastScenario?.trigger === "self-heal" ? 1 : 0;
      const attempts = previous + 1;
      const operation: LiveOperation = {
        id: `live-${app.name}-${++seq}`,
        appName: app.name,
        serviceSlug: app.serviceSlug,
        trigger: "self-heal",
        revision,
        requestedRevision: revision,
        startedAt,
        finishedAt: startedAt + SELF_HEAL_DURATION_SECONDS,
        initiatedBy: { automated: true },
        info: [],
        prune: true,
        dryRun: false,
        resources: null,
        autoHealAttemptsCount: attempts,
      };
      operations.set(app.name, [...own, operation]);
      addEvent(workload, { kind: "revert", seq: ++seq, at: operation.finishedAt, manager: controllerManager(app.controller), operationId: operation.id });
      return;
    }
    // A HelmRelease with drift detection off never notices; Flux otherwise corrects at its next interval.
    if (app.controller === "flux-helmrelease" && app.driftDetection !== "enabled") return;
    const tick = (Math.floor(at / RUNTIME_RECONCILE_INTERVAL_SECONDS) + 1) * RUNTIME_RECONCILE_INTERVAL_SECONDS;
    const pending = events.get(keyOf(workload.namespace, workload.name)) ?? [];
    if (pending.some((event) => event.kind === "revert" && event.at === tick)) return;
    addEvent(workload, { kind: "revert", seq: ++seq, at: tick, manager: controllerManager(app.controller), operationId: null });
  }

  function computeEntries(): LiveKubeEntry[] {
    const entries: (LiveKubeEntry & { order: number })[] = [];
    for (const [key, list] of events) {
      const workload = workloads.get(key)!;
      const app = workload.app;
      const helmRelease = app && app.controller === "flux-helmrelease" && app.driftDetection === "enabled" ? app : null;
      const push = (at: number, cutSeq: number, order: number) => {
        const ref = { namespace: workload.namespace, name: workload.name };
        entries.push({ at, resource: "deployments", namespace: workload.namespace, name: workload.name, workload: ref, cutSeq, order });
        // A HelmRelease that detects drift reports it (Drifted=True) and its correction.
        if (helmRelease) entries.push({ at, resource: "helmreleases", namespace: helmRelease.namespace, name: helmRelease.name, workload: ref, cutSeq, order: order + 0.5 });
      };
      list.forEach((event, index) => {
        push(event.at, event.seq, event.seq);
        // A scenario reset after this write that drops something still in force is a write too.
        const layer = fold(workload, { at: event.at, seq: event.seq });
        if (!layer.edit && !layer.synced) return;
        const instants = resetsOf(workload);
        const reset = instants[upperBound(instants, event.at)];
        const next = list[index + 1];
        if (reset !== undefined && (!next || reset <= next.at)) push(reset, -1, -1);
      });
    }
    entries.sort((a, b) => a.at - b.at || a.order - b.order || a.resource.localeCompare(b.resource) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
    return entries.map(({ order: _order, ...entry }) => entry);
  }

  function kubeEntries(): LiveKubeEntry[] {
    if (!entriesCache || entriesCache.version !== version) entriesCache = { version, entries: computeEntries() };
    return entriesCache.entries;
  }

  return {
    version: () => version,
    nowSeconds,
    workload: (namespace, name) => workloads.get(keyOf(namespace, name)),
    workloadOfApp: (appName) => byApp.get(appName),
    edit(input) {
      const workload = workloads.get(keyOf(input.namespace, input.name));
      if (!workload) throw new Error(`No sandbox workload ${input.namespace}/${input.name}`);
      const at = nowSeconds();
      addEvent(workload, { kind: "edit", seq: ++seq, at, image: input.image, replicas: input.replicas, manager: input.manager });
      controllerResponse(workload, at);
      version++;
    },
    startSync(input) {
      const workload = byApp.get(input.appName);
      if (!workload || !workload.app) throw new Error(`No Argo CD app ${input.appName}`);
      const at = nowSeconds();
      const own = operations.get(input.appName) ?? [];
      if (own.some((operation) => operation.startedAt <= at && at < operation.finishedAt)) throw new LiveOperationInProgress(input.appName);
      // A person's sync applies the manifests, which repairs drift: a self-heal still waiting is not needed.
      const cancelled = new Set(own.filter((operation) => operation.trigger === "self-heal" && operation.startedAt > at).map((operation) => operation.id));
      const kept = own.filter((operation) => !cancelled.has(operation.id));
      if (cancelled.size > 0) {
        const key = keyOf(workload.namespace, workload.name);
        events.set(key, (events.get(key) ?? []).filter((event) => !(event.kind === "revert" && event.operationId !== null && cancelled.has(event.operationId))));
      }
      const operation: LiveOperation = {
        id: `live-${input.appName}-${++seq}`,
        appName: input.appName,
        serviceSlug: workload.serviceSlug,
        trigger: "manual",
        revision: input.revision,
        requestedRevision: input.requestedRevision,
        startedAt: at,
        finishedAt: at + SYNC_DURATION_SECONDS,
        initiatedBy: { automated: false, username: input.username },
        info: input.info.map((entry) => ({ ...entry })),
        prune: input.prune,
        dryRun: input.dryRun,
        resources: input.resources && input.resources.map((resource) => ({ ...resource })),
        autoHealAttemptsCount: null,
      };
      operations.set(input.appName, [...kept, operation]);
      const touchesWorkload = !input.resources || input.resources.some((resource) => resource.kind === "Deployment" && resource.name === workload.name);
      if (!input.dryRun && touchesWorkload) addEvent(workload, { kind: "sync", seq: ++seq, at: operation.finishedAt, revision: input.revision, image: input.image, operationId: operation.id });
      version++;
      return { ...operation };
    },
    layerAt(namespace, name, cut) {
      const workload = workloads.get(keyOf(namespace, name));
      return workload ? fold(workload, cut) : { edit: null, synced: null, restored: null, writes: 0, changedAt: null };
    },
    operations: (appName, at) => (operations.get(appName) ?? []).filter((operation) => operation.startedAt <= at),
    appInstants(appName) {
      const workload = byApp.get(appName);
      if (!workload) return [];
      const instants = new Set<number>();
      for (const operation of operations.get(appName) ?? []) {
        instants.add(operation.startedAt);
        instants.add(operation.finishedAt);
      }
      for (const entry of kubeEntries()) if (entry.resource === "deployments" && entry.workload.namespace === workload.namespace && entry.workload.name === workload.name) instants.add(entry.at);
      return [...instants].sort((a, b) => a - b);
    },
    kubeEntries,
    syncedRevision,
  };
}
