/**
 * What the sandbox's Argo CD knows at an instant: the scenario's cluster side cut at the clock's
 * now (the same cut `truthAsOf` makes), with resource versions that move only when something
 * happened. Cuts are cached per second (the truth's resolution), so the watch streams polling every
 * 200 ms and the request handlers share one cut instead of each redoing it.
 */
import type { Clock } from "@/lib/clock";
import type { LiveCluster } from "@/lib/sandbox/live-cluster/live-edits";
import { gitopsTruthAsOf } from "@/lib/sandbox/scenario/gitops/gitops-truth-as-of";
import type { GitopsApp, GitopsTruth } from "@/lib/sandbox/scenario/gitops/model";
import type { GroundTruth } from "@/lib/sandbox/scenario/ground-truth";

export interface ArgoSnapshot {
  /** The instant the cut was made at, epoch seconds (the clock's now, held at the truth's end). */
  limit: number;
  at: Date;
  gitops: GitopsTruth;
  /** Runtime writes (hand edits, syncs), read at `liveAt`: the clock's now, not held at the truth's end. */
  live: LiveCluster;
  liveAt: number;
  /** Argo CD applications only, by name; Flux objects belong to the Kubernetes API. */
  apps: Map<string, GitopsApp>;
  /** Kubernetes-style, global: how many cluster-side events had happened by `limit`. */
  listResourceVersion: string;
  resourceVersionOf(app: GitopsApp): string;
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** Number of entries of a sorted array at or below `value`. */
function countAtOrBelow(sorted: number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Every instant that changes some object, globally and per service. */
function eventTimes(gitops: GitopsTruth): { all: number[]; byService: Map<string, number[]> } {
  const byService = new Map<string, number[]>();
  const add = (slug: string, iso: string | null | undefined) => {
    if (!iso) return;
    let list = byService.get(slug);
    if (!list) byService.set(slug, (list = []));
    list.push(seconds(iso));
  };
  for (const app of gitops.apps) add(app.serviceSlug, app.createdAt);
  for (const commit of gitops.configCommits) add(commit.serviceSlug, commit.committedAt);
  for (const operation of gitops.operations) {
    add(operation.serviceSlug, operation.startedAt);
    add(operation.serviceSlug, operation.result?.finishedAt);
  }
  for (const transition of gitops.healthTransitions) add(transition.serviceSlug, transition.at);
  for (const episode of gitops.driftEpisodes) {
    add(episode.serviceSlug, episode.startedAt);
    add(episode.serviceSlug, episode.endedAt);
  }
  const all: number[] = [];
  for (const list of byService.values()) {
    list.sort((a, b) => a - b);
    all.push(...list);
  }
  all.sort((a, b) => a - b);
  return { all, byService };
}

/**
 * Resource versions start well above zero, as on a cluster that has been running for a while;
 * clients must treat them as opaque anyway.
 */
const RESOURCE_VERSION_BASE = 100_000;

export function createSnapshotSource(truth: GroundTruth, clock: Clock, live: LiveCluster): () => ArgoSnapshot {
  const until = seconds(truth.until);
  const times = eventTimes(truth.gitops);
  let cached: (ArgoSnapshot & { version: number }) | null = null;
  let gitopsCache: { limit: number; gitops: GitopsTruth } | null = null;
  return () => {
    const liveAt = Math.floor(clock.now().getTime() / 1000);
    // Past the end of the generated truth the org stands still, as the GitHub side does.
    const limit = Math.min(liveAt, until);
    const version = live.version();
    if (cached && cached.limit === limit && cached.liveAt === liveAt && cached.version === version) return cached;
    if (!gitopsCache || gitopsCache.limit !== limit) gitopsCache = { limit, gitops: gitopsTruthAsOf(truth.gitops, limit) };
    const { gitops } = gitopsCache;
    const apps = new Map(gitops.apps.filter((app) => app.controller === "argocd-application").map((app) => [app.name, app]));
    // Runtime writes count as events too, after the scenario's of the same second.
    const liveByApp = new Map([...apps.keys()].map((name) => [name, live.appInstants(name).filter((instant) => instant <= liveAt)]));
    const liveAll = [...liveByApp.values()].flat().sort((a, b) => a - b);
    const versionAt = (instant: number) => String(RESOURCE_VERSION_BASE + countAtOrBelow(times.all, Math.min(instant, limit)) + countAtOrBelow(liveAll, instant));
    cached = {
      limit,
      liveAt,
      version,
      at: new Date(limit * 1000),
      gitops,
      live,
      apps,
      listResourceVersion: versionAt(liveAt),
      resourceVersionOf(app) {
        const own = times.byService.get(app.serviceSlug) ?? [];
        const lastChange = own[countAtOrBelow(own, limit) - 1] ?? seconds(app.createdAt);
        return versionAt(Math.max(lastChange, liveByApp.get(app.name)?.at(-1) ?? lastChange));
      },
    };
    return cached;
  };
}
