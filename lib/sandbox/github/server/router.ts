/**
 * Matches a request path against GitHub's path templates (`/repos/{owner}/{repo}/pulls/{pull_number}`).
 * A trailing `{name+}` takes the rest of the path, because refs and branch names may contain slashes
 * (`compare/main...feature/login`, `branches/release/1.2`), as GitHub accepts them unencoded.
 */
import type { ApiContext } from "./context";
import { notFound } from "./http-error";

export interface ApiRequest {
  ctx: ApiContext;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The absolute request URL as the client sees it (for `Link` headers). */
  url: URL;
}

export interface ApiResponse {
  body: unknown;
  status?: number;
  headers?: Record<string, string>;
}

export type Handler = (request: ApiRequest) => ApiResponse;

export interface RouteDefinition {
  /** GitHub's template, with `+` marking a trailing parameter that spans slashes. */
  path: string;
  handler: Handler;
}

interface CompiledRoute {
  /** The template as the OpenAPI description spells it (no `+`). */
  template: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

export interface RouteMatch {
  template: string;
  params: Record<string, string>;
  handler: Handler;
}

function compile(definition: RouteDefinition): CompiledRoute {
  const names: string[] = [];
  const source = definition.path
    .split("/")
    .map((segment) => {
      const param = /^\{(\w+)(\+?)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(param[1]!);
      return param[2] === "+" ? "(.+)" : "([^/]+)";
    })
    .join("/");
  return { template: definition.path.replace(/\+\}/g, "}"), pattern: new RegExp(`^${source}/?$`), names, handler: definition.handler };
}

export function createRouter(definitions: readonly RouteDefinition[]): (method: string, pathname: string) => RouteMatch | null {
  const routes = definitions.map(compile);
  return (method, pathname) => {
    // The sandbox is read-only: GitHub's write endpoints are not served, and GitHub answers 404 for unknown routes.
    if (method !== "GET" && method !== "HEAD") return null;
    for (const route of routes) {
      const match = route.pattern.exec(pathname);
      if (!match) continue;
      const params: Record<string, string> = {};
      try {
        route.names.forEach((name, index) => {
          params[name] = decodeURIComponent(match[index + 1]!);
        });
      } catch {
        throw notFound();
      }
      return { template: route.template, params, handler: route.handler };
    }
    return null;
  };
}
