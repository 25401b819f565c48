// No `server-only` marker: tests call this directly, like `computeMetrics`; the route handler is the server entry.
import type { ViewerContext } from "@/lib/data/viewer";
import { isLocalDayStart, localDayOf } from "@/lib/time/local-days";
import type { ComparedMetricDto, ComparisonDto } from "@/lib/queries/compare";
import {
  type ExportFormat,
  type ExportParams,
  type ExportTable,
  type TeamRowMethodology,
  exportParamsSchema,
  metricsParamsOf,
  teamServicesLinks,
} from "@/lib/queries/export";
import type { GroupValuesDto, MetricValuesDto, MetricsDto, MetricsParams, ServiceMetricsDto, TeamMetricsDto } from "@/lib/queries/metrics";
import { compareMetrics } from "./compare-metrics";
import { type MetricsDeps, computeMetricsWithCohortValues } from "./compute-metrics";

/**
 * The Overview's three tables as rows for `GET /api/metrics/export`: the DevOps-versus-GitOps
 * comparison, every service, and every team per methodology. Values are those of `compareMetrics`
 * and `computeMetrics` for the same parameters, untouched: durations in hours, frequencies per day,
 * shares in [0, 1] (not percentages), null where the metric is undefined. Column names are stable
 * (snake_case, the unit in the name where it has one) because people build spreadsheets on them.
 */

/** One cell: a number in the column's unit, text, a flag, or null (no data; an empty CSV cell). */
export type ExportCell = string | number | boolean | null;
export type ExportRow = Record<string, ExportCell>;

export interface ExportColumnDto {
  name: string;
  description: string;
}

interface ExportColumn<Source> extends ExportColumnDto {
  value: (source: Source) => ExportCell;
}

/** The JSON export, and what the CSV export writes (a header line, then `rows` in `columns` order). */
export interface ExportDocument {
  table: ExportTable;
  window: { from: string; to: string };
  generatedAt: string;
  timeZone: string;
  columns: ExportColumnDto[];
  rows: ExportRow[];
}

const column = <Source>(name: string, description: string, value: (source: Source) => ExportCell): ExportColumn<Source> => ({ name, description, value });

