import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { frozenClock } from "@/lib/clock";
import { computeMetrics } from "@/lib/data/metrics/compute-metrics";
import { listServiceMetrics } from "@/lib/data/metrics/list-service-metrics";
import { getServiceDetail, serviceExists } from "@/lib/data/services/get-service";
import { listServiceDeployments } from "@/lib/data/services/list-service-deployments";
import { systemContext, type ViewerContext } from "@/lib/data/viewer";
import type { Db } from "@/lib/db/client";
import { AppError, toErrorResponse } from "@/lib/errors";
import type { ServiceListDto, ServiceListParams } from "@/lib/queries/services";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * A hand-built org: the services table must report the metrics resource's numbers, sorted and paged
 * by the database; the service page must show a service's deployments, changes and incidents.
 * Window [2026-01-05 (Monday), 2026-01-19) in UTC, now long after it (nothing provisional).
 */
const FROM = "2026-01-05T00:00:00.000Z";
const TO = "2026-01-19T00:00:00.000Z";
const NOW = "2026-03-01T00:00:00.000Z";
const HOUR = 3_600_000;

let testDb: TestDatabase;
let db: Db;
let githubId: string;
let repositoryId: string;
let sequence = 0;
const serviceIds: Record<string, string> = {};
const deploymentIds: Record<string, string> = {};

const ctx = (): ViewerContext => systemContext(frozenClock(NOW));
const deps = () => ({ db, timeZone: "UTC" });
const list = (params: ServiceListParams) => listServiceMetrics(ctx(), { from: FROM, to: TO, ...params }, deps());

async function deploy(input: {
  key: string;
  service: string;
  status?: "SUCCESS" | "FAILURE" | "IN_PROGRESS" | "CANCELLED";
  finishedAt: string;
  methodology?: "DEVOPS" | "GITOPS";
  environment?: string;
  isFailedChange?: boolean;
  /** Stored as the derivation stores it: plain text, so the test can also store what no rule names. */
  failedChangeRule?: string;
  isRollback?: boolean;
  isRework?: boolean;
  remediatedBy?: string;
}): Promise<void> {
  sequence += 1;
  const environment = input.environment ?? "production";
  const row = await db.deployment.create({
    data: {
      integrationId: githubId,
      source: input.methodology === "GITOPS" ? "ARGOCD" : "GITHUB_DEPLOYMENT",
      externalId: `d-${sequence}`,
      methodology: input.methodology ?? "DEVOPS",
      serviceId: serviceIds[input.service],
      repositoryId,
      environment,
      isProduction: environment === "production",
      commitSha: `sha${sequence}`.padEnd(40, "0"),
      commitResolution: "DEPLOYMENT_SHA",
      status: input.status ?? "SUCCESS",
      startedAt: new Date(new Date(input.finishedAt).getTime() - 10 * 60_000),
      finishedAt: new Date(input.finishedAt),
      isFailedChange: input.isFailedChange ?? false,
      failedChangeRule: input.failedChangeRule ?? null,
      isRollback: input.isRollback ?? false,
      isRework: input.isRework ?? false,
      remediatedById: input.remediatedBy ? deploymentIds[input.remediatedBy] : null,
      sourceUpdatedAt: new Date(NOW),
    },
  });
  deploymentIds[input.key] = row.id;
}

