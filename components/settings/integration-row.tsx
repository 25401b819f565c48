"use client";

import type { ReactNode } from "react";
import { useId } from "react";
import type { IntegrationDto } from "@/lib/queries/integrations";
import { Badge } from "@/components/ui/badge";
import { formatUtc } from "@/components/health/format-health";
import { RemoveIntegrationDialog, SyncNowButton } from "./integration-actions";
import { KindIcon } from "./kind-icon";
import { SyncProgress } from "./sync-progress";
import { useNow } from "./use-now";
import { describeHealth, formatCount, formatTimeAgo, formatUtcDate, formatUtcTime, kindLabels, originLabels } from "./format-integration";

/**
 * A time as people read it here: relative once the browser knows "now" ("3 min ago"), absolute
 * before hydration; the exact UTC instant is always in the title and `dateTime`.
 */
function Ago({ iso, now }: { iso: string; now: number | null }) {
  return (
    <time dateTime={iso} title={formatUtc(iso)}>
      {now === null ? `at ${formatUtc(iso)}` : formatTimeAgo(iso, now)}
    </time>
  );
}

function Count({ label, value }: { label: string; value: number }) {
  return (
    <div className="flex flex-col">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="text-base font-semibold text-fg tabular-nums">{formatCount(value)}</dd>
    </div>
  );
}

function Notice({ tone, children }: { tone: "danger" | "warning"; children: ReactNode }) {
  const classes = tone === "danger" ? "border-danger-fg/30 bg-danger-bg text-danger-fg" : "border-warning-fg/30 bg-warning-bg text-warning-fg";
  return <div className={`rounded-md border px-3 py-2 text-sm break-words ${classes}`}>{children}</div>;
}

/** One integration: what it is, where its configuration comes from, how fresh and how big its data is. */
export function IntegrationRow({ integration, canManage }: { integration: IntegrationDto; canManage: boolean }) {
  const now = useNow();
  const headingId = useId();
  const health = describeHealth(integration);
  const run = integration.currentRun;
  const rescheduled = !run && integration.lastRun?.status === "RESCHEDULED" ? integration.lastRun : null;

  return (
    <li aria-labelledby={headingId} className="flex gap-3 px-5 py-4">
      <span aria-hidden="true" className="mt-0.5 flex size-9 shrink-0 items-center justify-center rounded-md bg-accent-soft text-accent">
        <KindIcon kind={integration.kind} />
      </span>
      <div className="flex min-w-0 flex-1 flex-col gap-3">
        <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
          <div className="min-w-0">
            <h3 id={headingId} className="text-sm font-semibold text-fg">
              {integration.name}
            </h3>
            <p className="mt-0.5 text-sm text-muted">
              {kindLabels[integration.kind]}
              <span aria-hidden="true"> · </span>
              <span className="sr-only">, </span>
              <span className="break-all">{integration.baseUrl}</span>
            </p>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={integration.origin === "DATABASE" ? "info" : "neutral"}>{originLabels[integration.origin]}</Badge>
            <Badge tone={health.tone}>{health.label}</Badge>
          </div>
        </div>

        <div className="flex flex-wrap items-start justify-end gap-2">
          <SyncNowButton integration={integration} canManage={canManage} />
          {/* Environment and sandbox integrations change with their configuration, not here. */}
          {integration.origin === "DATABASE" ? <RemoveIntegrationDialog integration={integration} canManage={canManage} /> : null}
        </div>

        <p className="flex flex-wrap gap-x-2 gap-y-1 text-sm text-muted">
          <span>
            {integration.lastSyncedAt ? (
              <>
                synced <Ago iso={integration.lastSyncedAt} now={now} />
              </>
            ) : run ? (
              "First sync in progress"
            ) : integration.lastRun ? (
              "No sync has completed yet"
            ) : (
              "Never synced"
            )}
          </span>
          {integration.observedSince ? (
            <span>
              <span aria-hidden="true" className="mr-2">·</span>
              observed since{" "}
              <time dateTime={integration.observedSince} title={formatUtc(integration.observedSince)}>
                {formatUtcDate(integration.observedSince)}
              </time>
            </span>
          ) : null}
        </p>

        <dl className="grid grid-cols-2 gap-x-6 gap-y-2 sm:grid-cols-4">
          <Count label="Repositories" value={integration.counts.repositories} />
          <Count label="Pull requests" value={integration.counts.pullRequests} />
          <Count label="Deployments" value={integration.counts.deployments} />
          <Count label="Incidents" value={integration.counts.incidents} />
        </dl>

        {run ? <SyncProgress name={integration.name} run={run} /> : null}

        {rescheduled ? (
          <Notice tone="warning">
            Rate limited — retrying at{" "}
            {rescheduled.rescheduledFor ? (
              <time dateTime={rescheduled.rescheduledFor} title={formatUtc(rescheduled.rescheduledFor)}>
                {formatUtcTime(rescheduled.rescheduledFor, now ?? Date.parse(rescheduled.rescheduledFor))}
              </time>
            ) : (
              "the next scheduled sync"
            )}
            .
          </Notice>
        ) : null}

        {/* The rate limit already has its own notice; the same text again as an error adds nothing. */}
        {integration.lastError && integration.lastError !== rescheduled?.error ? (
          <Notice tone="danger">
            <span className="font-semibold">Last error</span>
            {integration.lastErrorAt ? (
              <>
                {" "}
                (<Ago iso={integration.lastErrorAt} now={now} />)
              </>
            ) : null}
            : <span className="whitespace-pre-line">{integration.lastError.trim().replace(/\n\s*\n/g, "\n")}</span>
          </Notice>
        ) : null}
      </div>
    </li>
  );
}
