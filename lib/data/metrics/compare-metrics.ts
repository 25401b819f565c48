// No `server-only` marker: the CLI (plain Node) prints this same comparison; the route handler is the server entry.
import { Prisma } from "@/lib/db/generated/client";
import { type ViewerContext, assertCan } from "@/lib/data/viewer";
import { BOOTSTRAP_LEVEL, BOOTSTRAP_PRNG, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, bootstrapInterval, type EffectSamples } from "@/lib/metrics/compare/bootstrap";
import { COMPARED_METRICS, type ComparedMetric, cohortSamples } from "@/lib/metrics/compare/compared-metrics";
import {
  type Period,
  comparedSentence,
  notApplicableSentence,
  notEnoughDataSentence,
  unwitnessedNote,
  verdictOf,
  zeroBaselineSentence,
} from "@/lib/metrics/compare/sentence";
import { environmentFilterSql, serviceFilterSql } from "@/lib/metrics/definitions/day-facts";
import type { MetricScope } from "@/lib/metrics/definitions/scope";
import { startOfLocalDay } from "@/lib/time/local-days";
import type { CohortValueDto, ComparedMetricDto, ComparisonDto, CompareParams, EffectDto } from "@/lib/queries/compare";
import { type CohortMetricsDto, type MetricsDto, metricsParamsSchema } from "@/lib/queries/metrics";
import {
  type ComputeMetricsWithCohortValues,
  DEFAULT_WINDOW_DAYS,
  type MetricsDeps,
  type ServiceCohortValues,
  computeMetricsWithCohortValues,
  resolveMetricScope,
} from "./compute-metrics";

/** DESIGN §3, Comparison: below these, in either cohort, a comparison says "not enough data". */
export const MIN_SERVICES_PER_COHORT = 5;
export const MIN_DEPLOYMENTS_PER_COHORT = 20;

type Methodology = "devops" | "gitops";

/**
 * When each cohort was first observed: its first finished production attempt (or of the chosen
 * environments) among the scoped services, ever. Before that instant a cohort has no data, and a
 * comparison over days one side could not have had would measure adoption, not the way of shipping.
 */
async function observedSince(deps: MetricsDeps, scope: MetricScope): Promise<Record<Methodology, Date | null>> {
  const rows = await deps.db.$queryRaw<{ methodology: "DEVOPS" | "GITOPS"; since: Date }[]>(Prisma.sql`
    SELECT deployment.methodology, min(deployment."finishedAt") AS since
    FROM "Deployment" deployment
    WHERE ${environmentFilterSql(Prisma.sql`deployment`, scope.environments ?? null)}
      AND deployment.status IN ('SUCCESS', 'FAILURE')
      AND deployment."serviceId" IS NOT NULL
      AND ${serviceFilterSql(Prisma.sql`deployment."serviceId"`, scope.serviceIds)}
      AND deployment."finishedAt" IS NOT NULL
    GROUP BY deployment.methodology`);
  const of = (methodology: "DEVOPS" | "GITOPS") => rows.find((row) => row.methodology === methodology)?.since ?? null;
  return { devops: of("DEVOPS"), gitops: of("GITOPS") };
}

/** The window's part in which both cohorts are observed, from the local day the later one began; null when none. */
function comparisonPeriodOf(window: { from: Date; to: Date }, since: Record<Methodology, Date | null>, timeZone: string) {
  if (!since.devops || !since.gitops) return null;
  const later = since.devops > since.gitops ? since.devops : since.gitops;
  const start = startOfLocalDay(later, timeZone);
  const from = start > window.from ? start : window.from;
  return from < window.to ? { from, to: window.to } : null;
}

/** A value against the previous window's: a ratio for medians and rates per time, percentage points for shares. */
function changeOf(metric: ComparedMetric, value: number | null, previous: number | null): number | null {
  if (value === null || previous === null) return null;
  if (metric.unit === "share") return (value - previous) * 100;
  return previous === 0 ? null : value / previous;
}

