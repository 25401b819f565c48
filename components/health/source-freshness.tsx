"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { type DriftFreshnessDto, type FreshnessIntegrationDto, driftFreshnessQueryOptions } from "@/lib/queries/drift";
import { Badge } from "@/components/ui/badge";
import { Skeleton, SkeletonRegion } from "@/components/ui/skeleton";
import { formatAgo, formatDuration } from "@/components/drift/format-drift";

const healthWords: Record<FreshnessIntegrationDto["health"], string> = { HEALTHY: "healthy", DEGRADED: "degraded", FAILING: "failing", UNKNOWN: "health unknown" };

function staleReason(integration: FreshnessIntegrationDto, staleAfterSeconds: number): string {
  if (integration.lastError) return `last error: ${integration.lastError}`;
  if (integration.syncedAgoSeconds === null) return "never synced";
  return `no sync for over ${formatDuration(staleAfterSeconds)}`;
}

function Source({ source, staleAfterSeconds }: { source: DriftFreshnessDto["sources"][number]; staleAfterSeconds: number }) {
  if (source.integrations.length === 0) {
    return (
      <li data-source={source.kind} className="text-muted">
        {source.label}: not configured
      </li>
    );
  }
  return (
    <>
      {source.integrations.map((integration) => (
        <li key={integration.id} data-source={source.kind} data-stale={integration.stale} className="flex flex-wrap items-center gap-x-1.5">
          <span className="font-medium text-fg">{source.label}</span>
          {source.integrations.length > 1 || integration.name !== source.label ? <span className="text-muted">({integration.name})</span> : null}
          <span>{integration.syncedAgoSeconds === null ? "not synced yet" : `synced ${formatAgo(integration.syncedAgoSeconds)}`}</span>
          <span className="text-muted">· {healthWords[integration.health]}</span>
          {integration.stale ? (
            <Badge tone="warning" icon="!">
              Stale: {staleReason(integration, staleAfterSeconds)}
            </Badge>
          ) : null}
        </li>
      ))}
    </>
  );
}

/**
 * How fresh the page's data is, per source ("Argo CD synced 2 min ago"), from ages the server
 * measured with its clock. A source that errs or has not synced for 15 minutes is flagged stale in
 * words, so nobody mistakes old data for a clean cluster. With `banner`, stale sources are also
 * announced above the figures they hold back (the Overview's numbers are only as new as their sources).
 */
export function SourceFreshness({ banner = false }: { banner?: boolean }) {
  const { data } = useSuspenseQuery(driftFreshnessQueryOptions());
  const stale = data.sources.flatMap((source) => source.integrations.filter((integration) => integration.stale).map((integration) => ({ source, integration })));
  return (
    <div className="flex flex-col gap-2">
      {banner && stale.length > 0 ? (
        <div role="status" data-testid="stale-banner" className="rounded-lg border border-warning-fg/40 bg-warning-bg px-4 py-3 text-sm text-warning-fg">
          <p className="font-semibold">
            {stale.length === 1 ? `${stale[0]!.source.label} data may be out of date.` : `${stale.length} sources may be out of date.`}
          </p>
          <ul className="mt-1 list-disc pl-5">
            {stale.map(({ source, integration }) => (
              <li key={integration.id}>
                {source.label} ({integration.name}): {staleReason(integration, data.staleAfterSeconds)}.{" "}
                {integration.syncedAgoSeconds === null
                  ? "Nothing from it is shown yet."
                  : `What it holds is shown as of its last sync, ${formatAgo(integration.syncedAgoSeconds)}.`}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <section aria-label="Data freshness" className="rounded-lg border border-line bg-surface px-4 py-2.5 text-sm" data-testid="source-freshness">
        <ul className="flex flex-wrap items-center gap-x-5 gap-y-1">
          {data.sources.map((source) => (
            <Source key={source.kind} source={source} staleAfterSeconds={data.staleAfterSeconds} />
          ))}
        </ul>
      </section>
    </div>
  );
}

export function SourceFreshnessSkeleton() {
  return (
    <SkeletonRegion label="source freshness" className="rounded-lg border border-line bg-surface px-4 py-3">
      <Skeleton className="h-4 w-2/3" />
    </SkeletonRegion>
  );
}
