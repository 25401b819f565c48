import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { compareMetrics } from "@/lib/data/metrics/compare-metrics";
import { computeMetrics } from "@/lib/data/metrics/compute-metrics";
import { systemContext } from "@/lib/data/viewer";
import { metricsDtoSchema } from "@/lib/queries/metrics";
import { comparisonDtoSchema } from "@/lib/queries/compare";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * `npm run cli -- metrics --json` as a child process against a test database, compared with the data
 * layer's function for the same parameters and the same frozen clock: one definition, two callers.
 */
const NOW = "2026-03-01T00:00:00.000Z";
const TIME_ZONE = "Europe/Berlin";

let testDb: TestDatabase;

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "lib/cli/main.ts", "metrics", ...args], {
      env: { ...process.env, DATABASE_URL: testDb.url, TEST_DATABASE_URL: "", CLOCK_FROZEN_AT: NOW, ORG_TIMEZONE: TIME_ZONE },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function direct(params: Parameters<typeof computeMetrics>[1]) {
  const ctx = systemContext(frozenClock(NOW));
  const deps = { db: testDb.db, timeZone: TIME_ZONE };
  return { ...(await computeMetrics(ctx, params, deps)), comparison: await compareMetrics(ctx, params, deps) };
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  const { db } = testDb;
  const integrationId = (await db.integration.create({ data: { kind: "GITHUB", name: "cli-test", origin: "DATABASE", baseUrl: "http://127.0.0.1" } })).id;
  const team = await db.team.create({ data: { slug: "core", name: "Core" } });
  const api = await db.service.create({ data: { slug: "api", name: "API", teamId: team.id } });
  const web = await db.service.create({ data: { slug: "web", name: "Web" } });
  const deployments: { serviceId: string; methodology: "DEVOPS" | "GITOPS"; status: "SUCCESS" | "FAILURE"; finishedAt: string; isFailedChange?: boolean; lead?: number }[] = [
    { serviceId: api.id, methodology: "DEVOPS", status: "SUCCESS", finishedAt: "2026-02-02T09:00:00Z", lead: 7200 },
    { serviceId: api.id, methodology: "DEVOPS", status: "FAILURE", finishedAt: "2026-02-03T09:00:00Z" },
    { serviceId: api.id, methodology: "DEVOPS", status: "SUCCESS", finishedAt: "2026-02-03T10:00:00Z", isFailedChange: true, lead: 3600 },
    { serviceId: web.id, methodology: "GITOPS", status: "SUCCESS", finishedAt: "2026-02-10T23:30:00Z", lead: 90000 },
    { serviceId: web.id, methodology: "GITOPS", status: "SUCCESS", finishedAt: "2026-02-26T12:00:00Z" },
  ];
  let sequence = 0;
  for (const input of deployments) {
    sequence += 1;
    const deployment = await db.deployment.create({
      data: {
        integrationId,
        source: input.methodology === "GITOPS" ? "ARGOCD" : "GITHUB_WORKFLOW",
        externalId: `cli-${sequence}`,
        methodology: input.methodology,
        serviceId: input.serviceId,
        environment: "production",
        isProduction: true,
        commitResolution: "DEPLOYMENT_SHA",
        status: input.status,
        startedAt: new Date(new Date(input.finishedAt).getTime() - 60_000),
        finishedAt: new Date(input.finishedAt),
        isFailedChange: input.isFailedChange ?? false,
        sourceUpdatedAt: new Date(NOW),
      },
    });
    if (input.lead !== undefined) {
      await db.deploymentChange.create({
        data: {
          integrationId,
          deploymentId: deployment.id,
          kind: "DIRECT_PUSH",
          commitSha: `sha-${sequence}`,
          firstCommitAt: new Date(new Date(input.finishedAt).getTime() - input.lead * 1000),
          leadTimeSeconds: input.lead,
        },
      });
    }
  }
});

afterAll(async () => {
  await testDb?.close();
});

describe("npm run cli -- metrics", () => {
  it("prints one JSON object equal to the data layer's answer for the same parameters", async () => {
    const params = { from: "2026-02-01T00:00:00Z", to: "2026-03-01T00:00:00Z" };
    const { code, stdout, stderr } = await runCli(["--json", "--from", params.from, "--to", params.to]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toHaveLength(1);
    const printed: unknown = JSON.parse(stdout);
    // The report is the metrics resource plus the comparison, both in their contracts' shapes.
    expect(metricsDtoSchema.extend({ comparison: comparisonDtoSchema }).strict().parse(printed)).toEqual(printed);
    const expected = await direct(params);
    expect(printed).toEqual(expected);
    // Drift and sync lag are part of the contract at every level (values in metrics-drift.test.ts).
    const parsed = metricsDtoSchema.parse(printed);
    for (const entry of [...parsed.services, ...parsed.teams, parsed.cohorts.devops, parsed.cohorts.gitops]) {
      for (const key of ["driftEpisodesPer30Days", "driftMedianHoursToReconcile", "timeInSyncRatio", "syncLagMedianHours"]) expect(entry).toHaveProperty(key);
    }
    // The numbers themselves, by hand: api 2 of 3 attempts, 1 failed change; web 2 deployments.
    expect(expected.services.find((service) => service.slug === "api")).toMatchObject({ deploymentCount: 2, changeFailRate: 0.5 });
    expect(expected.services.find((service) => service.slug === "api")!.deploymentSuccessRate).toBeCloseTo(2 / 3, 12);
    expect(expected.cohorts.gitops).toMatchObject({ deploymentCount: 2, leadTimeMedianHours: 25 });
    // The child read ORG_TIMEZONE from its environment, as the server does.
    expect(expected.timeZone).toBe(TIME_ZONE);
  });

  it("uses the same default window and filters as the data layer", async () => {
    const { code, stdout } = await runCli(["--json", "--team", "Core"]);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as { window: unknown; services: { slug: string }[] };
    expect(printed).toEqual(await direct({ team: "Core" }));
    // The last 90 complete days in ORG_TIMEZONE: NOW is 01:00 in Berlin, so today began at 23:00 UTC the day before.
    expect(printed.window).toEqual({ from: "2025-11-30T23:00:00.000Z", to: "2026-02-28T23:00:00.000Z" });
    expect(printed.services.map((service) => service.slug)).toEqual(["api"]);
  });

  it("refuses bad arguments on stderr with exit 2 and prints nothing on stdout", async () => {
    for (const args of [["--json", "--from", "last week"], ["--json", "--bogus"], ["--json", "--from", "2026-02-02T00:00:00Z", "--to", "2026-02-01T00:00:00Z"], ["--json", "--service", "missing"]]) {
      const { code, stdout, stderr } = await runCli(args);
      expect(code, args.join(" ")).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toMatch(/^metrics: /);
    }
    const { stderr } = await runCli(["--json", "--from", "last week"]);
    expect(stderr).toContain("--from:");
  });
});
