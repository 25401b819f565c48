import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { frozenClock } from "@/lib/clock";
import { compareMetrics } from "@/lib/data/metrics/compare-metrics";
import { computeMetrics } from "@/lib/data/metrics/compute-metrics";
import { type ExportCell, type ExportDocument, buildExport, csvStream } from "@/lib/data/metrics/export-metrics";
import { listServiceMetrics } from "@/lib/data/metrics/list-service-metrics";
import { systemContext } from "@/lib/data/viewer";
import type { Db } from "@/lib/db/client";
import { toErrorResponse } from "@/lib/errors";
import type { ComparedMetricDto, ComparisonDto } from "@/lib/queries/compare";
import type { MetricValuesDto, MetricsDto } from "@/lib/queries/metrics";
import { serviceListParamsSchema } from "@/lib/queries/services";
import { parseCsvObjects } from "../fixtures/parse-csv";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * The exports against the functions the pages use, over a hand-built catalog whose names carry
 * every CSV hazard (commas, quotes, line breaks, leading `=`, `+`, `-`, `@`). Expected cells are
 * written from the DTOs by this file's own mapping and its own RFC 4180 reader, not the product's.
 *
 * Window [2026-01-05, 2026-01-19) UTC, 14 days; the previous window has a few deployments too.
 */
const FROM = "2026-01-05T00:00:00.000Z";
const TO = "2026-01-19T00:00:00.000Z";
const NOW = "2026-03-01T00:00:00.000Z";
const HOUR = 3_600_000;
const BASE_URL = "https://ph.example";
const PARAMS = { from: FROM, to: TO };

let testDb: TestDatabase;
let db: Db;
const ctx = systemContext(frozenClock(NOW));
const deps = () => ({ db, timeZone: "UTC" });

