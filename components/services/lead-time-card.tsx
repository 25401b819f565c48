"use client";

import { useDeferredValue } from "react";
import { useSuspenseQuery } from "@tanstack/react-query";
import { serviceDetailQueryOptions } from "@/lib/queries/services";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ChartSkeleton } from "@/components/ui/skeleton";
import { DistributionChart } from "@/components/charts/distribution-chart";
import { useServiceParams } from "./use-service-params";
import { formatHours } from "./format-metrics";

const parts = [
  { key: "codingMedianHours", label: "Coding", hint: "first commit → PR opened", className: "bg-info-fg" },
  { key: "reviewMedianHours", label: "Review", hint: "PR opened → merged", className: "bg-warning-fg" },
  { key: "waitingMedianHours", label: "Waiting", hint: "merged → deployed", className: "bg-success-fg" },
] as const;

/** The lead-time histogram of the window's measured changes, and the coding/review/waiting medians. */
export function LeadTimeCard({ slug }: { slug: string }) {
  const { windowParams } = useServiceParams();
  const deferred = useDeferredValue(windowParams);
  const { data } = useSuspenseQuery(serviceDetailQueryOptions(slug, deferred));
  const m = data.metrics;
  const breakdown = m.leadTimeBreakdown;
  const total = parts.reduce((sum, part) => sum + (breakdown[part.key] ?? 0), 0);

  return (
    <Card aria-labelledby="lead-time-heading" aria-busy={deferred !== windowParams}>
      <CardHeader
        id="lead-time-heading"
        title="Lead time for changes"
        description="How long each change shipped in the window took from its first commit to production."
      />
      <CardBody className="flex flex-col gap-6">
        {m.leadTimeChangeCount === 0 ? (
          <p className="text-sm text-muted">
            No change with a lead time shipped in this window (a chain&apos;s first deployment and unresolved commits have none).
          </p>
        ) : (
          <DistributionChart
            title="Lead time per change"
            summary={`${m.leadTimeChangeCount} changes; median ${m.leadTimeMedianHours === null ? "no data" : formatHours(m.leadTimeMedianHours)}, p90 ${m.leadTimeP90Hours === null ? "no data" : formatHours(m.leadTimeP90Hours)}.`}
            bins={data.leadTimeDistribution.map((bin) => ({ bin: bin.bin, changes: bin.count }))}
            series={[{ key: "changes", label: "Changes" }]}
            binLabel="Lead time"
            countLabel="changes"
            summaries={[{ label: "Lead time", median: m.leadTimeMedianHours, p90: m.leadTimeP90Hours }]}
            formatSummaryValue={formatHours}
            height={220}
          />
        )}
        <section aria-labelledby="breakdown-heading" className="flex flex-col gap-3">
          <h3 id="breakdown-heading" className="text-sm font-semibold text-fg">
            Where the time goes (pull-request changes, medians)
          </h3>
          {total > 0 ? (
            <div aria-hidden="true" className="flex h-3 w-full overflow-hidden rounded-full bg-surface-sunken">
              {parts.map((part) => (
                <div key={part.key} className={part.className} style={{ width: `${((breakdown[part.key] ?? 0) / total) * 100}%` }} />
              ))}
            </div>
          ) : null}
          <dl className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-3">
            {parts.map((part) => (
              <div key={part.key}>
                <dt className="flex items-center gap-2 font-medium text-fg">
                  <span aria-hidden="true" className={`size-2.5 shrink-0 rounded-sm ${part.className}`} />
                  <span>
                    {part.label} <span className="font-normal text-muted">({part.hint})</span>
                  </span>
                </dt>
                <dd className="pl-4.5 tabular-nums text-fg">{breakdown[part.key] === null ? "no data" : formatHours(breakdown[part.key]!)}</dd>
              </div>
            ))}
          </dl>
          <p className="text-xs text-muted">Each part is a median of its own, so the three need not add up to the lead-time median.</p>
        </section>
      </CardBody>
    </Card>
  );
}

export function LeadTimeSkeleton() {
  return (
    <Card>
      <CardHeader title="Lead time for changes" />
      <CardBody>
        <ChartSkeleton label="lead time" height={220} />
      </CardBody>
    </Card>
  );
}
