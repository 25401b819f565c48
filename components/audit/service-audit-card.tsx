"use client";

import Link from "next/link";
import { useSuspenseQuery } from "@tanstack/react-query";
import { SERVICE_AUDIT_CARD_SIZE, auditPageUrl, auditRecentQueryOptions } from "@/lib/queries/audit";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { TableSkeleton } from "@/components/ui/skeleton";
import { buttonClasses } from "@/components/ui/button";
import { AuditLinks } from "./audit-links";
import { formatAuditTime, outcomeTone, sourceLabels } from "./format-audit";

/**
 * A service's latest audit events (the Audit page's data function, filtered by the service), with
 * a way to the whole filtered trail. Not bound to the page's window: "what happened lately" is the
 * question here, whatever window the metrics show.
 */
export function ServiceAuditCard({ slug }: { slug: string }) {
  const filters = { service: [slug] };
  const { data } = useSuspenseQuery(auditRecentQueryOptions(filters, SERVICE_AUDIT_CARD_SIZE));
  const viewAll = (
    <Link href={auditPageUrl(filters)} className={buttonClasses("secondary")}>
      View all in Audit
    </Link>
  );
  return (
    <Card aria-labelledby="service-audit-heading" data-testid="service-audit-card">
      <CardHeader id="service-audit-heading" title="Audit timeline" description="The changes recorded last for this service (deploys, syncs, merges, drift, approvals), by when they happened." actions={viewAll} />
      {data.events.length === 0 ? (
        <p className="px-5 py-4 text-sm text-muted">No audit event for this service yet.</p>
      ) : (
        <ol className="divide-y divide-line">
          {/* The last events recorded (seq); shown by when they happened, since a sync may record older history. */}
          {[...data.events].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt)).map((event) => (
            <li key={event.seq} className="grid grid-cols-[12rem_1fr_auto] items-start gap-4 px-5 py-2.5 text-sm">
              <span className="tabular-nums text-muted">{formatAuditTime(event.occurredAt, data.timeZone)}</span>
              <span className="min-w-0">
                <span className="font-mono text-xs text-fg">{event.action}</span>
                <span className="text-fg"> · {event.target.display ?? event.target.id}</span>
                <span className="block text-xs text-muted">
                  by {event.actor.person?.name ?? event.actor.display} via {sourceLabels[event.source] ?? event.source}
                </span>
                <AuditLinks links={event.links.filter((link) => link.kind !== "deployment")} />
              </span>
              <Badge tone={outcomeTone[event.outcome] ?? "neutral"}>{event.outcome}</Badge>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

export function ServiceAuditSkeleton() {
  return (
    <Card>
      <CardHeader title="Audit timeline" />
      <TableSkeleton label="audit timeline" rows={4} columns={3} />
    </Card>
  );
}
