import type { CohortMetricsDto, MetricValuesDto, ServiceMetricsDto } from "@/lib/queries/metrics";
import type { ComparedMetricId } from "@/lib/queries/compare";
import type { PooledPart } from "./bootstrap";

/**
 * What each compared metric is, once: how a cohort's value is read, what a service contributes to
 * the bootstrap, and how the sentence names it. The cohort aggregation itself is SQL's (DESIGN §3,
 * Cohorts); the per-service values here are the rows that SQL aggregated, so `medianOf` /
 * `pooledShare` of them give back the cohort's value exactly (tested).
 */

type Unit = "per-day" | "hours" | "share" | "per-30-days";
type Tier = "elite" | "high" | "medium" | "low" | null;

interface BaseMetric {
  id: ComparedMetricId;
  label: string;
  unit: Unit;
  higherIsBetter: boolean;
  /** The cohort's value as SQL aggregated it. */
  cohortValue: (cohort: CohortMetricsDto) => number | null;
  tier: (cohort: CohortMetricsDto) => Tier;
  /** Only one methodology can have this metric (sync lag is GitOps only): nothing to compare. */
  onlyFor?: "gitops";
}

export interface MedianMetric extends BaseMetric {
  kind: "ratio";
  /** A service's value, or null when it has none (left out, as `percentile_cont` skips nulls). */
  serviceValue: (service: MetricValuesDto) => number | null;
  /** "GitOps services deployed to production 2.3× as often as DevOps services" given "2.3×". */
  phrase: (ratio: string) => string;
}

export interface ShareMetric extends BaseMetric {
  kind: "difference";
  /** A service's parts, or null when its denominator is 0 (it adds nothing to the pooled share). */
  serviceParts: (service: MetricValuesDto) => PooledPart | null;
  /** Lower-case name for the sentence, e.g. "change fail rate". */
  noun: string;
}

export type ComparedMetric = MedianMetric | ShareMetric;

const parts = (numerator: number, denominator: number): PooledPart | null => (denominator > 0 ? { numerator, denominator } : null);
const noTier = (): Tier => null;

