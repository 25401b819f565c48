"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { ChartDataTable } from "./chart-data-table";
import { ChartFrame } from "./chart-frame";
import { chartTheme, seriesStyle } from "./chart-theme";
import { usePrefersReducedMotion } from "./use-prefers-reduced-motion";

/** One histogram bin, e.g. lead times "1 day – 1 week", with a count per series. */
export type DistributionBin<K extends string> = { bin: string } & Record<K, number>;

/** Summary statistics drawn as reference values under the histogram (median, p90). */
export type DistributionSummary = { label: string; median: number | null; p90: number | null };

export type DistributionChartProps<K extends string> = {
  title: string;
  summary: string;
  /** Bins in ascending order of the measured value. */
  bins: Array<DistributionBin<K>>;
  series: Array<{ key: K; label?: string }>;
  /** Header of the bin column in the table view, e.g. "Lead time". */
  binLabel: string;
  /** What the bars count, e.g. "changes"; shown on the value axis and in the table. */
  countLabel: string;
  /** Median and p90 per series, shown beside the chart and in the table view. */
  summaries?: DistributionSummary[];
  formatSummaryValue?: (value: number) => string;
  height?: number;
};

const plain = (value: number) => value.toLocaleString("en");

/** How values spread (e.g. lead time per change), one bar group per bin, cohorts side by side. */
export function DistributionChart<K extends string>({
  title,
  summary,
  bins,
  series,
  binLabel,
  countLabel,
  summaries,
  formatSummaryValue = plain,
  height = chartTheme.height,
}: DistributionChartProps<K>) {
  const reducedMotion = usePrefersReducedMotion();
  const styles = series.map((item) => ({ key: item.key, ...seriesStyle(item.key, item.label) }));

  const chart = (
    <BarChart
      responsive
      data={bins}
      margin={chartTheme.margin}
      barCategoryGap="15%"
      style={{ width: "100%", height, fontFamily: chartTheme.font.family }}
      accessibilityLayer={false}
    >
      <CartesianGrid stroke={chartTheme.grid.stroke} strokeDasharray={chartTheme.grid.dash} vertical={false} />
      <XAxis dataKey="bin" stroke={chartTheme.axis.stroke} tick={chartTheme.axis.tick} tickLine={false} />
      <YAxis
        allowDecimals={false}
        stroke={chartTheme.axis.stroke}
        tick={chartTheme.axis.tick}
        tickLine={false}
        width={48}
        label={{ value: countLabel, angle: -90, position: "insideLeft", fill: "var(--chart-axis)", fontSize: 12 }}
      />
      <Tooltip
        contentStyle={chartTheme.tooltip.contentStyle}
        labelStyle={chartTheme.tooltip.labelStyle}
        isAnimationActive={!reducedMotion}
      />
      <Legend wrapperStyle={{ fontSize: chartTheme.font.size, color: "var(--fg)" }} />
      {styles.map((item) => (
        <Bar key={item.key} dataKey={item.key} name={item.label} fill={item.color} isAnimationActive={!reducedMotion} />
      ))}
    </BarChart>
  );

  return (
    <div className="flex flex-col gap-3">
      <ChartFrame
        title={title}
        summary={summary}
        chart={chart}
        table={
          <ChartDataTable
            caption={`${title}: ${countLabel} per bin`}
            bucketHeader={binLabel}
            series={styles}
            formatValue={plain}
            rows={bins.map((bin) => ({ key: bin.bin, label: bin.bin, values: styles.map((item) => bin[item.key]) }))}
          />
        }
      />
      {summaries && summaries.length > 0 ? (
        <dl className="grid grid-cols-[auto_auto_auto] justify-start gap-x-6 gap-y-1 text-xs">
          {summaries.map((item) => (
            <div key={item.label} className="contents">
              <dt className="font-medium text-fg">{item.label}</dt>
              <dd className="text-muted">
                median {item.median === null ? "no data" : formatSummaryValue(item.median)}
              </dd>
              <dd className="text-muted">p90 {item.p90 === null ? "no data" : formatSummaryValue(item.p90)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </div>
  );
}
