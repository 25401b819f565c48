"use client";

import { CartesianGrid, Legend, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import { ChartDataTable } from "./chart-data-table";
import { ChartFrame } from "./chart-frame";
import { chartTheme } from "./chart-theme";
import { usePrefersReducedMotion } from "./use-prefers-reduced-motion";

/** Marker shapes, so lanes differ by shape as well as colour. */
export type EventShape = "circle" | "cross" | "diamond" | "square" | "star" | "triangle" | "wye";

export type EventLane<K extends string> = { key: K; label: string; color: string; shape: EventShape };

/** One event: when (ms since epoch), which lane, and its tooltip text. */
export type TimelineEvent<K extends string> = { at: number; lane: K; label: string };

const DAY_MS = 24 * 60 * 60 * 1000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Events on a time axis, one lane per kind (e.g. successful deployments, failed attempts,
 * rollbacks). The table view counts events per UTC day and lane, for days that have any.
 */
export function EventTimelineChart<K extends string>({
  title,
  summary,
  lanes,
  events,
  from,
  to,
  height = 240,
}: {
  title: string;
  summary: string;
  lanes: Array<EventLane<K>>;
  events: Array<TimelineEvent<K>>;
  /** The axis' ends (ms since epoch). */
  from: number;
  to: number;
  height?: number;
}) {
  const reducedMotion = usePrefersReducedMotion();
  const laneIndex = new Map(lanes.map((lane, index) => [lane.key, lanes.length - 1 - index]));
  const ticks = Array.from({ length: lanes.length }, (_, index) => index);
  const labelOf = (value: number) => lanes[lanes.length - 1 - value]?.label ?? "";
  const span = to - from;
  const tickStep = span > 120 * DAY_MS ? 30 * DAY_MS : span > 30 * DAY_MS ? 14 * DAY_MS : span > 10 * DAY_MS ? 7 * DAY_MS : DAY_MS;
  const xTicks: number[] = [];
  for (let tick = Math.ceil(from / DAY_MS) * DAY_MS; tick <= to; tick += tickStep) xTicks.push(tick);

  const chart = (
    <ScatterChart
      responsive
      margin={{ ...chartTheme.margin, left: 8 }}
      style={{ width: "100%", height, fontFamily: chartTheme.font.family }}
      accessibilityLayer={false}
    >
      <CartesianGrid stroke={chartTheme.grid.stroke} strokeDasharray={chartTheme.grid.dash} />
      <XAxis
        type="number"
        dataKey="at"
        domain={[from, to]}
        ticks={xTicks}
        tickFormatter={(value: number) => utcDay(value).slice(5)}
        stroke={chartTheme.axis.stroke}
        tick={chartTheme.axis.tick}
        tickLine={false}
        name="Finished"
      />
      <YAxis
        type="number"
        dataKey="y"
        domain={[-0.5, lanes.length - 0.5]}
        ticks={ticks}
        tickFormatter={labelOf}
        stroke={chartTheme.axis.stroke}
        tick={chartTheme.axis.tick}
        tickLine={false}
        width={120}
        name="Kind"
      />
      <Tooltip
        cursor={{ strokeDasharray: "3 3" }}
        contentStyle={chartTheme.tooltip.contentStyle}
        labelStyle={chartTheme.tooltip.labelStyle}
        isAnimationActive={!reducedMotion}
        formatter={(value, name) => (name === "Finished" && typeof value === "number" ? new Date(value).toISOString().slice(0, 16).replace("T", " ") + " UTC" : name === "Kind" && typeof value === "number" ? labelOf(value) : String(value))}
      />
      <Legend wrapperStyle={{ fontSize: chartTheme.font.size, color: "var(--fg)" }} />
      {lanes.map((lane) => (
        <Scatter
          key={lane.key}
          name={lane.label}
          data={events.filter((event) => event.lane === lane.key).map((event) => ({ at: event.at, y: laneIndex.get(lane.key) ?? 0, label: event.label }))}
          fill={lane.color}
          shape={lane.shape}
          isAnimationActive={!reducedMotion}
        />
      ))}
    </ScatterChart>
  );

  const days = new Map<string, number[]>();
  for (const event of events) {
    const day = utcDay(event.at);
    const counts = days.get(day) ?? lanes.map(() => 0);
    const index = lanes.findIndex((lane) => lane.key === event.lane);
    if (index >= 0) counts[index]! += 1;
    days.set(day, counts);
  }
  const rows = [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, values]) => ({ key: day, label: day, values }));

  return (
    <ChartFrame
      title={title}
      summary={summary}
      chart={chart}
      table={
        <ChartDataTable
          caption={`${title}: events per UTC day`}
          bucketHeader="Day (UTC)"
          series={lanes.map((lane) => ({ color: lane.color, label: lane.label }))}
          rows={rows}
          formatValue={(value) => value.toLocaleString("en")}
        />
      }
    />
  );
}
