"use client";

import { useId } from "react";
import type { IntegrationDto } from "@/lib/queries/integrations";
import { describeRunProgress } from "./format-integration";

/**
 * The run in progress as an accessible progress bar: repositories done of total. Before the run
 * knows its total the bar is indeterminate (no aria-valuenow), as ARIA prescribes.
 */
export function SyncProgress({ name, run }: { name: string; run: NonNullable<IntegrationDto["currentRun"]> }) {
  const label = describeRunProgress(name, run);
  const total = run.itemsTotal;
  const done = total === null ? null : Math.min(Math.max(run.itemsProcessed, 0), total);
  const percent = total === null || total === 0 || done === null ? null : Math.round((done / total) * 100);
  const labelId = useId();
  return (
    <div className="flex flex-col gap-1.5">
      <p id={labelId} className="text-sm text-fg">
        {label}
      </p>
      <div
        role="progressbar"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={total ?? undefined}
        aria-valuenow={done ?? undefined}
        aria-valuetext={label}
        className="h-2 w-full max-w-md overflow-hidden rounded-full bg-surface-sunken ring-1 ring-line ring-inset"
      >
        {percent === null ? (
          <div className="h-full w-full animate-pulse rounded-full bg-accent/40" />
        ) : (
          <div className="h-full rounded-full bg-accent transition-[width] duration-500 motion-reduce:transition-none" style={{ width: `${percent}%` }} />
        )}
      </div>
    </div>
  );
}
