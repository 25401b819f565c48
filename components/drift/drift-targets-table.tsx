"use client";

import { createContext, useContext, useDeferredValue, useMemo } from "react";
import Link from "next/link";
import { useSuspenseQuery } from "@tanstack/react-query";
import { type ColumnDef, tableFeatures, useTable } from "@tanstack/react-table";
import { clsx } from "clsx";
import { type DriftTargetRowDto, driftTargetsQueryOptions } from "@/lib/queries/drift";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Button } from "@/components/ui/button";
import { DriftIcon } from "@/components/ui/icons";
import { TableSkeleton } from "@/components/ui/skeleton";
import { SourceSetup } from "@/components/setup/source-setup";
import { DriftFilters } from "./drift-filters";
import { DriftStateBadge } from "./drift-state-badge";
import { clusterLabel, describeManager, driftMethodologyLabels, formatDuration, formatInstant, targetKindLabels } from "./format-drift";
import { useDriftParams } from "./use-drift-params";

const features = tableFeatures({});

type Row = DriftTargetRowDto;

/** The id of the detail panel, which each row's button controls. */
export const DRIFT_DETAIL_ID = "drift-detail";

function Muted({ children }: { children: React.ReactNode }) {
  return <span className="text-muted">{children}</span>;
}

/**
 * The selected row and how to select one, read by the name cells through context: the columns stay
 * one module constant, so a new selection re-renders the cells instead of remounting them (a
 * remount would drop the keyboard focus that Close returns to the row).
 */
const SelectionContext = createContext<{ selected: string | undefined; select: (id: string) => void }>({ selected: undefined, select: () => {} });

function TargetCell({ target }: { target: Row }) {
  const { selected, select } = useContext(SelectionContext);
  return (
    <div className="flex flex-col items-start gap-0.5">
      {/* A button, not a link: it opens the detail below without leaving the page, and is reachable by Tab. */}
      <button
        type="button"
        aria-pressed={target.id === selected}
        aria-controls={DRIFT_DETAIL_ID}
        onClick={() => select(target.id)}
        className="rounded text-left font-medium text-accent underline-offset-2 hover:underline"
      >
        {target.name}
        <span className="sr-only">: show drift details</span>
      </button>
      <span className="text-xs text-muted">
        {targetKindLabels[target.kind]} · {target.namespace}
        {clusterLabel(target.cluster) ? ` · ${clusterLabel(target.cluster)}` : ""}
      </span>
    </div>
  );
}

const columns: ColumnDef<typeof features, Row>[] = [
  {
    id: "target",
    header: "App or workload",
    cell: ({ row }) => <TargetCell target={row.original} />,
  },
  {
    id: "service",
    header: "Service",
    cell: ({ row }) =>
      row.original.service ? (
        <div className="flex flex-col">
          <Link href={`/services/${row.original.service.slug}`} className="text-accent underline-offset-2 hover:underline">
            {row.original.service.name}
          </Link>
          <span className="text-xs text-muted">{row.original.service.team?.name ?? "No team"}</span>
        </div>
      ) : (
        <Muted>Unbound</Muted>
      ),
  },
  { id: "methodology", header: "Method\u00ADology", cell: ({ row }) => driftMethodologyLabels[row.original.methodology] },
  {
    id: "status",
    header: "Sync / health",
    cell: ({ row }) =>
      row.original.syncStatus === null && row.original.healthStatus === null ? (
        <Muted>{describeManager(row.original.managedBy)}</Muted>
      ) : (
        <div className="flex flex-col">
          <span>{row.original.syncStatus ?? "—"}</span>
          <span className="text-xs text-muted">{row.original.healthStatus ?? "—"}</span>
        </div>
      ),
  },
  {
    id: "state",
    header: "Drift",
    cell: ({ row }) => (
      <div className="flex flex-col items-start gap-0.5">
        <DriftStateBadge state={row.original.driftState} />
        {row.original.driftAgeSeconds !== null ? <span className="text-xs text-muted tabular-nums">for {formatDuration(row.original.driftAgeSeconds)}</span> : null}
      </div>
    ),
  },
  {
    id: "episode",
    header: "Open episode",
    cell: ({ row }) => {
      const episode = row.original.openEpisode;
      if (!episode) return <Muted>None</Muted>;
      return (
        <div className="flex flex-col">
          <span className="whitespace-nowrap tabular-nums">since {formatInstant(episode.startedAt).slice(5)}</span>
          <span className="text-xs text-muted">
            {episode.resourceCount} {episode.resourceCount === 1 ? "resource" : "resources"}
            {episode.actor ? ` · by ${episode.actor}` : ""}
          </span>
        </div>
      );
    },
  },
];

