import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { parseEnv } from "@/lib/env";
import { runGithubSync } from "@/lib/ingest/github/run-github-sync";
import { registerIntegrations } from "@/lib/ingest/integrations";
import { type DeriveSummary, recomputeDerivedData } from "@/lib/metrics/derive/recompute";
import { type GithubSandbox, startGithubSandbox } from "@/lib/sandbox/github/server/start-github-sandbox";
import type { GroundTruth } from "@/lib/sandbox/scenario/ground-truth";
import { generateScenario } from "@/lib/sandbox/scenario/generate-scenario";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * The derived change sets, lead times and flags of every production deployment of the sandbox org,
 * compared with what the generator meant (its ground truth), never with the product's own reading.
 */
const clock = frozenClock("2026-11-27T12:00:00Z");
const env = parseEnv({});

interface Derived {
  changes: Map<string, { shas: string[]; leads: Map<string, number> }>;
  rows: Awaited<ReturnType<typeof loadDeployments>>;
}

async function loadDeployments(database: TestDatabase) {
  return await database.db.deployment.findMany({
    where: { isProduction: true },
    include: { remediatedBy: { select: { externalId: true } }, changes: { select: { commitSha: true, leadTimeSeconds: true } } },
  });
}

describe("derived delivery data of the sandbox org, against the generator's truth", () => {
  let truth: GroundTruth;
  let sandbox: GithubSandbox;
  let database: TestDatabase;
  let integrationId: string;

  beforeAll(async () => {
    const scenario = generateScenario({ anchor: clock.now() });
    truth = scenario.truth;
    sandbox = await startGithubSandbox({ org: scenario.org, clock, port: 0, rateLimit: { limit: 100_000, windowSeconds: 3600 } });
    database = await createTestDatabase();
    const [integration] = await registerIntegrations(database.db, env, { sandboxUrl: sandbox.url });
    integrationId = integration!.id;
    // The sync derives at its end (incrementally: every row is new, so every chain is walked).
    await runGithubSync(database.db, integration!, { env, clock, retryBaseMs: 5 });
  }, 600_000);

  afterAll(async () => {
    await sandbox?.stop();
    await database?.close();
  });

  async function compare(rules: DeriveSummary["failedChangeRules"] | null): Promise<{ compared: number; mismatches: string[] }> {
    const rows = await loadDeployments(database);
    const byExternal = new Map(rows.map((row) => [row.externalId, row]));
    const firstCommit = new Map(truth.changes.map((change) => [change.landedSha, Date.parse(change.firstCommitAuthoredAt)]));
    const pushBased = new Set(truth.services.filter((service) => service.deployVia !== "gitops").map((service) => service.slug));
    const mismatches: string[] = [];
    let compared = 0;
    for (const expected of truth.deployments.filter((d) => d.production && pushBased.has(d.serviceSlug) && d.outcome !== "cancelled")) {
      const row = byExternal.get(expected.externalId);
      if (!row) {
        mismatches.push(`${expected.externalId}: missing`);
        continue;
      }
      compared += 1;
      const label = `${expected.serviceSlug} ${expected.externalId}`;
      const shas = row.changes.map((c) => c.commitSha).sort();
      if (JSON.stringify(shas) !== JSON.stringify([...expected.shipsChanges].sort())) mismatches.push(`${label}: ships ${shas.length} [${shas}] want ${expected.shipsChanges.length} [${[...expected.shipsChanges].sort()}]`);
      for (const change of row.changes) {
        const first = firstCommit.get(change.commitSha);
        const want = first === undefined ? null : Math.round((Date.parse(expected.finishedAt) - first) / 1000);
        if (want !== null && change.leadTimeSeconds !== want) mismatches.push(`${label}: lead ${change.commitSha} ${change.leadTimeSeconds} want ${want}`);
      }
      if (row.isRollback !== expected.isRollback) mismatches.push(`${label}: rollback ${row.isRollback} want ${expected.isRollback}`);
      if (row.isRework !== (expected.remediates !== null)) mismatches.push(`${label}: rework ${row.isRework} want ${expected.remediates !== null}`);
      if (row.isFailedChange !== (expected.failedChange !== null)) mismatches.push(`${label}: failed ${row.isFailedChange} want ${expected.failedChange?.rule ?? "none"}`);
      if (expected.failedChange) {
        if ((row.remediatedBy?.externalId ?? null) !== expected.failedChange.remediatedByExternalId) mismatches.push(`${label}: remediatedBy ${row.remediatedBy?.externalId} want ${expected.failedChange.remediatedByExternalId}`);
        if (rules && rules.get(row.id) !== expected.failedChange.rule) mismatches.push(`${label}: rule ${rules.get(row.id)} want ${expected.failedChange.rule}`);
      }
      if (row.provisional !== Date.parse(expected.finishedAt) + 7 * 86_400_000 > clock.now().getTime() && expected.outcome === "success") mismatches.push(`${label}: provisional ${row.provisional}`);
    }
    const incidents = await database.db.incident.findMany({ include: { repository: true, deployment: { select: { externalId: true } } } });
    const incidentByKey = new Map(incidents.map((incident) => [`${incident.repository!.fullName}#${incident.number}`, incident]));
    for (const expected of truth.incidents) {
      const row = incidentByKey.get(`${expected.repository}#${expected.number}`);
      compared += 1;
      if ((row?.deployment?.externalId ?? null) !== expected.causedByExternalId) mismatches.push(`incident ${expected.repository}#${expected.number}: ${row?.deployment?.externalId ?? null} want ${expected.causedByExternalId}`);
    }
    return { compared, mismatches };
  }

  it("derives every production deployment's change set, lead times, rollback, rework and failed-change flags, and every incident's deployment, as the truth has them", async () => {
    const summary = await recomputeDerivedData(database.db, clock, { integrationId });
    const { compared, mismatches } = await compare(summary.failedChangeRules);
    const truthFailed = truth.deployments.filter((d) => d.failedChange);
    // The scenario exercises every rule; a comparison over none of them would prove nothing.
    expect(new Set(truthFailed.map((d) => d.failedChange!.rule))).toEqual(new Set(["rollback", "revert", "hotfix", "incident"]));
    expect(compared).toBeGreaterThan(100);
    expect(mismatches).toEqual([]);
  }, 300_000);

  it("gets the same answer from the sync's incremental derivation as from a full recompute, and a rerun changes nothing", async () => {
    const snapshot = async () => (await loadDeployments(database)).map((row) => JSON.stringify({ ...row, updatedAt: null, flagsComputedAt: null, changes: row.changes.sort((a, b) => a.commitSha.localeCompare(b.commitSha)) })).sort();
    const changeIds = async () => (await database.db.deploymentChange.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((row) => row.id);
    const before = await snapshot();
    const ids = await changeIds();
    await recomputeDerivedData(database.db, clock, { integrationId });
    expect(await snapshot()).toEqual(before);
    // Keyed on (deployment, commit): a rerun keeps the rows themselves, not only equal copies.
    expect(await changeIds()).toEqual(ids);
    // Recomputing only after a wipe of the derived columns gives the same again (the sync's path).
    await database.db.$executeRaw`UPDATE "Deployment" SET "flagsComputedAt" = NULL, "isFailedChange" = false, "remediatedById" = NULL, "previousDeploymentId" = NULL`;
    await database.db.deploymentChange.deleteMany({});
    await runGithubSync(database.db, (await registerIntegrations(database.db, env, { sandboxUrl: sandbox.url }))[0]!, { env, clock, retryBaseMs: 5 });
    expect(await snapshot()).toEqual(before);
    expect((await compare(null)).mismatches).toEqual([]);
  }, 300_000);
});
