/**
 * Git operations on the sandbox's commit graph: walking history, merge bases and comparisons. The
 * sandbox serves `compare` and `commits` from these, computed from parents, so merge, squash and
 * rebase merges look to a client exactly as they would on GitHub (nothing is looked up from a
 * precomputed list). Pure functions over a `Map<sha, SandboxCommit>`; parents missing from the map
 * are treated as outside the graph (a shallow edge), never as an error.
 */
import type { SandboxCommit } from "./model";

export type CommitMap = ReadonlyMap<string, SandboxCommit>;

/** Time order of commits: committer date (what `git log` sorts by), then sha so equal dates stay deterministic. */
function newerFirst(a: SandboxCommit, b: SandboxCommit): number {
  const byDate = Date.parse(b.committer.date) - Date.parse(a.committer.date);
  return byDate !== 0 ? byDate : a.sha < b.sha ? -1 : a.sha > b.sha ? 1 : 0;
}

/** `sha` and every commit reachable from it through parents. */
export function ancestors(commits: CommitMap, sha: string): Set<string> {
  const seen = new Set<string>();
  const stack = [sha];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (seen.has(current)) continue;
    const commit = commits.get(current);
    if (!commit) continue;
    seen.add(current);
    for (const parent of commit.parents) if (!seen.has(parent)) stack.push(parent);
  }
  return seen;
}

export function isAncestor(commits: CommitMap, ancestor: string, descendant: string): boolean {
  return ancestors(commits, descendant).has(ancestor);
}

/**
 * Best common ancestor, as `git merge-base` picks it: a common ancestor that is not itself an ancestor
 * of another common ancestor. The set of common ancestors is closed under "parent of", so a common
 * ancestor is dominated exactly when it is the parent of another common ancestor; that makes this
 * linear instead of one reachability walk per candidate. With several best candidates (criss-cross
 * merges) the newest wins, which is what GitHub shows. `null` for unrelated histories.
 */
export function mergeBase(commits: CommitMap, a: string, b: string): string | null {
  const fromA = ancestors(commits, a);
  const common: SandboxCommit[] = [];
  for (const sha of ancestors(commits, b)) {
    const commit = commits.get(sha);
    if (commit && fromA.has(sha)) common.push(commit);
  }
  const dominated = new Set<string>();
  for (const commit of common) for (const parent of commit.parents) dominated.add(parent);
  const best = common.filter((commit) => !dominated.has(commit.sha)).sort(newerFirst);
  return best[0]?.sha ?? null;
}

/**
 * History from `heads`, newest first by committer date, the way `git log` (and GitHub's commit list)
 * orders it: a priority queue on date rather than a topological sort. `include` filters what is
 * yielded without stopping the walk (since/until filter the listing, not the traversal); `exclude`
 * cuts the walk (commits reachable from the other side of a range).
 */
export function walkHistory(
  commits: CommitMap,
  heads: readonly string[],
  options: { exclude?: ReadonlySet<string>; include?: (commit: SandboxCommit) => boolean } = {},
): SandboxCommit[] {
  const queue = new CommitHeap();
  const queued = new Set<string>();
  for (const head of heads) {
    const commit = commits.get(head);
    if (commit && !queued.has(head) && !options.exclude?.has(head)) {
      queued.add(head);
      queue.push(commit);
    }
  }
  const out: SandboxCommit[] = [];
  for (let commit = queue.pop(); commit; commit = queue.pop()) {
    if (!options.include || options.include(commit)) out.push(commit);
    for (const parentSha of commit.parents) {
      const parent = commits.get(parentSha);
      if (!parent || queued.has(parentSha) || options.exclude?.has(parentSha)) continue;
      queued.add(parentSha);
      queue.push(parent);
    }
  }
  return out;
}

export type CompareStatus = "ahead" | "behind" | "diverged" | "identical";

export interface Comparison {
  baseSha: string;
  headSha: string;
  mergeBaseSha: string;
  status: CompareStatus;
  aheadBy: number;
  behindBy: number;
  /** Reachable from head and not from base, oldest first (GitHub's compare order). */
  commits: SandboxCommit[];
}

/**
 * GitHub's three-dot compare: what `head` has that `base` does not, measured from their merge base.
 * `null` when the histories share nothing (GitHub answers 404 then).
 */
export function compareCommits(commits: CommitMap, baseSha: string, headSha: string): Comparison | null {
  const base = mergeBase(commits, baseSha, headSha);
  if (base === null) return null;
  const fromBase = ancestors(commits, baseSha);
  const fromHead = ancestors(commits, headSha);
  const ahead = walkHistory(commits, [headSha], { exclude: fromBase }).reverse();
  let behindBy = 0;
  for (const sha of fromBase) if (!fromHead.has(sha)) behindBy += 1;
  const aheadBy = ahead.length;
  const status: CompareStatus =
    aheadBy === 0 && behindBy === 0 ? "identical" : behindBy === 0 ? "ahead" : aheadBy === 0 ? "behind" : "diverged";
  return { baseSha, headSha, mergeBaseSha: base, status, aheadBy, behindBy, commits: ahead };
}

/**
 * Where a branch pointed at `now`: its recorded head, or the newest commit on its first-parent chain
 * committed by then. Branches only move forward along first parents (merges, squashes, pushes), so
 * this replays the branch's past without storing every ref update. `null` if it did not exist yet.
 */
export function headAt(commits: CommitMap, headSha: string, now: Date): string | null {
  const limit = now.getTime();
  let current = commits.get(headSha);
  while (current && Date.parse(current.committer.date) > limit) {
    const firstParent = current.parents[0];
    current = firstParent === undefined ? undefined : commits.get(firstParent);
  }
  return current?.sha ?? null;
}

/** A binary max-heap on commit recency; history walks over thousands of commits stay O(n log n). */
class CommitHeap {
  private readonly items: SandboxCommit[] = [];

  push(commit: SandboxCommit): void {
    const items = this.items;
    items.push(commit);
    let index = items.length - 1;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      if (newerFirst(items[index]!, items[parentIndex]!) >= 0) break;
      [items[index], items[parentIndex]] = [items[parentIndex]!, items[index]!];
      index = parentIndex;
    }
  }

  pop(): SandboxCommit | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let best = index;
      if (left < items.length && newerFirst(items[left]!, items[best]!) < 0) best = left;
      if (right < items.length && newerFirst(items[right]!, items[best]!) < 0) best = right;
      if (best === index) break;
      [items[index], items[best]] = [items[best]!, items[index]!];
      index = best;
    }
    return top;
  }
}
