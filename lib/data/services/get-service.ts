// No `server-only` marker: tests call this directly; route handlers and `services-server.ts` are the server entries.
import type { Db, DbTransaction } from "@/lib/db/client";
import { type ViewerContext, assertCan } from "@/lib/data/viewer";
import { computeMetrics } from "@/lib/data/metrics/compute-metrics";
import { AppError } from "@/lib/errors";
import { leadTimeCtes } from "@/lib/metrics/definitions/lead-time";
import { rollupsReady } from "@/lib/metrics/rollups";
import { applyMetricStatementSettings } from "@/lib/metrics/statement-settings";
import { type MetricScope, baseCtes } from "@/lib/metrics/definitions/scope";
import {
  type LeadTimeBinDto,
  type RepositoryRefDto,
  type ServiceDetailDto,
  type ServiceDetailParams,
  serviceDetailParamsSchema,
  serviceSlugSchema,
} from "@/lib/queries/services";
import { type ServicesDeps, defaultServicesDeps, gitHubWebBase, resolveServiceWindow } from "./service-window";

type Queryable = Pick<Db | DbTransaction, "$queryRaw">;

/** Lead-time bins (lower bound in hours, label); a change falls in the last bin whose bound it reaches. */
export const LEAD_TIME_BINS: readonly { minHours: number; bin: string }[] = [
  { minHours: 0, bin: "< 1 h" },
  { minHours: 1, bin: "1–4 h" },
  { minHours: 4, bin: "4–24 h" },
  { minHours: 24, bin: "1–3 d" },
  { minHours: 72, bin: "3–7 d" },
  { minHours: 168, bin: "1–4 wk" },
  { minHours: 672, bin: "≥ 4 wk" },
];

/** The service a slug names, or a 404 that says which slug; the slug is checked first (422 when malformed). */
export async function findServiceBySlug(db: Db, slug: string) {
  const parsed = serviceSlugSchema.safeParse(slug);
  if (!parsed.success) throw new AppError("NOT_FOUND", `service: no service has the slug ${JSON.stringify(slug)}`);
  const service = await db.service.findUnique({
    where: { slug: parsed.data },
    select: { id: true, slug: true, name: true, team: { select: { slug: true, name: true } } },
  });
  if (!service) throw new AppError("NOT_FOUND", `service: no service has the slug ${JSON.stringify(slug)}`);
  return service;
}

/** The service a slug names (name and team, for the page's heading), or null for the page's 404; needs `metrics:read`. */
export async function findServiceHeader(
  ctx: ViewerContext,
  slug: string,
  deps: ServicesDeps = defaultServicesDeps(),
): Promise<{ slug: string; name: string; team: { slug: string; name: string } | null } | null> {
  assertCan(ctx, "metrics:read");
  try {
    const { slug: found, name, team } = await findServiceBySlug(deps.db, slug);
    return { slug: found, name, team };
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return null;
    throw error;
  }
}

/** Whether a slug names a service. */
export async function serviceExists(ctx: ViewerContext, slug: string, deps: ServicesDeps = defaultServicesDeps()): Promise<boolean> {
  return (await findServiceHeader(ctx, slug, deps)) !== null;
}

/**
 * Counts per lead-time bin of exactly the changes the lead-time metric measures (`measured_changes`
 * of the shared definition), so the histogram and the median above it describe the same changes.
 */
async function queryLeadTimeBins(db: Queryable, scope: MetricScope): Promise<LeadTimeBinDto[]> {
  const bounds = LEAD_TIME_BINS.map((bin) => bin.minHours);
  const rows = await db.$queryRaw<{ bucket: number; count: number }[]>`
    WITH ${baseCtes(scope)}, ${leadTimeCtes()}
    SELECT width_bucket(lead_time_seconds / 3600.0, ${bounds}::float8[]) AS bucket, count(*)::int AS count
    FROM measured_changes
    GROUP BY 1`;
  const counts = new Map(rows.map((row) => [row.bucket, row.count]));
  // width_bucket returns i for bounds[i-1] <= value < bounds[i]; bucket 0 (negative, clock skew) joins the first bin.
  return LEAD_TIME_BINS.map((bin, index) => ({
    bin: bin.bin,
    minHours: bin.minHours,
    count: (counts.get(index + 1) ?? 0) + (index === 0 ? (counts.get(0) ?? 0) : 0),
  }));
}

/** "devops", "gitops" or "both" from the finished production attempts of the window (the cohorts' rule). */
async function queryMethodology(db: Queryable, scope: MetricScope): Promise<"devops" | "gitops" | "both" | null> {
  const [row] = await db.$queryRaw<{ devops: boolean | null; gitops: boolean | null }[]>`
    WITH ${baseCtes(scope)}
    SELECT bool_or(methodology = 'DEVOPS') AS devops, bool_or(methodology = 'GITOPS') AS gitops
    FROM day_facts`;
  if (row?.devops && row.gitops) return "both";
  if (row?.gitops) return "gitops";
  if (row?.devops) return "devops";
  return null;
}

