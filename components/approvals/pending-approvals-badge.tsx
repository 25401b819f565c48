"use client";

import { useQuery } from "@tanstack/react-query";
import { pendingCountQuery } from "@/lib/queries/approvals";

/**
 * How many pending sync requests the signed-in person could approve, or 0 while loading or when the
 * count fails: a badge must never break the navigation. No retry: a failing count stays hidden until
 * the next poll instead of hammering the server.
 */
export function usePendingApprovalsCount(): number {
  const { data } = useQuery({ ...pendingCountQuery(), retry: false, throwOnError: false });
  return Math.max(data?.awaitingViewer ?? 0, 0);
}

/** What screen readers hear for the link: "Approvals, 2 waiting for you". */
export function pendingApprovalsLabel(label: string, count: number): string {
  return `${label}, ${count} waiting for you`;
}

/** The visible number; hidden from screen readers, which hear the label instead. */
export function PendingApprovalsBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span aria-hidden="true" className="ml-auto inline-flex min-w-5 items-center justify-center rounded-full bg-accent px-1.5 text-xs font-semibold text-accent-fg tabular-nums" data-testid="approvals-badge">
      {count > 99 ? "99+" : count}
    </span>
  );
}
