import { DEPLOY_BOT_LOGIN } from "../catalog";
import { latestLanded, teamMembers, userByLogin, type DeploymentRecord, type LandedChange, type RepoSim, type ScenarioContext } from "../context";
import type { Random } from "../random";
import { DAY, HOUR, laterWorkingTime, MINUTE, toIso, type Seconds } from "../time";
import { controllerOf, FLUX_INTERVAL_SECONDS, IMAGE_REGISTRY } from "./controllers";
import type {
  GitopsApp,
  GitopsConfigCommit,
  GitopsDeployment,
  GitopsDriftEpisode,
  GitopsDriftResource,
  GitopsHealthTransition,
  GitopsOperation,
  GitopsTrigger,
  GitopsTruth,
  SandboxConfigRepository,
} from "./model";

/**
 * The cluster side of every service, simulated on the scenario's event queue next to the GitHub
 * side: CI bumps image tags in a config repository after each change lands, Argo CD or Flux
 * reconciles them, people sync manual apps and edit the cluster by hand. Every random draw comes
 * from streams forked under "gitops" (one per service and purpose) and happens inside an event in
 * time order, and nothing here touches the org, its ids or the streams of the GitHub side: the
 * GitHub history stays byte for byte what it was, and the cluster history is prefix-stable too.
 */

export function emptyGitopsTruth(): GitopsTruth {
  return { apps: [], pushWorkloads: [], configCommits: [], operations: [], healthTransitions: [], deployments: [], driftEpisodes: [], pendingChanges: [] };
}

interface AppSim {
  readonly ctx: ScenarioContext;
  readonly sim: RepoSim;
  readonly app: GitopsApp;
  readonly repo: SandboxConfigRepository;
  readonly random: Random;
  readonly truth: GitopsTruth;
  readonly commitIndex: Map<string, number>;
  operations: number;
  running: GitopsOperation | null;
  /** What runs: the revision of the latest successful sync that changed it. */
  synced: GitopsConfigCommit | null;
  /** Images that ran in production at some point, to tell a rollback. */
  deployedImages: Set<string>;
  autoSyncPlanned: boolean;
  syncAfterRunning: boolean;
  humanSyncPlanned: boolean;
  nextBumpAt: Seconds;
  semver: number;
  openDrift: GitopsDriftEpisode | null;
  driftCount: number;
  /** Flux: the deployment of a revision whose attempt failed, extended by its retry. */
  fluxRetrying: GitopsDeployment | null;
  partialDone: boolean;
}

/** Installs the cluster side for every service; returns the config repositories it will fill. */
export function installGitops(ctx: ScenarioContext, sims: readonly RepoSim[], random: Random, truth: GitopsTruth): SandboxConfigRepository[] {
  const repositories: SandboxConfigRepository[] = [];
  for (const sim of sims) {
    if (sim.service.deployVia === "gitops") repositories.push(installApp(ctx, sim, random.fork(`app:${sim.service.slug}`), truth).repo);
    else installPushDrift(ctx, sim, random.fork(`push-drift:${sim.service.slug}`), truth);
  }
  return repositories;
}

