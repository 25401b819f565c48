"use client";

import { useId } from "react";
import { useSuspenseQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "@/components/charts/chart-frame";
import { type Cohort, chartTheme, cohortLabels } from "@/components/charts/chart-theme";
import { usePrefersReducedMotion } from "@/components/charts/use-prefers-reduced-motion";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ChartSkeleton } from "@/components/ui/skeleton";
import type { MetricsParams } from "@/lib/queries/metrics";
import { type LeadTimeCohortSummaryDto, type LeadTimeDistributionDto, leadTimeDistributionQueryOptions } from "@/lib/queries/overview-charts";
import { COHORTS, type DistributionRow, countOf, distributionRows, formatTrendValue } from "./overview-chart-data";

const HEADING = "Lead-time distribution";
const HEIGHT = 240;

const percent = (share: number) => `${Number((share * 100).toFixed(1)).toLocaleString("en")} %`;
const hours = (value: number) => formatTrendValue("hours", value);

/**
 * How the lead times of both cohorts' changes spread over the service page's bins, as the share of
 * each cohort's changes (cohorts of different sizes compare bin by bin), with the pooled p50/p90 in
 * words and a table view with the counts. Filters come in as `params`.
 */
export function LeadTimeDistributionCard({ params }: { params: MetricsParams }) {
  const { data } = useSuspenseQuery(leadTimeDistributionQueryOptions(params));
  const headingId = useId();
  const empty = data.cohorts.devops.changeCount === 0 && data.cohorts.gitops.changeCount === 0;

  return (
    <Card aria-labelledby={headingId}>
      <CardHeader
        id={headingId}
        as="h3"
        title={HEADING}
        description="Lead time of every change shipped in the window, from its first commit to its production deployment."
      />
      <CardBody className="flex flex-col gap-4">
        {empty ? (
          <EmptyState
            headingLevel="h3"
            title="No measured change in this window"
            description="No successful production deployment in the chosen window and filters shipped a change with a lead time (a chain's first deployment and unresolved commits have none)."
          />
        ) : (
          <>
            <DistributionChart dto={data} />
            <PooledSummary dto={data} />
          </>
        )}
      </CardBody>
    </Card>
  );
}

function DistributionChart({ dto }: { dto: LeadTimeDistributionDto }) {
  const reducedMotion = usePrefersReducedMotion();
  const rows = distributionRows(dto);
  const present = COHORTS.filter((cohort) => dto.cohorts[cohort].changeCount > 0);
  const peak = (cohort: Cohort) => rows.reduce<DistributionRow | null>((best, row) => ((row[cohort] ?? 0) > (best?.[cohort] ?? -1) ? row : best), null);
  const summary = `Share of each cohort's changes per lead-time bin. ${present
    .map((cohort) => {
      const top = peak(cohort);
      const share = top?.[cohort] ?? null;
      return `${cohortLabels[cohort]}: ${countOf(dto.cohorts[cohort].changeCount, ["change", "changes"])}, most often ${top?.bin ?? "—"}${share === null ? "" : ` (${percent(share)})`}`;
    })
    .join("; ")}.`;

  const chart = (
    <BarChart
      responsive
      data={rows}
      margin={chartTheme.margin}
      barCategoryGap="15%"
      style={{ width: "100%", height: HEIGHT, fontFamily: chartTheme.font.family }}
      accessibilityLayer={false}
    >
      <CartesianGrid stroke={chartTheme.grid.stroke} strokeDasharray={chartTheme.grid.dash} vertical={false} />
      <XAxis dataKey="bin" stroke={chartTheme.axis.stroke} tick={chartTheme.axis.tick} tickLine={false} />
      <YAxis tickFormatter={percent} stroke={chartTheme.axis.stroke} tick={chartTheme.axis.tick} tickLine={false} width={56} />
      <Tooltip
        content={({ active, label }) => {
          const row = active ? rows.find((candidate) => candidate.bin === String(label)) : undefined;
          if (!row) return null;
          return (
            <div style={chartTheme.tooltip.contentStyle} className="flex flex-col gap-1 px-3 py-2">
              <p style={chartTheme.tooltip.labelStyle}>{row.bin}</p>
              {present.map((cohort) => (
                <p key={cohort}>
                  <span style={{ color: chartTheme.cohort[cohort].color }}>{cohortLabels[cohort]}</span>: {row[cohort] === null ? "no data" : percent(row[cohort])}{" "}
                  <span className="text-muted">({row[`${cohort}Count`]} of {dto.cohorts[cohort].changeCount} changes)</span>
                </p>
              ))}
            </div>
          );
        }}
        isAnimationActive={!reducedMotion}
      />
      <Legend wrapperStyle={{ fontSize: chartTheme.font.size, color: "var(--fg)" }} />
      {present.map((cohort) => (
        <Bar key={cohort} dataKey={cohort} name={cohortLabels[cohort]} fill={chartTheme.cohort[cohort].color} isAnimationActive={!reducedMotion} />
      ))}
    </BarChart>
  );

  return <ChartFrame title="Share of changes per lead-time bin" summary={summary} chart={chart} table={<DistributionTable dto={dto} rows={rows} />} />;
}

