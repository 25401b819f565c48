import "server-only";
import type { QueryClient } from "@tanstack/react-query";
import { getViewerContext } from "@/lib/data/context";
import { getPeople } from "@/lib/data/people/get-people";
import { peopleKeys } from "./people";

/** Starts the People and roles query through the data layer; not awaited, the pending query streams to the card. */
export function prefetchPeople(queryClient: QueryClient): Promise<void> {
  return queryClient.prefetchQuery({ queryKey: peopleKeys.list(""), queryFn: async () => getPeople(await getViewerContext()) }).catch(() => {
    // prefetchQuery never rejects today; the catch keeps a future change from crashing the render.
  });
}
