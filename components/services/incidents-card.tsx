"use client";

import { useDeferredValue } from "react";
import { useSuspenseQuery } from "@tanstack/react-query";
import { type IncidentDto, serviceDetailQueryOptions } from "@/lib/queries/services";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { TableSkeleton } from "@/components/ui/skeleton";
import { useServiceParams } from "./use-service-params";
import { formatInstant, shortSha } from "./format-metrics";

const attributionText: Record<IncidentDto["attribution"], string> = {
  LINKED: "linked explicitly",
  WINDOW: "opened within 24 h of it",
  NONE: "",
};

/** Incidents opened in the window and the deployment each was attributed to (DESIGN §3, failed change (d)). */
export function IncidentsCard({ slug }: { slug: string }) {
  const { windowParams } = useServiceParams();
  const deferred = useDeferredValue(windowParams);
  const { data } = useSuspenseQuery(serviceDetailQueryOptions(slug, deferred));
  return (
    <Card aria-labelledby="incidents-heading" aria-busy={deferred !== windowParams}>
      <CardHeader id="incidents-heading" title="Incidents" description="Issues labelled incident (or linked to a deployment) opened in this window." />
      {data.incidents.length === 0 ? (
        <p className="px-5 py-4 text-sm text-muted">No incident opened in this window.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-sm">
            <caption className="sr-only">Incidents of {slug} and what they were attributed to</caption>
            <thead>
              <tr className="border-b border-line bg-surface-sunken text-left text-muted">
                <th scope="col" className="px-4 py-2 font-medium">Incident</th>
                <th scope="col" className="px-4 py-2 font-medium">Opened</th>
                <th scope="col" className="px-4 py-2 font-medium">Resolved</th>
                <th scope="col" className="px-4 py-2 font-medium">Attributed to</th>
              </tr>
            </thead>
            <tbody>
              {data.incidents.map((incident) => (
                <tr key={incident.id} className="border-b border-line last:border-b-0 align-top">
                  <th scope="row" className="px-4 py-2 text-left font-medium text-fg">
                    {incident.url ? (
                      <a href={incident.url} target="_blank" rel="noreferrer" className="text-accent underline-offset-2 hover:underline">
                        {incident.number !== null ? `#${incident.number} ` : ""}
                        {incident.title}
                        <span className="sr-only"> (opens GitHub in a new tab)</span>
                      </a>
                    ) : (
                      <>
                        {incident.number !== null ? `#${incident.number} ` : ""}
                        {incident.title}
                      </>
                    )}
                  </th>
                  <td className="px-4 py-2 whitespace-nowrap tabular-nums text-fg">{formatInstant(incident.openedAt)}</td>
                  <td className="px-4 py-2 whitespace-nowrap tabular-nums text-fg">
                    {incident.resolvedAt ? formatInstant(incident.resolvedAt) : <Badge tone="warning">Open</Badge>}
                  </td>
                  <td className="px-4 py-2 text-fg">
                    {incident.deployment ? (
                      <>
                        <a href={`#deployment-${incident.deployment.id}`} className="text-accent underline-offset-2 hover:underline">
                          Deployment to {incident.deployment.environment}
                          {incident.deployment.commitSha ? ` of ${shortSha(incident.deployment.commitSha)}` : ""}
                          {incident.deployment.finishedAt ? `, ${formatInstant(incident.deployment.finishedAt)}` : ""}
                        </a>
                        <span className="block text-xs text-muted">{attributionText[incident.attribution]}</span>
                      </>
                    ) : (
                      <span className="text-muted">No deployment (none finished in the 24 h before it)</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

export function IncidentsSkeleton() {
  return (
    <Card>
      <CardHeader title="Incidents" />
      <TableSkeleton label="incidents" rows={3} columns={4} />
    </Card>
  );
}
