import type { ReactNode } from "react";
import { clsx } from "clsx";
import { DefinitionTooltip } from "./tooltip";

/**
 * One metric value. `value === null` means "no data" and renders an em dash with a spoken
 * "no data yet", never a zero, so an empty window is not mistaken for a perfect score.
 */
export function Stat({
  label,
  value,
  unit,
  tier,
  definition,
  hint,
  provisional = false,
  className,
}: {
  label: string;
  value: ReactNode | null;
  /** Shown after the value in smaller type, e.g. "per day", "h", "%". */
  unit?: string;
  /** Slot for a `TierBadge`. */
  tier?: ReactNode;
  /** The metric's definition (DESIGN §3), offered through an info button. */
  definition?: ReactNode;
  /** A short line under the value, e.g. "median of 12 services". */
  hint?: ReactNode;
  /** The value still depends on the next 7 days (DESIGN §3, "Provisional"). */
  provisional?: boolean;
  className?: string;
}) {
  return (
    <div className={clsx("flex flex-col gap-1", className)}>
      <dt className="text-sm font-medium text-muted">
        {label}
        {definition ? (
          <span className="ml-1 inline-block align-middle">
            <DefinitionTooltip term={label} definition={definition} />
          </span>
        ) : null}
      </dt>
      <dd className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
        {value === null ? (
          <span data-stat-value className="text-2xl font-semibold text-subtle">
            <span aria-hidden="true">—</span>
            <span className="sr-only">No data yet</span>
          </span>
        ) : (
          <span data-stat-value className="text-2xl font-semibold text-fg tabular-nums">
            {value}
            {unit ? <span className="ml-1 text-sm font-normal text-muted">{unit}</span> : null}
            {provisional ? (
              <span className="ml-1 text-sm font-normal text-muted" title="Provisional: depends on the next 7 days">
                *<span className="sr-only"> (provisional: depends on the next 7 days)</span>
              </span>
            ) : null}
          </span>
        )}
        {tier}
      </dd>
      {hint ? <dd className="text-xs text-subtle">{hint}</dd> : null}
    </div>
  );
}

/** A `<dl>` grid of `Stat`s; the stats render `dt`/`dd` pairs, so they must live in one. */
export function StatGrid({ children, className }: { children: ReactNode; className?: string }) {
  return <dl className={clsx("grid grid-cols-2 gap-x-6 gap-y-5", className)}>{children}</dl>;
}