/**
 * One service for its page (`GET /api/services/[slug]`): team, methodology, repositories and
 * environments; its DORA values for the window `[from, to)` from `computeMetrics` (identical to
 * `GET /api/metrics?service=`); the lead-time histogram; and the incidents opened in the window with
 * the deployment each was attributed to. Unknown slug: 404. Needs `metrics:read`.
 */
export async function getServiceDetail(
  ctx: ViewerContext,
  slug: string,
  rawParams: ServiceDetailParams,
  deps: ServicesDeps = defaultServicesDeps(),
): Promise<ServiceDetailDto> {
  assertCan(ctx, "metrics:read");
  const params = serviceDetailParamsSchema.parse(rawParams);
  const now = ctx.clock.now();
  const window = resolveServiceWindow(params, now, deps.timeZone);
  const service = await findServiceBySlug(deps.db, slug);
  const scope: MetricScope = { ...window, serviceIds: [service.id], methodology: null, timeZone: deps.timeZone };

  const metricsPromise = computeMetrics(ctx, { from: window.from.toISOString(), to: window.to.toISOString(), service: service.slug }, deps);
  const [bins, methodology, repositories, environments, incidents] = await deps.db.$transaction(
    async (tx) => {
      await applyMetricStatementSettings(tx);
      const stored = { ...scope, rollups: await rollupsReady(tx, deps.timeZone) };
      return [
        await queryLeadTimeBins(tx, stored),
        await queryMethodology(tx, stored),
        await tx.$queryRaw<{ fullName: string; baseUrl: string; kind: string }[]>`
          SELECT DISTINCT repository."fullName", integration."baseUrl", integration.kind::text AS kind
          FROM "Repository" repository
          JOIN "Integration" integration ON integration.id = repository."integrationId"
          WHERE repository.id IN (SELECT "repositoryId" FROM "Deployment" WHERE "serviceId" = ${service.id}::uuid AND "repositoryId" IS NOT NULL)
             OR lower(repository."fullName") IN (
               SELECT lower(binding."matchKey") FROM "ServiceBinding" binding
               WHERE binding."serviceId" = ${service.id}::uuid AND binding.kind = 'REPOSITORY')
          ORDER BY repository."fullName"`,
        await tx.$queryRaw<{ name: string; isProduction: boolean }[]>`
          SELECT environment AS name, bool_or("isProduction") AS "isProduction"
          FROM "Deployment" WHERE "serviceId" = ${service.id}::uuid
          GROUP BY environment
          ORDER BY bool_or("isProduction") DESC, environment`,
        await tx.incident.findMany({
          where: { serviceId: service.id, openedAt: { gte: window.from, lt: window.to } },
          orderBy: { openedAt: "desc" },
          take: 200,
          select: {
            id: true,
            title: true,
            number: true,
            openedAt: true,
            resolvedAt: true,
            attribution: true,
            repository: { select: { fullName: true, integration: { select: { baseUrl: true, kind: true } } } },
            deployment: { select: { id: true, environment: true, commitSha: true, finishedAt: true } },
          },
        }),
      ] as const;
    },
    // On the embedded database every transaction waits its turn behind ingestion: a page waits, not fails.
    { isolationLevel: "RepeatableRead", timeout: 30_000, maxWait: 20_000 },
  );
  const metrics = await metricsPromise;
  const values = metrics.services[0];
  if (!values) throw new AppError("NOT_FOUND", `service: no service has the slug ${JSON.stringify(slug)}`);
  const { slug: _slug, name: _name, team: _team, ...metricValues } = values;

  const repositoryRefs: RepositoryRefDto[] = repositories.map((repository) => {
    const base = repository.kind === "GITHUB" ? gitHubWebBase(repository.baseUrl) : null;
    return { fullName: repository.fullName, webUrl: base ? `${base}/${repository.fullName}` : null };
  });

  return {
    window: metrics.window,
    generatedAt: metrics.generatedAt,
    timeZone: deps.timeZone,
    service: { slug: service.slug, name: service.name, team: service.team, methodology, repositories: repositoryRefs, environments },
    metrics: metricValues,
    leadTimeDistribution: bins,
    incidents: incidents.map((incident) => {
      const base = incident.repository?.integration.kind === "GITHUB" ? gitHubWebBase(incident.repository.integration.baseUrl) : null;
      return {
        id: incident.id,
        title: incident.title,
        number: incident.number,
        url: base && incident.repository && incident.number !== null ? `${base}/${incident.repository.fullName}/issues/${incident.number}` : null,
        openedAt: incident.openedAt.toISOString(),
        resolvedAt: incident.resolvedAt?.toISOString() ?? null,
        attribution: incident.attribution,
        deployment: incident.deployment
          ? {
              id: incident.deployment.id,
              environment: incident.deployment.environment,
              commitSha: incident.deployment.commitSha,
              finishedAt: incident.deployment.finishedAt?.toISOString() ?? null,
            }
          : null,
      };
    }),
  };
}
