"use client";

import { useCallback, useMemo } from "react";
import { usePathname, useSearchParams } from "next/navigation";
import type { z } from "zod";
import { parseSearchParams } from "@/lib/queries/services";

export type UrlPatch = Record<string, string | number | undefined | null>;

/**
 * Filters that live in the URL. Reads with the same schema the page's server prefetch used, so the
 * first client render asks for the key the server filled. Writes through the History API, which
 * Next's router follows without a server round trip: only the queries whose keys changed refetch.
 */
export function useUrlParams<S extends z.ZodType>(schema: S, known: readonly string[]) {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const search = searchParams.toString();
  // Memoised on the string, so an unchanged URL keeps the same object (useDeferredValue relies on it).
  const params = useMemo(
    () => parseSearchParams(schema, Object.fromEntries(new URLSearchParams(search)), known).params,
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `known` and `schema` are module constants
    [search],
  );

  const setParams = useCallback(
    (patch: UrlPatch, options: { replace?: boolean } = {}) => {
      const next = new URLSearchParams(window.location.search);
      for (const [name, value] of Object.entries(patch)) {
        if (value === undefined || value === null || value === "") next.delete(name);
        else next.set(name, String(value));
      }
      const query = next.toString();
      const url = `${pathname}${query ? `?${query}` : ""}`;
      if (options.replace) window.history.replaceState(null, "", url);
      else window.history.pushState(null, "", url);
    },
    [pathname],
  );

  return [params, setParams] as const;
}
