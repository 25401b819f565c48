"use client";

import { useId, useState } from "react";
import { useSuspenseQuery } from "@tanstack/react-query";
import { CartesianGrid, type DotItemDotProps, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "@/components/charts/chart-frame";
import { type Cohort, chartTheme, cohortLabels } from "@/components/charts/chart-theme";
import { usePrefersReducedMotion } from "@/components/charts/use-prefers-reduced-motion";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ChartSkeleton } from "@/components/ui/skeleton";
import type { MetricsParams } from "@/lib/queries/metrics";
import { type OverviewTrendsDto, type TrendMetricKey, type TrendWeekDto, overviewTrendsQueryOptions } from "@/lib/queries/overview-charts";
import { metricDefinitions } from "./metric-definitions";
import {
  COHORTS,
  TREND_METRICS,
  type TrendMetricOption,
  type TrendPoint,
  axisTickFormatter,
  countOf,
  formatLocalDate,
  formatTrendValue,
  formatWeekRange,
  hasAnyAttempt,
  hasAnyValue,
  trendMetric,
  trendPoints,
  weekCaveats,
} from "./overview-chart-data";

const HEADING = "Weekly trends";
const SHORT_LABELS: Record<Cohort, string> = { devops: "DevOps", gitops: "GitOps" };

/**
 * Both cohorts' value of one metric, week by week, with a metric picker. Every week is that metric's
 * cohort value over the week (the same definition as the cohort cards); partial weeks at the window's
 * edges are marked, thin and provisional weeks faded. The table view is the text alternative.
 * Filters come in as `params` (the page parses them from the URL once).
 */