/**
 * Every GitOps object and workload with its drift state, most urgent first (the server's order).
 * Filters live in the URL; the rows refresh every few seconds while the tab is visible. While new
 * filters load the previous rows stay, dimmed.
 */
export function DriftTargetsTable() {
  const { params, setParams, targetsParams } = useDriftParams();
  const deferred = useDeferredValue(targetsParams);
  const { data } = useSuspenseQuery(driftTargetsQueryOptions(deferred));
  const updating = deferred !== targetsParams;
  const selection = useMemo(
    () => ({ selected: params.target, select: (id: string) => setParams({ target: id === params.target ? undefined : id }) }),
    [params.target, setParams],
  );
  const table = useTable({ features, columns, data: data.rows, getRowId: (row) => row.id });

  if (data.observedTotal === 0) {
    return (
      <Card aria-labelledby="drift-targets-heading">
        <CardHeader id="drift-targets-heading" title="GitOps apps and workloads" />
        <div className="p-5">
          <EmptyState
            icon={<DriftIcon />}
            headingLevel="h3"
            title="No GitOps apps or workloads observed yet"
            description="No GitOps apps or workloads observed yet — add an Argo CD or Kubernetes integration in Settings. Each Argo CD Application, Flux Kustomization or HelmRelease and each live Deployment then gets a row with its drift state."
            action={{ href: "/settings", label: "Open Settings" }}
          >
            <SourceSetup sources={["argocd", "flux", "sandbox"]} />
          </EmptyState>
        </div>
      </Card>
    );
  }

  const drifting = data.stateCounts.LIVE_DRIFT;
  return (
    <Card aria-labelledby="drift-targets-heading">
      <CardHeader
        id="drift-targets-heading"
        title="GitOps apps and workloads"
        description={`${data.total} shown of ${data.observedTotal} observed${data.total > data.limit ? ` (the first ${data.limit} listed)` : ""}; ${drifting} in live drift. Most urgent first; select a name for its resources and diff.`}
      />
      <DriftFilters params={params} setParams={setParams} teams={data.teams} stateCounts={data.stateCounts} />
      <SelectionContext.Provider value={selection}>
        <div aria-busy={updating} className={clsx("overflow-x-auto transition-opacity", updating && "opacity-60")}>
          <table className="w-full border-collapse text-sm" data-testid="drift-table">
            <caption className="sr-only">GitOps apps and workloads with their drift state, most urgent first</caption>
            <thead>
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id} className="border-b border-line bg-surface-sunken">
                  {group.headers.map((header) => (
                    <th key={header.id} scope="col" className="px-3 py-2 text-left align-bottom font-medium text-muted">
                      <table.FlexRender header={header} />
                    </th>
                  ))}
                </tr>
              ))}
            </thead>
            <tbody>
              {data.rows.length === 0 ? (
                <tr>
                  <td colSpan={table.getAllLeafColumns().length} className="px-4 py-8">
                    <div className="flex flex-col items-center gap-3 text-center text-sm text-muted">
                      <p>No app or workload matches these filters.</p>
                      <Button onClick={() => setParams({ methodology: undefined, state: undefined, team: undefined, q: undefined })}>Clear filters</Button>
                    </div>
                  </td>
                </tr>
              ) : (
                table.getRowModel().rows.map((row) => (
                  <tr
                    key={row.id}
                    data-target={row.id}
                    data-state={row.original.driftState}
                    className={clsx("border-b border-line last:border-b-0", row.id === params.target ? "bg-accent-soft" : "hover:bg-surface-sunken/60")}
                  >
                    {row.getAllCells().map((cell) => {
                      const Cell = cell.column.id === "target" ? "th" : "td";
                      return (
                        <Cell key={cell.id} scope={Cell === "th" ? "row" : undefined} data-column={cell.column.id} className="px-3 py-2 text-left align-top font-normal text-fg">
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
      </SelectionContext.Provider>
    </Card>
  );
}

export function DriftTargetsTableSkeleton() {
  return (
    <Card>
      <CardHeader title="GitOps apps and workloads" description="Every Argo CD Application, Flux object and live Deployment with its drift state." />
      <TableSkeleton label="drift targets" rows={6} columns={6} />
    </Card>
  );
}
