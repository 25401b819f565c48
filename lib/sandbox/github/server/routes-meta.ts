/** The token's user, the organisation and its repositories. */
import { findRepository, repositoriesAt } from "./context";
import { notFound } from "./http-error";
import { enumParam, pagedList, sortBy } from "./query";
import type { RouteDefinition } from "./router";
import { serializeOrganization } from "./serialize-org";
import { serializeFullRepository, serializeMinimalRepository } from "./serialize-repo";
import { serializePrivateUser } from "./serialize-user";

export const metaRoutes: RouteDefinition[] = [
  { path: "/user", handler: ({ ctx }) => ({ body: serializePrivateUser(ctx, ctx.viewer) }) },
  {
    path: "/orgs/{org}",
    handler: ({ ctx, params }) => {
      if (params.org!.toLowerCase() !== ctx.org.login.toLowerCase()) throw notFound();
      return { body: serializeOrganization(ctx) };
    },
  },
  {
    path: "/orgs/{org}/repos",
    handler: (request) => {
      const { ctx, params, query } = request;
      if (params.org!.toLowerCase() !== ctx.org.login.toLowerCase()) throw notFound();
      const type = enumParam(query, "type", ["all", "public", "private", "forks", "sources", "member"] as const, "all");
      const sort = enumParam(query, "sort", ["created", "updated", "pushed", "full_name"] as const, "created");
      // GitHub's default direction: ascending by name, newest first for every date sort.
      const direction = enumParam(query, "direction", ["asc", "desc"] as const, sort === "full_name" ? "asc" : "desc");
      // Every sandbox repository is a public source repository of the org (no forks, nothing private).
      const repos = type === "private" || type === "forks" ? [] : repositoriesAt(ctx);
      const serialized = new Map(repos.map((repo) => [repo.id, serializeMinimalRepository(ctx, repo)]));
      const key = (id: number): string => {
        const repo = serialized.get(id)!;
        if (sort === "full_name") return repo.full_name.toLowerCase();
        const value = sort === "created" ? repo.created_at : sort === "updated" ? repo.updated_at : repo.pushed_at;
        return value ?? "";
      };
      const sorted = sortBy(repos, (repo) => key(repo.id), (repo) => repo.id, direction);
      return pagedList(request, sorted, (repo) => serialized.get(repo.id));
    },
  },
  {
    path: "/repos/{owner}/{repo}",
    handler: ({ ctx, params }) => ({ body: serializeFullRepository(ctx, findRepository(ctx, params.owner!, params.repo!)) }),
  },
];
