/**
 * Reads of the sandbox cluster's store at the clock's now: the current object of each kind, the
 * global resourceVersion, and the writes since a resourceVersion for watches. Two sources of
 * writes share one numbering: the scenario's timeline (computed once at start) and the runtime
 * writes of the live overlay (hand edits, their correction, syncs; see lib/sandbox/live-cluster).
 * Within a second the scenario's writes come first, so a runtime write made at the clock's now
 * never renumbers a write a client has already seen. Past the end of the generated truth the
 * scenario stands still, as the rest of the sandbox does; runtime writes still land.
 */
import type { Clock } from "@/lib/clock";
import type { LiveCluster, LiveKubeEntry } from "@/lib/sandbox/live-cluster/live-edits";
import type { ClusterObject } from "@/lib/sandbox/scenario/gitops/cluster-objects";
import { applyDeploymentLayer, applyHelmReleaseLayer, withResourceVersion } from "./live-objects";
import { type Change, RESOURCE_VERSION_BASE, type ResourceName, type Timeline, upperBound } from "./timeline";

export interface ClusterStore {
  /** Instant the store is read at, epoch seconds: the clock's now. */
  limit(): number;
  /** Number of writes up to `limit`: the global resourceVersion is RESOURCE_VERSION_BASE + this. */
  count(limit?: number): number;
  /** Writes numbered (from, to] by count, oldest first. */
  changesBetween(fromCount: number, toCount: number): Change[];
  /** The live objects of a resource at `limit`, in etcd's key order (namespace, then name). */
  objects(resource: ResourceName, limit?: number): ClusterObject[];
  /** Count of the oldest write a watch may still start after (older ones are compacted away). */
  compactedCount(limit?: number): number;
}

export const resourceVersionOf = (count: number) => String(RESOURCE_VERSION_BASE + count);

interface Overlay {
  version: number;
  entries: LiveKubeEntry[];
  /** Store position (1-based count) of each entry. */
  positions: number[];
  /** Entry instants, sorted (entries are in time order). */
  instants: number[];
  /** Keys (`resource/namespace/name`) runtime writes touched. */
  keys: Set<string>;
}