/** The values a service and a team share (`MetricValuesDto`), in the order of the metric definitions. */
const VALUE_COLUMNS: ExportColumn<MetricValuesDto>[] = [
  column("deployment_count", "Successful production deployments in the window.", (v) => v.deploymentCount),
  column("attempt_count", "Finished production attempts (successful + failed) in the window.", (v) => v.attemptCount),
  column("unwitnessed_count", "Successful GitOps deployments known only from history (rebuilt from Git, or synced before the app was observed): in the frequency, left out of the success rate.", (v) => v.unwitnessedCount),
  column("deployments_per_day", "Successful deployments per day (teams: median of services).", (v) => v.deploymentsPerDay),
  column("deployment_days_per_week_median", "Deployment days per week, median over the window's weeks (teams: median of services).", (v) => v.deploymentDaysPerWeekMedian),
  column("deployment_days_per_month_median", "Deployment days per month, median over the window's months (teams: median of services).", (v) => v.deploymentDaysPerMonthMedian),
  column("deployment_frequency_tier", "DORA tier of deployment frequency: elite, high, medium, low; empty when undefined.", (v) => v.tiers.deploymentFrequency),
  column("lead_time_change_count", "Changes with a lead time (the lead time's sample).", (v) => v.leadTimeChangeCount),
  column("lead_time_median_hours", "Lead time for changes, median, in hours (teams: median of services).", (v) => v.leadTimeMedianHours),
  column("lead_time_p90_hours", "Lead time for changes, 90th percentile, in hours (teams: median of services).", (v) => v.leadTimeP90Hours),
  column("lead_time_coding_median_hours", "First commit to PR opened, median, in hours.", (v) => v.leadTimeBreakdown.codingMedianHours),
  column("lead_time_review_median_hours", "PR opened to merged, median, in hours.", (v) => v.leadTimeBreakdown.reviewMedianHours),
  column("lead_time_waiting_median_hours", "Merged to deployed, median, in hours.", (v) => v.leadTimeBreakdown.waitingMedianHours),
  column("lead_time_tier", "DORA tier of lead time.", (v) => v.tiers.leadTime),
  column("failed_change_count", "Successful deployments that needed remediation (failed changes).", (v) => v.failedChangeCount),
  column("change_fail_rate", "Failed changes / successful deployments, a share in [0, 1] (teams: pooled).", (v) => v.changeFailRate),
  column("change_fail_rate_tier", "DORA tier of change fail rate.", (v) => v.tiers.changeFailRate),
  column("recovered_count", "Failed changes with a recovery time.", (v) => v.recoveredCount),
  column("recovery_time_median_hours", "Failed deployment recovery time, median, in hours (teams: median of services).", (v) => v.recoveryTimeMedianHours),
  column("recovery_time_tier", "DORA tier of recovery time.", (v) => v.tiers.recoveryTime),
  column("rework_count", "Remediating deployments (rollbacks, revert or hotfix deployments).", (v) => v.reworkCount),
  column("rework_rate", "Remediating deployments / successful deployments, a share in [0, 1] (teams: pooled).", (v) => v.reworkRate),
  column("deployment_success_rate", "Successful / finished attempts, a share in [0, 1] (teams: pooled).", (v) => v.deploymentSuccessRate),
  column("traced_change_count", "Production changes considered for traceability.", (v) => v.changeTraceability.changeCount),
  column("approved_change_count", "Changes through a PR approved by someone other than its author.", (v) => v.changeTraceability.approvedChangeCount),
  column("approved_change_share", "approved_change_count / traced_change_count, a share in [0, 1].", (v) => v.changeTraceability.approvedChangeShare),
  column("known_commit_count", "Commits of production changes whose signature status is known.", (v) => v.changeTraceability.commitCount),
  column("signed_commit_count", "Of those, commits with a verified signature.", (v) => v.changeTraceability.signedCommitCount),
  column("signed_commit_share", "signed_commit_count / known_commit_count, a share in [0, 1].", (v) => v.changeTraceability.signedCommitShare),
  column("drift_observable", "Whether live drift could be observed in the window; when false the drift values are empty, not 0.", (v) => v.driftObservable),
  column("drift_episode_count", "Live drift episodes that started in the window.", (v) => v.driftEpisodeCount),
  column("drift_episodes_per_30_days", "Live drift episodes per 30 days of observed time (teams: median of services).", (v) => v.driftEpisodesPer30Days),
  column("reconciled_drift_count", "Live drift episodes that ended in the window.", (v) => v.reconciledDriftCount),
  column("drift_median_hours_to_reconcile", "Live drift episode start to end, median, in hours.", (v) => v.driftMedianHoursToReconcile),
  column("time_in_sync_ratio", "Share of observed time without live drift, in [0, 1].", (v) => v.timeInSyncRatio),
  column("drift_observed_hours", "Hours in the window during which drift was observed.", (v) => v.driftObservedHours),
  column("in_sync_hours", "Of those, hours without live drift.", (v) => v.inSyncHours),
  column("sync_lag_deployment_count", "GitOps deployments with a known desired-since instant.", (v) => v.syncLagDeploymentCount),
  column("sync_lag_median_hours", "Revision desired to GitOps deployment finished, median, in hours (GitOps only).", (v) => v.syncLagMedianHours),
  column("provisional", "A value may still change: it depends on the next 7 days.", (v) => v.provisional),
  column("tiers_version", "Version of the tier bands the tiers were read from.", (v) => v.tiers.version),
];

const withValues = <Source>(pick: (source: Source) => MetricValuesDto): ExportColumn<Source>[] =>
  VALUE_COLUMNS.map((entry) => ({ ...entry, value: (source: Source) => entry.value(pick(source)) }));

type ServiceSource = ServiceMetricsDto & { methodology: "devops" | "gitops" | "both" | null };