async function change(deployment: string, deployedAt: string, sha: string, leadHours: number, pr?: number): Promise<void> {
  const firstCommitAt = new Date(new Date(deployedAt).getTime() - leadHours * HOUR);
  let pullRequestId: string | null = null;
  if (pr !== undefined) {
    const row = await db.pullRequest.create({
      data: {
        integrationId: githubId,
        repositoryId,
        externalId: `pr-${pr}`,
        number: pr,
        title: `Change number ${pr}`,
        state: "closed",
        authorLogin: "alice",
        baseBranch: "main",
        openedAt: new Date(firstCommitAt.getTime() + HOUR / 2),
        mergedAt: new Date(firstCommitAt.getTime() + HOUR),
        mergeCommitSha: sha,
        firstCommitAt,
        labels: [],
        approvingReviewers: ["bob"],
        sourceUpdatedAt: new Date(NOW),
      },
    });
    pullRequestId = row.id;
  }
  await db.deploymentChange.create({
    data: {
      integrationId: githubId,
      deploymentId: deploymentIds[deployment]!,
      kind: pr === undefined ? "DIRECT_PUSH" : "PULL_REQUEST",
      commitSha: sha,
      pullRequestId,
      firstCommitAt,
      openedAt: pr === undefined ? null : new Date(firstCommitAt.getTime() + HOUR / 2),
      mergedAt: pr === undefined ? null : new Date(firstCommitAt.getTime() + HOUR),
      leadTimeSeconds: Math.round(leadHours * 3600),
    },
  });
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
  // A GitHub.com integration, so change lists carry github.com links.
  githubId = (await db.integration.create({ data: { kind: "GITHUB", name: "services-test", origin: "DATABASE", baseUrl: "https://api.github.com" } })).id;
  repositoryId = (await db.repository.create({ data: { integrationId: githubId, externalId: "1", owner: "acme", name: "app", fullName: "acme/app", defaultBranch: "main" } })).id;
  const payments = await db.team.create({ data: { slug: "payments", name: "Payments" } });
  const platform = await db.team.create({ data: { slug: "platform", name: "Platform" } });
  const services: [string, string, string | null][] = [
    ["alpha", "Alpha", payments.id],
    ["beta", "Beta", payments.id],
    ["gamma", "Gamma", platform.id],
    ["delta", "Delta", platform.id],
    ["under_score", "Under_score", null],
  ];
  // Fillers with 1..9 deployments, so paging has something to page.
  for (let index = 1; index <= 9; index += 1) services.push([`filler-${index}`, `Filler ${index}`, platform.id]);
  for (const [slug, name, teamId] of services) {
    // Slugs are lower-case with dashes; the underscore lives in the name only.
    const row = await db.service.create({ data: { slug: slug.replace("_", "-"), name, teamId } });
    serviceIds[slug] = row.id;
  }

  // alpha: DEVOPS, 4 successes (a2 failed change remediated by a rollback a3), 1 failed attempt, a staging deployment.
  await deploy({ key: "a1", service: "alpha", finishedAt: "2026-01-05T10:00:00Z" });
  await deploy({ key: "a3", service: "alpha", finishedAt: "2026-01-07T12:00:00Z", isRollback: true, isRework: true });
  await deploy({ key: "a2", service: "alpha", finishedAt: "2026-01-07T10:00:00Z", isFailedChange: true, failedChangeRule: "rollback", remediatedBy: "a3" });
  await deploy({ key: "a4", service: "alpha", finishedAt: "2026-01-14T10:00:00Z" });
  await deploy({ key: "a5", service: "alpha", status: "FAILURE", finishedAt: "2026-01-15T10:00:00Z" });
  await deploy({ key: "a-stg", service: "alpha", environment: "staging", finishedAt: "2026-01-08T10:00:00Z" });
  await change("a2", "2026-01-07T10:00:00Z", "c1".padEnd(40, "1"), 3, 11);
  await change("a2", "2026-01-07T10:00:00Z", "c2".padEnd(40, "2"), 30);
  await change("a4", "2026-01-14T10:00:00Z", "c3".padEnd(40, "3"), 200, 12);
  await db.incident.create({
    data: {
      integrationId: githubId,
      externalId: "inc-1",
      repositoryId,
      number: 77,
      title: "Checkout errors",
      serviceId: serviceIds.alpha,
      openedAt: new Date("2026-01-07T11:00:00Z"),
      resolvedAt: new Date("2026-01-07T12:00:00Z"),
      deploymentId: deploymentIds.a2,
      attribution: "WINDOW",
      sourceUpdatedAt: new Date(NOW),
    },
  });

  // beta: GITOPS, 2 successes, one a failed change revealed by a revert; b2 carries a leftover rule but no flag.
  await deploy({ key: "b1", service: "beta", methodology: "GITOPS", finishedAt: "2026-01-06T10:00:00Z", isFailedChange: true, failedChangeRule: "revert" });
  await deploy({ key: "b2", service: "beta", methodology: "GITOPS", finishedAt: "2026-01-12T10:00:00Z", failedChangeRule: "hotfix" });
  await change("b2", "2026-01-12T10:00:00Z", "c4".padEnd(40, "4"), 1, 13);
  // gamma: both methodologies in the window.
  await deploy({ key: "g1", service: "gamma", methodology: "DEVOPS", finishedAt: "2026-01-06T10:00:00Z" });
  await deploy({ key: "g2", service: "gamma", methodology: "GITOPS", finishedAt: "2026-01-16T10:00:00Z" });
  // delta: nothing in the window (one deployment before it).
  await deploy({ key: "d1", service: "delta", finishedAt: "2025-12-20T10:00:00Z" });
  // under_score: one success.
  await deploy({ key: "u1", service: "under_score", finishedAt: "2026-01-09T10:00:00Z" });
  for (let index = 1; index <= 9; index += 1) {
    for (let count = 0; count < index; count += 1) {
      await deploy({ key: `f${index}-${count}`, service: `filler-${index}`, finishedAt: new Date(Date.parse(FROM) + (count + 1) * 25 * HOUR).toISOString() });
    }
  }
});

