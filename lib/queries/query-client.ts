import { cache } from "react";
import { QueryClient, defaultShouldDehydrateQuery, isServer } from "@tanstack/react-query";

/** How long fetched data counts as fresh, so hydrated server data is not refetched at once. */
export const DEFAULT_STALE_TIME_MS = 30_000;

/**
 * One factory for the server (per request) and the browser (one per tab), so both sides
 * agree on staleness and on what gets dehydrated.
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: DEFAULT_STALE_TIME_MS,
        // A retry on the server only delays the stream; the browser retries once before the error state.
        retry: isServer ? 0 : 1,
        refetchOnWindowFocus: false,
      },
      dehydrate: {
        // Prefetches are not awaited: pending queries stream to the browser as promises.
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
        // Next.js already replaces server error messages with a digest in production.
        shouldRedactErrors: () => false,
      },
    },
  });
}

/**
 * The QueryClient of the current server request. React's `cache` scopes it to one render,
 * so a layout and a page prefetching the same key share one fetch.
 */
export const getQueryClient = cache(makeQueryClient);

let browserQueryClient: QueryClient | undefined;

/**
 * The browser keeps one client for the tab's lifetime so cached data survives navigation;
 * during SSR of client components every render gets a fresh one, never a shared singleton.
 */
export function getClientQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}
