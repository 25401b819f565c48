import { parseArgs } from "node:util";
import { ZodError } from "zod";
import { resolveDatabase } from "@/lib/cli/database";
import { getClock } from "@/lib/clock";
import { compareMetrics } from "@/lib/data/metrics/compare-metrics";
import { computeMetrics } from "@/lib/data/metrics/compute-metrics";
import { systemContext } from "@/lib/data/viewer";
import { createPrismaClient } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { ComparisonDto } from "@/lib/queries/compare";
import { type MetricValuesDto, type MetricsDto, metricsParamsSchema } from "@/lib/queries/metrics";

/** Exit code for arguments the command cannot use (unknown option, bad date, unknown team or service). */
const EXIT_BAD_ARGUMENTS = 2;

const format = (value: number | null, digits = 2): string => (value === null ? "—" : value.toFixed(digits));
const percent = (value: number | null): string => (value === null ? "—" : `${(value * 100).toFixed(1)}%`);

function summaryLine(label: string, values: MetricValuesDto): string {
  return [
    label.padEnd(24),
    `deploys ${String(values.deploymentCount).padStart(4)}`,
    `per day ${format(values.deploymentsPerDay).padStart(6)}`,
    `lead p50 ${format(values.leadTimeMedianHours, 1).padStart(7)}h`,
    `CFR ${percent(values.changeFailRate).padStart(6)}`,
    `recovery ${format(values.recoveryTimeMedianHours, 1).padStart(6)}h`,
    `rework ${percent(values.reworkRate).padStart(6)}`,
    `success ${percent(values.deploymentSuccessRate).padStart(6)}`,
    // "n/o": drift not observable, which is not the same as no drift.
    `drift/30d ${(values.driftObservable ? format(values.driftEpisodesPer30Days) : "n/o").padStart(6)}`,
    `reconcile ${format(values.driftMedianHoursToReconcile, 1).padStart(6)}h`,
    `in sync ${(values.driftObservable ? percent(values.timeInSyncRatio) : "n/o").padStart(6)}`,
    `sync lag ${format(values.syncLagMedianHours, 1).padStart(6)}h`,
    values.provisional ? "provisional" : "",
  ].join("  ");
}

/** The CLI's report: the metrics resource, with the comparison the Overview shows under `comparison`. */
export type MetricsReport = MetricsDto & { comparison: ComparisonDto };

/** A short table for people; `--json` is the contract for scripts. */
function renderText(report: MetricsReport): string {
  const lines = [`Window [${report.window.from}, ${report.window.to})  time zone ${report.timeZone}${report.provisional ? "  (provisional)" : ""}`, ""];
  lines.push("DevOps vs GitOps", ...report.comparison.metrics.map((metric) => `  ${metric.sentence}`), "");
  lines.push("Cohorts", summaryLine("  devops", report.cohorts.devops), summaryLine("  gitops", report.cohorts.gitops), "");
  if (report.teams.length) lines.push("Teams", ...report.teams.map((team) => summaryLine(`  ${team.slug}`, team)), "");
  lines.push("Services", ...report.services.map((service) => summaryLine(`  ${service.slug}`, service)));
  return `${lines.join("\n")}\n`;
}

/**
 * `npm run cli -- metrics [--json] [--from ISO] [--to ISO] [--days N] [--team NAMES] [--environment NAMES] [--service SLUG]`: the same
 * report as `GET /api/metrics`, from the same function (`computeMetrics`), acting as the system.
 * With `--json`, stdout carries exactly one JSON object; problems go to stderr. Exit 2 for bad
 * arguments, 1 for anything else.
 */
export async function runMetrics(args: string[]): Promise<number> {
  let values: { json?: boolean; from?: string; to?: string; days?: string; team?: string; environment?: string; service?: string };
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        json: { type: "boolean" },
        from: { type: "string" },
        to: { type: "string" },
        days: { type: "string" },
        team: { type: "string" },
        environment: { type: "string" },
        service: { type: "string" },
      },
    }));
  } catch (error) {
    process.stderr.write(`metrics: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_BAD_ARGUMENTS;
  }
  const { json, ...rawParams } = values;
  const parsed = metricsParamsSchema.safeParse(Object.fromEntries(Object.entries(rawParams).filter(([, value]) => value !== undefined)));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) process.stderr.write(`metrics: --${issue.path.join(".") || "arguments"}: ${issue.message}\n`);
    return EXIT_BAD_ARGUMENTS;
  }

  const env = getEnv();
  const database = await resolveDatabase();
  const db = createPrismaClient(database.url, { poolMax: 2 });
  try {
    const ctx = systemContext(getClock(), undefined, "cli metrics");
    const deps = { db, timeZone: env.ORG_TIMEZONE };
    // The clock is read once per function; both describe the same window as long as they run the same day,
    // and the comparison carries its own window for a script to check.
    const report: MetricsReport = { ...(await computeMetrics(ctx, parsed.data, deps)), comparison: await compareMetrics(ctx, parsed.data, deps) };
    process.stdout.write(json ? `${JSON.stringify(report)}\n` : renderText(report));
    return 0;
  } catch (error) {
    // An unknown team or service, or a window that resolves empty, is the caller's argument.
    if (error instanceof AppError && (error.code === "NOT_FOUND" || error.code === "UNPROCESSABLE")) {
      process.stderr.write(`metrics: ${error.message}\n`);
      return EXIT_BAD_ARGUMENTS;
    }
    if (error instanceof ZodError) {
      process.stderr.write(`metrics: ${error.message}\n`);
      return EXIT_BAD_ARGUMENTS;
    }
    throw error;
  } finally {
    await db.$disconnect();
    await database.release();
  }
}