/** Service slug → [name, team slug or null]; the names are the hazards. */
const SERVICES: Record<string, [string, string | null]> = {
  d1: ["Checkout, web", "payments"],
  d2: ['Ledger "core"', "payments"],
  d3: ["=cmd|' /C calc'!A0", "platform"],
  d4: ["+tax", "platform"],
  d5: ["-lint\r\nrunner", null],
  g1: ["@sync", "payments"],
  g2: ["multi\nline", "gitops-crew"],
  g3: ["Argo, the app", "gitops-crew"],
  g4: ["flux-one", "gitops-crew"],
  g5: ["flux-two", "gitops-crew"],
  mixed: ["Mixed, both ways", "payments"],
  quiet: ["Quiet", "idle"],
};
const TEAMS: Record<string, string> = { payments: 'Payments, "EU"', platform: "=Platform", "gitops-crew": "GitOps\ncrew", idle: "Idle" };
const METHODOLOGY: Record<string, string> = { d1: "devops", d2: "devops", d3: "devops", d4: "devops", d5: "devops", g1: "gitops", g2: "gitops", g3: "gitops", g4: "gitops", g5: "gitops", mixed: "both", quiet: "" };

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
  const integrationId = (await db.integration.create({ data: { kind: "GITHUB", name: "export-test", origin: "DATABASE", baseUrl: "http://127.0.0.1" } })).id;
  const repositoryId = (await db.repository.create({ data: { integrationId, externalId: "1", owner: "acme", name: "app", fullName: "acme/app", defaultBranch: "main" } })).id;
  const teamIds: Record<string, string> = {};
  for (const [slug, name] of Object.entries(TEAMS)) teamIds[slug] = (await db.team.create({ data: { slug, name } })).id;
  const serviceIds: Record<string, string> = {};
  for (const [slug, [name, team]] of Object.entries(SERVICES)) {
    serviceIds[slug] = (await db.service.create({ data: { slug, name, teamId: team === null ? null : teamIds[team] } })).id;
  }

  let sequence = 0;
  const deploy = async (
    service: string,
    methodology: "DEVOPS" | "GITOPS",
    finishedAt: Date,
    options: { status?: "SUCCESS" | "FAILURE"; leadHours?: number; failed?: boolean; rework?: boolean; remediatedById?: string; provisional?: boolean } = {},
  ): Promise<string> => {
    sequence += 1;
    const row = await db.deployment.create({
      data: {
        integrationId,
        source: methodology === "GITOPS" ? "ARGOCD" : "GITHUB_DEPLOYMENT",
        externalId: `d-${sequence}`,
        methodology,
        serviceId: serviceIds[service],
        repositoryId,
        environment: "production",
        isProduction: true,
        commitSha: `sha-${sequence}`,
        commitResolution: "DEPLOYMENT_SHA",
        status: options.status ?? "SUCCESS",
        startedAt: new Date(finishedAt.getTime() - 10 * 60_000),
        finishedAt,
        isFailedChange: options.failed ?? false,
        isRework: options.rework ?? false,
        isRollback: options.rework ?? false,
        remediatedById: options.remediatedById ?? null,
        provisional: options.provisional ?? false,
        sourceUpdatedAt: new Date(NOW),
      },
    });
    if (options.leadHours !== undefined && (options.status ?? "SUCCESS") === "SUCCESS") {
      await db.deploymentChange.create({
        data: {
          integrationId,
          deploymentId: row.id,
          kind: "DIRECT_PUSH",
          commitSha: `change-${sequence}`,
          firstCommitAt: new Date(finishedAt.getTime() - options.leadHours * HOUR),
          leadTimeSeconds: Math.round(options.leadHours * 3600),
        },
      });
    }
    return row.id;
  };

  // Five successful deployments per service in the window (days 1, 3, 5, 8, 11), lead times that
  // differ by service and methodology, so no two cohorts or teams share a value by accident.
  const days = [1, 3, 5, 8, 11];
  const at = (day: number, hour: number) => new Date(Date.parse(FROM) + day * 24 * HOUR + hour * HOUR);
  const devops = ["d1", "d2", "d3", "d4", "d5"];
  const gitops = ["g1", "g2", "g3", "g4", "g5"];
  for (const [index, service] of devops.entries()) {
    for (const [n, day] of days.entries()) await deploy(service, "DEVOPS", at(day, 9 + index), { leadHours: 20 + index * 7 + n * 3 });
    await deploy(service, "DEVOPS", at(6, 9), { status: "FAILURE" });
  }
  for (const [index, service] of gitops.entries()) {
    for (const [n, day] of days.entries()) {
      await deploy(service, "GITOPS", at(day, 12 + index), { leadHours: 4 + index * 2.5 + n, provisional: service === "g3" && n === 4 });
    }
  }
  // Failed changes remediated by a later deployment: d1 (DevOps) and g2 (GitOps).
  const d1Fix = await deploy("d1", "DEVOPS", at(12, 15), { rework: true, leadHours: 1 });
  await deploy("d1", "DEVOPS", at(12, 12), { failed: true, remediatedById: d1Fix, leadHours: 30 });
  const g2Fix = await deploy("g2", "GITOPS", at(9, 16), { rework: true, leadHours: 0.5 });
  await deploy("g2", "GITOPS", at(9, 14), { failed: true, remediatedById: g2Fix, leadHours: 6 });
  // "mixed" ships both ways; so does nobody else.
  for (const day of [2, 7, 10]) await deploy("mixed", "DEVOPS", at(day, 10), { leadHours: 40 + day });
  for (const day of [4, 9, 12]) await deploy("mixed", "GITOPS", at(day, 10), { leadHours: 3 + day });
  // The previous window [2025-12-22, 2026-01-05): a few of each, so `previous` has values.
  for (const service of [...devops, ...gitops]) {
    await deploy(service, service.startsWith("d") ? "DEVOPS" : "GITOPS", new Date(Date.parse(FROM) - 5 * 24 * HOUR), { leadHours: 50 });
  }
});

afterAll(async () => {
  await testDb?.close();
});

async function exported(table: "overview" | "services" | "teams", format: "csv" | "json" = "csv", params: Record<string, string | number> = PARAMS) {
  const document = await buildExport(ctx, { ...params, table, format }, deps(), { baseUrl: BASE_URL });
  const csv = await new Response(csvStream(document)).text();
  return { document, csv, parsed: parseCsvObjects(csv) };
}

/** What a CSV cell must read, written independently of the product: text starting like a formula gets a `'`. */
function cellText(value: ExportCell): string {
  if (value === null) return "";
  if (typeof value === "string") return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return String(value);
}

