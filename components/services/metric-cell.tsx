import type { ReactNode } from "react";
import { TierBadge, type Tier } from "@/components/ui/badge";

/** "No data" as an em dash that says so to screen readers, never a 0. */
export function NoData({ label = "No data" }: { label?: string }) {
  return (
    <span className="text-subtle" title={label}>
      <span aria-hidden="true">—</span>
      <span className="sr-only">{label}</span>
    </span>
  );
}

/** The asterisk of a value that may still change (DESIGN §3, "Provisional"). */
export function ProvisionalMark() {
  return (
    <span className="ml-0.5 text-muted" title="Provisional: depends on the next 7 days">
      *<span className="sr-only"> (provisional: depends on the next 7 days)</span>
    </span>
  );
}

/** A metric value in a dense table cell: value, optional provisional mark, tier badge, a small detail line. */
export function MetricCell({
  value,
  tier,
  provisional = false,
  detail,
  trend,
}: {
  value: string | null;
  tier?: Tier | null;
  provisional?: boolean;
  detail?: string;
  /** A small chart drawn left of the value (a sparkline), sharing its column instead of taking one. */
  trend?: ReactNode;
}) {
  if (value === null) return <NoData />;
  // Value on top, tier and detail below, and the detail drops under the tier if a column is ever
  // squeezed: the services table must fit 1280 px without scrolling sideways.
  const shown = (
    <span data-value className="whitespace-nowrap">
      {value}
      {provisional ? <ProvisionalMark /> : null}
    </span>
  );
  return (
    <span className="inline-flex flex-col items-end gap-0.5">
      {trend ? (
        <span className="inline-flex items-end gap-2">
          {trend}
          {shown}
        </span>
      ) : (
        shown
      )}
      {tier || detail ? (
        <span className="inline-flex flex-wrap items-center justify-end gap-x-1 gap-y-0.5 text-xs text-subtle">
          {tier ? <TierBadge tier={tier} /> : null}
          {detail ? <span className="whitespace-nowrap">{detail}</span> : null}
        </span>
      ) : null}
    </span>
  );
}
