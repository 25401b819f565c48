"use client";

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { ChartDataTable } from "./chart-data-table";
import { ChartFrame } from "./chart-frame";
import { chartTheme, seriesStyle } from "./chart-theme";
import { usePrefersReducedMotion } from "./use-prefers-reduced-motion";

/** One bucket (a day or a week) with one value per series; `null` = no data, drawn as a gap. */
export type TimeSeriesDatum<K extends string> = { bucket: string } & Record<K, number | null>;

export type TimeSeriesChartProps<K extends string> = {
  title: string;
  /** One sentence saying what the chart shows; also its accessible description. */
  summary: string;
  data: Array<TimeSeriesDatum<K>>;
  /** Series to draw, in legend order; "devops" and "gitops" get the cohort colours. */
  series: Array<{ key: K; label?: string }>;
  kind?: "line" | "bar";
  /** Header of the bucket column in the table view, e.g. "Week starting". */
  bucketLabel: string;
  formatBucket?: (bucket: string) => string;
  formatValue?: (value: number) => string;
  height?: number;
};

const identity = (bucket: string) => bucket;
const plain = (value: number) => value.toLocaleString("en");

/** Values over time per series (e.g. deployments per day, DevOps vs GitOps). */
export function TimeSeriesChart<K extends string>({
  title,
  summary,
  data,
  series,
  kind = "line",
  bucketLabel,
  formatBucket = identity,
  formatValue = plain,
  height = chartTheme.height,
}: TimeSeriesChartProps<K>) {
  const reducedMotion = usePrefersReducedMotion();
  const styles = series.map((item) => ({ key: item.key, ...seriesStyle(item.key, item.label) }));

  const axes = (
    <>
      <CartesianGrid stroke={chartTheme.grid.stroke} strokeDasharray={chartTheme.grid.dash} vertical={false} />
      <XAxis
        dataKey="bucket"
        tickFormatter={formatBucket}
        stroke={chartTheme.axis.stroke}
        tick={chartTheme.axis.tick}
        tickLine={false}
      />
      <YAxis
        tickFormatter={formatValue}
        stroke={chartTheme.axis.stroke}
        tick={chartTheme.axis.tick}
        tickLine={false}
        width={48}
      />
      <Tooltip
        labelFormatter={(label) => formatBucket(String(label))}
        formatter={(value) => (typeof value === "number" ? formatValue(value) : String(value ?? ""))}
        contentStyle={chartTheme.tooltip.contentStyle}
        labelStyle={chartTheme.tooltip.labelStyle}
        isAnimationActive={!reducedMotion}
      />
      <Legend wrapperStyle={{ fontSize: chartTheme.font.size, color: "var(--fg)" }} />
    </>
  );

  const chartStyle = { width: "100%", height, fontFamily: chartTheme.font.family };

  const chart =
    kind === "bar" ? (
      <BarChart responsive data={data} margin={chartTheme.margin} style={chartStyle} accessibilityLayer={false}>
        {axes}
        {styles.map((item) => (
          <Bar key={item.key} dataKey={item.key} name={item.label} fill={item.color} isAnimationActive={!reducedMotion} />
        ))}
      </BarChart>
    ) : (
      <LineChart responsive data={data} margin={chartTheme.margin} style={chartStyle} accessibilityLayer={false}>
        {axes}
        {styles.map((item) => (
          <Line
            key={item.key}
            type="monotone"
            dataKey={item.key}
            name={item.label}
            stroke={item.color}
            strokeWidth={2}
            strokeDasharray={item.dash}
            dot={false}
            connectNulls={false}
            isAnimationActive={!reducedMotion}
          />
        ))}
      </LineChart>
    );

  return (
    <ChartFrame
      title={title}
      summary={summary}
      chart={chart}
      table={
        <ChartDataTable
          caption={title}
          bucketHeader={bucketLabel}
          series={styles}
          formatValue={formatValue}
          rows={data.map((datum) => ({
            key: datum.bucket,
            label: formatBucket(datum.bucket),
            values: styles.map((item) => datum[item.key]),
          }))}
        />
      }
    />
  );
}
