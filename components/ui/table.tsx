import type { ReactNode } from "react";
import { clsx } from "clsx";

export type SortDirection = "ascending" | "descending";
export type SortState<K extends string> = { key: K; direction: SortDirection };

export type Column<Row, K extends string = string> = {
  key: K;
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  align?: "start" | "end";
  /** Sortable columns render their header as a button when `onSortChange` is given. */
  sortable?: boolean;
  /** Row headers (`<th scope="row">`) name each row for screen readers. */
  rowHeader?: boolean;
};

/**
 * A data table with a caption (its accessible name) and sortable headers that expose
 * `aria-sort`. Sorting itself belongs to the caller, usually a query parameter.
 */
export function Table<Row, K extends string = string>({
  caption,
  captionHidden = false,
  columns,
  rows,
  rowKey,
  sort,
  onSortChange,
  empty,
  className,
}: {
  caption: ReactNode;
  /** Hide the caption visually when a card heading already says the same thing. */
  captionHidden?: boolean;
  columns: Column<Row, K>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  sort?: SortState<K>;
  onSortChange?: (next: SortState<K>) => void;
  /** Rendered in one full-width cell when there are no rows. */
  empty?: ReactNode;
  className?: string;
}) {
  return (
    <div className={clsx("overflow-x-auto", className)}>
      <table className="w-full border-collapse text-sm">
        <caption className={clsx("px-4 py-2 text-left text-sm text-muted", captionHidden && "sr-only")}>
          {caption}
        </caption>
        <thead>
          <tr className="border-b border-line bg-surface-sunken">
            {columns.map((column) => {
              const active = sort?.key === column.key;
              const ariaSort = column.sortable ? (active ? sort.direction : "none") : undefined;
              return (
                <th
                  key={column.key}
                  scope="col"
                  aria-sort={ariaSort}
                  className={clsx(
                    "px-4 py-2 font-medium text-muted",
                    column.align === "end" ? "text-right" : "text-left",
                  )}
                >
                  {column.sortable && onSortChange ? (
                    <button
                      type="button"
                      onClick={() =>
                        onSortChange({
                          key: column.key,
                          direction: active && sort.direction === "ascending" ? "descending" : "ascending",
                        })
                      }
                      className={clsx(
                        "inline-flex items-center gap-1 rounded hover:text-fg",
                        column.align === "end" && "flex-row-reverse",
                      )}
                    >
                      {column.header}
                      <SortIcon direction={active ? sort.direction : undefined} />
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && empty ? (
            <tr>
              <td colSpan={columns.length} className="px-4 py-8">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)} className="border-b border-line last:border-b-0 hover:bg-surface-sunken/60">
                {columns.map((column) => {
                  const align = column.align === "end" ? "text-right tabular-nums" : "text-left";
                  return column.rowHeader ? (
                    <th key={column.key} scope="row" className={clsx("px-4 py-2 font-medium text-fg", align)}>
                      {column.cell(row)}
                    </th>
                  ) : (
                    <td key={column.key} className={clsx("px-4 py-2 text-fg", align)}>
                      {column.cell(row)}
                    </td>
                  );
                })}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

function SortIcon({ direction }: { direction: SortDirection | undefined }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 12 12" className="size-3" fill="currentColor">
      <path d="M6 1.5 9 5H3z" opacity={direction === "descending" ? 0.3 : direction ? 1 : 0.45} />
      <path d="M6 10.5 3 7h6z" opacity={direction === "ascending" ? 0.3 : direction ? 1 : 0.45} />
    </svg>
  );
}
