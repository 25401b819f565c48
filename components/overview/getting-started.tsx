"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { healthQueryOptions } from "@/lib/queries/health";
import { metricsQueryOptions } from "@/lib/queries/metrics";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { Skeleton, SkeletonRegion } from "@/components/ui/skeleton";
import { SourceSetup } from "@/components/setup/source-setup";
import { databaseModeLabel, describeDatabase } from "@/components/health/format-health";

/**
 * What stands between this installation and its first numbers: the database (checked live)
 * and a delivery source (explained; Settings → Integrations shows what has been ingested).
 * Once a production deployment of either methodology is in the window, it steps aside.
 */
export function GettingStarted() {
  const { data: health } = useSuspenseQuery(healthQueryOptions());
  // The cohort cards' own query (same key), so this costs no second request.
  const { data: metrics } = useSuspenseQuery(metricsQueryOptions({}));
  if (metrics.cohorts.devops.attemptCount + metrics.cohorts.gitops.attemptCount > 0) return null;
  const database = describeDatabase(health);
  return (
    <Card aria-labelledby="getting-started-heading">
      <CardHeader
        id="getting-started-heading"
        title="No delivery metrics yet"
        description="This page compares deployment frequency, lead time, change fail rate and recovery time of your DevOps and GitOps services over the last 90 complete days. No production deployment has been ingested for that window yet; Settings → Integrations shows what has arrived so far."
      />
      <CardBody>
        <ol className="flex flex-col gap-5">
          <li className="flex gap-3">
            <StepNumber n={1} />
            <div className="min-w-0 flex-1">
              <p className="flex flex-wrap items-center gap-2 text-sm font-semibold text-fg">
                Database
                <Badge tone={database.tone}>{database.label}</Badge>
              </p>
              <p className="mt-1 text-sm text-muted">
                {databaseModeLabel(health.database.mode)}
                {!health.database.reachable
                  ? `: ${health.database.error ?? "not reachable"}. See Settings → System for details.`
                  : health.migrations.latest
                    ? `, schema at ${health.migrations.latest}.`
                    : ", no migration applied yet."}
              </p>
            </div>
          </li>
          <li className="flex gap-3">
            <StepNumber n={2} />
            <div className="min-w-0 flex-1 text-sm">
              <p className="font-semibold text-fg">Connect a delivery source</p>
              <div className="mt-2">
                <SourceSetup sources={["github", "argocd", "flux", "sandbox"]} />
              </div>
            </div>
          </li>
        </ol>
      </CardBody>
    </Card>
  );
}

function StepNumber({ n }: { n: number }) {
  return (
    <span
      aria-hidden="true"
      className="flex size-6 shrink-0 items-center justify-center rounded-full bg-accent-soft text-xs font-semibold text-accent"
    >
      {n}
    </span>
  );
}

export function GettingStartedSkeleton() {
  return (
    <SkeletonRegion label="setup status" className="rounded-lg border border-line bg-surface p-5">
      <Skeleton className="h-5 w-48" />
      <Skeleton className="mt-2 h-4 w-3/4" />
      <div className="mt-6 flex flex-col gap-3">
        <Skeleton className="h-4 w-40" />
        <Skeleton className="h-16 w-full" />
        <Skeleton className="h-16 w-full" />
      </div>
    </SkeletonRegion>
  );
}
