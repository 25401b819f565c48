"use client";

import { useId, useState } from "react";
import Link from "next/link";
import { useSuspenseQuery } from "@tanstack/react-query";
import { type GatedAppDto, gatedAppsQuery } from "@/lib/queries/approvals";
import { Badge, StatusDot } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardFooter, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TableSkeleton } from "@/components/ui/skeleton";
import { useNow } from "@/components/settings/use-now";
import { RequestSyncDialog } from "./request-sync-dialog";
import { RevisionCode } from "./revision-code";
import { describeAge, driftStateLabel, formatInstant, healthStatusTone, syncStatusTone } from "./format-approvals";
import { useApprovalsParams } from "./use-approvals-params";

function RequestCell({ app, dialogOpen, setDialogOpen, onCreated }: { app: GatedAppDto; dialogOpen: boolean; setDialogOpen: (open: boolean) => void; onCreated: (id: string) => void }) {
  const whyId = useId();
  if (app.openRequestId) {
    return (
      <Link href={`/approvals?request=${app.openRequestId}`} className="text-sm text-accent underline underline-offset-2 hover:no-underline">
        Request open
      </Link>
    );
  }
  if (app.canRequest) return <RequestSyncDialog app={app} open={dialogOpen} onOpenChange={setDialogOpen} onCreated={onCreated} />;
  return (
    <div className="flex flex-col items-start gap-1">
      <Button variant="primary" aria-label={`Request a sync of ${app.name}`} aria-disabled="true" aria-describedby={whyId} className="cursor-not-allowed opacity-60">
        Request sync…
      </Button>
      <p id={whyId} className="max-w-56 text-xs text-muted" data-testid="request-why-not">
        {app.whyNot ?? "You cannot request a sync of this app."}
      </p>
    </div>
  );
}

function Observed({ iso }: { iso: string | null }) {
  const now = useNow();
  if (iso === null) return <>never observed</>;
  return <time dateTime={iso}>observed {now === null ? formatInstant(iso) : describeAge(iso, now)}</time>;
}

/**
 * "Apps that wait for a person": Argo CD applications without auto-sync (and suspended Flux
 * objects), with their state, and a Request sync button for those that may be requested now.
 * `?app=<id>` opens that app's dialog (the drift page links here).
 */