const SERVICE_COLUMNS: ExportColumn<ServiceSource>[] = [
  column("service_slug", "The service's slug.", (s) => s.slug),
  column("service_name", "The service's name.", (s) => s.name),
  column("team_slug", "Its team's slug; empty without a team.", (s) => s.team?.slug ?? null),
  column("team_name", "Its team's name; empty without a team.", (s) => s.team?.name ?? null),
  column("methodology", "How it shipped in the window: devops, gitops or both; empty without a finished attempt.", (s) => s.methodology),
  ...withValues<ServiceSource>((s) => s),
];

interface TeamSource {
  team: TeamMetricsDto;
  methodology: TeamRowMethodology;
  values: GroupValuesDto;
  /** Where the services behind the row are listed: only this methodology, and both methodologies. */
  servicesUrl: string | null;
  servicesBothUrl: string | null;
}

const TEAM_COLUMNS: ExportColumn<TeamSource>[] = [
  column("team_slug", "The team's slug.", (t) => t.team.slug),
  column("team_name", "The team's name.", (t) => t.team.name),
  column("methodology", "all: the team's values over every deployment; devops or gitops: over that methodology's deployments only.", (t) => t.methodology),
  column("active_service_count", "Services with a finished attempt (of this methodology) in the window: the ones the medians are taken over.", (t) => t.values.activeServiceCount),
  column("drift_observable_service_count", "Services whose drift is observable: the ones the drift values are taken over.", (t) => t.values.driftObservableServiceCount),
  ...withValues<TeamSource>((t) => t.values),
  column(
    "services_url",
    "The Services page listing the services behind the row: for all, the team's services; for devops or gitops, those that shipped only that way (empty when none).",
    (t) => t.servicesUrl,
  ),
  column(
    "services_both_url",
    "For devops or gitops, the Services page listing the team's services that shipped both ways, which count in this row too (empty when none, and for all).",
    (t) => t.servicesBothUrl,
  ),
];

interface OverviewSource {
  metric: ComparedMetricDto;
  comparison: ComparisonDto;
}

const cohortColumns = (cohort: "devops" | "gitops"): ExportColumn<OverviewSource>[] => [
  column(`${cohort}_value`, `The ${cohort === "devops" ? "DevOps" : "GitOps"} cohort's value in the metric's unit.`, (o) => o.metric[cohort].value),
  column(`${cohort}_tier`, "Its DORA tier; empty when the metric has none or the value is undefined.", (o) => o.metric[cohort].tier),
  column(`${cohort}_previous_value`, "The same over the previous window of the same length.", (o) => o.metric[cohort].previous),
  column(`${cohort}_change`, "Value against previous: see change_kind.", (o) => o.metric[cohort].change),
  column(`${cohort}_service_count`, "Services contributing a value.", (o) => o.metric[cohort].serviceCount),
  column(`${cohort}_provisional`, "The value may still change: it depends on the next 7 days.", (o) => o.metric[cohort].provisional),
];

type CompletedEffect = Extract<ComparedMetricDto["effect"], { status: "compared" }>;
const compared = (o: OverviewSource): CompletedEffect | null => (o.metric.effect.status === "compared" ? o.metric.effect : null);

