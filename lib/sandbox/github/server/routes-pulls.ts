/** Pull requests, their commits and reviews. */
import { findRepository, pathInteger } from "./context";
import { notFound } from "./http-error";
import { enumParam, pagedList, sortBy } from "./query";
import type { ApiRequest, RouteDefinition } from "./router";
import { serializeCommit } from "./serialize-commit";
import { serializePull, serializePullSimple, serializeReview } from "./serialize-pull";
import { commitAt, pullAt, pullsAt } from "./visibility";

function findPull({ ctx, params }: ApiRequest) {
  const repo = findRepository(ctx, params.owner!, params.repo!);
  const number = pathInteger(params.pull_number!);
  const stored = repo.pullRequests.find((pr) => pr.number === number);
  const pr = stored ? pullAt(repo, stored, ctx.now) : null;
  if (!pr) throw notFound();
  return { repo, pr };
}

export const pullRoutes: RouteDefinition[] = [
  {
    path: "/repos/{owner}/{repo}/pulls",
    handler: (request) => {
      const { ctx, params, query } = request;
      const repo = findRepository(ctx, params.owner!, params.repo!);
      const state = enumParam(query, "state", ["open", "closed", "all"] as const, "open");
      const sort = enumParam(query, "sort", ["created", "updated", "popularity", "long-running"] as const, "created");
      // GitHub: descending by default for created (or no sort), ascending otherwise.
      const direction = enumParam(query, "direction", ["asc", "desc"] as const, sort === "created" ? "desc" : "asc");
      const base = query.get("base");
      // `head` is `user:ref` (or `org:ref`); the owner part must be the org, as every sandbox PR comes from a branch of the repo itself.
      const head = query.get("head");
      const colon = head?.indexOf(":") ?? -1;
      const headOwner = head && colon >= 0 ? head.slice(0, colon) : null;
      const headRef = head && colon >= 0 ? head.slice(colon + 1) : head;
      const ownerMatches = headOwner === null || headOwner.toLowerCase() === ctx.org.login.toLowerCase();
      const pulls = pullsAt(repo, ctx.now).filter(
        (pr) => (state === "all" || pr.state === state) && (!base || pr.baseRef === base) && (!headRef || (ownerMatches && pr.headRef === headRef)),
      );
      // Comments are not modelled, so "popularity" and "long-running" fall back to creation time.
      const key = sort === "updated" ? (pr: (typeof pulls)[number]) => Date.parse(pr.updatedAt) : (pr: (typeof pulls)[number]) => Date.parse(pr.createdAt);
      const sorted = sortBy(pulls, key, (pr) => pr.number, direction);
      return pagedList(request, sorted, (pr) => serializePullSimple(ctx, repo, pr));
    },
  },
  {
    path: "/repos/{owner}/{repo}/pulls/{pull_number}",
    handler: (request) => {
      const { repo, pr } = findPull(request);
      return { body: serializePull(request.ctx, repo, pr) };
    },
  },
  {
    path: "/repos/{owner}/{repo}/pulls/{pull_number}/commits",
    handler: (request) => {
      const { repo, pr } = findPull(request);
      // The PR's own commits, oldest first; GitHub stops listing at 250.
      const commits = pr.commitShas.flatMap((sha) => commitAt(repo, sha, request.ctx.now) ?? []).slice(0, 250);
      return pagedList(request, commits, (commit) => serializeCommit(request.ctx, repo, commit));
    },
  },
  {
    path: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    handler: (request) => {
      const { repo, pr } = findPull(request);
      // Chronological, as GitHub lists reviews.
      const reviews = sortBy(pr.reviews, (review) => Date.parse(review.submittedAt), (review) => review.id, "asc");
      return pagedList(request, reviews, (review) => serializeReview(request.ctx, repo, pr, review));
    },
  },
];
