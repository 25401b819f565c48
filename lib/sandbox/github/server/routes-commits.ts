/** Commits, single commits, branches and compare, all computed from the commit graph as of now. */
import { compareCommits, walkHistory } from "../commit-graph";
import { filesAt, modelsFiles } from "../git-objects";
import type { SandboxCommit, SandboxRepository } from "../model";
import { type ApiContext, findRepository } from "./context";
import { DOCS_BASE, HttpError, notFound, unprocessable, validationFailed } from "./http-error";
import { linkHeader, paginate, parsePageParams } from "./pagination";
import { pagedList, timeParam } from "./query";
import { resolveRef } from "./refs";
import type { RouteDefinition } from "./router";
import { serializeBranch, serializeCommit, serializeCommitDetail } from "./serialize-commit";
import { serializeDiffEntry } from "./serialize-contents";
import { branchesAt, commitAt } from "./visibility";

/** GitHub's compare lists at most 250 commits when the client does not paginate. */
const COMPARE_UNPAGINATED_LIMIT = 250;

export const commitRoutes: RouteDefinition[] = [
  {
    path: "/repos/{owner}/{repo}/commits",
    handler: (request) => {
      const { ctx, params, query } = request;
      const repo = findRepository(ctx, params.owner!, params.repo!);
      const ref = query.get("sha") || repo.defaultBranch;
      const head = resolveRef(repo, ref, ctx.now);
      if (head === null) {
        // An empty repository has no default branch head: GitHub says 409 "Git Repository is empty."
        if (!query.get("sha") && branchesAt(repo, ctx.now).size === 0) throw new HttpError(409, { message: "Git Repository is empty.", documentation_url: DOCS_BASE, status: "409" });
        throw notFound();
      }
      const since = timeParam(query, "since");
      const until = timeParam(query, "until");
      const author = query.get("author")?.toLowerCase() || null;
      const committer = query.get("committer")?.toLowerCase() || null;
      const matchesPerson = (person: SandboxCommit["author"], wanted: string | null) =>
        wanted === null || person.login?.toLowerCase() === wanted || person.email.toLowerCase() === wanted;
      // `path`: commits that changed that file or anything under that directory. Only answerable
      // where commits carry their files; elsewhere the filter is not applied (as before), since the
      // sandbox cannot tell which commits an app repository's path would match.
      const path = (query.get("path") ?? "").replace(/^\/+|\/+$/g, "");
      const touchesPath = (commit: SandboxCommit) =>
        path === "" || commit.files === undefined || commit.files.some((file) => file.filename === path || file.filename.startsWith(`${path}/`));
      // since/until filter on the commit date, like `git log --since/--until`; the walk itself goes on.
      const commits = walkHistory(repo.commits, [head], {
        include: (commit) => {
          const at = Date.parse(commit.committer.date);
          return (
            (since === null || at >= since) &&
            (until === null || at <= until) &&
            matchesPerson(commit.author, author) &&
            matchesPerson(commit.committer, committer) &&
            touchesPath(commit)
          );
        },
      });
      return pagedList(request, commits, (commit) => serializeCommit(ctx, repo, commit));
    },
  },
  {
    path: "/repos/{owner}/{repo}/commits/{ref+}",
    handler: ({ ctx, params }) => {
      const repo = findRepository(ctx, params.owner!, params.repo!);
      const sha = resolveRef(repo, params.ref!, ctx.now);
      const commit = sha === null ? null : commitAt(repo, sha, ctx.now);
      if (!commit) throw unprocessable(`No commit found for SHA: ${params.ref}`);
      return { body: serializeCommitDetail(ctx, repo, commit) };
    },
  },
  {
    path: "/repos/{owner}/{repo}/branches/{branch+}",
    handler: ({ ctx, params }) => {
      const repo = findRepository(ctx, params.owner!, params.repo!);
      const head = branchesAt(repo, ctx.now).get(params.branch!);
      const commit = head === undefined ? null : commitAt(repo, head, ctx.now);
      if (!commit) throw new HttpError(404, { message: "Branch not found", documentation_url: DOCS_BASE, status: "404" });
      return { body: serializeBranch(ctx, repo, params.branch!, commit) };
    },
  },
  {
    path: "/repos/{owner}/{repo}/compare/{basehead+}",
    handler: (request) => {
      const { ctx, params, query } = request;
      const repo = findRepository(ctx, params.owner!, params.repo!);
      const parts = params.basehead!.split("...");
      if (parts.length !== 2 || parts[0] === "" || parts[1] === "") throw validationFailed("basehead", params.basehead!, "basehead must be BASE...HEAD");
      // Cross-repository compares (`owner:branch`) are not served: every sandbox branch lives in its own repo.
      const [baseRef, headRef] = parts as [string, string];
      const baseSha = resolveRef(repo, baseRef, ctx.now);
      const headSha = resolveRef(repo, headRef, ctx.now);
      if (baseSha === null || headSha === null) throw notFound();
      const comparison = compareCommits(repo.commits, baseSha, headSha);
      if (comparison === null) {
        throw new HttpError(404, { message: `No common ancestor between ${baseRef} and ${headRef}.`, documentation_url: DOCS_BASE, status: "404" });
      }
      const paginated = query.has("page") || query.has("per_page");
      let pageCommits = comparison.commits.slice(0, COMPARE_UNPAGINATED_LIMIT);
      const headers: Record<string, string> = {};
      if (paginated) {
        const { page, perPage } = parsePageParams(query);
        const slice = paginate(comparison.commits, page, perPage);
        pageCommits = slice.items;
        const link = linkHeader(request.url, page, slice.lastPage);
        if (link) headers.link = link;
      }
      const api = `${ctx.apiBase}/repos/${repo.fullName}`;
      const html = `${ctx.htmlBase}/${repo.fullName}`;
      const commit = (sha: string) => serializeCommit(ctx, repo, repo.commits.get(sha)!);
      // Where files are modelled, the diff between the merge base and head, file by file, as GitHub lists it.
      const files = modelsFiles(repo.commits) ? diffFiles(ctx, repo, comparison.mergeBaseSha, headSha) : [];
      return {
        headers,
        body: {
          url: `${api}/compare/${baseRef}...${headRef}`,
          html_url: `${html}/compare/${baseRef}...${headRef}`,
          permalink_url: `${html}/compare/${repo.fullName.split("/")[0]}:${baseSha.slice(0, 7)}...${repo.fullName.split("/")[0]}:${headSha.slice(0, 7)}`,
          diff_url: `${html}/compare/${baseRef}...${headRef}.diff`,
          patch_url: `${html}/compare/${baseRef}...${headRef}.patch`,
          base_commit: commit(baseSha),
          merge_base_commit: commit(comparison.mergeBaseSha),
          status: comparison.status,
          ahead_by: comparison.aheadBy,
          behind_by: comparison.behindBy,
          total_commits: comparison.aheadBy,
          commits: pageCommits.map((item) => serializeCommit(ctx, repo, item)),
          // Empty where file contents are not modelled (app repositories): there is no diff to list.
          files,
        },
      };
    },
  },
];

/** Files that differ between two commits' trees, in path order. */
function diffFiles(ctx: ApiContext, repo: SandboxRepository, baseSha: string, headSha: string) {
  const before = filesAt(repo.commits, baseSha);
  const after = filesAt(repo.commits, headSha);
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  return paths.filter((path) => before.get(path) !== after.get(path)).map((path) => serializeDiffEntry(ctx, repo, headSha, path, before.get(path) ?? null, after.get(path) ?? null));
}
