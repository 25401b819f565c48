/**
 * The sandbox cluster's store, as etcd would hold it: every object's versions over the scenario,
 * computed once at start from the truth, each write numbered by one global, monotonically
 * increasing resourceVersion. A version is recorded only when the object's content changes, so an
 * object's resourceVersion moves exactly when the object does; numbering follows time (ties broken
 * by resource, namespace and name), so the same truth always gives the same numbers.
 */
import { createHash } from "node:crypto";
import { type ClusterObject, clusterObjectOf } from "@/lib/sandbox/scenario/gitops/cluster-objects";
import { gitopsTruthAsOf } from "@/lib/sandbox/scenario/gitops/gitops-truth-as-of";
import type { GitopsApp, GitopsTruth } from "@/lib/sandbox/scenario/gitops/model";
import type { GroundTruth } from "@/lib/sandbox/scenario/ground-truth";
import { gitRepositoryOf, gitopsDeploymentOf, pushDeploymentOf } from "./workloads";

export type ResourceName = "kustomizations" | "helmreleases" | "gitrepositories" | "deployments";

export interface ResourceType {
  resource: ResourceName;
  group: string;
  version: string;
  kind: string;
}

export const RESOURCE_TYPES: readonly ResourceType[] = [
  { resource: "kustomizations", group: "kustomize.toolkit.fluxcd.io", version: "v1", kind: "Kustomization" },
  { resource: "helmreleases", group: "helm.toolkit.fluxcd.io", version: "v2", kind: "HelmRelease" },
  { resource: "gitrepositories", group: "source.toolkit.fluxcd.io", version: "v1", kind: "GitRepository" },
  { resource: "deployments", group: "apps", version: "v1", kind: "Deployment" },
];

/** One write to the store: an object created, changed or (only ever by a builder returning null) deleted. */
export interface Change {
  /** Scenario time of the write, epoch seconds. */
  at: number;
  resourceVersion: number;
  resource: ResourceName;
  namespace: string;
  name: string;
  type: "ADDED" | "MODIFIED" | "DELETED";
  /** The object as stored after the write (for DELETED, as it last stood), with its metadata filled in. */
  object: ClusterObject;
}

export interface Timeline {
  /** Every write, by resourceVersion. */
  changes: Change[];
  /** Writes at or before `at` (epoch seconds): the global resourceVersion is BASE + this. */
  countAtOrBefore(at: number): number;
}

/**
 * Resource versions start well above zero, as on a cluster that has been running for a while;
 * clients must treat them as opaque anyway.
 */
