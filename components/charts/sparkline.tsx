import { clsx } from "clsx";

/**
 * A tiny bar chart of a short series (e.g. deployments per week) inside a table cell. The bars are
 * decorative; `label` says the numbers in words, because a sparkline has no axes to read.
 */
export function Sparkline({
  values,
  label,
  width = 96,
  height = 24,
  className,
}: {
  values: readonly number[];
  /** What the series is, with its values, e.g. "Deployments per week: 3, 0, 5". */
  label: string;
  width?: number;
  height?: number;
  className?: string;
}) {
  const max = Math.max(1, ...values);
  const gap = 1;
  const barWidth = values.length === 0 ? 0 : Math.max(1, (width - gap * (values.length - 1)) / values.length);
  return (
    <svg role="img" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`} className={clsx("block", className)}>
      {/* The baseline shows an all-zero series as a line, not as nothing. */}
      <line x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} stroke="var(--line-strong)" strokeWidth={1} />
      {values.map((value, index) => {
        const barHeight = value === 0 ? 0 : Math.max(2, (value / max) * (height - 2));
        return (
          <rect
            key={index}
            x={index * (barWidth + gap)}
            y={height - barHeight}
            width={barWidth}
            height={barHeight}
            rx={0.5}
            fill="var(--accent)"
          />
        );
      })}
    </svg>
  );
}
