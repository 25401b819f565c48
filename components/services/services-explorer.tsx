"use client";

import { useDeferredValue, useMemo } from "react";
import Link from "next/link";
import { useSuspenseQuery } from "@tanstack/react-query";
import {
  type ColumnDef,
  type PaginationState,
  type SortingState,
  type Updater,
  functionalUpdate,
  rowPaginationFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
} from "@tanstack/react-table";
import { clsx } from "clsx";
import {
  DEFAULT_SERVICE_PAGE_SIZE,
  SERVICE_LIST_URL_PARAMS,
  SERVICE_PAGE_SIZES,
  type ServiceListRowDto,
  type ServiceSortKey,
  serviceListParamsSchema,
  serviceListQueryOptions,
} from "@/lib/queries/services";
import type { MetricId } from "@/components/overview/metric-definitions";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Button } from "@/components/ui/button";
import { ServicesIcon } from "@/components/ui/icons";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Sparkline } from "@/components/charts/sparkline";
import { SourceSetup } from "@/components/setup/source-setup";
import { MetricCell, NoData } from "./metric-cell";
import { MetricDefinitionButton } from "./metric-header";
import { ServiceListFilters } from "./service-list-filters";
import { useUrlParams } from "./use-url-params";
import { formatDaysPerWeek, formatHours, formatPerDay, formatPercent, methodologyLabels } from "./format-metrics";

const features = tableFeatures({ rowSortingFeature, rowPaginationFeature });

type Row = ServiceListRowDto;

/** Column metadata read by the header renderer: which definition to offer (and how the column shows it), and alignment. */
const headerMeta: Partial<Record<ServiceSortKey, { metric?: MetricId; note?: string; numeric?: boolean }>> = {
  deploymentsPerDay: {
    metric: "deploymentFrequency",
    note: "In this table: deployments per day, the tier's deployment days per week, and bars of successful deployments per week.",
    numeric: true,
  },
  leadTime: { metric: "leadTime", note: "In this table: the median.", numeric: true },
  changeFailRate: { metric: "changeFailRate", numeric: true },
  recoveryTime: { metric: "recoveryTime", note: "In this table: the median.", numeric: true },
  reworkRate: { metric: "reworkRate", numeric: true },
  successRate: { metric: "successRate", numeric: true },
};

/** Sparkline width, and the most weeks it can draw (a 1 px bar and a 1 px gap each) before it would clip the latest ones. */
const TREND_WIDTH = 64;
const TREND_MAX_WEEKS = Math.floor((TREND_WIDTH + 1) / 2);

/** The weekly deployments of a row as a sparkline: the latest weeks when the window has more than fit. */
function WeeklyTrend({ row }: { row: Row }) {
  const weeks = row.weeklyDeployments.slice(-TREND_MAX_WEEKS);
  const counts = weeks.map((week) => week.count);
  return (
    <Sparkline
      values={counts}
      width={TREND_WIDTH}
      height={20}
      label={`${row.name}, successful deployments per week${weeks.length ? ` from ${weeks[0]!.weekStart}` : ""}: ${counts.join(", ") || "none"}`}
    />
  );
}

const columns: ColumnDef<typeof features, Row>[] = [
  {
    id: "name",
    header: "Service",
    accessorFn: (row) => row.name,
    cell: ({ row }) => (
      <Link href={`/services/${row.original.slug}`} className="font-medium text-accent underline-offset-2 hover:underline">
        {row.original.name}
      </Link>
    ),
  },
  { id: "team", header: "Team", accessorFn: (row) => row.team?.name ?? null, cell: ({ row }) => row.original.team?.name ?? <NoData label="No team" /> },
  {
    id: "methodology",
    // A soft hyphen: the one long header word may break ("Method-ology") when the columns are tight.
    header: "Method\u00ADology",
    accessorFn: (row) => row.methodology,
    cell: ({ row }) =>
      row.original.methodology ? methodologyLabels[row.original.methodology] : <NoData label="No deployment in the window" />,
  },
  {
    id: "deploymentsPerDay",
    header: "Deploys / day",
    accessorFn: (row) => row.deploymentsPerDay,
    // The weekly bars share this column: they are the same metric over time, and a column of their own did not fit 1280 px.
    cell: ({ row }) => (
      <MetricCell
        value={row.original.deploymentsPerDay === null ? null : formatPerDay(row.original.deploymentsPerDay)}
        trend={<WeeklyTrend row={row.original} />}
        tier={row.original.tiers.deploymentFrequency}
        detail={
          row.original.deploymentDaysPerWeekMedian === null ? undefined : `${formatDaysPerWeek(row.original.deploymentDaysPerWeekMedian)} d/wk`
        }
      />
    ),
  },
  {
    id: "leadTime",
    header: "Lead time",
    accessorFn: (row) => row.leadTimeMedianHours,
    cell: ({ row }) => (
      <MetricCell
        value={row.original.leadTimeMedianHours === null ? null : formatHours(row.original.leadTimeMedianHours)}
        tier={row.original.tiers.leadTime}
      />
    ),
  },
  {
    id: "changeFailRate",
    header: "Change fail rate",
    accessorFn: (row) => row.changeFailRate,
    cell: ({ row }) => (
      <MetricCell
        value={row.original.changeFailRate === null ? null : formatPercent(row.original.changeFailRate)}
        tier={row.original.tiers.changeFailRate}
        provisional={row.original.provisional}
        detail={`${row.original.failedChangeCount} of ${row.original.deploymentCount}`}
      />
    ),
  },
  {
    id: "recoveryTime",
    header: "Recovery",
    accessorFn: (row) => row.recoveryTimeMedianHours,
    cell: ({ row }) => (
      <MetricCell
        value={row.original.recoveryTimeMedianHours === null ? null : formatHours(row.original.recoveryTimeMedianHours)}
        tier={row.original.tiers.recoveryTime}
        provisional={row.original.provisional}
      />
    ),
  },
  {
    id: "reworkRate",
    header: "Rework rate",
    accessorFn: (row) => row.reworkRate,
    cell: ({ row }) => (
      <MetricCell value={row.original.reworkRate === null ? null : formatPercent(row.original.reworkRate)} provisional={row.original.provisional} />
    ),
  },
  {
    id: "successRate",
    header: "Success rate",
    accessorFn: (row) => row.deploymentSuccessRate,
    cell: ({ row }) => (
      <MetricCell
        value={row.original.deploymentSuccessRate === null ? null : formatPercent(row.original.deploymentSuccessRate)}
        detail={`${row.original.attemptCount} attempts`}
      />
    ),
  },
];

