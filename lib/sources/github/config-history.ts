/**
 * Reading a GitOps config repository's history, for rebuilding deployments older than what Argo CD
 * (ten syncs) or Flux (five) remember (DESIGN §7): the commits that touched an app's file, and that
 * file at each of them, over the same Octokit client as the rest of the GitHub source.
 */
import { RequestError } from "@octokit/request-error";
import type { GithubClient } from "@/lib/sources/github/client";
import { fetchAll } from "@/lib/sources/github/fetch-pages";
import type { RawCommit } from "@/lib/sources/github/types";

export interface ConfigCommitsQuery {
  owner: string;
  repo: string;
  /** Branch (or sha) whose history is read: the branch the controller tracks. */
  branch: string;
  /** The file (or directory) the app's manifests live in; only commits touching it are listed. */
  path: string;
  /** Only commits from this instant on (GitHub's `since`, on the commit date); null for all history. */
  since: Date | null;
}

export interface ConfigCommit {
  sha: string;
  parentShas: string[];
  /** Committer date: when the change reached the branch's history (what `since` filters on). */
  committedAt: Date;
  authoredAt: Date;
  authorLogin: string | null;
  authorName: string | null;
  message: string;
}

/**
 * Commits on `branch` touching `path` since `since`, oldest first (the order bumps reached the
 * branch), every page read. GitHub lists newest first; the reversal is here so callers can replay.
 */
export async function listConfigCommits(client: GithubClient, query: ConfigCommitsQuery): Promise<ConfigCommit[]> {
  const params: Record<string, string | number> = { owner: query.owner, repo: query.repo, sha: query.branch, path: query.path };
  if (query.since) params.since = query.since.toISOString();
  const raw = await fetchAll<RawCommit>(client, "GET /repos/{owner}/{repo}/commits", params);
  return raw.map(toConfigCommit).reverse();
}

function toConfigCommit(raw: RawCommit): ConfigCommit {
  const committed = raw.commit.committer?.date ?? raw.commit.author?.date;
  const authored = raw.commit.author?.date ?? committed;
  if (!committed || !authored) throw new Error(`Commit ${raw.sha} has no date`);
  return {
    sha: raw.sha,
    parentShas: raw.parents.map((parent) => parent.sha),
    committedAt: new Date(committed),
    authoredAt: new Date(authored),
    authorLogin: raw.author?.login ?? null,
    authorName: raw.commit.author?.name ?? null,
    message: raw.commit.message,
  };
}

export interface FileAtQuery {
  owner: string;
  repo: string;
  path: string;
  /** Commit sha or branch. */
  ref: string;
}

/**
 * The text of a file at a revision, or null when the path (or the ref) does not exist there (a
 * 404: the app's file was added later or moved). A directory or a symlink is an error: the caller
 * asked for a manifest file.
 */
export async function readFileAt(client: GithubClient, query: FileAtQuery): Promise<string | null> {
  try {
    const response = await client.request("GET /repos/{owner}/{repo}/contents/{path}", { owner: query.owner, repo: query.repo, path: query.path, ref: query.ref });
    const data = response.data;
    if (Array.isArray(data) || data.type !== "file") throw new Error(`${query.owner}/${query.repo}:${query.path}@${query.ref} is not a file`);
    if (!("content" in data) || typeof data.content !== "string") throw new Error(`${query.owner}/${query.repo}:${query.path}@${query.ref} came without content`);
    // Files over 1 MB come back with `encoding: "none"` and no content; manifests are far smaller.
    if (data.encoding !== "base64") throw new Error(`${query.owner}/${query.repo}:${query.path}@${query.ref} has encoding ${data.encoding}`);
    return Buffer.from(data.content, "base64").toString("utf8");
  } catch (error) {
    if (error instanceof RequestError && error.status === 404) return null;
    throw error;
  }
}