export const COMPARED_METRICS: readonly ComparedMetric[] = [
  {
    id: "deploymentFrequency",
    label: "Deployment frequency",
    unit: "per-day",
    kind: "ratio",
    higherIsBetter: true,
    cohortValue: (cohort) => cohort.deploymentsPerDay,
    tier: (cohort) => cohort.tiers.deploymentFrequency,
    serviceValue: (service) => service.deploymentsPerDay,
    phrase: (ratio) => `GitOps services deployed to production ${ratio} as often as DevOps services`,
  },
  {
    id: "leadTime",
    label: "Lead time for changes",
    unit: "hours",
    kind: "ratio",
    higherIsBetter: false,
    cohortValue: (cohort) => cohort.leadTimeMedianHours,
    tier: (cohort) => cohort.tiers.leadTime,
    serviceValue: (service) => service.leadTimeMedianHours,
    phrase: (ratio) => `GitOps changes took ${ratio} as long as DevOps changes to reach production`,
  },
  {
    id: "changeFailRate",
    label: "Change fail rate",
    unit: "share",
    kind: "difference",
    higherIsBetter: false,
    noun: "change fail rate",
    cohortValue: (cohort) => cohort.changeFailRate,
    tier: (cohort) => cohort.tiers.changeFailRate,
    serviceParts: (service) => parts(service.failedChangeCount, service.deploymentCount),
  },
  {
    id: "recoveryTime",
    label: "Failed deployment recovery time",
    unit: "hours",
    kind: "ratio",
    higherIsBetter: false,
    cohortValue: (cohort) => cohort.recoveryTimeMedianHours,
    tier: (cohort) => cohort.tiers.recoveryTime,
    serviceValue: (service) => service.recoveryTimeMedianHours,
    phrase: (ratio) => `GitOps services took ${ratio} as long as DevOps services to recover from a failed change`,
  },
  {
    id: "reworkRate",
    label: "Deployment rework rate",
    unit: "share",
    kind: "difference",
    higherIsBetter: false,
    noun: "deployment rework rate",
    cohortValue: (cohort) => cohort.reworkRate,
    tier: noTier,
    serviceParts: (service) => parts(service.reworkCount, service.deploymentCount),
  },
  {
    id: "successRate",
    label: "Deployment success rate",
    unit: "share",
    kind: "difference",
    higherIsBetter: true,
    noun: "deployment success rate",
    cohortValue: (cohort) => cohort.deploymentSuccessRate,
    tier: noTier,
    // Over the attempts a source saw, as SQL pools it: history known only after the fact has no failures to count.
    serviceParts: (service) => parts(service.deploymentCount - service.unwitnessedCount, service.attemptCount - service.unwitnessedCount),
  },
  {
    id: "syncLag",
    label: "Sync lag",
    unit: "hours",
    kind: "ratio",
    higherIsBetter: false,
    onlyFor: "gitops",
    cohortValue: (cohort) => cohort.syncLagMedianHours,
    tier: noTier,
    serviceValue: (service) => service.syncLagMedianHours,
    phrase: (ratio) => `GitOps sync lag was ${ratio} DevOps sync lag`,
  },
  {
    id: "driftEpisodesPer30Days",
    label: "Drift episodes",
    unit: "per-30-days",
    kind: "ratio",
    higherIsBetter: false,
    cohortValue: (cohort) => cohort.driftEpisodesPer30Days,
    tier: noTier,
    serviceValue: (service) => service.driftEpisodesPer30Days,
    phrase: (ratio) => `GitOps services drifted from what was deployed ${ratio} as often as DevOps services`,
  },
  {
    id: "driftMedianHoursToReconcile",
    label: "Time to reconcile drift",
    unit: "hours",
    kind: "ratio",
    higherIsBetter: false,
    cohortValue: (cohort) => cohort.driftMedianHoursToReconcile,
    tier: noTier,
    serviceValue: (service) => service.driftMedianHoursToReconcile,
    phrase: (ratio) => `Live drift of GitOps services took ${ratio} as long as that of DevOps services to be reconciled`,
  },
  {
    id: "timeInSyncRatio",
    label: "Time in sync",
    unit: "share",
    kind: "difference",
    higherIsBetter: true,
    noun: "share of time in sync",
    cohortValue: (cohort) => cohort.timeInSyncRatio,
    tier: noTier,
    serviceParts: (service) => (service.driftObservable ? parts(service.inSyncHours, service.driftObservedHours) : null),
  },
  {
    id: "approvedChangeShare",
    label: "Independently approved changes",
    unit: "share",
    kind: "difference",
    higherIsBetter: true,
    noun: "share of changes approved by someone other than their author",
    cohortValue: (cohort) => cohort.changeTraceability.approvedChangeShare,
    tier: noTier,
    serviceParts: (service) => parts(service.changeTraceability.approvedChangeCount, service.changeTraceability.changeCount),
  },
  {
    id: "signedCommitShare",
    label: "Signed commits",
    unit: "share",
    kind: "difference",
    higherIsBetter: true,
    noun: "share of commits with a verified signature",
    cohortValue: (cohort) => cohort.changeTraceability.signedCommitShare,
    tier: noTier,
    serviceParts: (service) => parts(service.changeTraceability.signedCommitCount, service.changeTraceability.commitCount),
  },
];

/** The per-service values of one cohort for one metric, by slug, services without a value left out. */
export function cohortSamples(metric: ComparedMetric, services: readonly ServiceMetricsDto[]) {
  if (metric.kind === "ratio") {
    return services.flatMap((service) => {
      const value = metric.serviceValue(service);
      return value === null ? [] : [{ slug: service.slug, value }];
    });
  }
  return services.flatMap((service) => {
    const part = metric.serviceParts(service);
    return part === null ? [] : [{ slug: service.slug, ...part }];
  });
}
