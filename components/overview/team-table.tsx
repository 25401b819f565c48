"use client";

import { useId, useMemo, useState } from "react";
import Link from "next/link";
import { useSuspenseQuery } from "@tanstack/react-query";
import {
  type ColumnDef,
  type SortingState,
  createSortedRowModel,
  rowSortingFeature,
  sortFn_basic,
  sortFn_text,
  tableFeatures,
  useTable,
} from "@tanstack/react-table";
import { clsx } from "clsx";
import { type GroupValuesDto, type MetricsDto, type MetricsParams, type TeamMetricsDto, metricsQueryOptions } from "@/lib/queries/metrics";
import { type TeamRowMethodology, type TeamServicesLink, teamServicesLinks } from "@/lib/queries/export";
import type { MetricId } from "@/components/overview/metric-definitions";
import { Card, CardFooter, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ServicesIcon } from "@/components/ui/icons";
import { TableSkeleton } from "@/components/ui/skeleton";
import { MetricCell, NoData } from "@/components/services/metric-cell";
import { MetricDefinitionButton } from "@/components/services/metric-header";
import { formatDaysPerWeek, formatHours, formatPerDay, formatPercent } from "@/components/services/format-metrics";

const features = tableFeatures({ rowSortingFeature, sortedRowModel: createSortedRowModel(), sortFns: { basic: sortFn_basic, text: sortFn_text } });

/**
 * A team's values over one methodology, or (`all`) over both, as the parent of its two methodology
 * rows. A team that shipped one way only has a single row: its values over that methodology.
 */
interface TeamRow {
  id: string;
  team: TeamMetricsDto;
  methodology: TeamRowMethodology;
  values: GroupValuesDto;
  links: TeamServicesLink[];
  subRows: TeamRow[];
}

function teamRows(metrics: MetricsDto, params: MetricsParams): { rows: TeamRow[]; idle: TeamMetricsDto[] } {
  const rows: TeamRow[] = [];
  const idle: TeamMetricsDto[] = [];
  for (const team of metrics.teams) {
    const methodologies = (["devops", "gitops"] as const).filter((methodology) => team.byMethodology[methodology] !== null);
    const row = (methodology: "devops" | "gitops"): TeamRow => ({
      id: `${team.slug}:${methodology}`,
      team,
      methodology,
      values: team.byMethodology[methodology]!,
      links: teamServicesLinks(team, methodology, params),
      subRows: [],
    });
    if (methodologies.length === 0) idle.push(team);
    else if (methodologies.length === 1) rows.push(row(methodologies[0]!));
    else rows.push({ id: team.slug, team, methodology: "all", values: team, links: teamServicesLinks(team, "all", params), subRows: methodologies.map(row) });
  }
  return { rows, idle };
}

const methodologyLabels: Record<TeamRowMethodology, string> = { all: "Both", devops: "DevOps", gitops: "GitOps" };
const methodologySwatch: Record<TeamRowMethodology, string | null> = { all: null, devops: "bg-cohort-devops", gitops: "bg-cohort-gitops" };

/** Null ("no data") sorts last in both directions, as on the services table: undefined is what TanStack keeps last. */
const orLast = (value: number | null): number | undefined => value ?? undefined;

type ColumnId =
  | "team"
  | "methodology"
  | "activeServices"
  | "deployments"
  | "deploymentsPerDay"
  | "leadTime"
  | "changeFailRate"
  | "recoveryTime"
  | "successRate"
  | "timeInSync";

const headerMeta: Partial<Record<ColumnId, { metric?: MetricId; note?: string; numeric?: boolean }>> = {
  activeServices: { numeric: true },
  deployments: { numeric: true },
  deploymentsPerDay: { metric: "deploymentFrequency", note: "In this table: median of the services' deployments per day, and deployment days per week.", numeric: true },
  leadTime: { metric: "leadTime", note: "In this table: the median of the services' medians.", numeric: true },
  changeFailRate: { metric: "changeFailRate", note: "In this table: pooled over the team's deployments.", numeric: true },
  recoveryTime: { metric: "recoveryTime", note: "In this table: the median of the services' medians.", numeric: true },
  successRate: { metric: "successRate", numeric: true },
  timeInSync: { metric: "timeInSyncRatio", numeric: true },
};

