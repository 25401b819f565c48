/** Issues, with pull requests listed among them as GitHub does. */
import { findRepository, pathInteger } from "./context";
import { notFound } from "./http-error";
import { enumParam, pagedList, sortBy, timeParam } from "./query";
import type { RouteDefinition } from "./router";
import { type IssueLike, issueLikeFields, serializeIssue } from "./serialize-issue";
import { issueAt, issuesAt, pullAt, pullsAt } from "./visibility";

export const issueRoutes: RouteDefinition[] = [
  {
    path: "/repos/{owner}/{repo}/issues",
    handler: (request) => {
      const { ctx, params, query } = request;
      const repo = findRepository(ctx, params.owner!, params.repo!);
      const state = enumParam(query, "state", ["open", "closed", "all"] as const, "open");
      const sort = enumParam(query, "sort", ["created", "updated", "comments"] as const, "created");
      const direction = enumParam(query, "direction", ["asc", "desc"] as const, "desc");
      const since = timeParam(query, "since");
      const creator = query.get("creator")?.toLowerCase();
      // Every listed label must be on the issue (GitHub ANDs them); names compare case-insensitively.
      const labels = (query.get("labels") ?? "")
        .split(",")
        .map((label) => label.trim().toLowerCase())
        .filter((label) => label !== "");
      const items: IssueLike[] = [
        ...issuesAt(repo, ctx.now).map((issue): IssueLike => ({ kind: "issue", issue })),
        ...pullsAt(repo, ctx.now).map((pull): IssueLike => ({ kind: "pull", pull })),
      ];
      const filtered = items.filter((item) => {
        const fields = issueLikeFields(item);
        const names = new Set(fields.labels.map((label) => label.toLowerCase()));
        return (
          (state === "all" || fields.state === state) &&
          (since === null || Date.parse(fields.updatedAt) >= since) &&
          (!creator || fields.authorLogin.toLowerCase() === creator) &&
          labels.every((label) => names.has(label))
        );
      });
      // Comments are not modelled (always 0), so sorting by comments keeps creation order among equals.
      const key = (item: IssueLike) => {
        const fields = issueLikeFields(item);
        return sort === "updated" ? Date.parse(fields.updatedAt) : sort === "comments" ? 0 : Date.parse(fields.createdAt);
      };
      const sorted = sortBy(filtered, key, (item) => issueLikeFields(item).number, direction);
      return pagedList(request, sorted, (item) => serializeIssue(ctx, repo, item));
    },
  },
  {
    path: "/repos/{owner}/{repo}/issues/{issue_number}",
    handler: ({ ctx, params }) => {
      const repo = findRepository(ctx, params.owner!, params.repo!);
      const number = pathInteger(params.issue_number!);
      const storedIssue = repo.issues.find((issue) => issue.number === number);
      const issue = storedIssue ? issueAt(storedIssue, ctx.now) : null;
      if (issue) return { body: serializeIssue(ctx, repo, { kind: "issue", issue }) };
      const storedPull = repo.pullRequests.find((pr) => pr.number === number);
      const pull = storedPull ? pullAt(repo, storedPull, ctx.now) : null;
      if (pull) return { body: serializeIssue(ctx, repo, { kind: "pull", pull }) };
      throw notFound();
    },
  },
];
