/**
 * File contents and diffs in GitHub's shapes (`content-file`, `content-directory`, `diff-entry`),
 * for repositories whose commits carry their files (config repositories). Blob and tree shas are
 * git's own (git-objects.ts), so they change exactly when the content does.
 */
import { gitBlobSha, gitTreeSha } from "../git-objects";
import type { SandboxRepository } from "../model";
import type { ApiContext } from "./context";
import type { Schemas } from "./schemas";

/** GitHub wraps a contents response's base64 at 60 characters a line, each line ending in `\n`. */
export function githubBase64(content: string): string {
  const encoded = Buffer.from(content, "utf8").toString("base64");
  const lines = encoded.match(/.{1,60}/g) ?? [];
  return lines.map((line) => `${line}\n`).join("");
}

/** Path segments encoded one by one, the way GitHub's own links keep the slashes. */
function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

interface EntryUrls {
  url: string;
  git_url: string;
  html_url: string;
  download_url: string | null;
  _links: { self: string; git: string; html: string };
}

function entryUrls(ctx: ApiContext, repo: SandboxRepository, path: string, ref: string, sha: string, type: "file" | "dir"): EntryUrls {
  const api = `${ctx.apiBase}/repos/${repo.fullName}`;
  const url = `${api}/contents/${encodePath(path)}?ref=${encodeURIComponent(ref)}`;
  const gitUrl = `${api}/git/${type === "file" ? "blobs" : "trees"}/${sha}`;
  const htmlUrl = `${ctx.htmlBase}/${repo.fullName}/${type === "file" ? "blob" : "tree"}/${ref}/${encodePath(path)}`;
  // Raw downloads live on their own host on github.com; the sandbox has no such host, so its own base stands in.
  const download = type === "file" ? `${ctx.htmlBase}/${repo.fullName}/raw/${ref}/${encodePath(path)}` : null;
  return { url, git_url: gitUrl, html_url: htmlUrl, download_url: download, _links: { self: url, git: gitUrl, html: htmlUrl } };
}

export function serializeContentFile(ctx: ApiContext, repo: SandboxRepository, path: string, ref: string, content: string): Schemas["content-file"] {
  const sha = gitBlobSha(content);
  return {
    type: "file",
    encoding: "base64",
    size: Buffer.byteLength(content, "utf8"),
    name: path.split("/").at(-1)!,
    path,
    content: githubBase64(content),
    sha,
    ...entryUrls(ctx, repo, path, ref, sha, "file"),
  };
}

/**
 * A directory listing: its direct entries (files and subdirectories) in name order, as GitHub lists
 * them. `dir` is "" for the root. Null when no file lies under it.
 */
export function serializeContentDirectory(ctx: ApiContext, repo: SandboxRepository, dir: string, ref: string, files: ReadonlyMap<string, string>): Schemas["content-directory"] | null {
  const prefix = dir === "" ? "" : `${dir}/`;
  const entries = new Map<string, "file" | "dir">();
  for (const path of files.keys()) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf("/");
    entries.set(slash === -1 ? rest : rest.slice(0, slash), slash === -1 ? "file" : "dir");
  }
  if (entries.size === 0) return null;
  return [...entries]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, type]) => {
      const path = `${prefix}${name}`;
      const sha = type === "file" ? gitBlobSha(files.get(path)!) : gitTreeSha(files, path)!;
      return { type, size: type === "file" ? Buffer.byteLength(files.get(path)!, "utf8") : 0, name, path, sha, ...entryUrls(ctx, repo, path, ref, sha, type) };
    });
}

function lines(text: string | null): string[] {
  if (text === null || text === "") return [];
  const split = text.split("\n");
  return split.at(-1) === "" ? split.slice(0, -1) : split;
}

/**
 * One file's change as GitHub's `diff-entry`: a unified diff of the lines between the common head and
 * tail (whole-file context is more than GitHub shows, but a valid patch with exact line counts).
 */
export function serializeDiffEntry(ctx: ApiContext, repo: SandboxRepository, commitSha: string, filename: string, before: string | null, after: string | null): Schemas["diff-entry"] {
  const old = lines(before);
  const next = lines(after);
  let head = 0;
  while (head < old.length && head < next.length && old[head] === next[head]) head++;
  let tail = 0;
  while (tail < old.length - head && tail < next.length - head && old[old.length - 1 - tail] === next[next.length - 1 - tail]) tail++;
  const removed = old.slice(head, old.length - tail);
  const added = next.slice(head, next.length - tail);
  const patch = [
    `@@ -${old.length === 0 ? 0 : 1},${old.length} +${next.length === 0 ? 0 : 1},${next.length} @@`,
    ...old.slice(0, head).map((line) => ` ${line}`),
    ...removed.map((line) => `-${line}`),
    ...added.map((line) => `+${line}`),
    ...old.slice(old.length - tail).map((line) => ` ${line}`),
  ].join("\n");
  const status = before === null ? "added" : after === null ? "removed" : "modified";
  const html = `${ctx.htmlBase}/${repo.fullName}`;
  return {
    sha: after === null ? null : gitBlobSha(after),
    filename,
    status,
    additions: added.length,
    deletions: removed.length,
    changes: added.length + removed.length,
    blob_url: `${html}/blob/${commitSha}/${encodePath(filename)}`,
    raw_url: `${html}/raw/${commitSha}/${encodePath(filename)}`,
    contents_url: `${ctx.apiBase}/repos/${repo.fullName}/contents/${encodePath(filename)}?ref=${commitSha}`,
    patch,
  };
}
