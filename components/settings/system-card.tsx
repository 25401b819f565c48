"use client";

import type { ReactNode } from "react";
import { useQueryClient, useSuspenseQuery, useIsFetching } from "@tanstack/react-query";
import { healthKeys, healthQueryOptions } from "@/lib/queries/health";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Skeleton, SkeletonRegion } from "@/components/ui/skeleton";
import { databaseModeLabel, formatUtc } from "@/components/health/format-health";

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[12rem_minmax(0,1fr)] gap-4 py-2.5">
      <dt className="text-sm text-muted">{term}</dt>
      <dd className="text-sm break-words text-fg">{children}</dd>
    </div>
  );
}

/** The health check as an operator reads it: database mode and reachability, schema version, app version. */
export function SystemCard() {
  const { data: health } = useSuspenseQuery(healthQueryOptions());
  const queryClient = useQueryClient();
  const refreshing = useIsFetching({ queryKey: healthKeys.all }) > 0;
  const pending = health.migrations.pending;
  const reachable = health.database.reachable;
  // Without a database the migration table cannot be read; "0 applied" would be a guess.
  const unknown = <span className="text-muted">Unknown while the database is unreachable</span>;

  return (
    <Card aria-labelledby="system-heading" id="system" className="scroll-mt-8">
      <CardHeader
        id="system-heading"
        title="System"
        description="The state of this installation, from its health check."
        actions={
          <Button
            onClick={() => void queryClient.invalidateQueries({ queryKey: healthKeys.all })}
            disabled={refreshing}
          >
            {refreshing ? "Checking…" : "Check again"}
          </Button>
        }
      />
      <CardBody className="py-2">
        <dl className="divide-y divide-line">
          <Row term="Status">
            <Badge tone={health.status === "ok" ? "success" : "danger"}>
              {health.status === "ok" ? "Operational" : "Unavailable"}
            </Badge>
          </Row>
          <Row term="Database mode">
            {databaseModeLabel(health.database.mode)}
            {health.database.mode === "embedded" ? (
              <span className="text-muted"> — used because DATABASE_URL is not set</span>
            ) : null}
          </Row>
          <Row term="Database reachable">
            <Badge tone={health.database.reachable ? "success" : "danger"}>{health.database.reachable ? "Yes" : "No"}</Badge>
            {health.database.latencyMs !== null ? (
              <span className="ml-2 text-muted">{health.database.latencyMs} ms round trip</span>
            ) : null}
            {health.database.error ? <p className="mt-1 text-danger-fg">{health.database.error}</p> : null}
          </Row>
          <Row term="Latest migration">
            {!reachable ? (
              unknown
            ) : health.migrations.latest ? (
              <>
                <code className="text-[0.85em]">{health.migrations.latest}</code>
                <span className="ml-2 text-muted">({health.migrations.applied} applied)</span>
              </>
            ) : (
              "None applied"
            )}
          </Row>
          <Row term="Pending migrations">
            {!reachable ? (
              unknown
            ) : pending.length === 0 ? (
              "None"
            ) : (
              <ul className="flex flex-col gap-1">
                {pending.map((name) => (
                  <li key={name}>
                    <code className="text-[0.85em]">{name}</code>
                  </li>
                ))}
              </ul>
            )}
          </Row>
          <Row term="Workers">
            {health.workers.running === null ? (
              unknown
            ) : health.workers.running === 0 ? (
              <>
                <Badge tone="danger">None running</Badge>
                <p className="mt-1 text-muted">Scheduled jobs wait until a worker runs: npm start starts one, npm run worker adds more.</p>
              </>
            ) : (
              <>
                <Badge tone="success">{health.workers.running} running</Badge>
                <span className="ml-2 text-muted">
                  {health.workers.lastQueueJobAt ? (
                    <>
                      last queue job <time dateTime={health.workers.lastQueueJobAt}>{formatUtc(health.workers.lastQueueJobAt)}</time>
                    </>
                  ) : (
                    "no queue job yet"
                  )}
                </span>
              </>
            )}
          </Row>
          <Row term="Version">{health.version}</Row>
          <Row term="Checked at">
            <time dateTime={health.checkedAt}>{formatUtc(health.checkedAt)}</time>
          </Row>
        </dl>
      </CardBody>
    </Card>
  );
}

export function SystemCardSkeleton() {
  return (
    <SkeletonRegion label="system status" className="rounded-lg border border-line bg-surface p-5">
      <Skeleton className="h-5 w-24" />
      <Skeleton className="mt-2 h-4 w-64" />
      <div className="mt-5 flex flex-col gap-4">
        {Array.from({ length: 7 }, (_, index) => (
          <div key={index} className="flex gap-4">
            <Skeleton className="h-4 w-40" />
            <Skeleton className="h-4 w-56" />
          </div>
        ))}
      </div>
    </SkeletonRegion>
  );
}
