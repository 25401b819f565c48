import type { DriftState } from "@/lib/queries/drift";
import { Badge } from "@/components/ui/badge";
import { driftStateStyles } from "./format-drift";

/** A drift state as a badge: a symbol and words, so colour is never the only signal. */
export function DriftStateBadge({ state }: { state: DriftState }) {
  const style = driftStateStyles[state];
  return (
    <Badge tone={style.tone} icon={style.symbol} className="font-semibold">
      {style.label}
    </Badge>
  );
}
