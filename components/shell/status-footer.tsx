import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { getQueryClient } from "@/lib/queries/query-client";
import { prefetchHealth } from "@/lib/queries/health-server";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { DatabaseStatus, DatabaseStatusSkeleton } from "./database-status";

/** The "System status" landmark: whether the database answers, prefetched so it paints with the page. */
export function StatusFooter({ className }: { className?: string }) {
  const queryClient = getQueryClient();
  void prefetchHealth(queryClient);
  return (
    <footer className={className} aria-label="System status">
      <HydrationBoundary state={dehydrate(queryClient)}>
        <QueryBoundary name="Database status" compact fallback={<DatabaseStatusSkeleton />}>
          <DatabaseStatus />
        </QueryBoundary>
      </HydrationBoundary>
    </footer>
  );
}
