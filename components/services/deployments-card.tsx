"use client";

import { Fragment, useDeferredValue, useState } from "react";
import { useSuspenseQuery } from "@tanstack/react-query";
import { type DeploymentDto, serviceDeploymentsQueryOptions } from "@/lib/queries/services";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge, StatusDot, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { TableSkeleton } from "@/components/ui/skeleton";
import { useServiceParams } from "./use-service-params";
import { failedChangeRuleLabels, formatHours, formatInstant, methodologyLabels, shortSha } from "./format-metrics";
import { NoData } from "./metric-cell";

/** Rows shown before "Show more": enough for a quarter of a busy service without a long first paint. */
const PAGE = 50;

const statusTone: Record<DeploymentDto["status"], BadgeTone> = { SUCCESS: "success", FAILURE: "danger", IN_PROGRESS: "info", CANCELLED: "neutral" };
const statusLabel: Record<DeploymentDto["status"], string> = { SUCCESS: "Succeeded", FAILURE: "Failed attempt", IN_PROGRESS: "In progress", CANCELLED: "Cancelled" };

function ExternalLink({ href, children }: { href: string | null; children: React.ReactNode }) {
  if (!href) return <span>{children}</span>;
  return (
    <a href={href} target="_blank" rel="noreferrer" className="text-accent underline-offset-2 hover:underline">
      {children}
      <span className="sr-only"> (opens GitHub in a new tab)</span>
    </a>
  );
}

/**
 * The "Failed change" badge with the rule that flagged it in words. The words carry it all; the
 * rule's full text is only a hover extra, so no row gains a tab stop (a list can hold 500 rows).
 */
function FailedChangeMark({ deployment }: { deployment: DeploymentDto }) {
  const rule = deployment.failedChangeRule ? failedChangeRuleLabels[deployment.failedChangeRule] : null;
  if (!rule) return <Badge tone="danger">Failed change</Badge>;
  return (
    <span data-failed-change-rule={deployment.failedChangeRule} className="inline-flex flex-wrap items-center gap-x-1.5">
      <Badge tone="danger">Failed change</Badge>
      <span title={rule.rule} className="text-xs whitespace-nowrap text-muted">
        revealed by {rule.short}
      </span>
    </span>
  );
}

function ChangeList({ deployment }: { deployment: DeploymentDto }) {
  if (deployment.changes.length === 0) {
    return (
      <p className="text-sm text-muted">
        {deployment.status === "SUCCESS"
          ? "This deployment shipped no new change (the first of its chain, a redeploy or a rollback, or its commit could not be resolved)."
          : "Only successful deployments ship changes."}
      </p>
    );
  }
  return (
    <ul className="flex flex-col gap-1.5 text-sm">
      {deployment.changes.map((change) => (
        <li key={change.commitSha} className="flex flex-wrap items-baseline gap-x-3 gap-y-0.5">
          {change.pullRequest ? (
            <>
              <Badge tone="info">PR</Badge>
              <ExternalLink href={change.pullRequest.url}>
                #{change.pullRequest.number} {change.pullRequest.title}
              </ExternalLink>
              {change.pullRequest.authorLogin ? <span className="text-muted">by {change.pullRequest.authorLogin}</span> : null}
            </>
          ) : (
            <>
              <Badge>Direct push</Badge>
              <ExternalLink href={change.commitUrl}>
                <code className="font-mono text-xs">{shortSha(change.commitSha)}</code>
              </ExternalLink>
            </>
          )}
          <span className="text-muted">lead time {change.leadTimeHours === null ? "not measured" : formatHours(change.leadTimeHours)}</span>
        </li>
      ))}
    </ul>
  );
}

