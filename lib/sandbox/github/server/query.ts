/** Query parameters as GitHub reads them: enums and timestamps are validated (422), lists sorted with a stable tiebreak. */
import { validationFailed } from "./http-error";
import { type Page, paginate, parsePageParams, linkHeader } from "./pagination";
import type { ApiRequest, ApiResponse } from "./router";

export function enumParam<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[], fallback: T): T {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw validationFailed(name, raw, `${name} must be one of: ${allowed.join(", ")}`);
  return raw as T;
}

/** An ISO 8601 timestamp (`since`, `until`); GitHub rejects what it cannot parse. */
export function timeParam(query: URLSearchParams, name: string): number | null {
  const raw = query.get(name);
  if (raw === null || raw === "") return null;
  const parsed = /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(parsed)) throw validationFailed(name, raw, `${name} must be an ISO 8601 timestamp`);
  return parsed;
}

export type Direction = "asc" | "desc";

/** Sorts by `key` (epoch ms or string) then by `id`, so equal keys keep a deterministic order across pages. */
export function sortBy<T>(items: readonly T[], key: (item: T) => number | string, id: (item: T) => number, direction: Direction): T[] {
  const sign = direction === "asc" ? 1 : -1;
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const primary = ka < kb ? -1 : ka > kb ? 1 : 0;
    return sign * (primary !== 0 ? primary : id(a) - id(b));
  });
}

/** Paginates `items`, serializes only the page, and sets GitHub's `Link` header. */
export function pagedList<T>(request: ApiRequest, items: readonly T[], serialize: (item: T) => unknown, wrap?: (page: unknown[], all: Page<T>) => unknown): ApiResponse {
  const { page, perPage } = parsePageParams(request.query);
  const slice = paginate(items, page, perPage);
  const body = slice.items.map(serialize);
  const link = linkHeader(request.url, page, slice.lastPage);
  return { body: wrap ? wrap(body, slice) : body, headers: link ? { link } : {} };
}
