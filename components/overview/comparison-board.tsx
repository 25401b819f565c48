"use client";

import type { ReactNode } from "react";
import { useSuspenseQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import { type CohortValueDto, type ComparedMetricDto, type ComparisonDto, comparisonQueryOptions } from "@/lib/queries/compare";
import type { MetricsParams } from "@/lib/queries/metrics";
import { Badge, TierBadge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton, SkeletonRegion } from "@/components/ui/skeleton";
import { DefinitionTooltip } from "@/components/ui/tooltip";
import { cohortLabels } from "@/components/charts/chart-theme";
import { EffectPlot } from "./effect-plot";
import { formatValue } from "./format-metric";
import { metricDefinitions } from "./metric-definitions";

const day = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone }).format(new Date(iso));
const lastDay = (iso: string, timeZone: string) => day(new Date(Date.parse(iso) - 1).toISOString(), timeZone);

/** The change against the previous window, in words and with an arrow; green when it moved the good way. */
function Change({ metric, cohort }: { metric: ComparedMetricDto; cohort: CohortValueDto }) {
  if (cohort.change === null) return <span className="text-xs text-subtle">no previous value</span>;
  const isShare = metric.unit === "share";
  const unchanged = isShare ? Math.abs(cohort.change) < 0.05 : Math.abs(cohort.change - 1) < 0.005;
  if (unchanged) return <span className="text-xs text-muted">unchanged vs previous window</span>;
  // Small moves (under 5 % or 1 point) are shown without the colour of good or bad news.
  const small = isShare ? Math.abs(cohort.change) < 1 : Math.abs(cohort.change - 1) < 0.05;
  const up = isShare ? cohort.change > 0 : cohort.change > 1;
  const good = up === metric.higherIsBetter;
  // Near 1× two digits would read "↑ 1.0×"; three keep the direction visible in the number.
  const ratioText = cohort.change >= 10 ? cohort.change.toFixed(0) : cohort.change.toPrecision(Math.abs(cohort.change - 1) < 0.1 ? 3 : 2);
  const amount = isShare ? `${cohort.change > 0 ? "+" : ""}${cohort.change.toFixed(1)} pp` : `${ratioText}×`;
  return (
    <span className={clsx("text-xs font-medium", small ? "text-muted" : good ? "text-success-fg" : "text-danger-fg")}>
      <span aria-hidden="true">{up ? "↑" : "↓"} </span>
      {amount} vs previous window
      <span className="sr-only">{small ? "" : good ? " (better)" : " (worse)"}</span>
    </span>
  );
}

function CohortCell({ metric, cohort, which }: { metric: ComparedMetricDto; cohort: CohortValueDto; which: "devops" | "gitops" }) {
  const notApplicable = which === "devops" && metric.id === "syncLag";
  const shown = cohort.value === null ? null : formatValue(metric.unit, cohort.value);
  return (
    <div className="flex min-w-0 flex-col gap-1" data-cohort={which}>
      <span className="flex items-center gap-1.5 text-xs font-medium text-muted">
        <span aria-hidden="true" className={clsx("size-2 rounded-full", which === "devops" ? "bg-cohort-devops" : "bg-cohort-gitops")} />
        {cohortLabels[which]}
      </span>
      {notApplicable ? (
        <span className="text-sm text-subtle">Not applicable</span>
      ) : shown === null ? (
        <span className="text-xl font-semibold text-subtle">
          <span aria-hidden="true">—</span>
          <span className="sr-only">No data</span>
        </span>
      ) : (
        <span className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
          <span className="text-xl font-semibold text-fg tabular-nums" data-value>
            {shown.value}
            <span className="ml-1 text-sm font-normal text-muted">{shown.unit}</span>
            {cohort.provisional ? (
              <span className="ml-1 text-sm font-normal text-muted" title="Provisional: depends on the next 7 days">
                *<span className="sr-only"> (provisional: depends on the next 7 days)</span>
              </span>
            ) : null}
          </span>
          {cohort.tier ? <TierBadge tier={cohort.tier} /> : null}
        </span>
      )}
      {notApplicable ? null : (
        <span className="text-xs text-subtle">
          {cohort.serviceCount} service{cohort.serviceCount === 1 ? "" : "s"} · <Change metric={metric} cohort={cohort} />
        </span>
      )}
    </div>
  );
}

const verdictBadge: Record<string, ReactNode> = {
  "gitops-better": <Badge tone="success">GitOps better</Badge>,
  "devops-better": <Badge tone="warning">DevOps better</Badge>,
  "no-clear-difference": <Badge tone="neutral">No clear difference</Badge>,
  unknown: <Badge tone="neutral">Interval unavailable</Badge>,
};

