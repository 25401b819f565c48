import type { DbTransaction } from "@/lib/db/client";
import type { DeploymentStatus } from "@/lib/db/generated/enums";
import { serviceRepository } from "@/lib/ingest/gitops/gitops-binding";
import { COMMIT_ANNOTATION, resolveAppCommit } from "@/lib/sources/argocd/transform";

/**
 * GitOps deployments from the operations recorded for one app (DESIGN §3). Walking the operations
 * in start order with the revision running before each:
 * - a self-heal, or a sync of the revision already running (a manual re-sync), is not a deployment;
 * - any other operation is one: a new revision, or an older one (a rollback);
 * - for Flux, retries of one revision after a failed attempt are the same attempt, extended.
 * The result is written as `Deployment` rows (source ARGOCD or FLUX) keyed on the first operation's
 * id, each operation pointing at its deployment. Rebuilt from all stored operations every time, so
 * an operation learnt late (an older history entry) puts every row where it belongs.
 */
export interface DeriveGitOpsInput {
  integrationId: string;
  gitOpsAppId: string;
  appKind: "ARGOCD_APPLICATION" | "FLUX_KUSTOMIZATION" | "FLUX_HELMRELEASE";
  source: "ARGOCD" | "FLUX";
  serviceId: string | null;
  environment: string;
  sourceEnvironment: string;
  isProduction: boolean;
  /** What the source says the synced revision runs now (Argo CD `summary.images`). */
  currentImages: { revision: string | null; images: string[]; commitAnnotation?: string | null };
}

interface StoredOperation {
  id: string;
  externalId: string;
  status: DeploymentStatus;
  startedAt: Date;
  finishedAt: Date | null;
  revision: string | null;
  initiatedBy: string | null;
  selfHeal: boolean;
  automated: boolean;
  images: string[];
  deploymentId: string | null;
  info?: Record<string, string>;
}

interface PlannedDeployment {
  operations: StoredOperation[];
  revision: string | null;
  /** The revision ran before in this chain (a rollback, or a retry after one): no new desired revision, so no sync lag. */
  revisitsRevision: boolean;
}

/** Pure: which operations make which deployment. Exported for unit tests with hand-made histories. */
export function planGitOpsDeployments(operations: readonly StoredOperation[], options: { mergeRetries: boolean; observedSince: Date | null }): PlannedDeployment[] {
  const mergeRetries = options.mergeRetries;
  const ordered = [...operations].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.externalId.localeCompare(b.externalId));
  const planned: PlannedDeployment[] = [];
  let running: string | null = null;
  let retrying: PlannedDeployment | null = null;
  const ran = new Set<string | null>();
  for (const [index, operation] of ordered.entries()) {
    if (operation.selfHeal) continue;
    if (operation.status === "CANCELLED") continue;
    // A run whose end was never seen (a gap in the stream) and that a later operation followed: its
    // outcome is unknown, so it is no attempt rather than one running for ever.
    if (operation.status === "IN_PROGRESS" && index < ordered.length - 1) continue;
    // The oldest sync a source remembers from before we watched, made by a person: it may re-sync
    // what already ran (Argo CD's history keeps those too), and nothing earlier says. It only tells
    // what was running; counting it could invent a deployment. An automated one always changed the
    // revision (automated syncs of the running revision are self-heals, which history omits).
    if (running === null && !operation.automated && options.observedSince !== null && operation.startedAt < options.observedSince && operation.status === "SUCCESS") {
      running = operation.revision;
      ran.add(operation.revision);
      continue;
    }
    if (running !== null && operation.revision === running) {
      // A re-sync of what runs: a repair, not a change. A Flux retry chain of another revision ends.
      retrying = null;
      continue;
    }
    if (mergeRetries && retrying && retrying.revision === operation.revision) {
      retrying.operations.push(operation);
    } else {
      const deployment = { operations: [operation], revision: operation.revision, revisitsRevision: ran.has(operation.revision) };
      planned.push(deployment);
      retrying = deployment;
    }
    if (operation.status === "SUCCESS") {
      running = operation.revision;
      ran.add(operation.revision);
      retrying = null;
    } else if (operation.status !== "FAILURE") {
      // Still running: the next operation is not a retry of it.
      retrying = null;
    }
  }
  return planned;
}

