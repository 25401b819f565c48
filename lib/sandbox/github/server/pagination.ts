/**
 * GitHub's page-number pagination: `per_page` (default 30, at most 100) and `page` (from 1), with a
 * `Link` header whose absolute URLs keep every other query parameter, so clients that follow
 * `rel="next"` (Octokit's paginate) see the same filters on every page.
 */
import { validationFailed } from "./http-error";

export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 100;

export interface PageParams {
  page: number;
  perPage: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  perPage: number;
  /** At least 1, so an empty list still has a page 1. */
  lastPage: number;
  total: number;
}

/**
 * Reads `page` and `per_page`. GitHub clamps `per_page` to 100 and treats `page` below 1 as 1, but
 * rejects values that are not numbers at all; the sandbox answers those with 422.
 */
export function parsePageParams(query: URLSearchParams, defaults: { perPage?: number; maxPerPage?: number } = {}): PageParams {
  const maxPerPage = defaults.maxPerPage ?? MAX_PER_PAGE;
  const perPage = readPositiveInt(query, "per_page") ?? defaults.perPage ?? DEFAULT_PER_PAGE;
  const page = readPositiveInt(query, "page") ?? 1;
  return { page: Math.max(1, page), perPage: Math.min(Math.max(1, perPage), maxPerPage) };
}

function readPositiveInt(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  if (!/^-?\d+$/.test(raw)) throw validationFailed(name, raw, `${name} must be an integer`);
  return Number.parseInt(raw, 10);
}

/** The slice of `items` for `page` (1-based) of `perPage` items, and where the list ends. */
export function paginate<T>(items: readonly T[], page: number, perPage: number): Page<T> {
  const start = (page - 1) * perPage;
  return {
    items: items.slice(start, start + perPage),
    page,
    perPage,
    lastPage: Math.max(1, Math.ceil(items.length / perPage)),
    total: items.length,
  };
}

/**
 * GitHub's `Link` header: `prev`, `next`, `last`, `first`, in that order, each only when it points
 * somewhere other than the current page (page 1 has no prev/first, the last page no next/last).
 * `undefined` when everything fits on one page, as GitHub then sends no header at all.
 */
export function linkHeader(requestUrl: string | URL, page: number, lastPage: number): string | undefined {
  if (lastPage <= 1 && page <= 1) return undefined;
  const at = (target: number): string => {
    const url = new URL(requestUrl);
    url.searchParams.set("page", String(target));
    return url.toString();
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${at(Math.min(page - 1, lastPage))}>; rel="prev"`);
  if (page < lastPage) {
    links.push(`<${at(page + 1)}>; rel="next"`);
    links.push(`<${at(lastPage)}>; rel="last"`);
  }
  if (page > 1) links.push(`<${at(1)}>; rel="first"`);
  return links.length > 0 ? links.join(", ") : undefined;
}
