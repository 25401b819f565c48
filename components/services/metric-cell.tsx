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
  return (
    <span className="inline-flex flex-col items-end gap-0.5">
      <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
        <span data-value>
          {value}
          {provisional ? <ProvisionalMark /> : null}
        </span>
        {tier ? <TierBadge tier={tier} /> : null}
      </span>
      {detail ? <span className="text-xs whitespace-nowrap text-subtle">{detail}</span> : null}
    </span>
  );
}
