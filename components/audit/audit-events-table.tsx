"use client";

import { Fragment } from "react";
import Link from "next/link";
import { useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { auditEventsInfiniteOptions } from "@/lib/queries/audit";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { TableSkeleton } from "@/components/ui/skeleton";
import { EmptyState } from "@/components/ui/empty-state";
import { AuditIcon } from "@/components/ui/icons";
import { describeError } from "@/components/ui/error-state";
import { useAuditParams } from "./use-audit-params";
import { AuditEventDetail } from "./audit-event-detail";
import { AuditLinks } from "./audit-links";
import { formatAuditTime, outcomeTone, sourceLabels } from "./format-audit";

const HEADERS = ["Occurred", "Actor", "Action", "Target", "Service", "Outcome", "Source", "Seq"] as const;

/**
 * The filtered trail, newest first, 50 events a page: "Load more" fetches the next keyset page
 * (events appended meanwhile never shift it). A row's toggle opens its details (before/after,
 * request id, client IP, hashes) in the row below; the open row is in the URL (`event`).
 */
export function AuditEventsTable() {
  const { filters, params, setParams } = useAuditParams();
  const query = useSuspenseInfiniteQuery(auditEventsInfiniteOptions(filters));
  const pages = query.data.pages;
  const events = pages.flatMap((page) => page.events);
  const timeZone = pages[0]?.timeZone ?? "UTC";
  const filtered = Object.keys(filters).length > 0;

  if (events.length === 0) {
    return filtered ? (
      <p className="px-5 py-8 text-center text-sm text-muted">No event matches these filters. Search matches whole words (deploy finds deployed); try fewer filters or another word.</p>
    ) : (
      <div className="p-5">
        <EmptyState
          icon={<AuditIcon />}
          title="No audit events yet"
          description="Events appear here as sources are ingested and as people act in the dashboard."
          action={{ href: "/settings", label: "Configure integrations" }}
        />
      </div>
    );
  }

  return (
    <div data-testid="audit-events">
      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-sm">
          <caption className="sr-only">Audit events, newest first; each row&apos;s first cell opens its details</caption>
          <thead>
            <tr className="border-b border-line bg-surface-sunken text-left text-muted">
              {HEADERS.map((header) => (
                <th key={header} scope="col" className={header === "Seq" ? "px-3 py-2 text-right font-medium" : "px-3 py-2 font-medium"}>
                  {header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {events.map((event) => {
              const open = params.event === event.seq;
              const detailId = `audit-event-${event.seq}`;
              return (
                <Fragment key={event.seq}>
                  <tr className="border-b border-line align-top hover:bg-surface-sunken/60" data-seq={event.seq}>
                    <th scope="row" className="px-3 py-2 text-left font-normal whitespace-nowrap">
                      <button
                        type="button"
                        aria-expanded={open}
                        aria-controls={detailId}
                        onClick={() => setParams({ event: open ? undefined : event.seq }, { replace: true })}
                        className="inline-flex items-center gap-1.5 rounded text-left tabular-nums text-fg hover:text-accent"
                      >
                        <svg aria-hidden="true" viewBox="0 0 12 12" className={open ? "size-3 rotate-90 text-muted" : "size-3 text-muted"} fill="currentColor">
                          <path d="M4 2.5 8 6l-4 3.5z" />
                        </svg>
                        {formatAuditTime(event.occurredAt, timeZone)}
                        <span className="sr-only">, {open ? "hide" : "show"} details</span>
                      </button>
                    </th>
                    <td className="px-3 py-2 whitespace-nowrap text-fg">
                      {event.actor.person ? event.actor.person.name : event.actor.display}
                      {event.actor.person && event.actor.person.name !== event.actor.display ? <span className="block text-xs text-muted">as {event.actor.display}</span> : null}
                    </td>
                    <td className="px-3 py-2 font-mono text-xs whitespace-nowrap text-fg">{event.action}</td>
                    <td className="min-w-56 px-3 py-2 text-fg">
                      <span className="break-words">{event.target.display ?? event.target.id}</span>
                      <AuditLinks links={event.links} />
                    </td>
                    <td className="px-3 py-2 whitespace-nowrap">
                      {event.service ? (
                        <Link href={`/services/${event.service.slug}`} className="text-accent underline-offset-2 hover:underline">
                          {event.service.name}
                        </Link>
                      ) : (
                        <span className="text-muted">none</span>
                      )}
                    </td>
                    <td className="px-3 py-2">
                      <Badge tone={outcomeTone[event.outcome] ?? "neutral"}>{event.outcome}</Badge>
                    </td>
                    <td className="px-3 py-2 whitespace-nowrap text-fg">{sourceLabels[event.source] ?? event.source}</td>
                    <td className="px-3 py-2 text-right font-mono text-xs tabular-nums text-muted">#{event.seq}</td>
                  </tr>
                  {open ? (
                    <tr id={detailId} className="border-b border-line bg-surface-sunken/40">
                      <td colSpan={HEADERS.length}>
                        <AuditEventDetail event={event} timeZone={timeZone} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="flex items-center justify-between gap-4 border-t border-line px-5 py-3 text-sm text-muted">
        <span aria-live="polite">
          {events.length} event{events.length === 1 ? "" : "s"} shown, newest first · times in {timeZone}
        </span>
        {query.hasNextPage ? (
          <Button onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        ) : (
          <span>End of the trail</span>
        )}
      </div>
      {query.isFetchNextPageError ? (
        <p role="alert" className="px-5 pb-3 text-sm text-danger-fg">
          {describeError(query.error)}
        </p>
      ) : null}
    </div>
  );
}

export function AuditEventsTableSkeleton() {
  return <TableSkeleton label="audit events" rows={8} columns={8} />;
}
