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
}: {
  value: string | null;
  tier?: Tier | null;
  provisional?: boolean;
  detail?: string;
}) {
  if (value === null) return <NoData />;
  // Value on top, tier and detail below: a dense table with nine columns must fit 1280 px.
  return (
    <span className="inline-flex flex-col items-end gap-0.5">
      <span data-value className="whitespace-nowrap">
        {value}
        {provisional ? <ProvisionalMark /> : null}
      </span>
      {tier || detail ? (
        <span className="inline-flex items-center gap-1 text-xs whitespace-nowrap text-subtle">
          {tier ? <TierBadge tier={tier} /> : null}
          {detail ? <span>{detail}</span> : null}
        </span>
      ) : null}
    </span>
  );
}