function MetricComparison({ metric }: { metric: ComparedMetricDto }) {
  const definition = metricDefinitions.find((entry) => entry.id === metric.id);
  const headingId = `compare-${metric.id}`;
  const { effect } = metric;
  return (
    <Card aria-labelledby={headingId} className="flex flex-col gap-3 px-5 py-4" data-metric={metric.id} data-effect-status={effect.status}>
      <div className="flex items-start justify-between gap-3">
        <h3 id={headingId} className="text-sm font-semibold text-fg">
          {metric.label}
          {definition ? (
            <span className="ml-1 inline-block align-middle">
              <DefinitionTooltip term={metric.label} definition={definition.definition} />
            </span>
          ) : null}
        </h3>
        {effect.status === "compared" ? verdictBadge[effect.verdict] : effect.status === "not-enough-data" ? <Badge tone="neutral">Not enough data</Badge> : null}
      </div>
      <div className="grid grid-cols-2 gap-4">
        <CohortCell metric={metric} cohort={metric.devops} which="devops" />
        <CohortCell metric={metric} cohort={metric.gitops} which="gitops" />
      </div>
      {effect.status === "compared" ? <EffectPlot effect={effect} /> : null}
      <p className={clsx("text-sm", effect.status === "compared" ? "text-fg" : "text-muted")} data-testid="comparison-sentence">
        {metric.sentence}
      </p>
    </Card>
  );
}

function Summary({ data }: { data: ComparisonDto }) {
  const { devops, gitops } = data.cohorts;
  const period = data.comparisonPeriod;
  return (
    <div className="flex flex-col gap-1 text-sm text-muted" data-testid="comparison-summary">
      <p>
        {day(data.window.from, data.timeZone)} to {lastDay(data.window.to, data.timeZone)}: {cohortLabels.devops} {devops.activeServiceCount} services,{" "}
        {devops.deploymentCount} deployments; {cohortLabels.gitops} {gitops.activeServiceCount} services, {gitops.deploymentCount} deployments. Changes are
        against {day(data.previousWindow.from, data.timeZone)} to {lastDay(data.previousWindow.to, data.timeZone)}.
        {data.provisional ? " Values marked * are provisional: they depend on the next 7 days." : ""}
      </p>
      {period && !period.wholeWindow ? (
        <p className="text-fg" data-testid="comparison-period-note">
          Both cohorts were observed only from {day(period.from, data.timeZone)}: the effects and sentences compare {day(period.from, data.timeZone)} to{" "}
          {lastDay(period.to, data.timeZone)}, while the values show the whole window.
        </p>
      ) : null}
      {period === null ? (
        <p className="text-fg" data-testid="comparison-period-note">
          The two cohorts were never observed in the same period of this window, so nothing is compared.
        </p>
      ) : null}
      <p className="text-xs text-subtle">
        Effects: GitOps ÷ DevOps for medians, GitOps − DevOps in percentage points for shares; 95 % bootstrap interval over services ({data.method.resamples.toLocaleString("en-GB")}{" "}
        resamples, seed {data.method.seed}); at least {data.method.minServices} services and {data.method.minDeployments} deployments per cohort.
      </p>
    </div>
  );
}

/** DevOps and GitOps side by side for every metric, with the effect between them and the sentence to quote. */
export function ComparisonBoard({ params }: { params: MetricsParams }) {
  const { data } = useSuspenseQuery(comparisonQueryOptions(params));
  const nothing = data.cohorts.devops.attemptCount === 0 && data.cohorts.gitops.attemptCount === 0;
  if (nothing) {
    return (
      <EmptyState
        headingLevel="h3"
        title="No production deployment in this window"
        description="Neither cohort finished a production deployment in the selected window, teams and environments. Widen the window or clear a filter."
      />
    );
  }
  return (
    <div className="flex flex-col gap-4">
      <Summary data={data} />
      <div className="grid grid-cols-2 gap-4" data-testid="comparison-board">
        {data.metrics.map((metric) => (
          <MetricComparison key={metric.id} metric={metric} />
        ))}
      </div>
    </div>
  );
}

export function ComparisonBoardSkeleton() {
  return (
    <SkeletonRegion label="DevOps versus GitOps comparison" className="grid grid-cols-2 gap-4">
      {Array.from({ length: 6 }, (_, index) => (
        <div key={index} className="flex flex-col gap-3 rounded-lg border border-line bg-surface px-5 py-4">
          <Skeleton className="h-4 w-1/3" />
          <div className="grid grid-cols-2 gap-4">
            <Skeleton className="h-8" />
            <Skeleton className="h-8" />
          </div>
          <Skeleton className="h-10" />
          <Skeleton className="h-4 w-5/6" />
        </div>
      ))}
    </SkeletonRegion>
  );
}