function cohortValue(metric: ComparedMetric, current: CohortMetricsDto, previous: CohortMetricsDto, services: number): CohortValueDto {
  const value = metric.cohortValue(current);
  const before = metric.cohortValue(previous);
  return {
    value,
    tier: metric.tier(current),
    previous: before,
    change: changeOf(metric, value, before),
    serviceCount: services,
    provisional: current.provisional,
  };
}

function effectSamples(metric: ComparedMetric, samples: Record<Methodology, ReturnType<typeof cohortSamples>>): EffectSamples {
  if (metric.kind === "ratio") {
    const values = (cohort: Methodology) => samples[cohort].flatMap((sample) => ("value" in sample ? [sample.value] : []));
    return { kind: "ratio", devops: values("devops"), gitops: values("gitops") };
  }
  const parts = (cohort: Methodology) =>
    samples[cohort].flatMap((sample) => ("numerator" in sample ? [{ numerator: sample.numerator, denominator: sample.denominator }] : []));
  return { kind: "difference", devops: parts("devops"), gitops: parts("gitops") };
}

interface Compared {
  metrics: MetricsDto;
  serviceCohorts: ServiceCohortValues;
}

/** One metric's effect and sentence over the comparison period (`compared`, null when the cohorts never overlap). */
function compareMetric(metric: ComparedMetric, compared: Compared | null, period: Period | null): { effect: EffectDto; sentence: string; samples: ComparedMetricDto["samples"] } {
  const samples = {
    devops: compared ? cohortSamples(metric, compared.serviceCohorts.devops) : [],
    gitops: compared ? cohortSamples(metric, compared.serviceCohorts.gitops) : [],
  };
  if (metric.onlyFor) return { effect: { status: "not-applicable", kind: metric.kind }, sentence: notApplicableSentence(metric), samples };
  const counts = {
    devops: { services: samples.devops.length, deployments: compared?.metrics.cohorts.devops.deploymentCount ?? 0 },
    gitops: { services: samples.gitops.length, deployments: compared?.metrics.cohorts.gitops.deploymentCount ?? 0 },
  };
  const enough = (["devops", "gitops"] as const).every(
    (cohort) => counts[cohort].services >= MIN_SERVICES_PER_COHORT && counts[cohort].deployments >= MIN_DEPLOYMENTS_PER_COHORT,
  );
  if (!compared || !period || !enough) {
    // A success rate missing for deployments known only from history says so (see `unwitnessedNote`).
    const unwitnessed = (["devops", "gitops"] as const).flatMap((cohort) => {
      const values = compared?.metrics.cohorts[cohort];
      return metric.id === "successRate" && values && values.deploymentSuccessRate === null && values.unwitnessedCount > 0
        ? [unwitnessedNote(cohort === "devops" ? "DevOps" : "GitOps", values.unwitnessedCount)]
        : [];
    });
    return {
      effect: { status: "not-enough-data", kind: metric.kind },
      sentence: notEnoughDataSentence(metric, counts, { services: MIN_SERVICES_PER_COHORT, deployments: MIN_DEPLOYMENTS_PER_COHORT }, period) + unwitnessed.join(""),
      samples,
    };
  }
  // The cohorts' values as SQL aggregated them; the samples reproduce them exactly (tested).
  const devopsValue = metric.cohortValue(compared.metrics.cohorts.devops)!;
  const gitopsValue = metric.cohortValue(compared.metrics.cohorts.gitops)!;
  if (metric.kind === "ratio" && devopsValue === 0) {
    return { effect: { status: "not-applicable", kind: metric.kind }, sentence: zeroBaselineSentence(metric, gitopsValue, period), samples };
  }
  const estimate = metric.kind === "ratio" ? gitopsValue / devopsValue : (gitopsValue - devopsValue) * 100;
  const bootstrap = bootstrapInterval(effectSamples(metric, samples));
  const interval = bootstrap.defined ? { low: bootstrap.low, high: bootstrap.high } : null;
  return {
    effect: { status: "compared", kind: metric.kind, estimate, interval, verdict: verdictOf(metric, interval), devopsValue, gitopsValue },
    sentence: comparedSentence({
      metric,
      estimate,
      interval,
      intervalGap: bootstrap.defined ? undefined : bootstrap.reason,
      devopsValue,
      gitopsValue,
      period,
    }),
    samples,
  };
}

