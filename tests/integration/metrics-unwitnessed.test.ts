import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { compareMetrics } from "@/lib/data/metrics/compare-metrics";
import { computeMetrics } from "@/lib/data/metrics/compute-metrics";
import { systemContext } from "@/lib/data/viewer";
import { rebuildRollups, rollupsReady, windowRollupReady } from "@/lib/metrics/rollups";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * GitOps deployments known only from history count as deployments, but not in the success rate: no
 * source saw their attempts, so none of them could have been seen to fail (Argo CD's history keeps
 * successful syncs only; a config repository's history says nothing of failures), and counting them
 * would push a GitOps cohort towards 100 %.
 *
 * Window [2026-01-05, 2026-01-19) UTC. Service `app` (GitOps), its app observed since Jan 10:
 * 2 successes rebuilt from Git (Jan 5, 6), 1 success from Argo CD's history (Jan 7, before
 * observation), then, observed: 1 failure and 2 successes. By hand: 5 deployments (5 / 14 per day),
 * 6 attempts, 3 unwitnessed, success rate over witnessed attempts 2 / 3 (not 5 / 6).
 * Service `push` (DevOps, GitHub keeps failures): 1 success, 1 failure → 1 / 2, nothing unwitnessed.
 */
const FROM = "2026-01-05T00:00:00.000Z";
const TO = "2026-01-19T00:00:00.000Z";
const NOW = "2026-03-01T00:00:00.000Z";
const TIME_ZONE = "UTC";

let testDb: TestDatabase;
const ctx = () => systemContext(frozenClock(NOW));

beforeAll(async () => {
  testDb = await createTestDatabase();
  const db = testDb.db;
  const integration = await db.integration.create({ data: { kind: "ARGOCD", name: "argo", origin: "DATABASE", baseUrl: "http://127.0.0.1" } });
  const app = await db.service.create({ data: { slug: "app", name: "App" } });
  const argoApp = await db.gitOpsApp.create({
    data: {
      integrationId: integration.id, kind: "ARGOCD_APPLICATION", externalId: "argocd/app", cluster: "in-cluster", namespace: "argocd", name: "app",
      repoUrl: "https://git.example/app-config", path: "deploy", targetRevision: "main", syncStatus: "Synced", healthStatus: "Healthy", autoSync: true,
      observedSince: new Date("2026-01-10T00:00:00Z"), sourceUpdatedAt: new Date("2026-01-10T00:00:00Z"),
    },
  });
  const push = await db.service.create({ data: { slug: "push", name: "Push" } });
  let sequence = 0;
  const deploy = (serviceId: string, methodology: "DEVOPS" | "GITOPS", status: "SUCCESS" | "FAILURE", finishedAt: string, reconstructed = false) => {
    sequence += 1;
    return {
      integrationId: integration.id,
      gitOpsAppId: methodology === "GITOPS" ? argoApp.id : null,
      source: methodology === "GITOPS" ? ("ARGOCD" as const) : ("GITHUB_DEPLOYMENT" as const),
      externalId: `d-${sequence}`,
      methodology,
      serviceId,
      environment: "production",
      isProduction: true,
      commitSha: `sha-${sequence}`,
      commitResolution: "DEPLOYMENT_SHA" as const,
      status,
      reconstructed,
      startedAt: new Date(Date.parse(finishedAt) - 60_000),
      finishedAt: new Date(finishedAt),
      sourceUpdatedAt: new Date(finishedAt),
    };
  };
  await db.deployment.createMany({
    data: [
      deploy(app.id, "GITOPS", "SUCCESS", "2026-01-05T10:00:00Z", true),
      deploy(app.id, "GITOPS", "SUCCESS", "2026-01-06T10:00:00Z", true),
      deploy(app.id, "GITOPS", "SUCCESS", "2026-01-07T10:00:00Z"),
      deploy(app.id, "GITOPS", "FAILURE", "2026-01-12T10:00:00Z"),
      deploy(app.id, "GITOPS", "SUCCESS", "2026-01-12T11:00:00Z"),
      deploy(app.id, "GITOPS", "SUCCESS", "2026-01-14T10:00:00Z"),
      deploy(push.id, "DEVOPS", "FAILURE", "2026-01-08T10:00:00Z"),
      deploy(push.id, "DEVOPS", "SUCCESS", "2026-01-08T11:00:00Z"),
    ],
  });
}, 120_000);

afterAll(async () => {
  await testDb?.close();
});

describe("history known only after the fact and the success rate", () => {
  it("counts them in the frequency and leaves them out of the success rate, per service and per cohort", async () => {
    const report = await computeMetrics(ctx(), { from: FROM, to: TO }, { db: testDb.db, timeZone: TIME_ZONE });
    const app = report.services.find((service) => service.slug === "app")!;
    expect(app).toMatchObject({ deploymentCount: 5, attemptCount: 6, unwitnessedCount: 3 });
    expect(app.deploymentsPerDay).toBeCloseTo(5 / 14, 12);
    expect(app.deploymentSuccessRate).toBeCloseTo(2 / 3, 12);
    expect(report.cohorts.gitops.deploymentSuccessRate).toBeCloseTo(2 / 3, 12);
    expect(report.cohorts.gitops.unwitnessedCount).toBe(3);
    expect(report.cohorts.devops.deploymentSuccessRate).toBeCloseTo(1 / 2, 12);
    expect(report.services.find((service) => service.slug === "push")).toMatchObject({ unwitnessedCount: 0, attemptCount: 2, deploymentSuccessRate: 0.5 });
  });

  it("gives the same answer from the stored rollups as from the raw rows", async () => {
    const raw = await computeMetrics(ctx(), { from: FROM, to: TO }, { db: testDb.db, timeZone: TIME_ZONE });
    await rebuildRollups(testDb.db, frozenClock(NOW), TIME_ZONE);
    expect(await rollupsReady(testDb.db, TIME_ZONE)).not.toBeNull();
    const stored = await computeMetrics(ctx(), { from: FROM, to: TO }, { db: testDb.db, timeZone: TIME_ZONE });
    expect(stored).toEqual(raw);
    // The default 90-day window is stored per service; naming the environment reads the raw rows
    // (the rollups hold production only), so the two answers must agree value for value.
    expect(await windowRollupReady(testDb.db, TIME_ZONE, { from: new Date("2025-12-01T00:00:00Z"), to: new Date(NOW) })).not.toBeNull();
    const fromWindowRollup = await computeMetrics(ctx(), {}, { db: testDb.db, timeZone: TIME_ZONE });
    const fromRawRows = await computeMetrics(ctx(), { environment: "production" }, { db: testDb.db, timeZone: TIME_ZONE });
    expect(fromWindowRollup.services.find((service) => service.slug === "app")).toMatchObject({ unwitnessedCount: 3, attemptCount: 6 });
    expect(fromWindowRollup.services).toEqual(fromRawRows.services);
    expect(fromWindowRollup.cohorts).toEqual(fromRawRows.cohorts);
  });

  it("gives the comparison the success-rate parts SQL pooled", async () => {
    const comparison = await compareMetrics(ctx(), { from: FROM, to: TO }, { db: testDb.db, timeZone: TIME_ZONE });
    const success = comparison.metrics.find((metric) => metric.id === "successRate")!;
    expect(success.gitops.value).toBeCloseTo(2 / 3, 12);
    expect(success.samples.gitops).toEqual([{ slug: "app", numerator: 2, denominator: 3 }]);
  });
});