function ServicesLinks({ row }: { row: TeamRow }) {
  const who = row.methodology === "all" ? row.team.name : `${row.team.name}, ${methodologyLabels[row.methodology]}`;
  const count = row.values.activeServiceCount;
  const services = (n: number) => `${n} ${n === 1 ? "service" : "services"}`;
  const linkClasses = "whitespace-nowrap text-accent underline-offset-2 hover:underline";
  const [first, ...rest] = row.links;
  if (!first) return <NoData label="No services" />;
  // One list holds every service behind the row: the count is the link.
  if (rest.length === 0) {
    return (
      <Link href={first.href} className={linkClasses} aria-label={`${who}: the ${services(count)} behind these numbers, on the Services page`}>
        {count}
        <span aria-hidden="true"> →</span>
      </Link>
    );
  }
  // The Services page lists "only DevOps" and "both" apart, so the row's services are two lists.
  const other = row.methodology === "devops" ? "GitOps" : "DevOps";
  return (
    <span className="inline-flex flex-col items-end gap-0.5">
      <span className="whitespace-nowrap">{count}</span>
      {row.links.map((link) => (
        <Link
          key={link.href}
          href={link.href}
          className={clsx(linkClasses, "text-xs")}
          aria-label={`${who}: ${services(link.serviceCount)} that shipped ${link.filter === "both" ? "both ways" : `with ${methodologyLabels[row.methodology]} only`}, on the Services page`}
        >
          {link.filter === "both" ? `${link.serviceCount} also ${other}` : `${link.serviceCount} ${methodologyLabels[row.methodology]} only`}
          <span aria-hidden="true"> →</span>
        </Link>
      ))}
    </span>
  );
}

