/** Commits in GitHub's `commit` shape (lists, single commit, compare, PR commits) and the branch shape that wraps one. */
import type { SandboxCommit, SandboxRepository } from "../model";
import { filesAt } from "../git-objects";
import type { ApiContext } from "./context";
import { type Schemas, nodeId } from "./schemas";
import { serializeDiffEntry } from "./serialize-contents";
import { serializeSimpleUser } from "./serialize-user";

function gitUser(person: SandboxCommit["author"]): Schemas["nullable-git-user"] {
  return { name: person.name, email: person.email, date: person.date };
}

/**
 * GitHub's `commit.verification`. Signed commits carry a signature and the signed payload; unsigned
 * ones say so, which is what a "signed commits" check reads.
 */
function verification(commit: SandboxCommit): Schemas["verification"] {
  if (!commit.verified) return { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null };
  const payload = [
    `tree ${commit.treeSha}`,
    ...commit.parents.map((parent) => `parent ${parent}`),
    `author ${commit.author.name} <${commit.author.email}> ${Math.floor(Date.parse(commit.author.date) / 1000)} +0000`,
    `committer ${commit.committer.name} <${commit.committer.email}> ${Math.floor(Date.parse(commit.committer.date) / 1000)} +0000`,
    "",
    commit.message,
  ].join("\n");
  const signature = `-----BEGIN PGP SIGNATURE-----\n\nwsBcBAABCAAQBQJ${commit.sha.slice(0, 24)}\n-----END PGP SIGNATURE-----\n`;
  return { verified: true, reason: "valid", signature, payload, verified_at: commit.committer.date };
}

export function serializeCommit(ctx: ApiContext, repo: SandboxRepository, commit: SandboxCommit): Schemas["commit"] {
  const api = `${ctx.apiBase}/repos/${repo.fullName}`;
  const html = `${ctx.htmlBase}/${repo.fullName}`;
  return {
    sha: commit.sha,
    node_id: nodeId("Commit", `${repo.id}:${commit.sha}`),
    commit: {
      author: gitUser(commit.author),
      committer: gitUser(commit.committer),
      message: commit.message,
      tree: { sha: commit.treeSha, url: `${api}/git/trees/${commit.treeSha}` },
      url: `${api}/git/commits/${commit.sha}`,
      comment_count: 0,
      verification: verification(commit),
    },
    url: `${api}/commits/${commit.sha}`,
    html_url: `${html}/commit/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    // GitHub links a commit to an account only when the e-mail belongs to one; otherwise null.
    author: commit.author.login === null ? null : serializeSimpleUser(ctx, commit.author.login),
    committer: commit.committer.login === null ? null : serializeSimpleUser(ctx, commit.committer.login),
    parents: commit.parents.map((parent) => ({ sha: parent, url: `${api}/commits/${parent}`, html_url: `${html}/commit/${parent}` })),
  };
}

/**
 * `GET /commits/{ref}` adds stats and files. Where the commit carries its files (config
 * repositories) they are diffed against the first parent's tree. Elsewhere file contents are not
 * modelled, so `files` is empty and the line counts are a stable function of the sha: plausible,
 * not meaningful.
 */
export function serializeCommitDetail(ctx: ApiContext, repo: SandboxRepository, commit: SandboxCommit): Schemas["commit"] {
  if (commit.files !== undefined) {
    const parent = commit.parents[0];
    const before = parent === undefined ? new Map<string, string>() : filesAt(repo.commits, parent);
    const files = commit.files.map((file) => serializeDiffEntry(ctx, repo, commit.sha, file.filename, before.get(file.filename) ?? null, file.content));
    const additions = files.reduce((sum, file) => sum + file.additions, 0);
    const deletions = files.reduce((sum, file) => sum + file.deletions, 0);
    return { ...serializeCommit(ctx, repo, commit), stats: { total: additions + deletions, additions, deletions }, files };
  }
  const seed = Number.parseInt(commit.sha.slice(0, 6), 16) || 0;
  const additions = (seed % 200) + 1;
  const deletions = (seed >> 8) % 80;
  return { ...serializeCommit(ctx, repo, commit), stats: { total: additions + deletions, additions, deletions }, files: [] };
}

export function serializeBranch(
  ctx: ApiContext,
  repo: SandboxRepository,
  name: string,
  head: SandboxCommit,
): Schemas["branch-with-protection"] {
  const api = `${ctx.apiBase}/repos/${repo.fullName}`;
  const isDefault = name === repo.defaultBranch;
  return {
    name,
    commit: serializeCommit(ctx, repo, head),
    _links: { self: `${api}/branches/${encodeURIComponent(name)}`, html: `${ctx.htmlBase}/${repo.fullName}/tree/${name}` },
    // Default branches are protected in the sandbox, as in most orgs that care about delivery metrics.
    protected: isDefault,
    protection: isDefault
      ? { enabled: true, required_status_checks: { enforcement_level: "non_admins", contexts: ["ci"], checks: [{ context: "ci", app_id: null }] } }
      : { enabled: false, required_status_checks: { enforcement_level: "off", contexts: [], checks: [] } },
    protection_url: `${api}/branches/${encodeURIComponent(name)}/protection`,
  };
}
