import type { SeriesStyle } from "./chart-theme";

/** `key` is the raw bucket or bin, unique per chart; `label` is its display form, which may repeat. */
export type ChartTableRow = { key: string; label: string; values: Array<number | null> };

/** The text alternative of a chart: one row per bucket, one column per series. */
export function ChartDataTable({
  caption,
  bucketHeader,
  series,
  rows,
  formatValue,
}: {
  caption: string;
  bucketHeader: string;
  series: SeriesStyle[];
  rows: ChartTableRow[];
  formatValue: (value: number) => string;
}) {
  return (
    <table className="w-full border-collapse text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr className="border-b border-line bg-surface-sunken">
          <th scope="col" className="px-3 py-1.5 text-left font-medium text-muted">
            {bucketHeader}
          </th>
          {series.map((item) => (
            <th key={item.label} scope="col" className="px-3 py-1.5 text-right font-medium text-muted">
              {item.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} className="border-b border-line last:border-b-0">
            <th scope="row" className="px-3 py-1.5 text-left font-normal text-fg">
              {row.label}
            </th>
            {row.values.map((value, index) => (
              <td key={series[index]?.label ?? index} className="px-3 py-1.5 text-right text-fg tabular-nums">
                {value === null ? "no data" : formatValue(value)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