export function createClusterStore(timeline: Timeline, clock: Clock, until: number, historySeconds: number, live: LiveCluster): ClusterStore {
  // Each object's writes, by resource then key, in order.
  const byObject = new Map<ResourceName, Map<string, Change[]>>();
  const indexOf = new Map<Change, number>();
  timeline.changes.forEach((change, index) => {
    indexOf.set(change, index);
    let objects = byObject.get(change.resource);
    if (!objects) byObject.set(change.resource, (objects = new Map()));
    const key = `${change.namespace}/${change.name}`;
    let versions = objects.get(key);
    if (!versions) objects.set(key, (versions = []));
    versions.push(change);
  });
  for (const objects of byObject.values()) {
    const sorted = [...objects.entries()].sort(([, a], [, b]) => a[0]!.namespace.localeCompare(b[0]!.namespace) || a[0]!.name.localeCompare(b[0]!.name));
    objects.clear();
    for (const [key, versions] of sorted) objects.set(key, versions);
  }

  let overlay: Overlay | null = null;
  const currentOverlay = (): Overlay => {
    if (overlay && overlay.version === live.version()) return overlay;
    const entries = live.kubeEntries();
    // An entry comes after every scenario write of its second and after the entries before it.
    const positions = entries.map((entry, index) => timeline.countAtOrBefore(entry.at) + index + 1);
    overlay = { version: live.version(), entries, positions, instants: entries.map((entry) => entry.at), keys: new Set(entries.map((entry) => `${entry.resource}/${entry.namespace}/${entry.name}`)) };
    return overlay;
  };

  const limit = () => Math.floor(clock.now().getTime() / 1000);
  const scenarioLimit = (at: number) => Math.min(at, until);
  /** Store position of a scenario write: its index plus the runtime writes of earlier seconds. */
  const positionOf = (change: Change, current: Overlay) => indexOf.get(change)! + 1 + upperBound(current.instants, change.at - 1, (at) => at);
  const countAt = (at: number, current: Overlay) => timeline.countAtOrBefore(scenarioLimit(at)) + upperBound(current.instants, at, (instant) => instant);

  const baseAt = (resource: ResourceName, namespace: string, name: string, at: number): Change | undefined => {
    const versions = byObject.get(resource)?.get(`${namespace}/${name}`);
    if (!versions) return undefined;
    return versions[upperBound(versions, scenarioLimit(at), (change) => change.at) - 1];
  };

  /** The object a key shows at a cut: the scenario's version with the runtime writes in force. */
  function effective(change: Change, cut: { at: number; seq: number }, resourceVersion: string): ClusterObject {
    if (change.type === "DELETED") return withResourceVersion(change.object, resourceVersion);
    if (change.resource === "deployments") {
      const workload = live.workload(change.namespace, change.name);
      if (!workload) return withResourceVersion(change.object, resourceVersion);
      return applyDeploymentLayer(change.object, live.layerAt(change.namespace, change.name, cut), workload.container, resourceVersion);
    }
    if (change.resource === "helmreleases") {
      const entry = live.kubeEntries().find((candidate) => candidate.resource === "helmreleases" && candidate.namespace === change.namespace && candidate.name === change.name);
      const workload = entry && live.workload(entry.workload.namespace, entry.workload.name);
      if (!entry || !workload) return withResourceVersion(change.object, resourceVersion);
      const deployment = baseAt("deployments", workload.namespace, workload.name, cut.at);
      return applyHelmReleaseLayer(change.object, live.layerAt(workload.namespace, workload.name, cut), deployment?.object ?? null, workload.container, resourceVersion);
    }
    return withResourceVersion(change.object, resourceVersion);
  }

  const cache = new Map<string, { limit: number; version: number; objects: ClusterObject[] }>();
  return {
    limit,
    count: (at = limit()) => countAt(at, currentOverlay()),
    changesBetween(fromCount, toCount) {
      const current = currentOverlay();
      const from = Math.max(0, fromCount);
      const to = Math.max(from, toCount);
      if (current.entries.length === 0) return timeline.changes.slice(from, to);
      const out: Change[] = [];
      // Entries before the range, then walk the range position by position.
      let next = upperBound(current.positions, from, (position) => position);
      for (let position = from + 1; position <= to; position++) {
        if (current.positions[next] === position) {
          const entry = current.entries[next]!;
          next++;
          const base = baseAt(entry.resource, entry.namespace, entry.name, entry.at);
          if (!base || base.type === "DELETED") continue;
          const object = effective(base, { at: entry.at, seq: entry.cutSeq }, resourceVersionOf(position));
          out.push({ ...base, at: entry.at, resourceVersion: RESOURCE_VERSION_BASE + position, type: "MODIFIED", object });
          continue;
        }
        const change = timeline.changes[position - next - 1];
        if (!change) continue;
        const key = `${change.resource}/${change.namespace}/${change.name}`;
        const resourceVersion = resourceVersionOf(position);
        const object = current.keys.has(key) ? effective(change, { at: change.at, seq: -1 }, resourceVersion) : withResourceVersion(change.object, resourceVersion);
        out.push({ ...change, resourceVersion: RESOURCE_VERSION_BASE + position, object });
      }
      return out;
    },
    compactedCount: (at = limit()) => countAt(scenarioLimit(at) - historySeconds, currentOverlay()),
    objects(resource, at = limit()) {
      const current = currentOverlay();
      const cached = cache.get(resource);
      if (cached && cached.limit === at && cached.version === current.version) return cached.objects;
      const objects: ClusterObject[] = [];
      const shifted = current.entries.length > 0;
      for (const versions of byObject.get(resource)?.values() ?? []) {
        const change = versions[upperBound(versions, scenarioLimit(at), (candidate) => candidate.at) - 1];
        if (!change || change.type === "DELETED") continue;
        if (!shifted) {
          objects.push(change.object);
          continue;
        }
        // The object's resourceVersion is its last write's position, scenario or runtime.
        let position = positionOf(change, current);
        const key = `${change.resource}/${change.namespace}/${change.name}`;
        if (current.keys.has(key)) {
          const last = upperBound(current.instants, at, (instant) => instant) - 1;
          for (let index = last; index >= 0; index--) {
            const entry = current.entries[index]!;
            if (`${entry.resource}/${entry.namespace}/${entry.name}` !== key) continue;
            position = Math.max(position, current.positions[index]!);
            break;
          }
          objects.push(effective(change, { at, seq: Infinity }, resourceVersionOf(position)));
        } else {
          objects.push(withResourceVersion(change.object, resourceVersionOf(position)));
        }
      }
      cache.set(resource, { limit: at, version: current.version, objects });
      return objects;
    },
  };
}