const OVERVIEW_COLUMNS: ExportColumn<OverviewSource>[] = [
  column("metric_id", "The metric's id, as in GET /api/metrics/compare.", (o) => o.metric.id),
  column("metric_label", "The metric's name.", (o) => o.metric.label),
  column("unit", "Unit of the values: per-day, hours, share (in [0, 1]) or per-30-days.", (o) => o.metric.unit),
  column("higher_is_better", "Whether a higher value is better.", (o) => o.metric.higherIsBetter),
  ...cohortColumns("devops"),
  ...cohortColumns("gitops"),
  column("change_kind", "Unit of the *_change columns: ratio (value / previous) or percentage_points (value − previous, for shares).", (o) =>
    o.metric.unit === "share" ? "percentage_points" : "ratio",
  ),
  column("effect_status", "compared, not-enough-data or not-applicable.", (o) => o.metric.effect.status),
  column("effect_kind", "ratio (GitOps / DevOps) or difference (GitOps − DevOps, in percentage points).", (o) => o.metric.effect.kind),
  column("effect_estimate", "The effect over the comparison period, in the unit effect_kind says; empty unless compared.", (o) => compared(o)?.estimate ?? null),
  column("effect_ci_low", "Lower bound of the bootstrap 95 % interval; empty when unbounded or undefined.", (o) => compared(o)?.interval?.low ?? null),
  column("effect_ci_high", "Upper bound of the bootstrap 95 % interval.", (o) => compared(o)?.interval?.high ?? null),
  column("effect_verdict", "gitops-better, devops-better, no-clear-difference or unknown; empty unless compared.", (o) => compared(o)?.verdict ?? null),
  column("effect_devops_value", "The DevOps value over the comparison period (the effect's input).", (o) => compared(o)?.devopsValue ?? null),
  column("effect_gitops_value", "The GitOps value over the comparison period.", (o) => compared(o)?.gitopsValue ?? null),
  column("sentence", "The comparison in one sentence, as the Overview shows it.", (o) => o.metric.sentence),
  column("window_from", "Start of the window, inclusive (ISO 8601).", (o) => o.comparison.window.from),
  column("window_to", "End of the window, exclusive.", (o) => o.comparison.window.to),
  column("previous_window_from", "Start of the previous window.", (o) => o.comparison.previousWindow.from),
  column("previous_window_to", "End of the previous window.", (o) => o.comparison.previousWindow.to),
  column("comparison_from", "Start of the comparison period (both cohorts observed); empty when they never overlap.", (o) => o.comparison.comparisonPeriod?.from ?? null),
  column("comparison_to", "End of the comparison period.", (o) => o.comparison.comparisonPeriod?.to ?? null),
  column("comparison_whole_window", "Whether the comparison period is the whole window.", (o) => o.comparison.comparisonPeriod?.wholeWindow ?? null),
];

function rowsOf<Source>(columns: ExportColumn<Source>[], sources: Source[]): { columns: ExportColumnDto[]; rows: ExportRow[] } {
  return {
    columns: columns.map(({ name, description }) => ({ name, description })),
    rows: sources.map((source) => Object.fromEntries(columns.map((entry) => [entry.name, entry.value(source)]))),
  };
}

/** The overview table: one row per compared metric. */
export function overviewExportRows(comparison: ComparisonDto): { columns: ExportColumnDto[]; rows: ExportRow[] } {
  return rowsOf(
    OVERVIEW_COLUMNS,
    comparison.metrics.map((metric) => ({ metric, comparison })),
  );
}

/** The services table: every service in scope, with how it shipped in the window. */
export function serviceExportRows(
  metrics: MetricsDto,
  cohorts: Record<"devops" | "gitops", readonly { slug: string }[]>,
): { columns: ExportColumnDto[]; rows: ExportRow[] } {
  const devops = new Set(cohorts.devops.map((service) => service.slug));
  const gitops = new Set(cohorts.gitops.map((service) => service.slug));
  const methodologyOf = (slug: string): ServiceSource["methodology"] =>
    devops.has(slug) ? (gitops.has(slug) ? "both" : "devops") : gitops.has(slug) ? "gitops" : null;
  return rowsOf(
    SERVICE_COLUMNS,
    metrics.services.map((service) => ({ ...service, methodology: methodologyOf(service.slug) })),
  );
}

/**
 * The teams table: per team its `all` row, then one row per methodology it shipped with in the
 * window. Teams without a finished attempt keep their `all` row (zeros and empty values), so a
 * spreadsheet lists every team. `baseUrl` makes the Services links absolute (clickable in a spreadsheet).
 */
export function teamExportRows(metrics: MetricsDto, params: MetricsParams, baseUrl = ""): { columns: ExportColumnDto[]; rows: ExportRow[] } {
  const sources: TeamSource[] = metrics.teams.flatMap((team) =>
    (["all", "devops", "gitops"] as const).flatMap((methodology): TeamSource[] => {
      const values = methodology === "all" ? team : team.byMethodology[methodology];
      if (!values) return [];
      const links = teamServicesLinks(team, methodology, params);
      const url = (wanted: (filter: string | null) => boolean) => {
        const link = links.find((candidate) => wanted(candidate.filter));
        return link ? `${baseUrl}${link.href}` : null;
      };
      return [{ team, methodology, values, servicesUrl: url((filter) => filter !== "both"), servicesBothUrl: url((filter) => filter === "both") }];
    }),
  );
  return rowsOf(TEAM_COLUMNS, sources);
}