function installApp(ctx: ScenarioContext, sim: RepoSim, random: Random, truth: GitopsTruth): AppSim {
  const slug = sim.service.slug;
  const spec = controllerOf(slug);
  const createdAt = Date.parse(sim.repo.createdAt) / 1000 + random.int(30 * MINUTE, 3 * HOUR);
  const configRepository = `${ctx.org.login}/${slug}-config`;
  const helm = spec.controller === "flux-helmrelease";
  const argo = spec.controller === "argocd-application";
  const app: GitopsApp = {
    serviceSlug: slug,
    controller: spec.controller,
    name: slug,
    namespace: argo ? "argocd" : "flux-system",
    appRepository: sim.repo.fullName,
    configRepository,
    configBranch: "main",
    path: `apps/${slug}/production`,
    file: `apps/${slug}/production/${helm ? "values.yaml" : "kustomization.yaml"}`,
    image: `${IMAGE_REGISTRY}/${slug}`,
    autoSync: spec.autoSync,
    selfHeal: spec.selfHeal,
    driftDetection: spec.driftDetection,
    driftObservable: spec.driftDetection !== "disabled",
    intervalSeconds: argo ? null : FLUX_INTERVAL_SECONDS,
    workload: { kind: "Deployment", namespace: slug, name: slug, container: slug },
    createdAt: toIso(createdAt),
  };
  const repo: SandboxConfigRepository = { fullName: configRepository, defaultBranch: "main", serviceSlug: slug, createdAt: toIso(createdAt), commits: [] };
  const a: AppSim = {
    ctx,
    sim,
    app,
    repo,
    random,
    truth,
    commitIndex: new Map(),
    operations: 0,
    running: null,
    synced: null,
    deployedImages: new Set(),
    autoSyncPlanned: false,
    syncAfterRunning: false,
    humanSyncPlanned: false,
    nextBumpAt: createdAt,
    semver: 0,
    openDrift: null,
    driftCount: 0,
    fluxRetrying: null,
    partialDone: false,
  };

  ctx.queue.at(createdAt, () => {
    truth.apps.push(app);
    const head = latestLanded(sim);
    commitConfig(a, createdAt, { tag: head.sha, appSha: head.sha, kind: "initial", revertsSha: null, authorLogin: DEPLOY_BOT_LOGIN, message: `Add ${slug} production` });
    planDrift(a, createdAt);
    if (app.controller === "argocd-application") planResync(a, createdAt);
  });
  // Like the still-open incident: a hand edit a few hours before the anchor on an app that does not
  // correct it, so the anchor shows open live drift. It depends on the anchor, never on the end.
  if (!spec.selfHeal && spec.controller === "argocd-application") {
    const at = ctx.anchor - random.int(2 * HOUR, 6 * HOUR);
    if (at > createdAt) {
      ctx.queue.at(at, () => {
        if (!a.openDrift && !a.running && a.synced !== null) startDrift(a, at);
      });
    }
  }
  const previous = sim.onChangeLanded;
  sim.onChangeLanded = (change) => {
    previous(change);
    onAppChangeLanded(a, change);
  };
  return a;
}

// ---------------------------------------------------------------------------------------------
// Config repository

interface ConfigChange {
  tag: string;
  appSha: string | null;
  kind: GitopsConfigCommit["kind"];
  revertsSha: string | null;
  authorLogin: string;
  message: string;
}

function onAppChangeLanded(a: AppSim, change: LandedChange): void {
  // CI builds and pushes the image, then its bot bumps the tag; builds finish in landing order.
  const builtAt = Math.max(change.landedAt + a.random.int(3 * MINUTE, 12 * MINUTE), a.nextBumpAt + 1);
  a.nextBumpAt = builtAt;
  // Some builds are release-tagged: the tag names a version, not the commit (unresolvable).
  const semver = a.random.chance(0.05);
  a.ctx.queue.at(builtAt, () => {
    if (a.repo.commits.length === 0) return;
    const short = change.sha.slice(0, 7);
    const tag = semver ? `v1.${Math.floor(++a.semver / 10)}.${a.semver % 10}` : change.sha;
    commitConfig(a, builtAt, { tag, appSha: semver ? null : change.sha, kind: "bump", revertsSha: null, authorLogin: DEPLOY_BOT_LOGIN, message: `chore(${a.app.serviceSlug}): bump image to ${semver ? tag : short}` });
  });
}

function fileContent(app: GitopsApp, tag: string): string {
  if (app.controller === "flux-helmrelease") {
    return ["image:", `  repository: ${app.image}`, `  tag: "${tag}"`, "replicaCount: 3", "resources:", "  requests:", "    cpu: 100m", "    memory: 256Mi", ""].join("\n");
  }
  return [
    "apiVersion: kustomize.config.k8s.io/v1beta1",
    "kind: Kustomization",
    `namespace: ${app.workload.namespace}`,
    "resources:",
    "  - ../base",
    "images:",
    `  - name: ${app.image}`,
    `    newTag: ${tag}`,
    "",
  ].join("\n");
}

function commitConfig(a: AppSim, at: Seconds, change: ConfigChange): GitopsConfigCommit {
  const author = userByLogin(a.ctx, change.authorLogin);
  const head = a.repo.commits.at(-1);
  const commit: GitopsConfigCommit = {
    repository: a.repo.fullName,
    serviceSlug: a.app.serviceSlug,
    sha: a.ctx.shas.next(a.random),
    parents: head ? [head.sha] : [],
    authorLogin: author.login,
    authorName: author.name,
    authorEmail: author.email,
    committedAt: toIso(at),
    message: change.message,
    path: a.app.file,
    content: fileContent(a.app, change.tag),
    image: `${a.app.image}:${change.tag}`,
    imageTag: change.tag,
    appSha: change.appSha,
    kind: change.kind,
    revertsSha: change.revertsSha,
  };
  a.commitIndex.set(commit.sha, a.repo.commits.length);
  a.repo.commits.push(commit);
  a.truth.configCommits.push(commit);
  a.truth.pendingChanges.push({ serviceSlug: a.app.serviceSlug, configSha: commit.sha, appearedAt: commit.committedAt, deployedAt: null, deployedById: null });
  if (a.app.autoSync) requestAutoSync(a, a.app.controller === "argocd-application" ? a.random.int(MINUTE, 3 * MINUTE) : a.random.int(30, 90));
  else planHumanSync(a, at);
  return commit;
}

