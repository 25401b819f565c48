"use client";

import { useDeferredValue } from "react";
import { useSuspenseQuery } from "@tanstack/react-query";
import { serviceDetailQueryOptions } from "@/lib/queries/services";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Badge, TierBadge } from "@/components/ui/badge";
import { Stat, StatGrid } from "@/components/ui/stat";
import { StatGridSkeleton } from "@/components/ui/skeleton";
import { metricDefinitionText } from "./metric-header";
import { useServiceParams } from "./use-service-params";
import { formatDaysPerWeek, formatHours, formatPerDay, formatPercent, methodologyLabels } from "./format-metrics";

export function ServiceMetricsCard({ slug }: { slug: string }) {
  const { windowParams } = useServiceParams();
  const deferred = useDeferredValue(windowParams);
  const { data } = useSuspenseQuery(serviceDetailQueryOptions(slug, deferred));
  const m = data.metrics;
  const def = (id: Parameters<typeof metricDefinitionText>[0]) => metricDefinitionText(id).text;
  const tier = (value: typeof m.tiers.leadTime) => (value ? <TierBadge tier={value} /> : undefined);

  return (
    <Card aria-labelledby="service-metrics-heading" aria-busy={deferred !== windowParams}>
      <CardHeader
        id="service-metrics-heading"
        title="Delivery metrics"
        description={`Production, ${data.window.from.slice(0, 10)} to ${data.window.to.slice(0, 10)}${m.provisional ? " · * provisional: may change over the next 7 days" : ""}`}
        actions={
          <div className="flex flex-wrap items-center justify-end gap-2 text-sm">
            {data.service.methodology ? (
              <Badge tone="info">{methodologyLabels[data.service.methodology]}</Badge>
            ) : (
              <Badge>No deployment in the window</Badge>
            )}
            {data.service.repositories.map((repository) =>
              repository.webUrl ? (
                <a key={repository.fullName} href={repository.webUrl} className="text-accent underline-offset-2 hover:underline" rel="noreferrer" target="_blank">
                  {repository.fullName}
                  <span className="sr-only"> (opens GitHub in a new tab)</span>
                </a>
              ) : (
                <span key={repository.fullName} className="font-mono text-xs text-muted">
                  {repository.fullName}
                </span>
              ),
            )}
          </div>
        }
      />
      <CardBody>
        <StatGrid className="md:grid-cols-3">
          <Stat
            label="Deployment frequency"
            value={m.deploymentsPerDay === null ? null : formatPerDay(m.deploymentsPerDay)}
            unit="per day"
            tier={tier(m.tiers.deploymentFrequency)}
            definition={def("deploymentFrequency")}
            hint={
              m.deploymentDaysPerWeekMedian === null
                ? undefined
                : `${m.deploymentCount} deployments · ${formatDaysPerWeek(m.deploymentDaysPerWeekMedian)} deployment days/week (median)`
            }
          />
          <Stat
            label="Lead time for changes"
            value={m.leadTimeMedianHours === null ? null : formatHours(m.leadTimeMedianHours)}
            unit="median"
            tier={tier(m.tiers.leadTime)}
            definition={def("leadTime")}
            hint={m.leadTimeP90Hours === null ? undefined : `p90 ${formatHours(m.leadTimeP90Hours)} · ${m.leadTimeChangeCount} changes`}
          />
          <Stat
            label="Change fail rate"
            value={m.changeFailRate === null ? null : formatPercent(m.changeFailRate)}
            tier={tier(m.tiers.changeFailRate)}
            provisional={m.provisional}
            definition={def("changeFailRate")}
            hint={`${m.failedChangeCount} failed ${m.failedChangeCount === 1 ? "change" : "changes"} of ${m.deploymentCount} deployments`}
          />
          <Stat
            label="Failed deployment recovery time"
            value={m.recoveryTimeMedianHours === null ? null : formatHours(m.recoveryTimeMedianHours)}
            unit="median"
            tier={tier(m.tiers.recoveryTime)}
            provisional={m.provisional}
            definition={def("recoveryTime")}
            hint={`${m.recoveredCount} recovered`}
          />
          <Stat
            label="Deployment rework rate"
            value={m.reworkRate === null ? null : formatPercent(m.reworkRate)}
            provisional={m.provisional}
            definition={def("reworkRate")}
            hint={`${m.reworkCount} remediating ${m.reworkCount === 1 ? "deployment" : "deployments"} · no DORA tier`}
          />
          <Stat
            label="Deployment success rate"
            value={m.deploymentSuccessRate === null ? null : formatPercent(m.deploymentSuccessRate)}
            definition={def("successRate")}
            hint={`${m.deploymentCount} of ${m.attemptCount} attempts · no DORA tier`}
          />
        </StatGrid>
      </CardBody>
    </Card>
  );
}

export function ServiceMetricsSkeleton() {
  return (
    <Card>
      <CardHeader title="Delivery metrics" />
      <CardBody>
        <StatGridSkeleton label="service metrics" count={6} />
      </CardBody>
    </Card>
  );
}