const columns: ColumnDef<typeof features, TeamRow>[] = [
  {
    id: "team",
    header: "Team",
    accessorFn: (row) => row.team.name,
    sortFn: "text",
    cell: ({ row }) =>
      row.depth === 0 ? (
        row.original.team.name
      ) : (
        // A methodology row under its team: the row header still names the team for screen readers,
        // while the eye sees the rows grouped under the team's name above.
        <>
          <span className="sr-only">{row.original.team.name}</span>
          <span aria-hidden="true" className="pl-3 text-subtle">
            ↳
          </span>
        </>
      ),
  },
  {
    id: "methodology",
    header: "Method\u00ADology",
    accessorFn: (row) => methodologyLabels[row.methodology],
    sortFn: "text",
    cell: ({ row }) => {
      const swatch = methodologySwatch[row.original.methodology];
      return (
        <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
          {swatch ? <span aria-hidden="true" className={clsx("size-2 shrink-0 rounded-full", swatch)} /> : null}
          {row.original.methodology === "all" ? "Both (all)" : methodologyLabels[row.original.methodology]}
        </span>
      );
    },
  },
  {
    id: "activeServices",
    header: "Services",
    accessorFn: (row) => row.values.activeServiceCount,
    sortFn: "basic",
    cell: ({ row }) => <ServicesLinks row={row.original} />,
  },
  {
    id: "deployments",
    header: "Deploy\u00ADments",
    accessorFn: (row) => row.values.deploymentCount,
    sortFn: "basic",
    cell: ({ row }) => <span className="whitespace-nowrap">{row.original.values.deploymentCount}</span>,
  },
  {
    id: "deploymentsPerDay",
    header: "Deploys / day",
    accessorFn: (row) => orLast(row.values.deploymentsPerDay),
    sortFn: "basic",
    sortUndefined: "last",
    cell: ({ row }) => {
      const v = row.original.values;
      return (
        <MetricCell
          value={v.deploymentsPerDay === null ? null : formatPerDay(v.deploymentsPerDay)}
          tier={v.tiers.deploymentFrequency}
          detail={v.deploymentDaysPerWeekMedian === null ? undefined : `${formatDaysPerWeek(v.deploymentDaysPerWeekMedian)} d/wk`}
        />
      );
    },
  },
  {
    id: "leadTime",
    header: "Lead time",
    accessorFn: (row) => orLast(row.values.leadTimeMedianHours),
    sortFn: "basic",
    sortUndefined: "last",
    cell: ({ row }) => {
      const v = row.original.values;
      return <MetricCell value={v.leadTimeMedianHours === null ? null : formatHours(v.leadTimeMedianHours)} tier={v.tiers.leadTime} />;
    },
  },
  {
    id: "changeFailRate",
    header: "Change fail rate",
    accessorFn: (row) => orLast(row.values.changeFailRate),
    sortFn: "basic",
    sortUndefined: "last",
    cell: ({ row }) => {
      const v = row.original.values;
      return (
        <MetricCell
          value={v.changeFailRate === null ? null : formatPercent(v.changeFailRate)}
          tier={v.tiers.changeFailRate}
          provisional={v.provisional}
          detail={`${v.failedChangeCount} of ${v.deploymentCount}`}
        />
      );
    },
  },
  {
    id: "recoveryTime",
    header: "Recovery",
    accessorFn: (row) => orLast(row.values.recoveryTimeMedianHours),
    sortFn: "basic",
    sortUndefined: "last",
    cell: ({ row }) => {
      const v = row.original.values;
      return (
        <MetricCell
          value={v.recoveryTimeMedianHours === null ? null : formatHours(v.recoveryTimeMedianHours)}
          tier={v.tiers.recoveryTime}
          provisional={v.provisional}
        />
      );
    },
  },
  {
    id: "successRate",
    header: "Success rate",
    accessorFn: (row) => orLast(row.values.deploymentSuccessRate),
    sortFn: "basic",
    sortUndefined: "last",
    cell: ({ row }) => {
      const v = row.original.values;
      return <MetricCell value={v.deploymentSuccessRate === null ? null : formatPercent(v.deploymentSuccessRate)} detail={`${v.attemptCount} attempts`} />;
    },
  },
  {
    id: "timeInSync",
    header: "Time in sync",
    accessorFn: (row) => orLast(row.values.timeInSyncRatio),
    sortFn: "basic",
    sortUndefined: "last",
    cell: ({ row }) => {
      const v = row.original.values;
      if (!v.driftObservable) return <NoData label="Drift not observable" />;
      return (
        <MetricCell
          value={v.timeInSyncRatio === null ? null : formatPercent(v.timeInSyncRatio)}
          detail={`${v.driftObservableServiceCount} ${v.driftObservableServiceCount === 1 ? "service" : "services"}`}
        />
      );
    },
  },
];

const columnNames: Record<ColumnId, string> = {
  team: "team",
  methodology: "methodology",
  activeServices: "services",
  deployments: "deployments",
  deploymentsPerDay: "deployments per day",
  leadTime: "lead time",
  changeFailRate: "change fail rate",
  recoveryTime: "recovery time",
  successRate: "success rate",
  timeInSync: "time in sync",
};

/**
 * Delivery per team and methodology for the Overview's filters: a team that shipped both ways has
 * its overall row with a DevOps and a GitOps row under it (sorting orders the teams, and the two
 * rows within each team); the services count links to the Services page filtered to the services
 * behind the row. Values are `GET /api/metrics`'s team values, as the teams export has them.
 */
