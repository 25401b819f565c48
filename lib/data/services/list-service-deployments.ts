// No `server-only` marker: tests call this directly; the route handler is the server entry.
import type { Prisma } from "@/lib/db/generated/client";
import { type ViewerContext, assertCan } from "@/lib/data/viewer";
import {
  FAILED_CHANGE_RULES,
  type FailedChangeRule,
  type ServiceDeploymentsDto,
  type ServiceDeploymentsParams,
  serviceDeploymentsParamsSchema,
} from "@/lib/queries/services";
import { findServiceBySlug } from "./get-service";
import { type ServicesDeps, defaultServicesDeps, gitHubWebBase, resolveServiceWindow } from "./service-window";

/**
 * The stored rule as the DTO's enum. The column is plain text, so a value this build does not know
 * (written by a newer derivation) reads as null rather than failing the whole list; a rule left on
 * a deployment that is no longer flagged is not shown either.
 */
function failedChangeRuleOf(isFailedChange: boolean, stored: string | null): FailedChangeRule | null {
  if (!isFailedChange || stored === null) return null;
  return (FAILED_CHANGE_RULES as readonly string[]).includes(stored) ? (stored as FailedChangeRule) : null;
}

/** The timeline and the table draw at most this many deployments; `total` says how many there were. */
export const DEPLOYMENT_LIST_LIMIT = 500;

/**
 * Deployments of one service (`GET /api/services/[slug]/deployments`), newest first, that finished
 * in the window `[from, to)` (or, still running, started in it), with their derived flags, what
 * remediated them, and their change lists (PRs and direct pushes, linking to GitHub when the
 * repository's integration has web pages). `environment`: absent = every production environment,
 * `all` = every environment, else one environment by name. Unknown slug: 404. Needs `metrics:read`.
 */
export async function listServiceDeployments(
  ctx: ViewerContext,
  slug: string,
  rawParams: ServiceDeploymentsParams,
  deps: ServicesDeps = defaultServicesDeps(),
): Promise<ServiceDeploymentsDto> {
  assertCan(ctx, "metrics:read");
  const params = serviceDeploymentsParamsSchema.parse(rawParams);
  const window = resolveServiceWindow(params, ctx.clock.now(), deps.timeZone);
  const service = await findServiceBySlug(deps.db, slug);

  const environment: Prisma.DeploymentWhereInput =
    params.environment === undefined ? { isProduction: true } : params.environment === "all" ? {} : { environment: params.environment };
  const where: Prisma.DeploymentWhereInput = {
    serviceId: service.id,
    ...environment,
    OR: [
      { finishedAt: { gte: window.from, lt: window.to } },
      { finishedAt: null, startedAt: { gte: window.from, lt: window.to } },
    ],
  };
  const [total, rows] = await deps.db.$transaction([
    deps.db.deployment.count({ where }),
    deps.db.deployment.findMany({
      where,
      orderBy: [{ finishedAt: { sort: "desc", nulls: "first" } }, { startedAt: "desc" }, { id: "asc" }],
      take: DEPLOYMENT_LIST_LIMIT,
      select: {
        id: true,
        environment: true,
        isProduction: true,
        methodology: true,
        source: true,
        status: true,
        commitSha: true,
        startedAt: true,
        finishedAt: true,
        initiatedBy: true,
        isRollback: true,
        isRework: true,
        isFailedChange: true,
        failedChangeRule: true,
        provisional: true,
        remediatedBy: { select: { id: true, finishedAt: true } },
        repository: { select: { fullName: true, integration: { select: { baseUrl: true, kind: true } } } },
        changes: {
          orderBy: [{ mergedAt: { sort: "asc", nulls: "last" } }, { firstCommitAt: "asc" }],
          select: {
            kind: true,
            commitSha: true,
            leadTimeSeconds: true,
            pullRequest: { select: { number: true, title: true, authorLogin: true } },
          },
        },
      },
    }),
  ]);

  return {
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    environment: params.environment ?? null,
    total,
    limit: DEPLOYMENT_LIST_LIMIT,
    deployments: rows.map((row) => {
      const base = row.repository?.integration.kind === "GITHUB" ? gitHubWebBase(row.repository.integration.baseUrl) : null;
      const repoUrl = base && row.repository ? `${base}/${row.repository.fullName}` : null;
      return {
        id: row.id,
        environment: row.environment,
        isProduction: row.isProduction,
        methodology: row.methodology === "GITOPS" ? "gitops" : "devops",
        source: row.source,
        status: row.status,
        commitSha: row.commitSha,
        commitUrl: repoUrl && row.commitSha ? `${repoUrl}/commit/${row.commitSha}` : null,
        repository: row.repository?.fullName ?? null,
        startedAt: row.startedAt.toISOString(),
        finishedAt: row.finishedAt?.toISOString() ?? null,
        initiatedBy: row.initiatedBy,
        isRollback: row.isRollback,
        isRework: row.isRework,
        isFailedChange: row.isFailedChange,
        failedChangeRule: failedChangeRuleOf(row.isFailedChange, row.failedChangeRule),
        provisional: row.provisional,
        remediatedBy: row.remediatedBy ? { id: row.remediatedBy.id, finishedAt: row.remediatedBy.finishedAt?.toISOString() ?? null } : null,
        changes: row.changes.map((change) => ({
          kind: change.kind,
          commitSha: change.commitSha,
          commitUrl: repoUrl ? `${repoUrl}/commit/${change.commitSha}` : null,
          leadTimeHours: change.leadTimeSeconds === null ? null : change.leadTimeSeconds / 3600,
          pullRequest: change.pullRequest
            ? {
                number: change.pullRequest.number,
                title: change.pullRequest.title,
                authorLogin: change.pullRequest.authorLogin,
                url: repoUrl ? `${repoUrl}/pull/${change.pullRequest.number}` : null,
              }
            : null,
        })),
      };
    }),
  };
}