const SORTABLE = new Set<string>(["name", "team", "methodology", ...Object.keys(headerMeta)]);

/**
 * The services table: filters, sort and page live in the URL; the server sorts and pages
 * (`GET /api/services`), TanStack Table only holds the controlled state and renders. While a new
 * page loads the previous one stays on screen, dimmed (a deferred value, not a skeleton flash).
 */
export function ServicesExplorer() {
  const [params, setParams] = useUrlParams(serviceListParamsSchema, SERVICE_LIST_URL_PARAMS);
  const deferred = useDeferredValue(params);
  const { data } = useSuspenseQuery(serviceListQueryOptions(deferred));
  const updating = params !== deferred;

  const sorting: SortingState = useMemo(() => [{ id: data.sort, desc: data.dir === "desc" }], [data.sort, data.dir]);
  const pagination: PaginationState = { pageIndex: data.page - 1, pageSize: data.pageSize };
  const pageCount = Math.max(1, Math.ceil(data.total / data.pageSize));

  const table = useTable({
    features,
    columns,
    data: data.rows,
    getRowId: (row) => row.slug,
    manualSorting: true,
    manualPagination: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    // Numeric columns would start descending; one rule for every column is easier to predict.
    sortDescFirst: false,
    rowCount: data.total,
    state: { sorting, pagination },
    onSortingChange: (updater: Updater<SortingState>) => {
      const [next] = functionalUpdate(updater, sorting);
      // A new sort starts at the first page: page 3 of another order means nothing.
      if (next) setParams({ sort: next.id, dir: next.desc ? "desc" : "asc", page: undefined });
    },
    onPaginationChange: (updater: Updater<PaginationState>) => {
      const next = functionalUpdate(updater, pagination);
      setParams({
        page: next.pageIndex === 0 ? undefined : next.pageIndex + 1,
        pageSize: next.pageSize === DEFAULT_SERVICE_PAGE_SIZE ? undefined : next.pageSize,
      });
    },
  });

  const filtered = params.team !== undefined || params.methodology !== undefined || (params.q ?? "") !== "";

  return (
    <Card aria-labelledby="services-heading">
      <CardHeader
        id="services-heading"
        title="All services"
        description={`Production delivery per service, ${data.window.from.slice(0, 10)} to ${data.window.to.slice(0, 10)} (window [from, to), ${data.timeZone} weeks). Lead time and recovery are medians; the bars are successful deployments per week. * = provisional: may change over the next 7 days.`}
      />
      <ServiceListFilters params={params} setParams={setParams} teams={data.teams} />
      <div aria-busy={updating} className={clsx("transition-opacity", updating && "opacity-60")}>
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-sm" data-testid="services-table">
            <caption className="sr-only">
              Services and their delivery metrics, sorted by {data.sort} {data.dir === "asc" ? "ascending" : "descending"}
            </caption>
            <thead>
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id} className="border-b border-line bg-surface-sunken">
                  {group.headers.map((header) => {
                    const id = header.column.id;
                    const meta = headerMeta[id as ServiceSortKey];
                    const sortable = SORTABLE.has(id);
                    const sorted = header.column.getIsSorted();
                    return (
                      <th
                        key={header.id}
                        scope="col"
                        aria-sort={sortable ? (sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none") : undefined}
                        className={clsx("px-1.5 py-2 align-bottom leading-tight font-medium text-muted", meta?.numeric ? "text-right" : "text-left")}
                      >
                        {/* Header words may wrap (a column is as wide as its numbers, not its title); the icons stay beside the last line. */}
                        <span className={clsx("inline-flex items-end gap-0.5", meta?.numeric && "flex-row-reverse")}>
                          {meta?.metric ? <MetricDefinitionButton id={meta.metric} note={meta.note} /> : null}
                          {sortable ? (
                            <button
                              type="button"
                              onClick={header.column.getToggleSortingHandler()}
                              className={clsx("inline-flex items-end gap-0.5 rounded text-balance hover:text-fg", meta?.numeric ? "text-right" : "text-left")}
                            >
                              <table.FlexRender header={header} />
                              <SortIcon direction={sorted} />
                            </button>
                          ) : (
                            <table.FlexRender header={header} />
                          )}
                        </span>
                      </th>
                    );
                  })}
                </tr>
              ))}
            </thead>
            <tbody>
              {data.rows.length === 0 ? (
                <tr>
                  <td colSpan={columns.length} className="px-4 py-8">
                    {filtered ? (
                      <div className="flex flex-col items-center gap-3 text-center text-sm text-muted">
                        <p>No service matches these filters.</p>
                        <Button onClick={() => setParams({ team: undefined, methodology: undefined, q: undefined, page: undefined })}>Clear filters</Button>
                      </div>
                    ) : (
                      <EmptyState
                        icon={<ServicesIcon />}
                        headingLevel="h3"
                        className="border-none"
                        title="No services yet"
                        description="Each ingested repository becomes a service; Argo CD applications, Flux objects and workloads are bound to it by the annotation pipeline-health.dev/service or by name."
                        action={{ href: "/settings", label: "Open Settings" }}
                      >
                        <SourceSetup sources={["github", "sandbox"]} />
                      </EmptyState>
                    )}
                  </td>
                </tr>
              ) : (
                table.getRowModel().rows.map((row) => (
                  <tr key={row.id} data-service={row.id} className="border-b border-line last:border-b-0 hover:bg-surface-sunken/60">
                    {row.getAllCells().map((cell) => {
                      const meta = headerMeta[cell.column.id as ServiceSortKey];
                      const Cell = cell.column.id === "name" ? "th" : "td";
                      return (
                        <Cell
                          key={cell.id}
                          scope={Cell === "th" ? "row" : undefined}
                          data-column={cell.column.id}
                          className={clsx("px-1.5 py-2 align-top text-fg", meta?.numeric ? "text-right tabular-nums" : "text-left", Cell === "th" && "font-medium")}
                        >
                          <table.FlexRender cell={cell} />
                        </Cell>
                      );
                    })}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        <nav aria-label="Pages of services" className="flex flex-wrap items-center justify-between gap-3 border-t border-line px-4 py-3 text-sm text-muted">
          <p aria-live="polite">
            {data.total === 0
              ? "No services"
              : `Services ${(data.page - 1) * data.pageSize + 1}–${(data.page - 1) * data.pageSize + data.rows.length} of ${data.total}`}
            <span className="sr-only">{updating ? ", updating" : ""}</span>
          </p>
          <div className="flex items-center gap-2">
            <label className="flex items-center gap-2">
              Rows per page
              <select
                value={data.pageSize}
                onChange={(event) => table.setPageSize(Number(event.target.value))}
                className="rounded-md border border-line-strong bg-surface px-2 py-1 text-fg"
              >
                {SERVICE_PAGE_SIZES.map((size) => (
                  <option key={size} value={size}>
                    {size}
                  </option>
                ))}
              </select>
            </label>
            <Button onClick={() => table.previousPage()} disabled={data.page <= 1}>
              Previous
            </Button>
            <span>
              Page {data.page} of {pageCount}
            </span>
            <Button onClick={() => table.nextPage()} disabled={data.page >= pageCount}>
              Next
            </Button>
          </div>
        </nav>
      </div>
    </Card>
  );
}

export function ServicesExplorerSkeleton() {
  return (
    <Card>
      <CardHeader title="All services" description="Production delivery per service." />
      <TableSkeleton label="services" rows={8} columns={9} />
    </Card>
  );
}

function SortIcon({ direction }: { direction: false | "asc" | "desc" }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 12 12" className="mb-0.5 size-3 shrink-0" fill="currentColor">
      <path d="M6 1.5 9 5H3z" opacity={direction === "desc" ? 0.3 : direction ? 1 : 0.45} />
      <path d="M6 10.5 3 7h6z" opacity={direction === "asc" ? 0.3 : direction ? 1 : 0.45} />
    </svg>
  );
}