function head(a: AppSim): GitopsConfigCommit {
  const commit = a.repo.commits.at(-1);
  if (!commit) throw new Error(`${a.repo.fullName} has no commit`);
  return commit;
}

// ---------------------------------------------------------------------------------------------
// Controllers

function requestAutoSync(a: AppSim, delay: Seconds): void {
  if (a.autoSyncPlanned) return;
  a.autoSyncPlanned = true;
  const at = a.ctx.queue.now + delay;
  a.ctx.queue.at(at, () => {
    a.autoSyncPlanned = false;
    if (a.running) {
      a.syncAfterRunning = true;
      return;
    }
    const desired = head(a);
    if (desired.sha === a.synced?.sha) return;
    startOperation(a, at, { revision: desired, trigger: "auto", username: null, partial: false, forceSuccess: false });
  });
}

/** A manual app waits for a person, who syncs in working hours a few hours after the bump. */
function planHumanSync(a: AppSim, from: Seconds): void {
  if (a.humanSyncPlanned) return;
  a.humanSyncPlanned = true;
  const at = laterWorkingTime(from, HOUR, 5 * HOUR, a.random);
  a.ctx.queue.at(at, () => {
    a.humanSyncPlanned = false;
    if (a.running) return planHumanSync(a, at + 10 * MINUTE);
    const desired = head(a);
    if (desired.sha === a.synced?.sha) return;
    const person = a.random.pick(teamMembers(a.sim)).login;
    if (!a.partialDone && a.synced !== null && a.random.chance(0.1)) {
      // Someone syncs only the ConfigMap first to check it, then the whole app a little later.
      a.partialDone = true;
      const partial = [{ kind: "ConfigMap", namespace: a.app.workload.namespace, name: `${a.app.serviceSlug}-config` }];
      startOperation(a, at, { revision: desired, trigger: "manual", username: person, partial, forceSuccess: true });
      const fullAt = at + a.random.int(10 * MINUTE, 40 * MINUTE);
      a.ctx.queue.at(fullAt, () => {
        if (a.running || head(a).sha === a.synced?.sha) return planHumanSync(a, fullAt);
        startOperation(a, fullAt, { revision: head(a), trigger: "manual", username: person, partial: false, forceSuccess: false });
      });
      return;
    }
    startOperation(a, at, { revision: desired, trigger: "manual", username: person, partial: false, forceSuccess: false });
  });
}

/** Now and then someone presses Sync on an Argo CD app that is already synced (it repairs drift). */
function planResync(a: AppSim, from: Seconds): void {
  const at = laterWorkingTime(from, 6 * DAY, 20 * DAY, a.random);
  a.ctx.queue.at(at, () => {
    planResync(a, at);
    if (a.running || a.synced === null || head(a).sha !== a.synced.sha) return;
    startOperation(a, at, { revision: a.synced, trigger: "manual", username: a.random.pick(teamMembers(a.sim)).login, partial: false, forceSuccess: true });
  });
}

interface OperationRequest {
  revision: GitopsConfigCommit;
  trigger: GitopsTrigger;
  username: string | null;
  /** Argo CD partial sync: only these resources. */
  partial: GitopsOperation["partialResources"] | false;
  forceSuccess: boolean;
}

