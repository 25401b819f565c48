/**
 * Reads of the sandbox cluster's store at the clock's now: the current object of each kind, the
 * global resourceVersion, and the writes since a resourceVersion for watches. Past the end of the
 * generated truth the cluster stands still, as the rest of the sandbox does.
 */
import type { Clock } from "@/lib/clock";
import type { ClusterObject } from "@/lib/sandbox/scenario/gitops/cluster-objects";
import { type Change, RESOURCE_VERSION_BASE, type ResourceName, type Timeline, upperBound } from "./timeline";

export interface ClusterStore {
  /** Instant the store is read at, epoch seconds: the clock's now held at the truth's end. */
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

export function createClusterStore(timeline: Timeline, clock: Clock, until: number, historySeconds: number): ClusterStore {
  // Each object's writes, by resource then key, in order.
  const byObject = new Map<ResourceName, Map<string, Change[]>>();
  for (const change of timeline.changes) {
    let objects = byObject.get(change.resource);
    if (!objects) byObject.set(change.resource, (objects = new Map()));
    const key = `${change.namespace}/${change.name}`;
    let versions = objects.get(key);
    if (!versions) objects.set(key, (versions = []));
    versions.push(change);
  }
  for (const objects of byObject.values()) {
    const sorted = [...objects.entries()].sort(([, a], [, b]) => a[0]!.namespace.localeCompare(b[0]!.namespace) || a[0]!.name.localeCompare(b[0]!.name));
    objects.clear();
    for (const [key, versions] of sorted) objects.set(key, versions);
  }
  const cache = new Map<string, { limit: number; objects: ClusterObject[] }>();
  const limit = () => Math.min(Math.floor(clock.now().getTime() / 1000), until);
  return {
    limit,
    count: (at = limit()) => timeline.countAtOrBefore(at),
    changesBetween: (fromCount, toCount) => timeline.changes.slice(Math.max(0, fromCount), Math.max(0, toCount)),
    compactedCount: (at = limit()) => timeline.countAtOrBefore(at - historySeconds),
    objects(resource, at = limit()) {
      const cached = cache.get(resource);
      if (cached && cached.limit === at) return cached.objects;
      const objects: ClusterObject[] = [];
      for (const versions of byObject.get(resource)?.values() ?? []) {
        const current = versions[upperBound(versions, at, (change) => change.at) - 1];
        if (current && current.type !== "DELETED") objects.push(current.object);
      }
      cache.set(resource, { limit: at, objects });
      return objects;
    },
  };
}

export const resourceVersionOf = (count: number) => String(RESOURCE_VERSION_BASE + count);