/** The value columns a service and a team share, mapped from the DTO by hand. */
const VALUE_COLUMNS: [string, (values: MetricValuesDto) => ExportCell][] = [
  ["deployment_count", (v) => v.deploymentCount],
  ["attempt_count", (v) => v.attemptCount],
  ["unwitnessed_count", (v) => v.unwitnessedCount],
  ["deployments_per_day", (v) => v.deploymentsPerDay],
  ["deployment_days_per_week_median", (v) => v.deploymentDaysPerWeekMedian],
  ["deployment_days_per_month_median", (v) => v.deploymentDaysPerMonthMedian],
  ["deployment_frequency_tier", (v) => v.tiers.deploymentFrequency],
  ["lead_time_change_count", (v) => v.leadTimeChangeCount],
  ["lead_time_median_hours", (v) => v.leadTimeMedianHours],
  ["lead_time_p90_hours", (v) => v.leadTimeP90Hours],
  ["lead_time_coding_median_hours", (v) => v.leadTimeBreakdown.codingMedianHours],
  ["lead_time_review_median_hours", (v) => v.leadTimeBreakdown.reviewMedianHours],
  ["lead_time_waiting_median_hours", (v) => v.leadTimeBreakdown.waitingMedianHours],
  ["lead_time_tier", (v) => v.tiers.leadTime],
  ["failed_change_count", (v) => v.failedChangeCount],
  ["change_fail_rate", (v) => v.changeFailRate],
  ["change_fail_rate_tier", (v) => v.tiers.changeFailRate],
  ["recovered_count", (v) => v.recoveredCount],
  ["recovery_time_median_hours", (v) => v.recoveryTimeMedianHours],
  ["recovery_time_tier", (v) => v.tiers.recoveryTime],
  ["rework_count", (v) => v.reworkCount],
  ["rework_rate", (v) => v.reworkRate],
  ["deployment_success_rate", (v) => v.deploymentSuccessRate],
  ["traced_change_count", (v) => v.changeTraceability.changeCount],
  ["approved_change_count", (v) => v.changeTraceability.approvedChangeCount],
  ["approved_change_share", (v) => v.changeTraceability.approvedChangeShare],
  ["known_commit_count", (v) => v.changeTraceability.commitCount],
  ["signed_commit_count", (v) => v.changeTraceability.signedCommitCount],
  ["signed_commit_share", (v) => v.changeTraceability.signedCommitShare],
  ["drift_observable", (v) => v.driftObservable],
  ["drift_episode_count", (v) => v.driftEpisodeCount],
  ["drift_episodes_per_30_days", (v) => v.driftEpisodesPer30Days],
  ["reconciled_drift_count", (v) => v.reconciledDriftCount],
  ["drift_median_hours_to_reconcile", (v) => v.driftMedianHoursToReconcile],
  ["time_in_sync_ratio", (v) => v.timeInSyncRatio],
  ["drift_observed_hours", (v) => v.driftObservedHours],
  ["in_sync_hours", (v) => v.inSyncHours],
  ["sync_lag_deployment_count", (v) => v.syncLagDeploymentCount],
  ["sync_lag_median_hours", (v) => v.syncLagMedianHours],
  ["provisional", (v) => v.provisional],
  ["tiers_version", (v) => v.tiers.version],
];

function expectValues(row: Record<string, string>, values: MetricValuesDto, what: string): void {
  for (const [name, pick] of VALUE_COLUMNS) expect(row[name], `${what} ${name}`).toBe(cellText(pick(values)));
}

/** Numeric cells parse back to exactly the DTO's number (JavaScript's shortest round-trip form). */
function expectExactNumber(cell: string | undefined, value: number | null, what: string): void {
  if (value === null) expect(cell, what).toBe("");
  else expect(Number(cell), what).toBe(value);
}

