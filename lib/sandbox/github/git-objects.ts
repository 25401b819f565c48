/**
 * Git's object hashes for the files the sandbox models (config repositories), so the `sha` of a
 * contents response and a commit's tree are what `git hash-object` and `git write-tree` would give:
 * a client that compares blob shas across revisions (to skip unchanged files) sees the real thing.
 * Pure functions over file contents.
 */
import { createHash } from "node:crypto";
import { walkHistory, type CommitMap } from "./commit-graph";

/** `git hash-object` of a UTF-8 text: sha1 of `blob <bytes>\0<content>`. */
export function gitBlobSha(content: string): string {
  const bytes = Buffer.from(content, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

interface TreeNode {
  files: Map<string, string>;
  dirs: Map<string, TreeNode>;
}

function buildTree(files: ReadonlyMap<string, string>): TreeNode {
  const root: TreeNode = { files: new Map(), dirs: new Map() };
  for (const [path, content] of files) {
    const parts = path.split("/");
    let node = root;
    for (const dir of parts.slice(0, -1)) {
      let child = node.dirs.get(dir);
      if (!child) node.dirs.set(dir, (child = { files: new Map(), dirs: new Map() }));
      node = child;
    }
    node.files.set(parts.at(-1)!, gitBlobSha(content));
  }
  return root;
}

function hashTree(node: TreeNode): string {
  // Git sorts tree entries by name, a directory compared as if its name ended in "/".
  const entries = [
    ...[...node.files].map(([name, sha]) => ({ key: name, mode: "100644", name, sha })),
    ...[...node.dirs].map(([name, child]) => ({ key: `${name}/`, mode: "40000", name, sha: hashTree(child) })),
  ].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const body = Buffer.concat(entries.map((entry) => Buffer.concat([Buffer.from(`${entry.mode} ${entry.name}\0`), Buffer.from(entry.sha, "hex")])));
  return createHash("sha1").update(`tree ${body.length}\0`).update(body).digest("hex");
}

/** `git write-tree` of a set of files (path → content); `dir` hashes the subtree at that directory instead. */
export function gitTreeSha(files: ReadonlyMap<string, string>, dir = ""): string | null {
  let node: TreeNode | undefined = buildTree(files);
  for (const part of dir.split("/").filter(Boolean)) node = node?.dirs.get(part);
  return node ? hashTree(node) : null;
}

/**
 * Every file at a commit (path → content): for each path, what the newest commit in its history
 * that touched it left there. Exact for the linear histories of config repositories; after a merge
 * the newer side wins, which is what a merge without conflicts on the same file gives. Commits
 * without modelled files contribute nothing.
 */
export function filesAt(commits: CommitMap, sha: string): Map<string, string> {
  const seen = new Map<string, string | null>();
  for (const commit of walkHistory(commits, [sha])) {
    for (const file of commit.files ?? []) if (!seen.has(file.filename)) seen.set(file.filename, file.content);
  }
  const out = new Map<string, string>();
  for (const [path, content] of [...seen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) if (content !== null) out.set(path, content);
  return out;
}

/** Whether the repository's commits carry their files (only then can path filters and contents be answered). */
export function modelsFiles(commits: CommitMap): boolean {
  for (const commit of commits.values()) return commit.files !== undefined;
  return false;
}
