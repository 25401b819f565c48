"use client";

import { useId } from "react";
import { DEFAULT_WINDOW_DAYS, WINDOW_PRESET_DAYS } from "@/lib/queries/services";
import type { UrlPatch } from "./use-url-params";

const selectClasses = "rounded-md border border-line-strong bg-surface px-2 py-1.5 text-sm text-fg";

/**
 * The time-range control shared by both services pages: presets write `days`; a window given as
 * `from`/`to` in the URL (a shared link) shows as "Custom" until a preset replaces it.
 */
export function WindowSelect({
  params,
  setParams,
  resetPage = false,
}: {
  params: { days?: number; from?: string; to?: string };
  setParams: (patch: UrlPatch) => void;
  resetPage?: boolean;
}) {
  const id = useId();
  const custom = params.from !== undefined || (params.to !== undefined && params.days === undefined);
  const value = custom ? "custom" : String(params.days ?? DEFAULT_WINDOW_DAYS);
  const presets: number[] = [...WINDOW_PRESET_DAYS];
  if (!custom && params.days !== undefined && !presets.includes(params.days)) presets.push(params.days);
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-muted">
        Time range
      </label>
      <select
        id={id}
        value={value}
        aria-describedby={custom ? undefined : `${id}-hint`}
        title={custom ? undefined : "Whole days in the organisation's time zone, up to the end of yesterday"}
        className={selectClasses}
        onChange={(event) => {
          const days = Number(event.target.value);
          setParams({ days: days === DEFAULT_WINDOW_DAYS ? undefined : days, from: undefined, to: undefined, ...(resetPage ? { page: undefined } : {}) });
        }}
      >
        {custom ? (
          <option value="custom">
            {`Custom: ${params.from?.slice(0, 10) ?? "…"} to ${params.to?.slice(0, 10) ?? "now"}`}
          </option>
        ) : null}
        {presets.map((days) => (
          <option key={days} value={days}>
            Last {days} days
          </option>
        ))}
      </select>
      {custom ? null : (
        <span id={`${id}-hint`} className="sr-only">
          Whole days, up to the end of yesterday
        </span>
      )}
    </div>
  );
}

export { selectClasses };
