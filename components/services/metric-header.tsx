"use client";

import { DefinitionTooltip } from "@/components/ui/tooltip";
import { type MetricId, metricDefinitions } from "@/components/overview/metric-definitions";

/** The definition text of a metric (DESIGN §3) with its tier bands, for tooltips next to numbers. */
export function metricDefinitionText(id: MetricId): { label: string; text: string } {
  const definition = metricDefinitions.find((item) => item.id === id);
  if (!definition) return { label: id, text: "" };
  return { label: definition.label, text: definition.tiers ? `${definition.definition} Tiers: ${definition.tiers}.` : definition.definition };
}

/**
 * An "i" button with a metric's definition; keyboard users reach it with Tab, the tooltip opens on
 * focus. `note` says how a dense table shows the metric (what "median" or the bars are), so the
 * cells need not repeat it on every row.
 */
export function MetricDefinitionButton({ id, note }: { id: MetricId; note?: string }) {
  const { label, text } = metricDefinitionText(id);
  return <DefinitionTooltip term={label} definition={note ? `${text} ${note}` : text} />;
}
