/**
 * The one visual theme of every chart. Colours are CSS custom properties from
 * app/globals.css, so charts follow the light/dark scheme without re-rendering.
 */
export type Cohort = "devops" | "gitops";

export const cohortLabels: Record<Cohort, string> = {
  devops: "DevOps (push-based)",
  gitops: "GitOps (pull-based)",
};

export const chartTheme = {
  cohort: {
    devops: { color: "var(--cohort-devops)", label: cohortLabels.devops, dash: undefined },
    // A dashed line keeps the two cohorts apart for readers who cannot tell the colours apart.
    gitops: { color: "var(--cohort-gitops)", label: cohortLabels.gitops, dash: "6 3" },
  },
  grid: { stroke: "var(--chart-grid)", dash: "3 3" },
  axis: { stroke: "var(--chart-axis)", tick: { fill: "var(--chart-axis)", fontSize: 12 } },
  font: { family: "var(--font-sans)", size: 12 },
  tooltip: {
    contentStyle: {
      background: "var(--surface-raised)",
      border: "1px solid var(--line)",
      borderRadius: 6,
      color: "var(--fg)",
      fontSize: 12,
    },
    labelStyle: { color: "var(--fg)", fontWeight: 600 },
  },
  height: 260,
  margin: { top: 8, right: 16, bottom: 8, left: 0 },
} as const;

export type SeriesStyle = { color: string; label: string; dash?: string };

/** Styles for a series that is not a cohort (e.g. one service); falls back to the accent colour. */
export function seriesStyle(key: string, label?: string): SeriesStyle {
  if (key === "devops" || key === "gitops") return chartTheme.cohort[key];
  return { color: "var(--accent)", label: label ?? key };
}