export function WeeklyTrendsCard({ params, initialMetric = "deploymentsPerDay" }: { params: MetricsParams; initialMetric?: TrendMetricKey }) {
  const { data } = useSuspenseQuery(overviewTrendsQueryOptions(params));
  const [metricKey, setMetricKey] = useState<TrendMetricKey>(initialMetric);
  const headingId = useId();
  const selectId = useId();
  const metric = trendMetric(metricKey);
  const definition = metricDefinitions.find((entry) => entry.id === metric.definitionId)?.definition;
  const anyAttempt = hasAnyAttempt(data);

  const picker = anyAttempt ? (
    <div className="flex items-center gap-2">
      <label htmlFor={selectId} className="text-sm text-muted">
        Metric
      </label>
      <select
        id={selectId}
        value={metricKey}
        onChange={(event) => {
          const chosen = TREND_METRICS.find((option) => option.key === event.target.value);
          if (chosen) setMetricKey(chosen.key);
        }}
        className="rounded-md border border-line-strong bg-surface px-2 py-1.5 text-sm text-fg focus-visible:outline-2 focus-visible:outline-accent"
      >
        {TREND_METRICS.map((option) => (
          <option key={option.key} value={option.key}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  ) : null;

  return (
    <Card aria-labelledby={headingId}>
      <CardHeader
        id={headingId}
        as="h3"
        title={HEADING}
        description={`Each methodology's value per week (Monday start, ${data.timeZone}), DevOps and GitOps side by side.`}
        actions={picker}
      />
      <CardBody className="flex flex-col gap-3">
        {!anyAttempt ? (
          <EmptyState
            headingLevel="h3"
            title="No deployments in this window"
            description="No production deployment finished in the chosen window and filters, so there is no week to chart. Choose a longer window or other filters."
          />
        ) : !hasAnyValue(data, metric.key) ? (
          <p className="text-sm text-muted">
            No week in this window has a value for {metric.label.toLowerCase()}: nothing it measures happened,
            or it could not be observed. Other metrics may still have values.
          </p>
        ) : (
          <TrendChart dto={data} metric={metric} />
        )}
        {anyAttempt && definition ? <p className="text-xs text-muted">{definition}</p> : null}
      </CardBody>
    </Card>
  );
}

/** The cohorts a metric exists for (sync lag is GitOps only). */
const cohortsOf = (metric: TrendMetricOption): Cohort[] => COHORTS.filter((cohort) => metric.onlyFor === undefined || metric.onlyFor === cohort);

function TrendChart({ dto, metric }: { dto: OverviewTrendsDto; metric: TrendMetricOption }) {
  const reducedMotion = usePrefersReducedMotion();
  const points = trendPoints(dto, metric.key);
  const cohorts = cohortsOf(metric);
  const max = Math.max(0, ...points.flatMap((point) => cohorts.map((cohort) => point[cohort] ?? 0)));
  const tick = axisTickFormatter(metric.kind, max);
  const byBucket = new Map(dto.weeks.map((week) => [week.weekStart, week]));
  const xTick = (bucket: string) => `${formatLocalDate(bucket)}${byBucket.get(bucket)?.partial ? "*" : ""}`;
  const weeks = dto.weeks.length;

  // Every week on a faded line; firm weeks (neither thin nor provisional) again on a solid one, so a
  // muted stretch reads as uncertain without hiding its value. Partial weeks get hollow dots.
  const dot = (cohort: Cohort) =>
    function TrendDot(props: DotItemDotProps) {
      const point: TrendPoint | undefined = points[props.index];
      const key = `${cohort}-${props.index}`;
      if (!point || point[cohort] === null || props.cx === undefined || props.cy === undefined) return <g key={key} />;
      const color = chartTheme.cohort[cohort].color;
      return (
        <circle
          key={key}
          cx={props.cx}
          cy={props.cy}
          r={point.partial ? 4 : 3.5}
          fill={point.partial ? "var(--surface)" : color}
          stroke={color}
          strokeWidth={point.partial ? 2 : 1}
          opacity={point[`${cohort}Muted`] ? 0.45 : 1}
        />
      );
    };

  const chart = (
    <div className="flex flex-col gap-2">
      <LineChart
        responsive
        data={points}
        margin={chartTheme.margin}
        style={{ width: "100%", height: chartTheme.height, fontFamily: chartTheme.font.family }}
        accessibilityLayer={false}
      >
        <CartesianGrid stroke={chartTheme.grid.stroke} strokeDasharray={chartTheme.grid.dash} vertical={false} />
        <XAxis dataKey="bucket" tickFormatter={xTick} stroke={chartTheme.axis.stroke} tick={chartTheme.axis.tick} tickLine={false} />
        <YAxis
          tickFormatter={tick}
          domain={metric.kind === "rate" ? [0, 1] : [0, "auto"]}
          stroke={chartTheme.axis.stroke}
          tick={chartTheme.axis.tick}
          tickLine={false}
          width={72}
        />
        <Tooltip
          content={({ active, label }) => (active && label !== undefined ? <TrendTooltip week={byBucket.get(String(label))} metric={metric} timeZone={dto.timeZone} /> : null)}
          isAnimationActive={!reducedMotion}
        />
        <Legend wrapperStyle={{ fontSize: chartTheme.font.size, color: "var(--fg)" }} />
        {cohorts.map((cohort) => (
          <Line
            key={cohort}
            type="linear"
            dataKey={cohort}
            name={cohortLabels[cohort]}
            stroke={chartTheme.cohort[cohort].color}
            strokeOpacity={0.4}
            strokeWidth={2}
            strokeDasharray={chartTheme.cohort[cohort].dash}
            dot={dot(cohort)}
            activeDot={{ r: 5 }}
            connectNulls={false}
            isAnimationActive={!reducedMotion}
          />
        ))}
        {cohorts.map((cohort) => (
          <Line
            key={`${cohort}-firm`}
            type="linear"
            dataKey={`${cohort}Firm`}
            stroke={chartTheme.cohort[cohort].color}
            strokeWidth={2.5}
            strokeDasharray={chartTheme.cohort[cohort].dash}
            dot={false}
            activeDot={false}
            legendType="none"
            tooltipType="none"
            connectNulls={false}
            isAnimationActive={!reducedMotion}
          />
        ))}
      </LineChart>
      <p className="text-xs text-muted">
        * partial week, cut by the window (hollow dot). Faded: a thin week (fewer than {dto.thinWeek.minServices} services or{" "}
        {dto.thinWeek.minDeployments} deployments in the cohort) or a provisional one (it may still change). Gaps: no value that week.
      </p>
    </div>
  );

  const summary = `${metric.label} per week for ${cohorts.map((cohort) => cohortLabels[cohort]).join(" and ")} (${metric.cohortValue}): ${weeks} week${weeks === 1 ? "" : "s"}, ${formatWeekRange(dto.window.from, dto.window.to, dto.timeZone)}.`;

  return <ChartFrame title={metric.label} summary={summary} chart={chart} table={<TrendTable dto={dto} metric={metric} />} />;
}

function cohortCell(week: TrendWeekDto, cohort: Cohort, metric: TrendMetricOption): { value: string; basis: string } {
  if (metric.onlyFor && metric.onlyFor !== cohort) return { value: "not applicable", basis: "" };
  const values = week[cohort];
  const value = values[metric.key];
  const basis = [
    countOf(values[metric.countKey], metric.countNoun),
    ...(metric.countKey === "driftObservableServiceCount" ? [] : [countOf(values.activeServiceCount, ["active service", "active services"])]),
  ];
  return { value: value === null ? "no data" : formatTrendValue(metric.kind, value), basis: basis.join(", ") };
}

function TrendTooltip({ week, metric, timeZone }: { week: TrendWeekDto | undefined; metric: TrendMetricOption; timeZone: string }) {
  if (!week) return null;
  return (
    <div style={chartTheme.tooltip.contentStyle} className="flex flex-col gap-1 px-3 py-2">
      <p style={chartTheme.tooltip.labelStyle}>
        {formatWeekRange(week.from, week.to, timeZone)}
        {week.partial ? " (partial week)" : ""}
      </p>
      {cohortsOf(metric).map((cohort) => {
        const cell = cohortCell(week, cohort, metric);
        const caveats = weekCaveats(week[cohort]);
        return (
          <p key={cohort}>
            <span style={{ color: chartTheme.cohort[cohort].color }}>{cohortLabels[cohort]}</span>: {cell.value}
            <span className="text-muted">
              {" "}
              · {cell.basis}
              {caveats.length ? ` · ${caveats.join(", ")}` : ""}
            </span>
          </p>
        );
      })}
    </div>
  );
}

/** The text alternative: every week, both cohorts' values, what they rest on, and why a week is marked. */
function TrendTable({ dto, metric }: { dto: OverviewTrendsDto; metric: TrendMetricOption }) {
  // No scroll container: the table also sits visually hidden under the chart, where a scrollable
  // region would be an invisible keyboard stop (axe: scrollable-region-focusable); it fits at 1280 px.
  return (
    <div>
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">
          {metric.label} per week, DevOps and GitOps ({metric.cohortValue}), with what each value rests on
        </caption>
        <thead>
          <tr className="border-b border-line bg-surface-sunken">
            <th scope="col" className="px-3 py-1.5 text-left font-medium text-muted">
              Week
            </th>
            {COHORTS.map((cohort) => (
              <th key={cohort} scope="col" className="px-3 py-1.5 text-right font-medium text-muted">
                {cohortLabels[cohort]}
              </th>
            ))}
            <th scope="col" className="px-3 py-1.5 text-left font-medium text-muted">
              Notes
            </th>
          </tr>
        </thead>
        <tbody>
          {dto.weeks.map((week) => {
            const notes = [
              ...(week.partial ? ["partial week"] : []),
              ...COHORTS.flatMap((cohort) => {
                const caveats = weekCaveats(week[cohort]);
                return caveats.length && !(metric.onlyFor && metric.onlyFor !== cohort) ? [`${SHORT_LABELS[cohort]}: ${caveats.join(", ")}`] : [];
              }),
            ];
            return (
              <tr key={week.weekStart} className="border-b border-line last:border-b-0">
                <th scope="row" className="px-3 py-1.5 text-left font-normal text-fg">
                  {formatWeekRange(week.from, week.to, dto.timeZone)}
                </th>
                {COHORTS.map((cohort) => {
                  const cell = cohortCell(week, cohort, metric);
                  return (
                    <td key={cohort} className="px-3 py-1.5 text-right text-fg tabular-nums">
                      {cell.value}
                      {cell.basis ? <span className="block text-xs text-muted">{cell.basis}</span> : null}
                    </td>
                  );
                })}
                <td className="px-3 py-1.5 text-left text-xs text-muted">{notes.join("; ") || "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function WeeklyTrendsCardSkeleton() {
  return (
    <Card>
      <CardHeader as="h3" title={HEADING} />
      <CardBody>
        <ChartSkeleton label="weekly trends" height={chartTheme.height} />
      </CardBody>
    </Card>
  );
}