afterAll(async () => {
  await testDb?.close();
});

async function allRows(params: ServiceListParams): Promise<ServiceListDto["rows"]> {
  const rows: ServiceListDto["rows"] = [];
  for (let page = 1; ; page += 1) {
    const result = await list({ ...params, page, pageSize: 4 });
    rows.push(...result.rows);
    if (page * 4 >= result.total) return rows;
  }
}

describe("listServiceMetrics", () => {
  it("reports for every service exactly what the metrics resource reports", async () => {
    const report = await computeMetrics(ctx(), { from: FROM, to: TO }, deps());
    const result = await list({ pageSize: 100 });
    expect(result.total).toBe(14);
    expect(result.rows.map((row) => row.slug)).toEqual([...report.services].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase())).map((row) => row.slug));
    for (const row of result.rows) {
      const expected = report.services.find((service) => service.slug === row.slug)!;
      expect({ ...row, weeklyDeployments: undefined, methodology: undefined }).toMatchObject({
        slug: expected.slug,
        deploymentCount: expected.deploymentCount,
        attemptCount: expected.attemptCount,
        deploymentsPerDay: expected.deploymentsPerDay,
        deploymentDaysPerWeekMedian: expected.deploymentDaysPerWeekMedian,
        leadTimeMedianHours: expected.leadTimeMedianHours,
        changeFailRate: expected.changeFailRate,
        recoveryTimeMedianHours: expected.recoveryTimeMedianHours,
        reworkRate: expected.reworkRate,
        deploymentSuccessRate: expected.deploymentSuccessRate,
        provisional: expected.provisional,
        tiers: expected.tiers,
      });
    }
    const alpha = result.rows.find((row) => row.slug === "alpha")!;
    // Worked by hand: 4 successes in 14 days, 1 failed change of 4, 1 rework of 4, 4 of 5 attempts succeeded.
    expect(alpha.deploymentsPerDay).toBeCloseTo(4 / 14, 12);
    expect(alpha.changeFailRate).toBeCloseTo(0.25, 12);
    expect(alpha.reworkRate).toBeCloseTo(0.25, 12);
    expect(alpha.deploymentSuccessRate).toBeCloseTo(0.8, 12);
    expect(alpha.recoveryTimeMedianHours).toBeCloseTo(2, 9);
    expect(alpha.tiers.changeFailRate).toBe("low");
    // Weeks of Jan 5 and Jan 12: a1, a2, a3 in the first, a4 in the second (the failed a5 is no deployment).
    expect(alpha.weeklyDeployments).toEqual([
      { weekStart: "2026-01-05", count: 3 },
      { weekStart: "2026-01-12", count: 1 },
    ]);
  });

  it("derives the methodology from the window's production attempts", async () => {
    const rows = (await list({ pageSize: 100 })).rows;
    const methodology = Object.fromEntries(rows.map((row) => [row.slug, row.methodology]));
    expect(methodology).toMatchObject({ alpha: "devops", beta: "gitops", gamma: "both", delta: null });
  });

  it("sorts by a metric in the database, no-data rows last in both directions, ties by slug", async () => {
    const descending = await allRows({ sort: "deploymentsPerDay", dir: "desc" });
    const ascending = await allRows({ sort: "deploymentsPerDay", dir: "asc" });
    const values = (rows: typeof descending) => rows.map((row) => row.deploymentsPerDay);
    const desc = values(descending);
    expect(desc[0]).toBeCloseTo(9 / 14, 12); // filler-9
    expect(descending[0]!.slug).toBe("filler-9");
    for (let index = 1; index < desc.length; index += 1) {
      if (desc[index] === null) expect(desc.slice(index).every((value) => value === null)).toBe(true);
      else expect(desc[index]!).toBeLessThanOrEqual(desc[index - 1]!);
    }
    expect(ascending.at(-1)!.slug).toBe("delta"); // no attempt in the window: no data, last
    expect(descending.at(-1)!.slug).toBe("delta");
    expect(ascending[0]!.deploymentsPerDay).toBeCloseTo(1 / 14, 12);
    // Ties (beta, gamma and filler-2 deploy twice) are broken by slug, ascending, in both directions.
    const twice = descending.filter((row) => row.deploymentCount === 2).map((row) => row.slug);
    expect(twice).toEqual(["beta", "filler-2", "gamma"]);

    const byChangeFail = await allRows({ sort: "changeFailRate", dir: "desc" });
    expect(byChangeFail.slice(0, 2).map((row) => row.slug)).toEqual(["beta", "alpha"]); // 50 %, 25 %
  });

  it("pages without overlap or gaps, and says how many match", async () => {
    const all = await allRows({ sort: "name" });
    expect(all).toHaveLength(14);
    expect(new Set(all.map((row) => row.slug)).size).toBe(14);
    const beyond = await list({ page: 10, pageSize: 4 });
    expect(beyond.rows).toEqual([]);
    expect(beyond.total).toBe(14);
    const second = await list({ sort: "name", page: 2, pageSize: 4 });
    expect(second.rows.map((row) => row.slug)).toEqual(all.slice(4, 8).map((row) => row.slug));
    expect(second).toMatchObject({ page: 2, pageSize: 4, sort: "name", dir: "asc" });
  });

  it("filters by team (slug or name), methodology and search text, with LIKE characters taken literally", async () => {
    expect((await list({ team: "payments" })).rows.map((row) => row.slug)).toEqual(["alpha", "beta"]);
    expect((await list({ team: "Payments" })).total).toBe(2);
    expect((await list({ methodology: "gitops" })).rows.map((row) => row.slug)).toEqual(["beta"]);
    expect((await list({ methodology: "both" })).rows.map((row) => row.slug)).toEqual(["gamma"]);
    expect((await list({ methodology: "devops", team: "payments" })).rows.map((row) => row.slug)).toEqual(["alpha"]);
    expect((await list({ q: "FILLER" })).total).toBe(9);
    expect((await list({ q: "r_s" })).rows.map((row) => row.slug)).toEqual(["under-score"]);
    expect((await list({ q: "e_s" })).total).toBe(0); // "_" is not a wildcard
    await expect(list({ team: "nobody" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("takes `days` as the window ending at `to`, and lists every team for the filter", async () => {
    const result = await list({ from: undefined, days: 14 });
    expect(result.window).toEqual({ from: FROM, to: TO });
    expect(result.teams).toEqual([
      { slug: "payments", name: "Payments" },
      { slug: "platform", name: "Platform" },
    ]);
  });

  it("refuses bad parameters with a 422 naming them", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ sort: "password" }, "sort"],
      [{ dir: "sideways" }, "dir"],
      [{ pageSize: "0" }, "pageSize"],
      [{ pageSize: "1000" }, "pageSize"],
      [{ page: "1.5" }, "page"],
      [{ methodology: "waterfall" }, "methodology"],
      [{ days: "7", from: FROM }, "days"],
      [{ from: TO, to: FROM }, "from"],
      [{ limit: "5" }, "limit"],
    ];
    for (const [params, name] of cases) {
      const error = await listServiceMetrics(ctx(), params as ServiceListParams, deps()).catch((caught: unknown) => caught);
      expect(error, JSON.stringify(params)).toBeInstanceOf(ZodError);
      const response = toErrorResponse(error);
      expect(response.status).toBe(422);
      expect(response.body.error.message).toContain(name);
    }
    // A window longer than ten years is the metrics resource's own 422.
    await expect(list({ from: "2000-01-01T00:00:00Z" })).rejects.toMatchObject({ code: "UNPROCESSABLE" });
  });

  it("is refused without a signed-in viewer", async () => {
    const anonymous: ViewerContext = { ...ctx(), viewer: { kind: "anonymous" } };
    await expect(listServiceMetrics(anonymous, {}, deps())).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(getServiceDetail(anonymous, "alpha", {}, deps())).rejects.toBeInstanceOf(AppError);
  });
});