describe("services export", () => {
  let metrics: MetricsDto;
  let csv: string;
  let rows: Record<string, string>[];
  let header: string[];
  let document: ExportDocument;

  beforeAll(async () => {
    metrics = await computeMetrics(ctx, PARAMS, deps());
    ({ csv, document, parsed: { rows, header } } = await exported("services"));
  });

  it("has every service, not a page, with the values of computeMetrics for the same parameters", () => {
    expect(header.slice(0, 5)).toEqual(["service_slug", "service_name", "team_slug", "team_name", "methodology"]);
    expect(header).toEqual(document.columns.map((entry) => entry.name));
    expect(rows.map((row) => row.service_slug)).toEqual(metrics.services.map((service) => service.slug));
    expect(rows).toHaveLength(Object.keys(SERVICES).length);
    for (const service of metrics.services) {
      const row = rows.find((candidate) => candidate.service_slug === service.slug)!;
      expectValues(row, service, service.slug);
      expectExactNumber(row.lead_time_median_hours, service.leadTimeMedianHours, `${service.slug} lead time`);
      expectExactNumber(row.deployments_per_day, service.deploymentsPerDay, `${service.slug} per day`);
      expect(row.methodology, service.slug).toBe(METHODOLOGY[service.slug]);
      expect(row.team_slug).toBe(SERVICES[service.slug]![1] ?? "");
    }
    // The catalog gives the numbers something to be: a failed change, lead times, a provisional flag.
    const d1 = rows.find((row) => row.service_slug === "d1")!;
    expect(d1.failed_change_count).toBe("1");
    expect(Number(d1.change_fail_rate)).toBeCloseTo(1 / 7, 12);
    expect(Number(d1.recovery_time_median_hours)).toBeCloseTo(3, 9);
    expect(rows.find((row) => row.service_slug === "g3")!.provisional).toBe("true");
  });

  it("quotes commas, quotes and line breaks in names, which read back exactly", () => {
    const name = (slug: string) => rows.find((row) => row.service_slug === slug)!.service_name;
    expect(name("d1")).toBe("Checkout, web");
    expect(name("d2")).toBe('Ledger "core"');
    expect(name("g2")).toBe("multi\nline");
    expect(csv).toContain('"Checkout, web"');
    expect(csv).toContain('"Ledger ""core"""');
    expect(csv).toContain('"multi\nline"');
    expect(rows.find((row) => row.service_slug === "d1")!.team_name).toBe('Payments, "EU"');
    expect(rows.find((row) => row.service_slug === "g2")!.team_name).toBe("GitOps\ncrew");
  });

  it("guards text a spreadsheet would run as a formula, in CSV only", () => {
    const name = (slug: string) => rows.find((row) => row.service_slug === slug)!.service_name;
    expect(name("d3")).toBe("'=cmd|' /C calc'!A0");
    expect(name("d4")).toBe("'+tax");
    expect(name("d5")).toBe("'-lint\r\nrunner");
    expect(name("g1")).toBe("'@sync");
    expect(rows.find((row) => row.service_slug === "d3")!.team_name).toBe("'=Platform");
    // JSON carries the names as they are: no spreadsheet evaluates it.
    expect(document.rows.find((row) => row.service_slug === "d3")!.service_name).toBe("=cmd|' /C calc'!A0");
    // No line of the CSV starts a cell with a bare formula character.
    expect(csv).not.toMatch(/(^|,)[=+@]/m);
  });

  it("writes null as an empty cell, and 0 as 0", () => {
    const quiet = rows.find((row) => row.service_slug === "quiet")!;
    expect(quiet).toMatchObject({ deployment_count: "0", attempt_count: "0", deployments_per_day: "", lead_time_median_hours: "", change_fail_rate: "", lead_time_tier: "", methodology: "" });
    const d2 = rows.find((row) => row.service_slug === "d2")!;
    expect(d2.failed_change_count).toBe("0");
    expect(d2.change_fail_rate).toBe("0");
    expect(d2.recovery_time_median_hours).toBe("");
  });

  it("the JSON export has the same rows as the CSV, and the document's window and time", async () => {
    const json = (await exported("services", "json")).document;
    expect(json.rows).toEqual(document.rows);
    expect(rows).toEqual(json.rows.map((row) => Object.fromEntries(json.columns.map(({ name }) => [name, cellText(row[name] ?? null)]))));
    expect(json).toMatchObject({ table: "services", window: metrics.window, generatedAt: NOW, timeZone: "UTC" });
    expect(json.columns.every((entry) => entry.description.length > 10)).toBe(true);
    // A JSON round trip keeps it (numbers, nulls, flags).
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it("follows the metrics parameters: a team filter selects its services", async () => {
    const { parsed } = await exported("services", "csv", { ...PARAMS, team: "platform" });
    expect(parsed.rows.map((row) => row.service_slug)).toEqual(["d3", "d4"]);
  });
});

describe("teams export", () => {
  let metrics: MetricsDto;
  let rows: Record<string, string>[];
  let document: ExportDocument;

  beforeAll(async () => {
    metrics = await computeMetrics(ctx, PARAMS, deps());
    ({ document, parsed: { rows } } = await exported("teams"));
  });

  it("has per team its all row, then one row per methodology it shipped with, with computeMetrics' team values", () => {
    expect(rows.map((row) => `${row.team_slug}:${row.methodology}`)).toEqual([
      "gitops-crew:all",
      "gitops-crew:gitops",
      "idle:all",
      "payments:all",
      "payments:devops",
      "payments:gitops",
      "platform:all",
      "platform:devops",
    ]);
    for (const team of metrics.teams) {
      const of = (methodology: string) => rows.find((row) => row.team_slug === team.slug && row.methodology === methodology);
      expectValues(of("all")!, team, `${team.slug} all`);
      expect(of("all")!.active_service_count).toBe(String(team.activeServiceCount));
      for (const methodology of ["devops", "gitops"] as const) {
        const values = team.byMethodology[methodology];
        if (values === null) expect(of(methodology)).toBeUndefined();
        else {
          expectValues(of(methodology)!, values, `${team.slug} ${methodology}`);
          expect(of(methodology)!.active_service_count).toBe(String(values.activeServiceCount));
          expect(of(methodology)!.drift_observable_service_count).toBe(String(values.driftObservableServiceCount));
        }
      }
    }
    const payments = (methodology: string) => rows.find((row) => row.team_slug === "payments" && row.methodology === methodology)!;
    // payments: d1, d2 and mixed ship with DevOps, g1 and mixed with GitOps: 4 services, one both ways.
    expect([payments("all").active_service_count, payments("devops").active_service_count, payments("gitops").active_service_count]).toEqual(["4", "3", "2"]);
    expect(payments("all").team_name).toBe('Payments, "EU"');
    expect(rows.find((row) => row.team_slug === "platform")!.team_name).toBe("'=Platform");
  });

  it("links each row to Services lists that together hold exactly the services behind it", async () => {
    const payments = (methodology: string) => rows.find((row) => row.team_slug === "payments" && row.methodology === methodology)!;
    expect(payments("devops").services_url).toBe(`${BASE_URL}/services?team=payments&methodology=devops&from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`);
    expect(payments("devops").services_both_url).toBe(`${BASE_URL}/services?team=payments&methodology=both&from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`);
    expect(payments("all").services_url).toBe(`${BASE_URL}/services?team=payments&from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`);
    expect(payments("all").services_both_url).toBe("");
    expect(rows.find((row) => row.team_slug === "platform" && row.methodology === "devops")!.services_both_url).toBe("");

    // Open each link the way the Services page would (its own schema, its own data function).
    const listed = async (url: string): Promise<string[]> => {
      if (url === "") return [];
      const search = new URL(url).searchParams;
      expect(new URL(url).pathname).toBe("/services");
      const list = await listServiceMetrics(ctx, serviceListParamsSchema.parse({ ...Object.fromEntries(search), pageSize: "100" }), deps());
      return list.rows.map((row) => row.slug);
    };
    const expected: Record<string, string[]> = {
      "payments:devops": ["d1", "d2", "mixed"],
      "payments:gitops": ["g1", "mixed"],
      "platform:devops": ["d3", "d4"],
      "gitops-crew:gitops": ["g2", "g3", "g4", "g5"],
    };
    for (const [key, services] of Object.entries(expected)) {
      const [team, methodology] = key.split(":");
      const row = rows.find((candidate) => candidate.team_slug === team && candidate.methodology === methodology)!;
      const behind = [...(await listed(row.services_url!)), ...(await listed(row.services_both_url!))].sort();
      expect(behind, key).toEqual(services);
      expect(behind.length, key).toBe(Number(row.active_service_count));
    }
    // The all row: the team's list holds its services (an idle one too, which the count leaves out).
    expect((await listed(payments("all").services_url!)).sort()).toEqual(["d1", "d2", "g1", "mixed"]);
  });

  it("keeps a team without deployments as an all row of zeros and empty cells, and the JSON rows equal the CSV's", async () => {
    const idle = rows.find((row) => row.team_slug === "idle")!;
    expect(idle).toMatchObject({ methodology: "all", active_service_count: "0", deployment_count: "0", lead_time_median_hours: "", deployment_success_rate: "" });
    const json = (await exported("teams", "json")).document;
    expect(json.rows).toEqual(document.rows);
    expect(rows).toEqual(json.rows.map((row) => Object.fromEntries(json.columns.map(({ name }) => [name, cellText(row[name] ?? null)]))));
  });
});

describe("overview export", () => {
  let comparison: ComparisonDto;
  let rows: Record<string, string>[];
  let document: ExportDocument;

  beforeAll(async () => {
    comparison = await compareMetrics(ctx, PARAMS, deps());
    ({ document, parsed: { rows } } = await exported("overview"));
  });

  it("has one row per compared metric with the values, changes and effects of compareMetrics", () => {
    expect(rows.map((row) => row.metric_id)).toEqual(comparison.metrics.map((metric) => metric.id));
    for (const metric of comparison.metrics) {
      const row = rows.find((candidate) => candidate.metric_id === metric.id)!;
      expect(row).toMatchObject({ metric_label: metric.label, unit: metric.unit, higher_is_better: String(metric.higherIsBetter), sentence: cellText(metric.sentence) });
      for (const cohort of ["devops", "gitops"] as const) {
        expectExactNumber(row[`${cohort}_value`], metric[cohort].value, `${metric.id} ${cohort} value`);
        expectExactNumber(row[`${cohort}_previous_value`], metric[cohort].previous, `${metric.id} ${cohort} previous`);
        expectExactNumber(row[`${cohort}_change`], metric[cohort].change, `${metric.id} ${cohort} change`);
        expect(row[`${cohort}_tier`]).toBe(metric[cohort].tier ?? "");
        expect(row[`${cohort}_service_count`]).toBe(String(metric[cohort].serviceCount));
        expect(row[`${cohort}_provisional`]).toBe(String(metric[cohort].provisional));
      }
      expect(row.change_kind).toBe(metric.unit === "share" ? "percentage_points" : "ratio");
      expect(row.effect_status).toBe(metric.effect.status);
      expect(row.effect_kind).toBe(metric.effect.kind);
      const effect: Partial<Extract<ComparedMetricDto["effect"], { status: "compared" }>> = metric.effect.status === "compared" ? metric.effect : {};
      expectExactNumber(row.effect_estimate, effect.estimate ?? null, `${metric.id} estimate`);
      expectExactNumber(row.effect_ci_low, effect.interval?.low ?? null, `${metric.id} ci low`);
      expectExactNumber(row.effect_ci_high, effect.interval?.high ?? null, `${metric.id} ci high`);
      expect(row.effect_verdict).toBe(effect.verdict ?? "");
      expectExactNumber(row.effect_devops_value, effect.devopsValue ?? null, `${metric.id} effect devops`);
      expectExactNumber(row.effect_gitops_value, effect.gitopsValue ?? null, `${metric.id} effect gitops`);
      expect(row).toMatchObject({
        window_from: FROM,
        window_to: TO,
        previous_window_from: comparison.previousWindow.from,
        previous_window_to: comparison.previousWindow.to,
        comparison_from: comparison.comparisonPeriod?.from ?? "",
        comparison_to: comparison.comparisonPeriod?.to ?? "",
        comparison_whole_window: String(comparison.comparisonPeriod?.wholeWindow ?? ""),
      });
    }
  });

  it("carries a real comparison: enough data for lead time, with its interval and verdict, and previous values", () => {
    const lead = rows.find((row) => row.metric_id === "leadTime")!;
    expect(lead.effect_status).toBe("compared");
    expect(Number(lead.effect_ci_low)).toBeLessThanOrEqual(Number(lead.effect_estimate));
    expect(Number(lead.effect_ci_high)).toBeGreaterThanOrEqual(Number(lead.effect_estimate));
    // GitOps lead times here are a few hours against DevOps' days: clearly better.
    expect(lead.effect_verdict).toBe("gitops-better");
    expect(lead.devops_previous_value).toBe("50");
    const syncLag = rows.find((row) => row.metric_id === "syncLag")!;
    expect(syncLag.effect_status).toBe("not-applicable");
    expect(syncLag.effect_estimate).toBe("");
  });

  it("the JSON export has the same rows", async () => {
    const json = (await exported("overview", "json")).document;
    expect(json.rows).toEqual(document.rows);
    expect(rows).toEqual(json.rows.map((row) => Object.fromEntries(json.columns.map(({ name }) => [name, cellText(row[name] ?? null)]))));
    expect(json.window).toEqual(comparison.window);
  });
});

describe("parameters", () => {
  it("refuses a bad table or format with a 422 naming it, before reading anything", async () => {
    for (const [params, path] of [
      [{ ...PARAMS, table: "deployments", format: "csv" }, "table"],
      [{ ...PARAMS, table: "teams", format: "xlsx" }, "format"],
      [{ ...PARAMS, format: "csv" }, "table"],
    ] as const) {
      const error = await buildExport(ctx, params as never, deps()).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ZodError);
      const response = toErrorResponse(error, "request");
      expect(response.status).toBe(422);
      expect(response.body.error.message).toMatch(new RegExp(`^${path}: must be one of`));
    }
  });

  it("an unknown team is the metrics' 404, not an empty file", async () => {
    const error = await buildExport(ctx, { table: "teams", format: "csv", team: "nobody" }, deps()).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(toErrorResponse(error, "request", () => {}).status).toBe(404);
  });
});
