import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frozenClock } from "@/lib/clock";
import { getCatalog } from "@/lib/data/catalog/get-catalog";
import { systemContext } from "@/lib/data/viewer";
import { parseEnv } from "@/lib/env";
import { argoObservation } from "@/lib/ingest/argocd/argo-observation";
import { loadEnvironmentRules } from "@/lib/ingest/environment-rules";
import { observeGitOpsApp, observeRemovedApps } from "@/lib/ingest/gitops/observe-gitops-app";
import { maintainDerivedData } from "@/lib/metrics/maintain-derived-data";
import type { RawArgoApplication, RawArgoRevisionHistory } from "@/lib/sources/argocd/types";
import { type TestDatabase, createTestDatabase } from "./helpers/test-database";

/**
 * Hand-made Argo CD histories with known answers (DESIGN §3, §4), through the same observation
 * path as the stream: which operations are deployments, which app commit each ran, and which
 * episodes of live drift there were and how they ended.
 */
const env = parseEnv({});
const clock = frozenClock("2026-03-02T09:00:00Z");
const sha = (digit: string) => digit.repeat(40);
const C1 = sha("1");
const C2 = sha("2");
const C3 = sha("3");
const C4 = `4bcdef0${"9".repeat(33)}`;
const [R1, R2, R3, R4, R5, R6] = ["a", "b", "c", "d", "e", "f"].map(sha) as [string, string, string, string, string, string];
const IMAGE = "registry.example.com/shop/shop-api";
const at = (minutes: number) => new Date(Date.parse("2026-03-02T09:00:00Z") + minutes * 60_000).toISOString();

let database: TestDatabase;
let integrationId: string;
const history: RawArgoRevisionHistory[] = [];

function application(state: {
  syncStatus: "Synced" | "OutOfSync";
  desired: string;
  images: string[];
  operation?: { startedAt: string; finishedAt?: string; phase: string; revision: string; automated: boolean; username?: string; selfHeal?: boolean };
  drifted?: boolean;
  annotations?: Record<string, string>;
}): RawArgoApplication {
  const source = { repoURL: "https://github.com/acme/shop-config.git", path: "apps/shop-api", targetRevision: "main" };
  const operation = state.operation;
  return {
    metadata: { name: "shop-api", namespace: "argocd", uid: "0b4e-shop-api", ...(state.annotations ? { annotations: state.annotations } : {}) },
    spec: { source, destination: { server: "https://kubernetes.default.svc", namespace: "shop" }, project: "default", syncPolicy: { automated: { prune: true, selfHeal: true } } },
    status: {
      sync: { status: state.syncStatus, revision: state.desired },
      health: { status: "Healthy" },
      history: [...history],
      summary: { images: state.images },
      resources: [{ group: "apps", version: "v1", kind: "Deployment", namespace: "shop", name: "shop-api", status: state.drifted ? "OutOfSync" : "Synced" }],
      ...(operation
        ? {
            operationState: {
              operation: { sync: { revision: operation.revision, ...(operation.selfHeal ? { autoHealAttemptsCount: 1 } : {}) }, initiatedBy: operation.automated ? { automated: true } : { username: operation.username } },
              phase: operation.phase,
              startedAt: operation.startedAt,
              ...(operation.finishedAt ? { finishedAt: operation.finishedAt, syncResult: { revision: operation.revision } } : {}),
            },
          }
        : {}),
    },
  };
}

async function observe(raw: RawArgoApplication, minutes: number) {
  clock.set(at(minutes));
  const rules = await loadEnvironmentRules(database.db, env.PRODUCTION_ENVIRONMENTS);
  await database.db.$transaction((tx) => observeGitOpsApp(tx, argoObservation(raw, { integrationId, observedAt: clock.now() }), rules));
}