function startOperation(a: AppSim, at: Seconds, request: OperationRequest): GitopsOperation {
  const { app, random } = a;
  const argo = app.controller === "argocd-application";
  const changesRevision = !request.partial && request.revision.sha !== a.synced?.sha;
  const operation: GitopsOperation = {
    id: `${app.name}-${++a.operations}`,
    serviceSlug: app.serviceSlug,
    controller: app.controller,
    appName: app.name,
    revision: request.revision.sha,
    previousRevision: a.synced?.sha ?? null,
    trigger: request.trigger,
    startedAt: toIso(at),
    initiatedBy: { automated: request.username === null, username: request.username },
    partialResources: request.partial || null,
    changesRevision,
    result: null,
  };
  a.truth.operations.push(operation);
  a.running = operation;
  if (changesRevision) health(a, at, "Progressing", operation.id);

  const duration = argo ? random.int(20, 3 * MINUTE) : random.int(30, 4 * MINUTE);
  const phase: NonNullable<GitopsOperation["result"]>["phase"] =
    request.forceSuccess || !changesRevision
      ? "Succeeded"
      : random.weighted<"Succeeded" | "Failed" | "Error">([
          ["Succeeded", 0.92],
          ["Failed", 0.06],
          ["Error", argo ? 0.02 : 0],
        ]);
  const finishAt = at + duration;
  a.ctx.queue.at(finishAt, () => finishOperation(a, operation, request, finishAt, phase));
  return operation;
}

function finishOperation(a: AppSim, operation: GitopsOperation, request: OperationRequest, at: Seconds, phase: "Succeeded" | "Failed" | "Error"): void {
  const { app, random } = a;
  const argo = app.controller === "argocd-application";
  const success = phase === "Succeeded";
  const previous = a.synced;
  const applied = success && !request.partial ? request.revision : previous;
  operation.result = {
    finishedAt: toIso(at),
    phase,
    message: operationMessage(app, operation, phase),
    lastAppliedRevision: argo ? null : (applied?.sha ?? null),
  };
  a.running = null;

  let deployment: GitopsDeployment | null = null;
  if (operation.changesRevision) deployment = recordDeployment(a, operation, request.revision, at, success);
  if (success && !request.partial) {
    if (operation.changesRevision) {
      a.synced = request.revision;
      a.deployedImages.add(request.revision.image);
      markDeployed(a, request.revision, at, deployment!.id);
      if (random.chance(0.04)) {
        health(a, at + random.int(30, 2 * MINUTE), "Degraded", operation.id);
        health(a, at + random.int(10 * MINUTE, 60 * MINUTE), "Healthy", operation.id);
      } else {
        health(a, at + random.int(20, 2 * MINUTE), "Healthy", operation.id);
      }
    }
    endDrift(a, at, operation);
    if (operation.changesRevision && !deployment!.isRollback && random.chance(0.03)) planRollback(a, at, request.revision);
  } else if (!success) {
    health(a, at, "Degraded", operation.id);
    retry(a, at, request);
  }
  if (a.syncAfterRunning) {
    a.syncAfterRunning = false;
    requestAutoSync(a, random.int(5, 30));
  }
}

function operationMessage(app: GitopsApp, operation: GitopsOperation, phase: "Succeeded" | "Failed" | "Error"): string {
  if (app.controller !== "argocd-application") {
    if (phase === "Succeeded") return `Applied revision: main@sha1:${operation.revision}`;
    return `Deployment/${app.workload.namespace}/${app.workload.name} health check failed after 4m0s: timeout waiting for: [Deployment/${app.workload.namespace}/${app.workload.name} status: 'InProgress']`;
  }
  if (phase === "Succeeded") return operation.partialResources ? "successfully synced (partial)" : "successfully synced (all tasks run)";
  if (phase === "Failed") return "one or more objects failed to apply, reason: admission webhook denied the request";
  return "rpc error: code = Unknown desc = Manifest generation error (cached): context deadline exceeded";
}

/** Failed attempts are retried: automatically for auto-sync and Flux, by the same person otherwise. */
function retry(a: AppSim, at: Seconds, request: OperationRequest): void {
  const automated = request.username === null;
  const retryAt = at + (automated ? a.random.int(MINUTE, 10 * MINUTE) : a.random.int(5 * MINUTE, 30 * MINUTE));
  a.ctx.queue.at(retryAt, () => {
    if (a.running) {
      a.syncAfterRunning = a.syncAfterRunning || automated;
      return;
    }
    // A retry takes the newest desired revision (a fix may have been bumped meanwhile), except a rollback.
    const revision = request.trigger === "rollback" ? request.revision : head(a);
    if (revision.sha === a.synced?.sha) return;
    startOperation(a, retryAt, { revision, trigger: request.trigger === "rollback" ? "rollback" : automated ? "retry" : "manual", username: request.username, partial: false, forceSuccess: true });
  });
}

/**
 * A bad release is rolled back: on a manual Argo CD app someone syncs the previous revision; where
 * the controller follows Git, someone reverts the bump in the config repository.
 */
