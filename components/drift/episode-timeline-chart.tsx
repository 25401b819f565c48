"use client";

import { CartesianGrid, ReferenceArea, ReferenceLine, Scatter, ScatterChart, XAxis, YAxis } from "recharts";
import type { DriftEpisodeDto } from "@/lib/queries/drift";
import { ChartFrame } from "@/components/charts/chart-frame";
import { chartTheme } from "@/components/charts/chart-theme";
import { endReasonLabels, episodeKindLabels, formatDuration, formatInstant } from "./format-drift";

/** One lane of the chart: a target, with its label. */
export type EpisodeLane = { id: string; label: string };

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const LANE_HEIGHT = 30;
/** Characters of a lane label that fit the axis; the table view has the whole name. */
const LANE_LABEL_CHARS = 24;

function shortLabel(label: string): string {
  return label.length > LANE_LABEL_CHARS ? `${label.slice(0, LANE_LABEL_CHARS - 1)}…` : label;
}

/**
 * Bar styles per kind. Live drift is a tall solid bar, a pending change a thin one, and an open
 * episode has a dashed outline: height and outline tell them apart without colour.
 */
const kindStyle = {
  LIVE_DRIFT: { fill: "var(--danger-fg)", half: 0.36 },
  PENDING_CHANGE: { fill: "var(--info-fg)", half: 0.16 },
} as const;

function ticksFor(from: number, to: number): { ticks: number[]; format: (value: number) => string } {
  const span = to - from;
  const step = span <= 2 * DAY_MS ? 6 * HOUR_MS : span <= 10 * DAY_MS ? DAY_MS : span <= 40 * DAY_MS ? 7 * DAY_MS : 14 * DAY_MS;
  const ticks: number[] = [];
  for (let tick = Math.ceil(from / step) * step; tick <= to; tick += step) ticks.push(tick);
  const format = span <= 2 * DAY_MS ? (value: number) => new Date(value).toISOString().slice(11, 16) : (value: number) => new Date(value).toISOString().slice(5, 10);
  return { ticks, format };
}

function episodeTitle(episode: DriftEpisodeDto, lane: string): string {
  const end = episode.endedAt === null ? "still open" : `ended ${formatInstant(episode.endedAt)}${episode.endReason ? ` by ${endReasonLabels[episode.endReason]}` : ""}`;
  return `${lane}: ${episodeKindLabels[episode.kind]} from ${formatInstant(episode.startedAt)}, ${end} (${formatDuration(episode.durationSeconds)})`;
}

/**
 * Drift episodes on a time axis, one lane per app or workload: a bar from each episode's start to
 * its end, or to now while open (clipped to the window). The table view lists every episode in
 * words (start, end, how it ended, duration) as the chart's text alternative.
 */
