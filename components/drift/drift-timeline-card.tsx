"use client";

import { useDeferredValue, useId } from "react";
import { useSuspenseQuery } from "@tanstack/react-query";
import { DEFAULT_DRIFT_WINDOW_DAYS, DRIFT_WINDOW_DAYS, driftEpisodesQueryOptions } from "@/lib/queries/drift";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ChartSkeleton } from "@/components/ui/skeleton";
import { EpisodeTimelineChart, type EpisodeLane } from "./episode-timeline-chart";
import { useDriftParams } from "./use-drift-params";

/** More lanes than this would make the chart taller than a screen; the table view still lists every episode. */
const MAX_LANES = 25;

function WindowSelect({ days, onChange }: { days: number; onChange: (days: number) => void }) {
  const id = useId();
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-xs font-medium text-muted">
        Window
      </label>
      <select id={id} value={days} onChange={(event) => onChange(Number(event.target.value))} className="rounded-md border border-line-strong bg-surface px-2 py-1 text-sm text-fg">
        {(DRIFT_WINDOW_DAYS as readonly number[]).includes(days) ? null : <option value={days}>Last {days} days</option>}
        {DRIFT_WINDOW_DAYS.map((value) => (
          <option key={value} value={value}>
            {value === 1 ? "Last 24 hours" : `Last ${value} days`}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The drift episodes of the window, one lane per app or workload of the table's filters. */
export function DriftTimelineCard() {
  const { episodesParams, setParams } = useDriftParams();
  const deferred = useDeferredValue(episodesParams);
  const { data } = useSuspenseQuery(driftEpisodesQueryOptions(deferred));
  const days = episodesParams.days ?? DEFAULT_DRIFT_WINDOW_DAYS;

  // Most recently started on top: what is happening now is what a reader looks for first.
  const latestStart = new Map<string, { label: string; start: number }>();
  for (const episode of data.episodes) {
    const start = Date.parse(episode.startedAt);
    const seen = latestStart.get(episode.targetId);
    if (!seen || start > seen.start) latestStart.set(episode.targetId, { label: episode.targetLabel, start });
  }
  const allLanes: EpisodeLane[] = [...latestStart.entries()].sort(([, a], [, b]) => b.start - a.start).map(([id, { label }]) => ({ id, label }));
  const lanes = allLanes.slice(0, MAX_LANES);
  const live = data.episodes.filter((episode) => episode.kind === "LIVE_DRIFT");
  const open = data.episodes.filter((episode) => episode.endedAt === null);
  const span = days === 1 ? "the last 24 hours" : `the last ${days} days`;
  const filtered = Object.entries(episodesParams).some(([name, value]) => name !== "days" && value !== undefined && value !== "");
  const count = (value: number, one: string, many: string) => `${value} ${value === 1 ? one : many}`;

  return (
    <Card aria-labelledby="drift-timeline-heading" aria-busy={deferred !== episodesParams}>
      <CardHeader
        id="drift-timeline-heading"
        title="Episode timeline"
        description="Each bar is one episode, from when the difference appeared to when it ended (or now, while open)."
        actions={<WindowSelect days={days} onChange={(value) => setParams({ days: value === DEFAULT_DRIFT_WINDOW_DAYS ? undefined : value })} />}
      />
      <CardBody>
        {data.episodes.length === 0 ? (
          <p className="text-sm text-muted" data-testid="drift-timeline-empty">
            No drift episode in {span}
            {filtered ? " for these filters" : ""}.
          </p>
        ) : (
          <>
            <EpisodeTimelineChart
              title={`Drift episodes, ${span}`}
              summary={`${count(data.episodes.length, "episode", "episodes")} (${live.length} live drift, ${count(data.episodes.length - live.length, "pending change", "pending changes")}) on ${count(allLanes.length, "app or workload", "apps or workloads")}; ${open.length} still open${data.total > data.limit ? `; the latest ${data.limit} of ${data.total}` : ""}.`}
              lanes={lanes}
              episodes={data.episodes}
              from={Date.parse(data.window.from)}
              to={Date.parse(data.window.to)}
            />
            <p className="mt-3 text-xs text-muted">
              Tall bar: live drift · thin bar: pending change · dashed outline: still open.
              {allLanes.length > lanes.length ? ` The chart shows the ${lanes.length} most recently drifting of ${allLanes.length}; the table view lists every episode.` : ""}
            </p>
          </>
        )}
      </CardBody>
    </Card>
  );
}

export function DriftTimelineSkeleton() {
  return (
    <Card>
      <CardHeader title="Episode timeline" />
      <CardBody>
        <ChartSkeleton label="drift episode timeline" height={200} />
      </CardBody>
    </Card>
  );
}