function planRollback(a: AppSim, from: Seconds, bad: GitopsConfigCommit): void {
  const previous = a.truth.configCommits.filter((commit) => commit.serviceSlug === a.app.serviceSlug && commit.image !== bad.image && a.deployedImages.has(commit.image)).at(-1);
  if (!previous) return;
  const at = from + a.random.int(20 * MINUTE, 2 * HOUR);
  const person = a.random.pick(teamMembers(a.sim)).login;
  a.ctx.queue.at(at, () => {
    if (a.running || a.synced?.sha !== bad.sha) return;
    if (!a.app.autoSync) {
      startOperation(a, at, { revision: findCommit(a, previous.sha), trigger: "rollback", username: person, partial: false, forceSuccess: false });
      return;
    }
    if (head(a).sha !== bad.sha) return;
    commitConfig(a, at, {
      tag: previous.imageTag,
      appSha: previous.appSha,
      kind: "revert",
      revertsSha: bad.sha,
      authorLogin: person,
      message: `Revert "${bad.message}"\n\nThis reverts commit ${bad.sha}.`,
    });
  });
}

function findCommit(a: AppSim, sha: string): GitopsConfigCommit {
  const index = a.commitIndex.get(sha);
  if (index === undefined) throw new Error(`${sha} is not in ${a.repo.fullName}`);
  return a.repo.commits[index]!;
}

function recordDeployment(a: AppSim, operation: GitopsOperation, revision: GitopsConfigCommit, at: Seconds, success: boolean): GitopsDeployment {
  const attempt = { operationId: operation.id, startedAt: operation.startedAt, finishedAt: toIso(at), outcome: success ? ("success" as const) : ("failure" as const) };
  const retrying = a.fluxRetrying;
  a.fluxRetrying = null;
  // Flux retrying one revision is one deployment attempt, however many reconciliations it takes.
  if (retrying && retrying.configSha === revision.sha) {
    retrying.attempts.push(attempt);
    retrying.finishedAt = attempt.finishedAt;
    retrying.status = attempt.outcome;
    if (!success) a.fluxRetrying = retrying;
    return retrying;
  }
  const deployment: GitopsDeployment = {
    id: operation.id,
    serviceSlug: a.app.serviceSlug,
    environment: "production",
    controller: a.app.controller,
    configRepository: a.repo.fullName,
    configSha: revision.sha,
    previousConfigSha: operation.previousRevision,
    image: revision.image,
    imageTag: revision.imageTag,
    appSha: revision.appSha,
    startedAt: operation.startedAt,
    finishedAt: attempt.finishedAt,
    status: attempt.outcome,
    initiatedBy: { ...operation.initiatedBy },
    isRollback: a.deployedImages.has(revision.image) && revision.image !== a.synced?.image,
    attempts: [attempt],
  };
  a.truth.deployments.push(deployment);
  if (!success && a.app.controller !== "argocd-application") a.fluxRetrying = deployment;
  return deployment;
}

function markDeployed(a: AppSim, revision: GitopsConfigCommit, at: Seconds, deploymentId: string): void {
  const upTo = a.commitIndex.get(revision.sha)!;
  for (const pending of a.truth.pendingChanges) {
    if (pending.serviceSlug !== a.app.serviceSlug || pending.deployedAt !== null) continue;
    const index = a.commitIndex.get(pending.configSha)!;
    if (index <= upTo) {
      pending.deployedAt = toIso(at);
      pending.deployedById = deploymentId;
    }
  }
}

function health(a: AppSim, at: Seconds, status: GitopsHealthTransition["status"], operationId: string | null): void {
  const transition: GitopsHealthTransition = { serviceSlug: a.app.serviceSlug, at: toIso(at), status, operationId };
  // Written at its own instant, so a truth cut before it never holds it.
  if (at === a.ctx.queue.now) a.truth.healthTransitions.push(transition);
  else a.ctx.queue.at(at, () => a.truth.healthTransitions.push(transition));
}

// ---------------------------------------------------------------------------------------------
// Live drift

function planDrift(a: AppSim, from: Seconds): void {
  const at = laterWorkingTime(from, 4 * DAY, 20 * DAY, a.random);
  a.ctx.queue.at(at, () => {
    planDrift(a, at);
    if (a.openDrift || a.running || a.synced === null) return;
    startDrift(a, at);
  });
}

