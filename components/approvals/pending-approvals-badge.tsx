"use client";

import { useQuery } from "@tanstack/react-query";
import { pendingCountQuery } from "@/lib/queries/approvals";

/**
 * The sidebar's count of sync requests the signed-in person could approve. Shows nothing while
 * loading, at zero, or when the count fails: a badge must never break the navigation. The visible
 * number is hidden from screen readers; the link's name reads "Approvals, 2 waiting for you".
 */
export function PendingApprovalsBadge() {
  // No retry: a failing badge stays hidden until the next poll instead of hammering the server.
  const { data } = useQuery({ ...pendingCountQuery(), retry: false, throwOnError: false });
  const count = data?.awaitingViewer ?? 0;
  if (count <= 0) return null;
  return (
    <>
      <span aria-hidden="true" className="ml-auto inline-flex min-w-5 items-center justify-center rounded-full bg-accent px-1.5 text-xs font-semibold text-accent-fg tabular-nums" data-testid="approvals-badge">
        {count > 99 ? "99+" : count}
      </span>
      <span className="sr-only">, {count} waiting for you</span>
    </>
  );
}
