"use client";

import { useId, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";

/**
 * A chart's figure: title, one-sentence summary, the chart, and a table view of the same
 * numbers (always in the accessibility tree; visible when the reader asks for it).
 */
export function ChartFrame({
  title,
  summary,
  chart,
  table,
}: {
  title: string;
  /** What the chart shows, in words: it is the chart's accessible description. */
  summary: string;
  chart: ReactNode;
  table: ReactNode;
}) {
  const [showTable, setShowTable] = useState(false);
  const titleId = useId();
  const summaryId = useId();
  return (
    <figure aria-labelledby={titleId} aria-describedby={summaryId} className="flex flex-col gap-3">
      <div className="flex items-start justify-between gap-4">
        <div>
          <p id={titleId} className="text-sm font-semibold text-fg">
            {title}
          </p>
          <p id={summaryId} className="text-xs text-muted">
            {summary}
          </p>
        </div>
        <Button variant="ghost" aria-pressed={showTable} onClick={() => setShowTable((value) => !value)}>
          {showTable ? "Show chart" : "Show table"}
        </Button>
      </div>
      {/* The SVG duplicates the table, so it is hidden from assistive technology. */}
      <div aria-hidden="true" className={showTable ? "hidden" : undefined}>
        {chart}
      </div>
      <div className={showTable ? undefined : "sr-only"}>{table}</div>
    </figure>
  );
}