export function GatedApps() {
  const { data } = useSuspenseQuery(gatedAppsQuery());
  const [params, setParams] = useApprovalsParams();
  // Which app's dialog is open; seeded from the URL so a link from the drift page opens it.
  const [openFor, setOpenFor] = useState<string | null>(() => params.app ?? null);
  const linkedMissing = params.app !== undefined && !data.apps.some((app) => app.id === params.app);
  const linkedRefused = data.apps.find((app) => app.id === params.app && !app.canRequest && !app.openRequestId);

  const setDialogOpen = (id: string) => (open: boolean) => {
    setOpenFor(open ? id : null);
    // Closing drops `?app=` so a reload does not open it again.
    if (!open && params.app) setParams({ app: undefined }, { replace: true });
  };
  const onCreated = (id: string) => setParams({ app: undefined, request: id }, { replace: true });

  const auto = data.autoSyncCount;
  const autoSentence = `${auto} auto-synced app${auto === 1 ? "" : "s"} need${auto === 1 ? "s" : ""} no approval: Argo CD syncs ${auto === 1 ? "it" : "them"} by itself.`;
  return (
    <Card aria-labelledby="gated-apps-heading">
      <CardHeader
        id="gated-apps-heading"
        title="Apps that wait for a person"
        description="Argo CD applications without auto-sync: a sync of their desired revision needs a request and a second person's approval."
      />
      {linkedMissing ? (
        <p role="status" className="mx-5 mt-4 rounded-md border border-warning-fg/30 bg-warning-bg px-3 py-2 text-sm text-warning-fg">
          The app from the link does not wait for a person (it is auto-synced, or no longer observed), so there is nothing to request.
        </p>
      ) : null}
      {linkedRefused ? (
        <p role="status" className="mx-5 mt-4 rounded-md border border-warning-fg/30 bg-warning-bg px-3 py-2 text-sm text-warning-fg">
          {linkedRefused.name}: {linkedRefused.whyNot ?? "You cannot request a sync of this app."}
        </p>
      ) : null}
      {data.apps.length === 0 ? (
        <CardBody>
          <EmptyState
            headingLevel="h3"
            title="No apps wait for a person"
            description="Every observed GitOps app syncs by itself, or no Argo CD integration is connected yet. Apps without auto-sync appear here."
            action={{ href: "/settings", label: "Open Settings" }}
            className="py-6"
          />
        </CardBody>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-sm" data-testid="gated-apps">
            <caption className="sr-only">Apps that wait for a person, with their sync state and whether you can request a sync</caption>
            <thead>
              <tr className="border-b border-line bg-surface-sunken text-left text-muted">
                <th scope="col" className="px-5 py-2 font-medium">App</th>
                <th scope="col" className="px-3 py-2 font-medium">Sync / health</th>
                <th scope="col" className="px-3 py-2 font-medium">Synced → desired</th>
                <th scope="col" className="px-3 py-2 font-medium">Drift</th>
                <th scope="col" className="px-5 py-2 font-medium">
                  <span className="sr-only">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.apps.map((app) => {
                const drift = driftStateLabel(app.driftState);
                return (
                  <tr key={app.id} className="border-b border-line align-top last:border-b-0" data-app={app.name} data-app-id={app.id}>
                    <th scope="row" className="px-5 py-3 text-left font-normal">
                      <span className="font-medium text-fg">{app.name}</span>
                      {app.isProduction ? (
                        <Badge tone="warning" className="ml-2">
                          Production
                        </Badge>
                      ) : null}
                      <span className="block text-xs text-muted">
                        {app.namespace}
                        {app.cluster ? ` · ${app.cluster}` : ""}
                        {app.serviceSlug ? (
                          <>
                            {" · "}
                            <Link href={`/services/${app.serviceSlug}`} className="text-accent underline underline-offset-2 hover:no-underline">
                              {app.serviceName ?? app.serviceSlug}
                            </Link>
                          </>
                        ) : null}
                      </span>
                    </th>
                    <td className="px-3 py-3">
                      <span className="flex flex-col gap-1">
                        <StatusDot tone={syncStatusTone(app.syncStatus)}>
                          <span data-testid="sync-status">{app.syncStatus}</span>
                        </StatusDot>
                        <StatusDot tone={healthStatusTone(app.healthStatus)}>
                          <span data-testid="health-status">{app.healthStatus}</span>
                        </StatusDot>
                      </span>
                    </td>
                    <td className="px-3 py-3">
                      <span className="flex items-center gap-1 whitespace-nowrap">
                        {app.syncedRevision ? <RevisionCode revision={app.syncedRevision} copy={false} /> : <span className="text-muted">—</span>}
                        <span aria-hidden="true" className="text-subtle">
                          →
                        </span>
                        <span className="sr-only">desired</span>
                        {app.desiredRevision ? <RevisionCode revision={app.desiredRevision} copy={false} /> : <span className="text-muted">unknown</span>}
                      </span>
                    </td>
                    <td className="px-3 py-3">
                      <span className="flex flex-col items-start gap-1">
                        <Badge tone={drift.tone}>{drift.label}</Badge>
                        {app.stale ? <Badge tone="danger">Stale data</Badge> : null}
                        <span className="text-xs text-muted">
                          <Observed iso={app.lastObservedAt} />
                        </span>
                      </span>
                    </td>
                    <td className="px-5 py-3">
                      <RequestCell app={app} dialogOpen={openFor === app.id} setDialogOpen={setDialogOpen(app.id)} onCreated={onCreated} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <CardFooter data-testid="auto-sync-count">{autoSentence}</CardFooter>
    </Card>
  );
}

export function GatedAppsSkeleton() {
  return (
    <Card>
      <CardHeader title="Apps that wait for a person" />
      <TableSkeleton label="apps that wait for a person" rows={3} columns={5} />
    </Card>
  );
}