export function EpisodeTimelineChart({
  title,
  summary,
  lanes,
  episodes,
  from,
  to,
}: {
  title: string;
  summary: string;
  lanes: EpisodeLane[];
  episodes: DriftEpisodeDto[];
  /** The axis' ends (ms since epoch); `to` is now for a window that ends now. */
  from: number;
  to: number;
}) {
  const laneIndex = new Map(lanes.map((lane, index) => [lane.id, index]));
  const { ticks, format } = ticksFor(from, to);
  const height = Math.max(120, lanes.length * LANE_HEIGHT + 48);

  const chart = (
    <ScatterChart
      responsive
      margin={{ ...chartTheme.margin, left: 8, right: 24 }}
      style={{ width: "100%", height, fontFamily: chartTheme.font.family }}
      accessibilityLayer={false}
    >
      <CartesianGrid stroke={chartTheme.grid.stroke} strokeDasharray={chartTheme.grid.dash} horizontal={false} />
      <XAxis
        type="number"
        dataKey="at"
        domain={[from, to]}
        ticks={ticks}
        tickFormatter={format}
        stroke={chartTheme.axis.stroke}
        tick={chartTheme.axis.tick}
        tickLine={false}
        allowDataOverflow
      />
      <YAxis
        type="number"
        dataKey="lane"
        domain={[-0.5, Math.max(lanes.length, 1) - 0.5]}
        ticks={lanes.map((_, index) => index)}
        tickFormatter={(value: number) => shortLabel(lanes[value]?.label ?? "")}
        reversed
        stroke={chartTheme.axis.stroke}
        tick={chartTheme.axis.tick}
        tickLine={false}
        width={190}
        interval={0}
      />
      {/* An invisible point per lane gives the axes their data; the episodes are drawn as areas. */}
      <Scatter data={lanes.map((_, index) => ({ at: from, lane: index }))} fill="transparent" isAnimationActive={false} />
      {episodes.map((episode) => {
        const lane = laneIndex.get(episode.targetId);
        if (lane === undefined) return null;
        const start = Math.max(from, Date.parse(episode.startedAt));
        const end = Math.min(to, episode.endedAt === null ? to : Date.parse(episode.endedAt));
        const style = kindStyle[episode.kind];
        // A minimum width so a two-minute self-heal on a 90-day axis is still visible.
        const minWidth = (to - from) / 400;
        return (
          <ReferenceArea
            key={episode.id}
            x1={start}
            x2={Math.max(end, start + minWidth)}
            y1={lane - style.half}
            y2={lane + style.half}
            fill={style.fill}
            fillOpacity={episode.endedAt === null ? 0.55 : 0.85}
            stroke={episode.endedAt === null ? "var(--fg)" : style.fill}
            strokeDasharray={episode.endedAt === null ? "4 2" : undefined}
            ifOverflow="hidden"
            shape={(props: { x?: number; y?: number; width?: number; height?: number }) => (
              <rect
                x={props.x}
                y={props.y}
                width={props.width}
                height={props.height}
                fill={style.fill}
                fillOpacity={episode.endedAt === null ? 0.55 : 0.85}
                stroke={episode.endedAt === null ? "var(--fg)" : style.fill}
                strokeDasharray={episode.endedAt === null ? "4 2" : undefined}
              >
                <title>{episodeTitle(episode, lanes[lane]?.label ?? "")}</title>
              </rect>
            )}
          />
        );
      })}
      <ReferenceLine x={to} stroke="var(--chart-axis)" strokeDasharray="2 2" label={{ value: "now", position: "insideTopRight", fill: "var(--chart-axis)", fontSize: 11 }} />
    </ScatterChart>
  );

  const laneLabel = new Map(lanes.map((lane) => [lane.id, lane.label]));
  const table = (
    <table className="w-full border-collapse text-sm" data-testid="drift-episodes-table">
      <caption className="sr-only">{title}: every episode</caption>
      <thead>
        <tr className="border-b border-line bg-surface-sunken text-left text-muted">
          <th scope="col" className="px-3 py-1.5 font-medium">App or workload</th>
          <th scope="col" className="px-3 py-1.5 font-medium">Kind</th>
          <th scope="col" className="px-3 py-1.5 font-medium">Started</th>
          <th scope="col" className="px-3 py-1.5 font-medium">Ended</th>
          <th scope="col" className="px-3 py-1.5 font-medium">Duration</th>
        </tr>
      </thead>
      <tbody>
        {episodes.map((episode) => (
          <tr key={episode.id} className="border-b border-line last:border-b-0">
            <th scope="row" className="px-3 py-1.5 text-left font-normal text-fg">{laneLabel.get(episode.targetId) ?? episode.targetLabel}</th>
            <td className="px-3 py-1.5">{episodeKindLabels[episode.kind]}</td>
            <td className="px-3 py-1.5 tabular-nums">{formatInstant(episode.startedAt)}</td>
            <td className="px-3 py-1.5 tabular-nums">
              {episode.endedAt === null ? "still open" : `${formatInstant(episode.endedAt)}${episode.endReason ? ` (${endReasonLabels[episode.endReason]})` : ""}`}
            </td>
            <td className="px-3 py-1.5 tabular-nums">
              {formatDuration(episode.durationSeconds)}
              {episode.endedAt === null ? " so far" : ""}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  return <ChartFrame title={title} summary={summary} chart={chart} table={table} />;
}