function startDrift(a: AppSim, at: Seconds): void {
  const { app, random } = a;
  const synced = a.synced!;
  const workload = app.workload;
  const resource: GitopsDriftResource = random.chance(0.6)
    ? { kind: "Deployment", namespace: workload.namespace, name: workload.name, field: "spec.replicas", liveValue: String(random.pick([1, 2, 5, 6, 8])), desiredValue: "3" }
    : {
        kind: "Deployment",
        namespace: workload.namespace,
        name: workload.name,
        field: `spec.template.spec.containers[name=${workload.container}].image`,
        liveValue: `${app.image}:debug-${random.int(1, 99)}`,
        desiredValue: synced.image,
      };
  const episode: GitopsDriftEpisode = {
    id: `${app.name}-drift-${++a.driftCount}`,
    serviceSlug: app.serviceSlug,
    managedBy: app.controller,
    observable: app.driftObservable,
    actorLogin: random.pick(teamMembers(a.sim)).login,
    resources: [resource],
    startedAt: toIso(at),
    endedAt: null,
    endedBy: null,
    endedByRef: null,
  };
  a.truth.driftEpisodes.push(episode);
  a.openDrift = episode;
  // A replica count changed by hand leaves the app Healthy; a hand-set image rolls pods out.
  if (resource.field !== "spec.replicas") health(a, at, "Progressing", null);

  const corrects = app.selfHeal || app.controller === "flux-kustomization" || app.driftDetection === "enabled";
  if (!corrects) return;
  // Argo CD sees the change at once through its watch; Flux at its next interval.
  const correctAt = at + (app.selfHeal ? random.int(5, 90) : random.int(30, FLUX_INTERVAL_SECONDS));
  a.ctx.queue.at(correctAt, () => {
    if (a.openDrift !== episode || a.running || a.synced === null) return;
    startOperation(a, correctAt, { revision: a.synced, trigger: app.selfHeal ? "self-heal" : "interval", username: null, partial: false, forceSuccess: true });
  });
}

function endDrift(a: AppSim, at: Seconds, operation: GitopsOperation): void {
  const episode = a.openDrift;
  if (!episode) return;
  a.openDrift = null;
  episode.endedAt = toIso(at);
  episode.endedBy = operation.trigger === "self-heal" ? "self-heal" : operation.trigger === "interval" ? "reconcile" : "sync";
  episode.endedByRef = operation.id;
  if (!operation.changesRevision) health(a, at, "Healthy", operation.id);
}

/**
 * Push-based services: someone sets the image of the production Deployment by hand (a debug build,
 * an older release); it stays so until the next production deployment replaces it.
 */
function installPushDrift(ctx: ScenarioContext, sim: RepoSim, random: Random, truth: GitopsTruth): void {
  const slug = sim.service.slug;
  const workload = { kind: "Deployment" as const, namespace: slug, name: slug, container: slug };
  truth.pushWorkloads.push({ serviceSlug: slug, workload });
  let open: GitopsDriftEpisode | null = null;
  let count = 0;
  const image = (sha: string) => `${IMAGE_REGISTRY}/${slug}:${sha}`;

  const plan = (from: Seconds): void => {
    const at = laterWorkingTime(from, 10 * DAY, 40 * DAY, random);
    ctx.queue.at(at, () => {
      plan(at);
      const live = sim.environments.get("production")?.live;
      if (open || !live) return;
      const older = live.previousLive;
      const liveValue = older && random.chance(0.5) ? image(older.truth.sha) : image(`debug-${random.int(1, 99)}`);
      open = {
        id: `${slug}-drift-${++count}`,
        serviceSlug: slug,
        managedBy: "push",
        observable: true,
        actorLogin: random.pick(teamMembers(sim)).login,
        resources: [{ kind: "Deployment", namespace: slug, name: slug, field: `spec.template.spec.containers[name=${slug}].image`, liveValue, desiredValue: image(live.truth.sha) }],
        startedAt: toIso(at),
        endedAt: null,
        endedBy: null,
        endedByRef: null,
      };
      truth.driftEpisodes.push(open);
    });
  };
  plan(Date.parse(sim.repo.createdAt) / 1000);

  const previous = sim.onDeploymentLive;
  sim.onDeploymentLive = (environment: string, record: DeploymentRecord) => {
    previous(environment, record);
    if (environment !== "production" || !open) return;
    open.endedAt = toIso(record.finishedAt);
    open.endedBy = "new-deployment";
    open.endedByRef = record.truth.externalId;
    open = null;
  };
}
