/**
 * `GET /repos/{owner}/{repo}/contents/{path}?ref=`: a file (or directory listing) as of a branch or
 * commit, for repositories whose commits carry their files. Refs resolve only to what exists at the
 * clock's now, like every other route, so a bump still in the future is not readable yet.
 */
import { filesAt, modelsFiles } from "../git-objects";
import { findRepository } from "./context";
import { DOCS_BASE, HttpError, notFound } from "./http-error";
import { resolveRef } from "./refs";
import type { ApiRequest, ApiResponse, RouteDefinition } from "./router";
import { serializeContentDirectory, serializeContentFile } from "./serialize-contents";
import { branchesAt } from "./visibility";

const CONTENTS_DOCS = `${DOCS_BASE}/repos/contents#get-repository-content`;

function getContent({ ctx, params, query }: ApiRequest): ApiResponse {
  const repo = findRepository(ctx, params.owner!, params.repo!);
  const ref = query.get("ref") || repo.defaultBranch;
  const sha = resolveRef(repo, ref, ctx.now);
  if (sha === null) {
    if (!query.get("ref") && branchesAt(repo, ctx.now).size === 0) throw new HttpError(404, { message: "This repository is empty.", documentation_url: CONTENTS_DOCS, status: "404" });
    throw new HttpError(404, { message: `No commit found for the ref ${ref}`, documentation_url: CONTENTS_DOCS, status: "404" });
  }
  // App repositories do not model their files: nothing to serve rather than something made up.
  if (!modelsFiles(repo.commits)) throw notFound(CONTENTS_DOCS);
  // GitHub ignores a leading or trailing slash in the path.
  const path = params.path!.replace(/^\/+|\/+$/g, "");
  const files = filesAt(repo.commits, sha);
  const content = files.get(path);
  if (content !== undefined) return { body: serializeContentFile(ctx, repo, path, ref, content) };
  const listing = serializeContentDirectory(ctx, repo, path, ref, files);
  if (listing === null) throw notFound(CONTENTS_DOCS);
  return { body: listing };
}

// GitHub's description has only the `{path}` form; the root listing (`contents/`) is not served.
export const contentRoutes: RouteDefinition[] = [{ path: "/repos/{owner}/{repo}/contents/{path+}", handler: getContent }];