/**
 * DevOps and GitOps side by side (DESIGN §3, Comparison) for the parameters of `GET /api/metrics`:
 * each metric's cohort values with tiers and their change against the previous window of the same
 * length, and the effect GitOps versus DevOps with its bootstrap 95 % interval, computed only over
 * the part of the window both cohorts are observed in. Every value comes from `computeMetrics`
 * (the SQL definitions); this function adds the resampling and the words. The page, the API and
 * the CLI call it.
 */
export async function compareMetrics(
  ctx: ViewerContext,
  rawParams: CompareParams,
  deps: MetricsDeps,
  compute: ComputeMetricsWithCohortValues = computeMetricsWithCohortValues,
): Promise<ComparisonDto> {
  assertCan(ctx, "metrics:read");
  const params = metricsParamsSchema.parse(rawParams);
  const now = ctx.clock.now();
  const scope = await resolveMetricScope(deps.db, params, now, deps.timeZone);
  const window = { from: scope.from, to: scope.to };
  const length = window.to.getTime() - window.from.getTime();
  const previousWindow = { from: new Date(window.from.getTime() - length), to: window.from };
  // Explicit instants from here on, so the window cannot move between the statements.
  const at = (range: { from: Date; to: Date }): CompareParams => ({ ...params, days: undefined, from: range.from.toISOString(), to: range.to.toISOString() });

  const since = await observedSince(deps, scope);
  const period = comparisonPeriodOf(window, since, deps.timeZone);
  const wholeWindow = period !== null && period.from.getTime() === window.from.getTime();

  const [current, previous] = await Promise.all([compute(ctx, at(window), deps), compute(ctx, at(previousWindow), deps)]);
  const compared: Compared | null = period === null ? null : wholeWindow ? current : await compute(ctx, at(period), deps);

  const sentencePeriod: Period | null =
    period === null
      ? null
      : !wholeWindow
        ? { kind: "observed", from: period.from, to: period.to, timeZone: deps.timeZone }
        : params.from === undefined && params.to === undefined
          ? { kind: "last-days", days: params.days ?? DEFAULT_WINDOW_DAYS }
          : { kind: "range", from: window.from, to: window.to, timeZone: deps.timeZone };

  const metrics: ComparedMetricDto[] = COMPARED_METRICS.map((metric) => {
    const { effect, sentence, samples } = compareMetric(metric, compared, sentencePeriod);
    const serviceCount = (cohort: Methodology) => cohortSamples(metric, current.serviceCohorts[cohort]).length;
    return {
      id: metric.id,
      label: metric.label,
      unit: metric.unit,
      higherIsBetter: metric.higherIsBetter,
      devops: cohortValue(metric, current.metrics.cohorts.devops, previous.metrics.cohorts.devops, serviceCount("devops")),
      gitops: cohortValue(metric, current.metrics.cohorts.gitops, previous.metrics.cohorts.gitops, serviceCount("gitops")),
      effect,
      sentence,
      samples,
    };
  });

  return {
    window: current.metrics.window,
    previousWindow: { from: previousWindow.from.toISOString(), to: previousWindow.to.toISOString() },
    comparisonPeriod: period === null ? null : { from: period.from.toISOString(), to: period.to.toISOString(), wholeWindow },
    observedSince: { devops: since.devops?.toISOString() ?? null, gitops: since.gitops?.toISOString() ?? null },
    generatedAt: now.toISOString(),
    timeZone: deps.timeZone,
    provisional: current.metrics.provisional,
    method: {
      resamples: BOOTSTRAP_RESAMPLES,
      seed: BOOTSTRAP_SEED,
      prng: BOOTSTRAP_PRNG,
      level: BOOTSTRAP_LEVEL,
      minServices: MIN_SERVICES_PER_COHORT,
      minDeployments: MIN_DEPLOYMENTS_PER_COHORT,
    },
    cohorts: current.metrics.cohorts,
    metrics,
  };
}
