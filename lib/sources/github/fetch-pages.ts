import { type GithubClient, conditionalGet, nextPageUrl } from "@/lib/sources/github/client";

export type PagedResult<T> = { changed: false } | { changed: true; items: T[]; etag: string | null };

/**
 * Reads a newest-first list: page 1 conditionally (an unchanged list costs one 304 and no rate
 * budget), then following `Link: rel="next"` until `isOlderThanNeeded` says the rest is known.
 * `unwrap` handles endpoints that wrap their items (`{ total_count, workflow_runs }`).
 */
export async function fetchNewestFirst<T, Page = T[]>(
  client: GithubClient,
  route: string,
  params: Record<string, string | number>,
  options: { etag: string | null; isOlderThanNeeded?: (item: T) => boolean; unwrap?: (page: Page) => T[] },
): Promise<PagedResult<T>> {
  const unwrap = options.unwrap ?? ((page: Page) => page as unknown as T[]);
  const first = await conditionalGet<Page>(client, route, { per_page: 100, ...params }, options.etag);
  if (!first.changed) return { changed: false };
  const items: T[] = [];
  let page = unwrap(first.data);
  let link = first.link;
  for (;;) {
    for (const item of page) {
      if (options.isOlderThanNeeded?.(item)) return { changed: true, items, etag: first.etag };
      items.push(item);
    }
    const next = nextPageUrl(link);
    if (!next) break;
    const response = await client.request({ method: "GET", url: next });
    page = unwrap(response.data as Page);
    link = response.headers.link ?? null;
  }
  return { changed: true, items, etag: first.etag };
}

/** Every page of a list, unconditionally (small lists read once per item, e.g. a PR's commits). */
export async function fetchAll<T>(client: GithubClient, route: string, params: Record<string, string | number>): Promise<T[]> {
  return (await client.paginate(route, { per_page: 100, ...params })) as T[];
}