export async function deriveGitOpsDeployments(tx: DbTransaction, input: DeriveGitOpsInput): Promise<{ changedSince: Date | null }> {
  const operations = await tx.gitOpsOperation.findMany({
    where: { gitOpsAppId: input.gitOpsAppId },
    select: { id: true, externalId: true, status: true, startedAt: true, finishedAt: true, revision: true, initiatedBy: true, selfHeal: true, automated: true, images: true, deploymentId: true, info: true },
  }).then((rows) => rows.map((row) => ({ ...row, info: (row.info ?? {}) as Record<string, string> })));
  const app = await tx.gitOpsApp.findUnique({ where: { id: input.gitOpsAppId }, select: { observedSince: true } });
  // What the synced revision runs, said by the source now, is kept on its successful operations:
  // once the app moves on, nothing else says which images that revision ran.
  const { revision: currentRevision, images: currentImages, commitAnnotation } = input.currentImages;
  // The commit annotation speaks for what runs now: kept on that revision's operations like images.
  if (currentRevision !== null && commitAnnotation && /^[0-9a-f]{7,40}$/.test(commitAnnotation)) {
    const learnt = operations.filter((operation) => operation.status === "SUCCESS" && operation.revision === currentRevision && operation.info[COMMIT_ANNOTATION] !== commitAnnotation);
    for (const operation of learnt) {
      operation.info = { ...operation.info, [COMMIT_ANNOTATION]: commitAnnotation };
      await tx.gitOpsOperation.update({ where: { id: operation.id }, data: { info: operation.info } });
    }
  }
  if (currentRevision !== null && currentImages.length > 0) {
    const learnt = operations.filter((operation) => operation.status === "SUCCESS" && operation.revision === currentRevision && operation.images.length === 0);
    if (learnt.length > 0) {
      await tx.gitOpsOperation.updateMany({ where: { id: { in: learnt.map((operation) => operation.id) } }, data: { images: currentImages } });
      for (const operation of learnt) operation.images = [...currentImages];
    }
  }
  const planned = planGitOpsDeployments(operations, { mergeRetries: input.source === "FLUX", observedSince: app?.observedSince ?? null });
  const repository = input.serviceId ? await serviceRepository(tx, input.serviceId) : null;
  const existing = await tx.deployment.findMany({
    where: { gitOpsAppId: input.gitOpsAppId, source: input.source },
    select: {
      id: true, externalId: true, status: true, startedAt: true, finishedAt: true, commitSha: true, commitResolution: true, configRevision: true, serviceId: true,
      repositoryId: true, environment: true, isProduction: true, initiatedBy: true, desiredAt: true, reconstructed: true,
    },
  });
  const existingByKey = new Map(existing.map((row) => [row.externalId, row]));
  let changedSince: Date | null = null;
  const note = (at: Date | null) => {
    if (at && (!changedSince || at < changedSince)) changedSince = at;
  };
  const keep = new Set<string>();
  for (const deployment of planned) {
    const first = deployment.operations[0]!;
    const last = deployment.operations.at(-1)!;
    const images = deployment.operations.flatMap((operation) => operation.images);
    const annotated = deployment.operations.map((operation) => operation.info?.[COMMIT_ANNOTATION]).find((value): value is string => !!value) ?? null;
    const byImage = await resolveCommitOfImages(tx, images, repository);
    const resolved = byImage.resolution === "UNRESOLVED" && annotated ? await resolveAnnotatedCommit(tx, annotated, repository) : byImage;
    const before = existingByKey.get(first.externalId);
    // The desired-since instant of an app holds only its current revision: keep what was learnt.
    // Going back to a revision that ran before wants nothing new from Git: no sync lag.
    const desiredAt = deployment.revisitsRevision ? null : ((deployment.revision ? await desiredAtOf(tx, input.gitOpsAppId, deployment.revision) : null) ?? before?.desiredAt ?? null);
    const data = {
      methodology: "GITOPS" as const,
      serviceId: input.serviceId,
      gitOpsAppId: input.gitOpsAppId,
      repositoryId: repository?.id ?? null,
      environment: input.environment,
      sourceEnvironment: input.sourceEnvironment === input.environment ? null : input.sourceEnvironment,
      isProduction: input.isProduction,
      commitSha: resolved.sha,
      commitResolution: resolved.resolution,
      configRevision: deployment.revision,
      status: last.status,
      startedAt: first.startedAt,
      finishedAt: last.status === "IN_PROGRESS" ? null : (last.finishedAt ?? null),
      initiatedBy: first.initiatedBy,
      desiredAt,
      sourceUpdatedAt: last.finishedAt ?? last.startedAt,
    };
    keep.add(first.externalId);
    const same = (a: Date | null | undefined, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
    const changed =
      !before ||
      before.status !== data.status ||
      !same(before.startedAt, data.startedAt) ||
      !same(before.finishedAt, data.finishedAt) ||
      before.commitSha !== data.commitSha ||
      before.commitResolution !== data.commitResolution ||
      before.configRevision !== data.configRevision ||
      before.serviceId !== data.serviceId ||
      before.repositoryId !== data.repositoryId ||
      before.environment !== data.environment ||
      before.isProduction !== data.isProduction ||
      before.initiatedBy !== data.initiatedBy ||
      !same(before.desiredAt, desiredAt);
    // Unchanged rows are not written: a write moves `updatedAt`, which would have every chain derived again.
    const row = changed
      ? await tx.deployment.upsert({
          where: { integrationId_source_externalId: { integrationId: input.integrationId, source: input.source, externalId: first.externalId } },
          create: { integrationId: input.integrationId, source: input.source, externalId: first.externalId, ...data },
          update: data,
          select: { id: true },
        })
      : { id: before!.id };
    if (changed) note(data.finishedAt ?? data.startedAt);
    const ids = deployment.operations.filter((operation) => operation.deploymentId !== row.id).map((operation) => operation.id);
    if (ids.length > 0) await tx.gitOpsOperation.updateMany({ where: { id: { in: ids } }, data: { deploymentId: row.id } });
  }
  const planIds = new Set(planned.flatMap((deployment) => deployment.operations.map((operation) => operation.id)));
  const detached = operations.filter((operation) => operation.deploymentId !== null && !planIds.has(operation.id)).map((operation) => operation.id);
  if (detached.length > 0) await tx.gitOpsOperation.updateMany({ where: { id: { in: detached } }, data: { deploymentId: null } });
  // Observed rows no longer planned (an older operation learnt late re-cut the history). Reconstructed ones are kept.
  const stale = existing.filter((row) => !row.reconstructed && !keep.has(row.externalId));
  for (const row of stale) note(row.finishedAt);
  if (stale.length > 0) await tx.deployment.deleteMany({ where: { id: { in: stale.map((row) => row.id) } } });
  return { changedSince };
}

/**
 * The one commit of the service's repository a sha names: itself when whole, else the only commit
 * the prefix (at least 7 characters) starts; null when none or several do (never guessed).
 */
async function commitNamed(tx: DbTransaction, sha: string, repository: { id: string } | null): Promise<string | null> {
  if (/^[0-9a-f]{40}$/.test(sha)) return sha;
  if (!repository || !/^[0-9a-f]{7,39}$/.test(sha)) return null;
  const matches = await tx.$queryRaw<{ sha: string }[]>`SELECT sha FROM "Commit" WHERE "repositoryId" = ${repository.id}::uuid AND sha LIKE ${`${sha}%`} LIMIT 2`;
  return matches.length === 1 ? matches[0]!.sha : null;
}

/** A commit named by the `pipeline-health.dev/commit` annotation. */
async function resolveAnnotatedCommit(tx: DbTransaction, value: string, repository: { id: string } | null): Promise<{ sha: string | null; resolution: "ANNOTATION" | "UNRESOLVED" }> {
  const sha = await commitNamed(tx, value, repository);
  return sha ? { sha, resolution: "ANNOTATION" } : { sha: null, resolution: "UNRESOLVED" };
}

/** DESIGN §3: the app commit from the image tag; anything else is unresolved, never guessed. */
export async function resolveCommitOfImages(
  tx: DbTransaction,
  images: readonly string[],
  repository: { id: string; name: string } | null,
): Promise<{ sha: string | null; resolution: "IMAGE_TAG" | "UNRESOLVED" }> {
  if (images.length === 0) return { sha: null, resolution: "UNRESOLVED" };
  const resolved = resolveAppCommit(images, repository?.name ?? null);
  if (resolved.resolution === "UNRESOLVED") return { sha: null, resolution: "UNRESOLVED" };
  const sha = await commitNamed(tx, resolved.sha, repository);
  return sha ? { sha, resolution: "IMAGE_TAG" } : { sha: null, resolution: "UNRESOLVED" };
}

/**
 * When the deployed revision became desired: its config commit's time when the config repository
 * is mirrored, else when the app was first seen wanting it. Null when neither is known (history
 * older than our observation): such a deployment has no sync lag rather than a made-up one.
 */
async function desiredAtOf(tx: DbTransaction, gitOpsAppId: string, revision: string): Promise<Date | null> {
  const rows = await tx.$queryRaw<{ at: Date | null }[]>`
    SELECT COALESCE(
      (SELECT min(c."committedAt") FROM "Commit" c WHERE c.sha = ${revision}),
      (SELECT a."desiredSince" FROM "GitOpsApp" a WHERE a.id = ${gitOpsAppId}::uuid AND a."desiredRevision" = ${revision})
    ) AS at`;
  return rows[0]?.at ?? null;
}