function remember(id: number, revision: string, startedAt: string, deployedAt: string, automated: boolean) {
  history.push({ id, revision, deployStartedAt: startedAt, deployedAt, initiatedBy: automated ? { automated: true } : { username: "alice" } });
}

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  const team = await db.team.create({ data: { slug: "shop", name: "Shop" } });
  const service = await db.service.create({ data: { slug: "shop-api", name: "shop-api", teamId: team.id } });
  const github = await db.integration.create({ data: { kind: "GITHUB", name: "github", origin: "ENV", baseUrl: "https://api.github.com" } });
  const repository = await db.repository.create({ data: { integrationId: github.id, externalId: "1", owner: "acme", name: "shop-api", fullName: "acme/shop-api", defaultBranch: "main" } });
  await db.serviceBinding.create({ data: { serviceId: service.id, kind: "REPOSITORY", matchKey: "github:acme/shop-api", integrationId: github.id, origin: "CONVENTION" } });
  let parent: string[] = [];
  for (const [index, commit] of [C1, C2, C3, C4].entries()) {
    await db.commit.create({ data: { integrationId: github.id, repositoryId: repository.id, sha: commit, parentShas: parent, authoredAt: at(-600 + index * 10), committedAt: at(-600 + index * 10), messageHeadline: `change ${index + 1}` } });
    parent = [commit];
  }
  integrationId = (await db.integration.create({ data: { kind: "ARGOCD", name: "argocd", origin: "ENV", baseUrl: "https://argocd.example.com" } })).id;

  // What Argo CD remembered when first seen: one automated sync of R1, running C1.
  remember(0, R1, at(-120), at(-118), true);
  await observe(application({ syncStatus: "Synced", desired: R1, images: [`${IMAGE}:${C1}`], operation: { startedAt: at(-120), finishedAt: at(-118), phase: "Succeeded", revision: R1, automated: true } }), 0);
  // Git moves to R2: an automated sync runs, then succeeds.
  await observe(application({ syncStatus: "OutOfSync", desired: R2, images: [`${IMAGE}:${C1}`], operation: { startedAt: at(10), phase: "Running", revision: R2, automated: true } }), 10);
  remember(1, R2, at(10), at(12), true);
  await observe(application({ syncStatus: "Synced", desired: R2, images: [`${IMAGE}:${C2}`], operation: { startedAt: at(10), finishedAt: at(12), phase: "Succeeded", revision: R2, automated: true } }), 12);
  // Someone edits the cluster: live drift at R2, repaired by self-heal (which history omits).
  await observe(application({ syncStatus: "OutOfSync", desired: R2, images: [`${IMAGE}:${C2}`], drifted: true, operation: { startedAt: at(10), finishedAt: at(12), phase: "Succeeded", revision: R2, automated: true } }), 30);
  await observe(application({ syncStatus: "Synced", desired: R2, images: [`${IMAGE}:${C2}`], operation: { startedAt: at(31), finishedAt: at(31.5), phase: "Succeeded", revision: R2, automated: true, selfHeal: true } }), 32);
  // A person re-syncs the same revision: in history, not a deployment.
  remember(2, R2, at(40), at(41), false);
  await observe(application({ syncStatus: "Synced", desired: R2, images: [`${IMAGE}:${C2}`], operation: { startedAt: at(40), finishedAt: at(41), phase: "Succeeded", revision: R2, automated: false, username: "alice" } }), 41);
  // A sync of R3 fails (never in history): a failed attempt.
  await observe(application({ syncStatus: "OutOfSync", desired: R3, images: [`${IMAGE}:${C2}`], operation: { startedAt: at(50), finishedAt: at(53), phase: "Failed", revision: R3, automated: false, username: "alice" } }), 53);
  // Rollback: a person syncs the older R1.
  remember(3, R1, at(60), at(62), false);
  await observe(application({ syncStatus: "OutOfSync", desired: R3, images: [`${IMAGE}:${C1}`], operation: { startedAt: at(60), finishedAt: at(62), phase: "Succeeded", revision: R1, automated: false, username: "bob" } }), 62);
  // R4's image has a version tag, no sha: unresolved, never guessed.
  remember(4, R4, at(70), at(72), true);
  await observe(application({ syncStatus: "Synced", desired: R4, images: [`${IMAGE}:v1.2.3`], operation: { startedAt: at(70), finishedAt: at(72), phase: "Succeeded", revision: R4, automated: true } }), 72);
  // R5's image names C4 by a prefix of 7: found in the service's repository.
  remember(5, R5, at(80), at(82), true);
  await observe(application({ syncStatus: "Synced", desired: R5, images: [`${IMAGE}:main-${C4.slice(0, 7)}`], operation: { startedAt: at(80), finishedAt: at(82), phase: "Succeeded", revision: R5, automated: true } }), 82);
  // R6's image has a version tag, but the app's annotation names the commit (C3 by a prefix).
  remember(6, R6, at(90), at(92), true);
  await observe(application({ syncStatus: "Synced", desired: R6, images: [`${IMAGE}:v1.3.0`], annotations: { "pipeline-health.dev/commit": C3.slice(0, 8) }, operation: { startedAt: at(90), finishedAt: at(92), phase: "Succeeded", revision: R6, automated: true } }), 92);
  await maintainDerivedData(database.db, clock, { timeZone: "UTC", productionEnvironments: env.PRODUCTION_ENVIRONMENTS });
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe("hand-made Argo CD histories", () => {
  it("counts only syncs that changed the revision: not the self-heal, not the re-sync; the failed attempt and the rollback are", async () => {
    const deployments = await database.db.deployment.findMany({ orderBy: { startedAt: "asc" }, select: { configRevision: true, status: true, startedAt: true, finishedAt: true, commitSha: true, commitResolution: true, isRollback: true, initiatedBy: true, methodology: true } });
    expect(deployments.map((row) => [row.configRevision, row.status])).toEqual([
      [R1, "SUCCESS"],
      [R2, "SUCCESS"],
      [R3, "FAILURE"],
      [R1, "SUCCESS"],
      [R4, "SUCCESS"],
      [R5, "SUCCESS"],
      [R6, "SUCCESS"],
    ]);
    expect(deployments.every((row) => row.methodology === "GITOPS")).toBe(true);
    expect(deployments[1]!.startedAt.toISOString()).toBe(at(10));
    expect(deployments[1]!.finishedAt!.toISOString()).toBe(at(12));
    expect(deployments[3]).toMatchObject({ initiatedBy: "bob", isRollback: true });
    // Every operation is kept, the self-heal and the re-sync included.
    const operations = await database.db.gitOpsOperation.findMany({ orderBy: { startedAt: "asc" }, select: { selfHeal: true, revision: true, deploymentId: true } });
    expect(operations).toHaveLength(9);
    expect(operations.filter((operation) => operation.selfHeal)).toEqual([{ selfHeal: true, revision: R2, deploymentId: null }]);
    expect(operations.filter((operation) => operation.deploymentId === null)).toHaveLength(2);
  });

  it("resolves the app commit from the image tag (whole sha, unique prefix), else the commit annotation, and leaves a bare version tag unresolved", async () => {
    const deployments = await database.db.deployment.findMany({ orderBy: { startedAt: "asc" }, select: { configRevision: true, commitSha: true, commitResolution: true } });
    expect(deployments.map((row) => [row.commitResolution, row.commitSha])).toEqual([
      ["IMAGE_TAG", C1],
      ["IMAGE_TAG", C2],
      // The failed attempt's revision never ran and nothing here says its image.
      ["UNRESOLVED", null],
      ["IMAGE_TAG", C1],
      ["UNRESOLVED", null],
      ["IMAGE_TAG", C4],
      // No sha in the tag: the `pipeline-health.dev/commit` annotation says which commit runs.
      ["ANNOTATION", C3],
    ]);
  });

  it("records the hand edit as one live-drift episode ended by the self-heal, and the self-heal in the audit trail", async () => {
    const episodes = await database.db.driftEpisode.findMany({ select: { kind: true, startedAt: true, endedAt: true, endReason: true, methodology: true, resources: true } });
    expect(episodes).toHaveLength(1);
    expect(episodes[0]).toMatchObject({ kind: "LIVE_DRIFT", methodology: "GITOPS", endReason: "AUTO_HEAL" });
    expect(episodes[0]!.startedAt.toISOString()).toBe(at(30));
    expect(episodes[0]!.endedAt!.toISOString()).toBe(at(31.5));
    expect(episodes[0]!.resources).toEqual([{ kind: "Deployment", namespace: "shop", name: "shop-api" }]);
    const actions = (await database.db.auditEvent.findMany({ where: { source: { in: ["argocd", "drift"] } }, select: { action: true } })).map((row) => row.action);
    expect(actions).toEqual(expect.arrayContaining(["gitops.self_heal.succeeded", "drift.detected", "drift.resolved", "gitops.sync.failed"]));
  });

  it("takes two observations of a new app at the same moment (the watch and the scheduled pass) one after the other", async () => {
    const raw = application({ syncStatus: "Synced", desired: R1, images: [`${IMAGE}:${C1}`], operation: { startedAt: at(-120), finishedAt: at(-118), phase: "Succeeded", revision: R1, automated: true } });
    const twin = { ...raw, metadata: { ...raw.metadata, name: "shop-api-eu", uid: "0b4e-shop-api-eu" } };
    const rules = await loadEnvironmentRules(database.db, env.PRODUCTION_ENVIRONMENTS);
    const observeOnce = () => database.db.$transaction((tx) => observeGitOpsApp(tx, argoObservation(twin, { integrationId, observedAt: clock.now() }), rules));
    await Promise.all([observeOnce(), observeOnce()]);
    expect(await database.db.gitOpsApp.count({ where: { name: "shop-api-eu" } })).toBe(1);
    expect(await database.db.gitOpsOperation.count({ where: { gitOpsApp: { name: "shop-api-eu" } } })).toBe(history.length);
  });

  it("lists the app's deployments without an app commit in Settings, with what the latest one ran", async () => {
    const catalog = await getCatalog(systemContext(clock), { db: database.db, productionPattern: env.PRODUCTION_ENVIRONMENTS });
    const row = catalog.unmapped.unresolvedCommits.find((entry) => entry.display.endsWith("/shop-api"));
    // R3 (failed, image unknown) and R4 (a version tag); R6's version tag is resolved by the annotation.
    expect(row).toMatchObject({ deploymentCount: 2, service: { slug: "shop-api" }, latest: { configRevision: R4, images: [`${IMAGE}:v1.2.3`] } });
  });

  it("ends the open drift of an application deleted from Argo CD (SOURCE_REMOVED) and leaves it out of drift from then on", async () => {
    const raw = application({ syncStatus: "OutOfSync", desired: R1, images: [`${IMAGE}:${C1}`], drifted: true, operation: { startedAt: at(-120), finishedAt: at(-118), phase: "Succeeded", revision: R1, automated: true } });
    const gone = { ...raw, metadata: { ...raw.metadata, name: "shop-api-us", uid: "0b4e-shop-api-us" } };
    clock.set(at(200));
    const rules = await loadEnvironmentRules(database.db, env.PRODUCTION_ENVIRONMENTS);
    await database.db.$transaction((tx) => observeGitOpsApp(tx, argoObservation(gone, { integrationId, observedAt: clock.now() }), rules));
    const app = await database.db.gitOpsApp.findFirstOrThrow({ where: { name: "shop-api-us" }, select: { id: true, driftState: true } });
    expect(app.driftState).toBe("LIVE_DRIFT");
    clock.set(at(230));
    expect(await observeRemovedApps(database.db, integrationId, ["0b4e-shop-api-us"], clock.now())).toBe(1);
    const episode = await database.db.driftEpisode.findFirstOrThrow({ where: { gitOpsAppId: app.id } });
    expect(episode).toMatchObject({ endReason: "SOURCE_REMOVED" });
    expect(episode.endedAt!.toISOString()).toBe(at(230));
    expect(await database.db.gitOpsApp.findUniqueOrThrow({ where: { id: app.id }, select: { driftObservable: true, driftState: true } })).toEqual({ driftObservable: false, driftState: "NOT_OBSERVABLE" });
    // Seen gone again (the next list): nothing more.
    expect(await observeRemovedApps(database.db, integrationId, ["0b4e-shop-api-us"], clock.now())).toBe(0);
  });

  it("lead time is measured from the resolved commits, the first deployment of the chain being a seed", async () => {
    const changes = await database.db.deploymentChange.findMany({ select: { commitSha: true, deployment: { select: { configRevision: true } } } });
    // R2 ships C2 (C1 was already running); R5 ships C3 and C4 after the rollback to C1 and an unresolved R4.
    expect(changes.filter((change) => change.deployment.configRevision === R1)).toEqual([]);
    expect(changes.filter((change) => change.deployment.configRevision === R2).map((change) => change.commitSha)).toEqual([C2]);
  });
});
