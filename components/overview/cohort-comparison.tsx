"use client";

import type { ReactNode } from "react";
import { useSuspenseQuery } from "@tanstack/react-query";
import { Card, CardBody, CardFooter, CardHeader } from "@/components/ui/card";
import { Stat, StatGrid } from "@/components/ui/stat";
import { StatGridSkeleton } from "@/components/ui/skeleton";
import { TierBadge } from "@/components/ui/badge";
import { cohortLabels, type Cohort } from "@/components/charts/chart-theme";
import { type CohortMetricsDto, metricsQueryOptions } from "@/lib/queries/metrics";
import { type MetricId, metricDefinitions } from "./metric-definitions";
import { formatHours, formatPerDay, formatRate } from "./format-metric";

const cohortIntro: Record<Cohort, string> = {
  devops: "A CI pipeline such as GitHub Actions deploys to the cluster.",
  gitops: "Argo CD or Flux reconciles the cluster from Git.",
};

const swatch: Record<Cohort, string> = {
  devops: "bg-cohort-devops",
  gitops: "bg-cohort-gitops",
};

type Shown = { value: string; unit: string; tier?: ReactNode; hint?: ReactNode } | null;

/** One metric of a cohort as the card shows it; null is "no data", never 0. */
function shown(metric: MetricId, cohort: CohortMetricsDto): Shown {
  const tier = (value: "elite" | "high" | "medium" | "low" | null) => (value ? <TierBadge tier={value} /> : undefined);
  switch (metric) {
    case "deploymentFrequency":
      return cohort.deploymentsPerDay === null
        ? null
        : { ...formatPerDay(cohort.deploymentsPerDay), tier: tier(cohort.tiers.deploymentFrequency), hint: `median of ${cohort.activeServiceCount} services` };
    case "leadTime":
      return cohort.leadTimeMedianHours === null
        ? null
        : {
            ...formatHours(cohort.leadTimeMedianHours),
            tier: tier(cohort.tiers.leadTime),
            hint: cohort.leadTimeP90Hours === null ? undefined : `p90 ${Object.values(formatHours(cohort.leadTimeP90Hours)).join(" ")}`,
          };
    case "changeFailRate":
      return cohort.changeFailRate === null ? null : { ...formatRate(cohort.changeFailRate), tier: tier(cohort.tiers.changeFailRate), hint: `${cohort.failedChangeCount} of ${cohort.deploymentCount} deployments` };
    case "recoveryTime":
      return cohort.recoveryTimeMedianHours === null ? null : { ...formatHours(cohort.recoveryTimeMedianHours), tier: tier(cohort.tiers.recoveryTime) };
    case "reworkRate":
      return cohort.reworkRate === null ? null : { ...formatRate(cohort.reworkRate), hint: `${cohort.reworkCount} of ${cohort.deploymentCount} deployments` };
    case "successRate":
      return cohort.deploymentSuccessRate === null ? null : { ...formatRate(cohort.deploymentSuccessRate), hint: `${cohort.deploymentCount} of ${cohort.attemptCount} attempts` };
    case "syncLag":
      return cohort.syncLagMedianHours === null ? null : { ...formatHours(cohort.syncLagMedianHours), hint: `over ${cohort.syncLagDeploymentCount} deployments` };
    case "driftEpisodesPer30Days":
      return cohort.driftEpisodesPer30Days === null
        ? null
        : { value: cohort.driftEpisodesPer30Days.toFixed(1), unit: "per 30 days", hint: `median of ${cohort.driftObservableServiceCount} services where drift is observable` };
    case "driftMedianHoursToReconcile":
      return cohort.driftMedianHoursToReconcile === null ? null : { ...formatHours(cohort.driftMedianHoursToReconcile), hint: `${cohort.reconciledDriftCount} episodes ended` };
    case "timeInSyncRatio":
      return cohort.timeInSyncRatio === null ? null : { ...formatRate(cohort.timeInSyncRatio), hint: "of observed time" };
  }
}

function CohortCard({ cohort, values }: { cohort: Cohort; values: CohortMetricsDto }) {
  // Metrics one methodology cannot have stay listed as "not applicable" so both columns line up.
  const applies = (onlyFor: Cohort | undefined) => !onlyFor || onlyFor === cohort;
  const headingId = `cohort-${cohort}`;
  return (
    <Card aria-labelledby={headingId}>
      <CardHeader
        id={headingId}
        as="h3"
        title={
          <span className="flex items-center gap-2">
            <span aria-hidden="true" className={`size-2.5 rounded-full ${swatch[cohort]}`} />
            {cohortLabels[cohort]}
          </span>
        }
        description={cohortIntro[cohort]}
      />
      <CardBody>
        <StatGrid>
          {metricDefinitions.map((metric) => {
            if (!applies(metric.onlyFor)) {
              return (
                <Stat
                  key={metric.id}
                  label={metric.label}
                  value={<span className="text-base font-normal text-subtle">Not applicable</span>}
                  definition={metric.definition}
                  hint={`${cohortLabels[metric.onlyFor ?? cohort]} only`}
                />
              );
            }
            const value = shown(metric.id, values);
            return (
              <Stat
                key={metric.id}
                label={metric.label}
                value={value?.value ?? null}
                unit={value?.unit}
                tier={value?.tier}
                hint={value?.hint}
                provisional={values.provisional && value !== null}
                definition={metric.definition}
              />
            );
          })}
        </StatGrid>
      </CardBody>
      <CardFooter>
        {values.activeServiceCount === 0
          ? `No ${cohortLabels[cohort]} production deployment finished in the last 90 complete days.`
          : `${values.activeServiceCount} services, last 90 complete days (to yesterday). Durations and frequency: median of services; rates: pooled over deployments.`}
      </CardFooter>
    </Card>
  );
}

/** The two methodologies side by side, for the last 90 complete days. */
export function CohortComparison() {
  const { data } = useSuspenseQuery(metricsQueryOptions({}));
  return (
    <div className="grid grid-cols-2 gap-4">
      <CohortCard cohort="devops" values={data.cohorts.devops} />
      <CohortCard cohort="gitops" values={data.cohorts.gitops} />
    </div>
  );
}

export function CohortComparisonSkeleton() {
  return (
    <div className="grid grid-cols-2 gap-4">
      {(["devops", "gitops"] as const).map((cohort) => (
        <Card key={cohort}>
          <CardBody>
            <StatGridSkeleton label={`${cohortLabels[cohort]} metrics`} count={6} />
          </CardBody>
        </Card>
      ))}
    </div>
  );
}
