import { RequestError } from "@octokit/request-error";
import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import { lockCatalogForIngest } from "@/lib/ingest/catalog";
import { type EnvironmentRules, classifyEnvironment } from "@/lib/ingest/environment-rules";
import { serviceRepository } from "@/lib/ingest/gitops/gitops-binding";
import { resolveCommitOfImages } from "@/lib/ingest/gitops/gitops-deployments";
import { type RevisionImageResolver, githubClientForRepository } from "@/lib/ingest/gitops/revision-images";
import { type ConfigCommit, listConfigCommits } from "@/lib/sources/github/config-history";
import { subDays } from "date-fns";

/**
 * DESIGN §7: Argo CD keeps ten syncs and Flux five, so deployments from before what the cluster
 * remembers are rebuilt from the config repository: each commit that changed the app's directory on
 * the branch the controller tracks, older than the oldest operation we know, is a deployment at the
 * commit's time, marked `reconstructed` (a commit superseded before the controller's next look is
 * skipped; whether an old sync failed cannot be known from Git). Only for apps that follow Git on their own (auto-sync Argo
 * CD apps, unsuspended Flux objects): for an app a person syncs, Git says what was wanted, not when
 * it went out, so nothing is made up. Reconstructed rows have no sync lag (unknown) and the app
 * commit their revision's images name. Done once per app (its history does not change).
 */
/** Argo CD's default `timeout.reconciliation`; Flux's most common `spec.interval`. */
const ARGOCD_POLL_MS = 180_000;
const FLUX_POLL_MS = 600_000;

export async function reconstructGitOpsHistory(
  db: Db,
  input: { integrationId: string; source: "ARGOCD" | "FLUX"; env: Env; clock: Clock; rules: EnvironmentRules; images: RevisionImageResolver },
): Promise<number> {
  const apps = await db.gitOpsApp.findMany({
    where: { integrationId: input.integrationId, serviceId: { not: null }, OR: [{ autoSync: true }, { suspended: false, kind: { not: "ARGOCD_APPLICATION" } }], repoUrl: { not: "" } },
    select: { id: true, externalId: true, repoUrl: true, path: true, targetRevision: true, serviceId: true },
  });
  let created = 0;
  for (const app of apps) {
    const already = await db.deployment.count({ where: { gitOpsAppId: app.id, reconstructed: true } });
    if (already > 0) continue;
    const operations = await db.gitOpsOperation.findMany({
      where: { gitOpsAppId: app.id },
      select: { startedAt: true, revision: true, deploymentId: true },
      orderBy: { startedAt: "asc" },
    });
    if (operations.length === 0) continue;
    const horizon = operations[0]!.startedAt;
    // Revisions whose deployment an operation already is. A re-sync or self-heal of a revision is no
    // deployment of it: when that is all we remember, the revision went out earlier, unseen, and
    // its commit is rebuilt like any other (otherwise that deployment would be lost both ways).
    const known = new Set(operations.filter((operation) => operation.deploymentId !== null).map((operation) => operation.revision));
    const target = await githubClientForRepository(db, input.env, input.clock, app.repoUrl);
    if (!target) continue;
    const branch = !app.targetRevision || app.targetRevision === "HEAD" ? target.defaultBranch : app.targetRevision;
    let commits: ConfigCommit[];
    try {
      commits = await listConfigCommits(target.client, { owner: target.owner, repo: target.repo, branch, path: app.path.replace(/^\.?\/+|\/+$/g, ""), since: subDays(horizon, target.backfillDays) });
    } catch (error) {
      if (error instanceof RequestError && error.status === 404) continue;
      throw error;
    }
    // A controller that follows Git syncs the branch head when it next looks (Argo CD every three
    // minutes by default, Flux at its interval): a commit followed by another sooner than that was
    // most likely never deployed on its own.
    const pollMs = input.source === "ARGOCD" ? ARGOCD_POLL_MS : FLUX_POLL_MS;
    const older = commits.filter((commit, index) => {
      const next = commits[index + 1];
      if (next && next.committedAt.getTime() - commit.committedAt.getTime() < pollMs) return false;
      return commit.committedAt < horizon && !known.has(commit.sha);
    });
    if (older.length === 0) continue;
    const classified = classifyEnvironment("production", input.rules);
    const rows: { commit: ConfigCommit; images: string[] }[] = [];
    for (const commit of older) {
      const images = await input.images.imagesAt(app.repoUrl, app.path, commit.sha);
      rows.push({ commit, images });
    }
    await db.$transaction(async (tx) => {
      await lockCatalogForIngest(tx);
      const repository = await serviceRepository(tx, app.serviceId!);
      for (const { commit, images } of rows) {
        const resolved = await resolveCommitOfImages(tx, images, repository);
        await tx.deployment.upsert({
          where: { integrationId_source_externalId: { integrationId: input.integrationId, source: input.source, externalId: `reconstructed:${app.externalId}@${commit.sha}` } },
          create: {
            integrationId: input.integrationId,
            source: input.source,
            externalId: `reconstructed:${app.externalId}@${commit.sha}`,
            methodology: "GITOPS",
            serviceId: app.serviceId,
            gitOpsAppId: app.id,
            repositoryId: repository?.id ?? null,
            environment: classified.environment,
            sourceEnvironment: classified.environment === "production" ? null : "production",
            isProduction: classified.isProduction,
            commitSha: resolved.sha,
            commitResolution: resolved.resolution,
            configRevision: commit.sha,
            status: "SUCCESS",
            startedAt: commit.committedAt,
            finishedAt: commit.committedAt,
            initiatedBy: commit.authorLogin,
            reconstructed: true,
            sourceUpdatedAt: commit.committedAt,
          },
          update: {},
        });
        created += 1;
      }
    });
  }
  return created;
}