describe("service page data", () => {
  it("answers 404 for an unknown or malformed slug", async () => {
    for (const slug of ["nope", "Not A Slug", "../alpha"]) {
      await expect(getServiceDetail(ctx(), slug, { from: FROM, to: TO }, deps())).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(listServiceDeployments(ctx(), slug, { from: FROM, to: TO }, deps())).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect(await serviceExists(ctx(), slug, deps())).toBe(false);
    }
    expect(await serviceExists(ctx(), "alpha", deps())).toBe(true);
  });

  it("shows a service's metrics as the metrics resource does, its lead-time histogram and its incidents", async () => {
    const detail = await getServiceDetail(ctx(), "alpha", { from: FROM, to: TO }, deps());
    const report = await computeMetrics(ctx(), { from: FROM, to: TO, service: "alpha" }, deps());
    const { slug: _slug, name: _name, team: _team, ...expected } = report.services[0]!;
    expect(detail.metrics).toEqual(expected);
    expect(detail.service).toMatchObject({
      slug: "alpha",
      team: { slug: "payments", name: "Payments" },
      methodology: "devops",
      repositories: [{ fullName: "acme/app", webUrl: "https://github.com/acme/app" }],
      environments: [
        { name: "production", isProduction: true },
        { name: "staging", isProduction: false },
      ],
    });
    // Lead times 3 h, 30 h and 200 h fall in "1–4 h", "1–3 d" and "1–4 wk".
    const bins = Object.fromEntries(detail.leadTimeDistribution.map((bin) => [bin.bin, bin.count]));
    expect(bins).toEqual({ "< 1 h": 0, "1–4 h": 1, "4–24 h": 0, "1–3 d": 1, "3–7 d": 0, "1–4 wk": 1, "≥ 4 wk": 0 });
    expect(detail.incidents).toEqual([
      expect.objectContaining({
        title: "Checkout errors",
        url: "https://github.com/acme/app/issues/77",
        attribution: "WINDOW",
        deployment: expect.objectContaining({ id: deploymentIds.a2, environment: "production" }),
      }),
    ]);
  });

  it("lists deployments with flags, remediation and change lists, filtered by environment", async () => {
    const production = await listServiceDeployments(ctx(), "alpha", { from: FROM, to: TO }, deps());
    expect(production.deployments.map((deployment) => deployment.id)).toEqual(
      ["a5", "a4", "a3", "a2", "a1"].map((key) => deploymentIds[key]),
    );
    const failedChange = production.deployments.find((deployment) => deployment.id === deploymentIds.a2)!;
    expect(failedChange).toMatchObject({ isFailedChange: true, failedChangeRule: "rollback", remediatedBy: { id: deploymentIds.a3 }, status: "SUCCESS" });
    expect(failedChange.changes).toEqual([
      {
        kind: "PULL_REQUEST",
        commitSha: "c1".padEnd(40, "1"),
        commitUrl: `https://github.com/acme/app/commit/${"c1".padEnd(40, "1")}`,
        leadTimeHours: 3,
        pullRequest: { number: 11, title: "Change number 11", authorLogin: "alice", url: "https://github.com/acme/app/pull/11" },
      },
      expect.objectContaining({ kind: "DIRECT_PUSH", pullRequest: null, leadTimeHours: 30 }),
    ]);
    expect(production.deployments.find((deployment) => deployment.id === deploymentIds.a3)).toMatchObject({ isRollback: true, isRework: true });
    // Only the flagged deployment says why; the others say null rather than leaving the field out.
    const rules = Object.fromEntries(production.deployments.map((deployment) => [deployment.id, deployment.failedChangeRule]));
    expect(rules).toEqual(Object.fromEntries(["a5", "a4", "a3", "a2", "a1"].map((key) => [deploymentIds[key], key === "a2" ? "rollback" : null])));

    const staging = await listServiceDeployments(ctx(), "alpha", { from: FROM, to: TO, environment: "staging" }, deps());
    expect(staging.deployments.map((deployment) => deployment.id)).toEqual([deploymentIds["a-stg"]]);
    const all = await listServiceDeployments(ctx(), "alpha", { from: FROM, to: TO, environment: "all" }, deps());
    expect(all.total).toBe(6);
  });

  it("lists deployments for the same window as the service's metrics, days counted in the org's time zone", async () => {
    // Far from UTC, so a window cut at the process's zone instead of the org's would differ by hours.
    const zoned = { db, timeZone: "Pacific/Kiritimati" };
    for (const params of [{}, { days: 7 }, { days: 30, to: TO }]) {
      const detail = await getServiceDetail(ctx(), "alpha", params, zoned);
      const deployments = await listServiceDeployments(ctx(), "alpha", params, zoned);
      expect(deployments.window, JSON.stringify(params)).toEqual(detail.window);
    }
  });

  it("says which rule revealed each failed change, and nothing for a rule left on an unflagged or unknown row", async () => {
    const beta = await listServiceDeployments(ctx(), "beta", { from: FROM, to: TO }, deps());
    const byId = new Map(beta.deployments.map((deployment) => [deployment.id, deployment]));
    expect(byId.get(deploymentIds.b1!)).toMatchObject({ isFailedChange: true, failedChangeRule: "revert" });
    // b2 is not a failed change: a stale rule must not make it look like one.
    expect(byId.get(deploymentIds.b2!)).toMatchObject({ isFailedChange: false, failedChangeRule: null });

    // A rule this build does not know (a newer derivation's) reads as null instead of failing the list.
    await db.deployment.update({ where: { id: deploymentIds.b1! }, data: { failedChangeRule: "sabotage" } });
    try {
      const unknown = await listServiceDeployments(ctx(), "beta", { from: FROM, to: TO }, deps());
      expect(unknown.deployments.find((deployment) => deployment.id === deploymentIds.b1)).toMatchObject({ isFailedChange: true, failedChangeRule: null });
    } finally {
      await db.deployment.update({ where: { id: deploymentIds.b1! }, data: { failedChangeRule: "revert" } });
    }
  });
});