/**
 * One table of the Overview as an export document, for `GET /api/metrics/export` (see
 * `exportParamsSchema`). Needs `metrics:read` (checked by the functions it calls).
 */
export async function buildExport(
  ctx: ViewerContext,
  rawParams: ExportParams | (MetricsParams & { table: ExportTable; format?: ExportFormat }),
  deps: MetricsDeps,
  options: { baseUrl?: string } = {},
): Promise<ExportDocument> {
  const parsed = exportParamsSchema.parse(rawParams);
  const { table } = parsed;
  const params = metricsParamsOf(parsed);
  if (table === "overview") {
    const comparison = await compareMetrics(ctx, params, deps);
    return { table, window: comparison.window, generatedAt: comparison.generatedAt, timeZone: comparison.timeZone, ...overviewExportRows(comparison) };
  }
  const { metrics, serviceCohorts } = await computeMetricsWithCohortValues(ctx, params, deps);
  const body = table === "services" ? serviceExportRows(metrics, serviceCohorts) : teamExportRows(metrics, params, options.baseUrl ?? "");
  return { table, window: metrics.window, generatedAt: metrics.generatedAt, timeZone: metrics.timeZone, ...body };
}

/** Text a spreadsheet would run as a formula (or a DDE payload): `=`, `+`, `-`, `@`, and tab or CR before them. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field (RFC 4180): null is an empty field; numbers and flags are written as they are (a
 * negative number stays a number); text starting like a formula gets a leading `'`, which
 * spreadsheets read as "this is text", since team and service names come from outside; a field
 * holding a comma, a quote or a line break is quoted, quotes doubled.
 */
export function csvField(value: ExportCell): string {
  if (value === null) return "";
  const text = typeof value === "string" ? (FORMULA_START.test(value) ? `'${value}` : value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The CSV lines of a document, each ending in CRLF: the header (column names), then one line per row. */
export function* csvLines(document: Pick<ExportDocument, "columns" | "rows">): Generator<string> {
  const names = document.columns.map((entry) => entry.name);
  yield `${names.map(csvField).join(",")}\r\n`;
  for (const row of document.rows) yield `${names.map((name) => csvField(row[name] ?? null)).join(",")}\r\n`;
}

/** Lines per chunk of the stream: enough to keep chunk overhead low, small enough to start at once. */
const LINES_PER_CHUNK = 200;

/** The CSV as a byte stream, produced as the client reads it rather than as one string held in memory. */
export function csvStream(document: Pick<ExportDocument, "columns" | "rows">): ReadableStream<Uint8Array> {
  const lines = csvLines(document);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      let chunk = "";
      for (let count = 0; count < LINES_PER_CHUNK; count += 1) {
        const next = lines.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += next.value;
      }
      controller.enqueue(encoder.encode(chunk));
    },
  });
}

/**
 * `pipeline-health-<table>-<from>-<to>.<ext>`: the window's local days (ORG_TIMEZONE) when it is
 * made of whole days, as the pages' windows are (`to` is exclusive, as in the API); otherwise its
 * instants in compact UTC, which has no `:` that some file systems refuse.
 */
export function exportFileName(table: ExportTable, format: ExportFormat, window: { from: string; to: string }, timeZone: string): string {
  const from = new Date(window.from);
  const to = new Date(window.to);
  const wholeDays = isLocalDayStart(from, timeZone) && isLocalDayStart(to, timeZone);
  const stamp = (instant: Date) => (wholeDays ? localDayOf(instant, timeZone) : instant.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, ""));
  return `pipeline-health-${table}-${stamp(from)}-${stamp(to)}.${format}`;
}
