"use client";

import { useState } from "react";
import { useQueries, useSuspenseQuery } from "@tanstack/react-query";
import { type SyncRequestDto, syncRequestsQuery } from "@/lib/queries/approvals";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState, describeError } from "@/components/ui/error-state";
import { TableSkeleton } from "@/components/ui/skeleton";
import { SyncRequestCard } from "./sync-request-card";
import { formatInstant, shortRevision, statusStyles } from "./format-approvals";
import { useApprovalsParams } from "./use-approvals-params";
import { useScrollToRequest } from "./use-deep-link";

function outcomeOf(request: SyncRequestDto): string {
  switch (request.status) {
    case "SUCCEEDED":
      return request.operation?.syncedRevision ? `synced ${shortRevision(request.operation.syncedRevision)}` : "synced";
    case "FAILED":
      return request.failureReason ?? request.operation?.message ?? "failed";
    case "REJECTED": {
      const rejection = request.approvals.find((approval) => approval.decision === "REJECT");
      return rejection ? `by ${rejection.approver.display}${rejection.comment ? `: “${rejection.comment}”` : ""}` : "rejected";
    }
    case "EXPIRED":
      return "approvals ran out before the sync";
    case "SUPERSEDED":
      return "a newer revision replaced it";
    case "CANCELLED":
      return `by ${request.requester.display}`;
    default:
      return "";
  }
}

/**
 * A finished request as one line that opens into its full card: the trail stays scannable, and the
 * audit trail's deep link opens the one it points at.
 */
function HistoryEntry({ request, linked }: { request: SyncRequestDto; linked: boolean }) {
  const status = statusStyles[request.status];
  return (
    <li>
      <details open={linked} className="group rounded-md border border-line" data-testid="history-entry" data-status={request.status}>
        <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm hover:bg-surface-sunken">
          <span aria-hidden="true" className="text-subtle group-open:rotate-90">
            ▸
          </span>
          <time dateTime={request.finishedAt ?? request.createdAt} className="text-muted tabular-nums">
            {formatInstant(request.finishedAt ?? request.createdAt)}
          </time>
          <span className="font-medium text-fg">{request.app.name}</span>
          <code className="font-mono text-xs text-fg" title={request.revision}>
            {shortRevision(request.revision)}
          </code>
          <Badge tone={status.tone}>{status.label}</Badge>
          <span className="min-w-0 text-muted">{outcomeOf(request)}</span>
        </summary>
        <div className="border-t border-line p-3">
          {/* The card carries the anchor id; a deep link opens this entry so the card can be scrolled to. */}
          <SyncRequestCard request={request} headingLevel="h4" highlighted={linked} />
        </div>
      </details>
    </li>
  );
}

/** "History": finished requests, newest first, a page at a time ("Load more" follows `nextCursor`). */
export function RequestHistory() {
  const { data: first } = useSuspenseQuery(syncRequestsQuery(null));
  const [cursors, setCursors] = useState<string[]>([]);
  // Later pages are a fixed past: no polling for them, the first page's refresh shows what is new.
  const pages = useQueries({ queries: cursors.map((cursor) => ({ ...syncRequestsQuery(cursor), refetchInterval: false as const })) });
  const [params] = useApprovalsParams();

  const seen = new Set<string>();
  const rows: SyncRequestDto[] = [];
  for (const request of [first, ...pages.map((page) => page.data)].flatMap((page) => page?.history ?? [])) {
    // A request finishing between two page loads may shift one row across the page boundary.
    if (seen.has(request.id)) continue;
    seen.add(request.id);
    rows.push(request);
  }
  const last = pages.at(-1);
  const nextCursor = last === undefined ? first.nextCursor : (last.data?.nextCursor ?? null);
  const loading = last?.isPending ?? false;
  const linked = params.request;
  useScrollToRequest(linked, linked !== undefined && seen.has(linked));

  return (
    <Card aria-labelledby="request-history-heading">
      <CardHeader id="request-history-heading" title="History" description="Finished sync requests, newest first: synced, failed, rejected, expired, superseded or withdrawn." />
      <CardBody className="flex flex-col gap-3">
        {rows.length === 0 ? (
          <EmptyState headingLevel="h3" title="No finished sync requests yet" description="Requests move here once they are synced, fail, are rejected or withdrawn, expire, or are superseded by a newer revision." className="py-6" />
        ) : (
          <ul className="flex flex-col gap-2" data-testid="request-history">
            {rows.map((request) => (
              <HistoryEntry key={request.id} request={request} linked={request.id === linked} />
            ))}
          </ul>
        )}
        {last?.error ? <ErrorState title="More history could not be loaded" message={describeError(last.error)} onRetry={() => void last.refetch()} /> : null}
        {nextCursor !== null && !last?.error ? (
          <div>
            <Button onClick={() => setCursors((previous) => [...previous, nextCursor])} disabled={loading}>
              {loading ? "Loading…" : "Load more"}
            </Button>
          </div>
        ) : null}
      </CardBody>
    </Card>
  );
}

export function RequestHistorySkeleton() {
  return (
    <Card>
      <CardHeader title="History" />
      <TableSkeleton label="sync request history" rows={4} columns={4} />
    </Card>
  );
}
