/** Turning what a client passes as `sha`/`ref`/`basehead` into a commit, the way GitHub resolves refs. */
import type { SandboxRepository } from "../model";
import { branchesAt, commitAt } from "./visibility";

/**
 * A branch name (also `heads/x` and `refs/heads/x`), a full sha, or an unambiguous abbreviated sha
 * (at least 4 hex digits). Only what exists at `now` resolves. Branches win over sha-looking names,
 * as in git's ref lookup order.
 */
export function resolveRef(repo: SandboxRepository, ref: string, now: Date): string | null {
  const branches = branchesAt(repo, now);
  const branchName = ref.replace(/^refs\/heads\//, "").replace(/^heads\//, "");
  const branchHead = branches.get(branchName);
  if (branchHead !== undefined) return branchHead;
  if (!/^[0-9a-f]{4,40}$/i.test(ref)) return null;
  const lower = ref.toLowerCase();
  if (lower.length === 40) return commitAt(repo, lower, now)?.sha ?? null;
  let found: string | null = null;
  for (const sha of repo.commits.keys()) {
    if (!sha.startsWith(lower) || commitAt(repo, sha, now) === null) continue;
    if (found !== null) return null; // ambiguous
    found = sha;
  }
  return found;
}