export const RESOURCE_VERSION_BASE = 200_000;

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export function upperBound<T>(sorted: readonly T[], value: number, key: (item: T) => number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (key(sorted[mid]!) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

function uidOf(resource: string, namespace: string, name: string): string {
  const hex = createHash("sha1").update(`pipeline-health-sandbox/${resource}/${namespace}/${name}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The records of one service only, so cutting them at each of its instants stays cheap. */
function serviceTruth(gitops: GitopsTruth, slug: string): GitopsTruth {
  const mine = <T extends { serviceSlug: string }>(list: T[]) => list.filter((entry) => entry.serviceSlug === slug);
  return {
    apps: mine(gitops.apps),
    pushWorkloads: mine(gitops.pushWorkloads),
    configCommits: mine(gitops.configCommits),
    operations: mine(gitops.operations),
    healthTransitions: mine(gitops.healthTransitions),
    deployments: mine(gitops.deployments),
    driftEpisodes: mine(gitops.driftEpisodes),
    pendingChanges: mine(gitops.pendingChanges),
  };
}

interface RawVersion {
  at: number;
  resource: ResourceName;
  namespace: string;
  name: string;
  object: ClusterObject | null;
}

/** Records an object's successive states, keeping only the instants where it changed. */
class ObjectTrack {
  private last = "null";
  constructor(
    private readonly out: RawVersion[],
    private readonly resource: ResourceName,
    private readonly namespace: string,
    private readonly name: string,
  ) {}
  observe(at: number, object: ClusterObject | null): void {
    const json = JSON.stringify(object);
    if (json === this.last) return;
    this.last = json;
    this.out.push({ at, resource: this.resource, namespace: this.namespace, name: this.name, object });
  }
}

function sortedInstants(list: (string | null | undefined)[], until: number): number[] {
  const set = new Set<number>();
  for (const iso of list) {
    if (!iso) continue;
    const at = seconds(iso);
    if (at <= until) set.add(at);
  }
  return [...set].sort((a, b) => a - b);
}

function appVersions(gitops: GitopsTruth, app: GitopsApp, until: number, out: RawVersion[]): void {
  const own = serviceTruth(gitops, app.serviceSlug);
  const instants = sortedInstants(
    [
      app.createdAt,
      ...own.configCommits.map((commit) => commit.committedAt),
      ...own.operations.flatMap((operation) => [operation.startedAt, operation.result?.finishedAt]),
      ...own.healthTransitions.map((transition) => transition.at),
      ...own.driftEpisodes.flatMap((episode) => [episode.startedAt, episode.endedAt]),
    ],
    until,
  );
  const flux = app.controller !== "argocd-application";
  const fluxTrack = flux ? new ObjectTrack(out, app.controller === "flux-kustomization" ? "kustomizations" : "helmreleases", app.namespace, app.name) : null;
  const sourceTrack = flux ? new ObjectTrack(out, "gitrepositories", app.namespace, `${app.serviceSlug}-config`) : null;
  const deploymentTrack = new ObjectTrack(out, "deployments", app.workload.namespace, app.workload.name);
  for (const at of instants) {
    const cut = gitopsTruthAsOf(own, at);
    const current = cut.apps[0];
    if (!current) continue;
    fluxTrack?.observe(at, clusterObjectOf(cut, current));
    sourceTrack?.observe(at, gitRepositoryOf(cut, current));
    deploymentTrack.observe(at, gitopsDeploymentOf(cut, current));
  }
}

function pushVersions(truth: GroundTruth, entry: GitopsTruth["pushWorkloads"][number], until: number, out: RawVersion[]): void {
  const slug = entry.serviceSlug;
  const deploys = truth.deployments
    .filter((deployment) => deployment.serviceSlug === slug && deployment.production && deployment.outcome === "success" && seconds(deployment.finishedAt) <= until)
    .sort((a, b) => seconds(a.finishedAt) - seconds(b.finishedAt));
  const episodes = truth.gitops.driftEpisodes.filter((episode) => episode.serviceSlug === slug);
  const instants = sortedInstants([...deploys.map((deployment) => deployment.finishedAt), ...episodes.flatMap((episode) => [episode.startedAt, episode.endedAt])], until);
  const track = new ObjectTrack(out, "deployments", entry.workload.namespace, entry.workload.name);
  for (const at of instants) {
    const live = deploys.slice(0, upperBound(deploys, at, (deployment) => seconds(deployment.finishedAt)));
    const open = episodes.find((episode) => seconds(episode.startedAt) <= at && (episode.endedAt === null || seconds(episode.endedAt) > at));
    track.observe(at, pushDeploymentOf(slug, entry.workload, live, open));
  }
}

export function buildTimeline(truth: GroundTruth): Timeline {
  const until = seconds(truth.until);
  const raw: RawVersion[] = [];
  for (const app of truth.gitops.apps) appVersions(truth.gitops, app, until, raw);
  for (const entry of truth.gitops.pushWorkloads) pushVersions(truth, entry, until, raw);

  const order = new Map(RESOURCE_TYPES.map((type, index) => [type.resource, index]));
  raw.sort((a, b) => a.at - b.at || order.get(a.resource)! - order.get(b.resource)! || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));

  const state = new Map<string, { object: ClusterObject; generation: number; spec: string }>();
  const changes: Change[] = raw.map((version, index): Change => {
    const key = `${version.resource}/${version.namespace}/${version.name}`;
    const resourceVersion = RESOURCE_VERSION_BASE + index + 1;
    const previous = state.get(key);
    if (version.object === null) {
      state.delete(key);
      const gone = structuredClone(previous!.object);
      (gone.metadata as ClusterObject).resourceVersion = String(resourceVersion);
      return { at: version.at, resourceVersion, resource: version.resource, namespace: version.namespace, name: version.name, type: "DELETED", object: gone };
    }
    // `generation` moves when the spec does, as the API server counts it; controllers report it back.
    const spec = JSON.stringify(version.object.spec ?? null);
    const generation = previous ? previous.generation + (previous.spec === spec ? 0 : 1) : 1;
    const object = structuredClone(version.object);
    const metadata = object.metadata as ClusterObject;
    object.metadata = { ...metadata, uid: uidOf(version.resource, version.namespace, version.name), resourceVersion: String(resourceVersion), generation };
    if (version.resource === "deployments" && object.status && typeof object.status === "object" && !Array.isArray(object.status)) {
      object.status = { observedGeneration: generation, ...object.status };
    }
    state.set(key, { object, generation, spec });
    return { at: version.at, resourceVersion, resource: version.resource, namespace: version.namespace, name: version.name, type: previous ? "MODIFIED" : "ADDED", object };
  });

  return {
    changes,
    countAtOrBefore: (at) => upperBound(changes, at, (change) => change.at),
  };
}