/** The service's deployments, newest first; each row expands to the changes it shipped. */
export function DeploymentsCard({ slug }: { slug: string }) {
  const { params } = useServiceParams();
  const deferred = useDeferredValue(params);
  const { data } = useSuspenseQuery(serviceDeploymentsQueryOptions(slug, deferred));
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [shown, setShown] = useState(PAGE);
  const rows = data.deployments.slice(0, shown);
  const toggle = (id: string) =>
    setOpen((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Card aria-labelledby="deployments-heading" aria-busy={deferred !== params}>
      <CardHeader
        id="deployments-heading"
        title="Deployments"
        description={`${data.total} in this window${data.total > data.limit ? ` (the latest ${data.limit} are listed)` : ""}, newest first. Open a row to see the pull requests and commits it shipped.`}
      />
      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-sm" data-testid="deployments-table">
          <caption className="sr-only">Deployments of {slug}, newest first</caption>
          <thead>
            <tr className="border-b border-line bg-surface-sunken text-left text-muted">
              <th scope="col" className="px-4 py-2 font-medium">Finished</th>
              <th scope="col" className="px-4 py-2 font-medium">Environment</th>
              <th scope="col" className="px-4 py-2 font-medium">Result</th>
              <th scope="col" className="px-4 py-2 font-medium">Flags</th>
              <th scope="col" className="px-4 py-2 font-medium">Commit</th>
              <th scope="col" className="px-4 py-2 font-medium">Changes</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-4 py-6 text-center text-muted">
                  No deployment in this window and environment.
                </td>
              </tr>
            ) : null}
            {rows.map((deployment) => {
              const expanded = open.has(deployment.id);
              const panelId = `changes-${deployment.id}`;
              return (
                <Fragment key={deployment.id}>
                  <tr id={`deployment-${deployment.id}`} className="border-b border-line align-top target:bg-accent-soft">
                    <th scope="row" className="px-4 py-2 text-left font-normal whitespace-nowrap text-fg tabular-nums">
                      {formatInstant(deployment.finishedAt ?? deployment.startedAt)}
                    </th>
                    <td className="px-4 py-2 text-fg">
                      {deployment.environment}
                      <span className="block text-xs text-muted">{methodologyLabels[deployment.methodology]} · {deployment.source.toLowerCase().replace("_", " ")}</span>
                    </td>
                    <td className="px-4 py-2 text-fg">
                      <StatusDot tone={statusTone[deployment.status]}>{statusLabel[deployment.status]}</StatusDot>
                    </td>
                    <td className="px-4 py-2">
                      <span className="flex flex-wrap gap-1">
                        {deployment.isFailedChange ? <FailedChangeMark deployment={deployment} /> : null}
                        {deployment.isRollback ? <Badge tone="warning">Rollback</Badge> : null}
                        {deployment.isRework && !deployment.isRollback ? <Badge tone="info">Remediation</Badge> : null}
                        {deployment.provisional ? <Badge>Provisional</Badge> : null}
                        {deployment.remediatedBy ? (
                          <a href={`#deployment-${deployment.remediatedBy.id}`} className="text-xs text-accent underline-offset-2 hover:underline">
                            remediated {deployment.remediatedBy.finishedAt ? formatInstant(deployment.remediatedBy.finishedAt) : ""}
                          </a>
                        ) : null}
                        {!deployment.isFailedChange && !deployment.isRollback && !deployment.isRework && !deployment.provisional ? <NoData label="No flags" /> : null}
                      </span>
                    </td>
                    <td className="px-4 py-2">
                      {deployment.commitSha ? (
                        <ExternalLink href={deployment.commitUrl}>
                          <code className="font-mono text-xs">{shortSha(deployment.commitSha)}</code>
                        </ExternalLink>
                      ) : (
                        <NoData label="Commit not resolved" />
                      )}
                    </td>
                    <td className="px-4 py-2">
                      <Button
                        variant="ghost"
                        className="-my-1 px-2 py-1 whitespace-nowrap"
                        aria-expanded={expanded}
                        aria-controls={panelId}
                        onClick={() => toggle(deployment.id)}
                      >
                        <span aria-hidden="true" className={expanded ? "rotate-90 transition-transform" : "transition-transform"}>
                          ›
                        </span>
                        {deployment.changes.length} {deployment.changes.length === 1 ? "change" : "changes"}
                      </Button>
                    </td>
                  </tr>
                  <tr id={panelId} hidden={!expanded} className="border-b border-line bg-surface-sunken/60">
                    <td colSpan={6} className="px-6 py-3">
                      <ChangeList deployment={deployment} />
                    </td>
                  </tr>
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      {data.deployments.length > shown ? (
        <div className="border-t border-line px-4 py-3">
          <Button onClick={() => setShown((count) => count + PAGE)}>Show {Math.min(PAGE, data.deployments.length - shown)} more</Button>
        </div>
      ) : null}
    </Card>
  );
}

export function DeploymentsSkeleton() {
  return (
    <Card>
      <CardHeader title="Deployments" />
      <TableSkeleton label="deployments" rows={6} columns={6} />
    </Card>
  );
}