export function TeamTable({ params }: { params: MetricsParams }) {
  const { data } = useSuspenseQuery(metricsQueryOptions(params));
  const { rows, idle } = useMemo(() => teamRows(data, params), [data, params]);
  const [sorting, setSorting] = useState<SortingState>([{ id: "team", desc: false }]);
  const headingId = useId();

  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    getSubRows: (row) => (row.subRows.length ? row.subRows : undefined),
    enableMultiSort: false,
    enableSortingRemoval: false,
    // One rule for every column (numbers would start descending), as on the services table.
    sortDescFirst: false,
    state: { sorting },
    onSortingChange: setSorting,
  });

  const unassigned = data.services.filter((service) => service.team === null && service.attemptCount > 0).length;
  const sorted = sorting[0];
  const period = `${data.window.from.slice(0, 10)} to ${data.window.to.slice(0, 10)}`;

  return (
    <Card aria-labelledby={headingId}>
      <CardHeader
        id={headingId}
        as="h3"
        title="Delivery by team"
        description={`Production delivery per team and methodology, ${period} (window [from, to)). Medians of the team's services for frequency, lead time and recovery; pooled over its deployments for rates. The services count links to the services behind each row. * = provisional: may change over the next 7 days.`}
      />
      {rows.length === 0 ? (
        <div className="p-5">
          <EmptyState
            icon={<ServicesIcon />}
            headingLevel="h3"
            className="border-none"
            title={data.teams.length === 0 ? "No teams yet" : "No team deployed in this window"}
            description={
              data.teams.length === 0
                ? "Teams group services; assign services to teams in Settings and their delivery appears here, per methodology."
                : "No service of any team finished a production deployment attempt in this window. Try a longer window or other filters."
            }
            action={data.teams.length === 0 ? { href: "/settings", label: "Open Settings" } : undefined}
          />
        </div>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-sm" data-testid="team-table">
            <caption className="sr-only">
              Delivery per team and methodology, {period}; teams that shipped both ways have an overall row followed by a DevOps and a GitOps row
              {sorted ? `; sorted by ${columnNames[sorted.id as ColumnId]} ${sorted.desc ? "descending" : "ascending"}` : ""}
            </caption>
            <thead>
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id} className="border-b border-line bg-surface-sunken">
                  {group.headers.map((header) => {
                    const meta = headerMeta[header.column.id as ColumnId];
                    const direction = header.column.getIsSorted();
                    return (
                      <th
                        key={header.id}
                        scope="col"
                        aria-sort={direction === "asc" ? "ascending" : direction === "desc" ? "descending" : "none"}
                        className={clsx("px-1.5 py-2 align-bottom leading-tight font-medium text-muted", meta?.numeric ? "text-right" : "text-left")}
                      >
                        <span className={clsx("inline-flex items-end gap-0.5", meta?.numeric && "flex-row-reverse")}>
                          {meta?.metric ? <MetricDefinitionButton id={meta.metric} note={meta.note} /> : null}
                          <button
                            type="button"
                            onClick={header.column.getToggleSortingHandler()}
                            className={clsx("inline-flex items-end gap-0.5 rounded text-balance hover:text-fg", meta?.numeric ? "text-right" : "text-left")}
                          >
                            <table.FlexRender header={header} />
                            <SortIcon direction={direction} />
                          </button>
                        </span>
                      </th>
                    );
                  })}
                </tr>
              ))}
            </thead>
            <tbody>
              {table.getRowModel().rows.flatMap((parent) =>
                [parent, ...parent.subRows].map((row) => (
                  <tr
                    key={row.id}
                    data-team={row.original.team.slug}
                    data-methodology={row.original.methodology}
                    className={clsx(
                      "border-b last:border-b-0 hover:bg-surface-sunken/60",
                      // Fainter lines inside a team than between teams, so a team's rows read as one group.
                      parent.subRows.length > 0 && row !== parent.subRows.at(-1) ? "border-line/40" : "border-line",
                    )}
                  >
                    {row.getAllCells().map((cell) => {
                      const meta = headerMeta[cell.column.id as ColumnId];
                      const Cell = cell.column.id === "team" ? "th" : "td";
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
                )),
              )}
            </tbody>
          </table>
        </div>
      )}
      {idle.length > 0 || unassigned > 0 || params.environment ? (
        <CardFooter className="flex flex-col gap-1">
          {idle.length > 0 ? (
            <p>
              No deployment attempt in this window: {idle.map((team) => team.name).join(", ")}.
            </p>
          ) : null}
          {unassigned > 0 ? (
            <p>
              {unassigned} {unassigned === 1 ? "service" : "services"} without a team {unassigned === 1 ? "is" : "are"} not in this table; assign teams in Settings.
            </p>
          ) : null}
          {params.environment ? <p>The Services page lists production environments; these values are over {params.environment}.</p> : null}
        </CardFooter>
      ) : null}
    </Card>
  );
}

export function TeamTableSkeleton() {
  return (
    <Card>
      <CardHeader as="h3" title="Delivery by team" description="Production delivery per team and methodology." />
      <TableSkeleton label="teams" rows={5} columns={10} />
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