/** The text alternative: counts and shares per bin, and the totals they are shares of. */
function DistributionTable({ dto, rows }: { dto: LeadTimeDistributionDto; rows: DistributionRow[] }) {
  // No scroll container: the table also sits visually hidden under the chart, where a scrollable
  // region would be an invisible keyboard stop (axe: scrollable-region-focusable); it fits at 1280 px.
  return (
    <div>
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">Changes per lead-time bin, DevOps and GitOps: count and share of the cohort&apos;s changes</caption>
        <thead>
          <tr className="border-b border-line bg-surface-sunken">
            <th scope="col" className="px-3 py-1.5 text-left font-medium text-muted">
              Lead time
            </th>
            {COHORTS.map((cohort) => (
              <th key={cohort} scope="col" className="px-3 py-1.5 text-right font-medium text-muted">
                {cohortLabels[cohort]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.bin} className="border-b border-line">
              <th scope="row" className="px-3 py-1.5 text-left font-normal text-fg">
                {row.bin}
              </th>
              {COHORTS.map((cohort) => (
                <td key={cohort} className="px-3 py-1.5 text-right text-fg tabular-nums">
                  {row[`${cohort}Count`]} {row[cohort] === null ? "" : `(${percent(row[cohort])})`}
                </td>
              ))}
            </tr>
          ))}
          <tr>
            <th scope="row" className="px-3 py-1.5 text-left font-medium text-fg">
              All measured changes
            </th>
            {COHORTS.map((cohort) => (
              <td key={cohort} className="px-3 py-1.5 text-right font-medium text-fg tabular-nums">
                {dto.cohorts[cohort].changeCount}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function pooledSentence(summary: LeadTimeCohortSummaryDto): string {
  if (summary.changeCount === 0) return "no measured change in this window";
  const median = summary.pooledMedianHours === null ? "no data" : hours(summary.pooledMedianHours);
  const p90 = summary.pooledP90Hours === null ? "no data" : hours(summary.pooledP90Hours);
  return `median ${median}, p90 ${p90} over ${countOf(summary.changeCount, ["change", "changes"])} from ${countOf(summary.serviceCount, ["service", "services"])}`;
}

/** p50/p90 in words, and why they need not match the cohort value shown above. */
function PooledSummary({ dto }: { dto: LeadTimeDistributionDto }) {
  return (
    <div className="flex flex-col gap-2 text-sm">
      <dl className="grid grid-cols-1 gap-x-6 gap-y-1 sm:grid-cols-[auto_1fr]">
        {COHORTS.map((cohort) => (
          <div key={cohort} className="contents">
            <dt className="font-medium text-fg">{cohortLabels[cohort]}</dt>
            <dd className="text-muted">{pooledSentence(dto.cohorts[cohort])}</dd>
          </div>
        ))}
      </dl>
      <p className="text-xs text-muted">
        These percentiles are over all of a cohort&apos;s changes pooled together, so a busy service weighs more. The cohort&apos;s lead time in the
        comparison is the median of each service&apos;s own median, so the two can differ.
      </p>
    </div>
  );
}

export function LeadTimeDistributionCardSkeleton() {
  return (
    <Card>
      <CardHeader as="h3" title={HEADING} />
      <CardBody>
        <ChartSkeleton label="lead-time distribution" height={HEIGHT} />
      </CardBody>
    </Card>
  );
}
