// No `server-only` marker: tests (and a future CLI) call this directly; the route handler is the server entry.
import { Prisma } from "@/lib/db/generated/client";
import { type ViewerContext, assertCan } from "@/lib/data/viewer";
import { type ServicesDeps, defaultServicesDeps, resolveServiceWindow } from "@/lib/data/services/service-window";
import { windowPeriodsCtes } from "@/lib/metrics/definitions/deployment-frequency";
import { isWindowProvisional } from "@/lib/metrics/definitions/provisional";
import { type MetricScope, baseCtes } from "@/lib/metrics/definitions/scope";
import { type ServiceDriftMetricsRow, type ServiceMetricsRow, queryServiceDriftMetrics, serviceMetricsSql } from "@/lib/metrics/definitions/service-metrics";
import { rollupCoverage } from "@/lib/metrics/rollups";
import { applyMetricStatementSettings } from "@/lib/metrics/statement-settings";
import { tiersOf } from "@/lib/metrics/tiers";
import { resolveTeamId } from "./resolve-team";
import {
  DEFAULT_SERVICE_PAGE_SIZE,
  type ServiceListDto,
  type ServiceListParams,
  type ServiceListRowDto,
  type ServiceSortKey,
  serviceListParamsSchema,
} from "@/lib/queries/services";

/**
 * Sort expressions over the `ranked` relation below. A closed map from the validated `sort` enum,
 * so no caller text ever reaches the SQL; every key ends with the slug so pages never overlap.
 */
const SORT_SQL: Record<ServiceSortKey, Prisma.Sql> = {
  name: Prisma.sql`lower(ranked.name)`,
  team: Prisma.sql`lower(ranked.team_name)`,
  methodology: Prisma.sql`ranked.methodology`,
  deploymentsPerDay: Prisma.sql`ranked."deploymentsPerDay"`,
  leadTime: Prisma.sql`ranked."leadTimeMedianHours"`,
  changeFailRate: Prisma.sql`ranked."changeFailRate"`,
  recoveryTime: Prisma.sql`ranked."recoveryTimeMedianHours"`,
  reworkRate: Prisma.sql`ranked."reworkRate"`,
  successRate: Prisma.sql`ranked."deploymentSuccessRate"`,
};

/** Escapes `%`, `_` and `\` so a search for "a_b" finds "a_b" and not "axb". */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

type PagedRow = ServiceMetricsRow & {
  total: number;
  slug: string | null;
  name: string | null;
  team_slug: string | null;
  team_name: string | null;
  methodology: "devops" | "gitops" | "both" | null;
};

/**
 * The services table (`GET /api/services`): every service matching `team`, `q` and `methodology`,
 * with its DORA values for the window `[from, to)`, sorted and paged by the database.
 *
 * How: one statement computes the per-service metrics with the shared definitions
 * (`serviceMetricsSql`, the same SQL as `GET /api/metrics`) for the services `team` and `q` select,
 * joins each service's methodologies in the window (from the same `day_facts` CTE), filters
 * by methodology, and sorts (NULLs — "no data" — last in both directions, then by slug), counts and
 * pages with LIMIT/OFFSET; only one page of rows leaves the database. The weekly sparkline is then
 * read for that page's services only. Needs `metrics:read`.
 */
export async function listServiceMetrics(
  ctx: ViewerContext,
  rawParams: ServiceListParams,
  deps: ServicesDeps = defaultServicesDeps(),
): Promise<ServiceListDto> {
  assertCan(ctx, "metrics:read");
  const params = serviceListParamsSchema.parse(rawParams);
  const now = ctx.clock.now();
  const window = resolveServiceWindow(params, now, deps.timeZone);
  const windowProvisional = isWindowProvisional(window.to, now);
  const sort = params.sort ?? "name";
  const dir = params.dir ?? "asc";
  const page = params.page ?? 1;
  const pageSize = params.pageSize ?? DEFAULT_SERVICE_PAGE_SIZE;
  const db = deps.db;

  const teamId = params.team === undefined ? null : await resolveTeamId(db, params.team);
  const q = params.q ? likePattern(params.q) : null;

  const [pageRows, weekRows, driftRows, teams] = await db.$transaction(
    async (tx) => {
      await applyMetricStatementSettings(tx);
      const selected = await tx.$queryRaw<{ id: string }[]>`
        SELECT service.id::text AS id FROM "Service" service
        WHERE (${teamId}::uuid IS NULL OR service."teamId" = ${teamId}::uuid)
          AND (${q}::text IS NULL OR service.name ILIKE ${q}::text OR service.slug ILIKE ${q}::text)`;
      const scope: MetricScope = {
        ...window,
        serviceIds: selected.map((row) => row.id),
        methodology: null,
        timeZone: deps.timeZone,
        ...(await rollupCoverage(tx, deps.timeZone, window)),
      };
      const methodologyFilter = params.methodology ?? null;
      const rows = await tx.$queryRaw<PagedRow[]>`
        WITH
        metrics AS (${serviceMetricsSql(scope)}),
        methods AS (
          WITH ${baseCtes(scope)}
          SELECT
            service_id,
            CASE
              WHEN bool_or(methodology = 'DEVOPS') AND bool_or(methodology = 'GITOPS') THEN 'both'
              WHEN bool_or(methodology = 'GITOPS') THEN 'gitops'
              ELSE 'devops'
            END AS methodology
          FROM day_facts
          GROUP BY service_id
        ),
        ranked AS (
          SELECT metrics.*, service.slug, service.name, team.slug AS team_slug, team.name AS team_name, methods.methodology
          FROM metrics
          JOIN "Service" service ON service.id = metrics."serviceId"::uuid
          LEFT JOIN "Team" team ON team.id = service."teamId"
          LEFT JOIN methods ON methods.service_id = service.id
          WHERE ${methodologyFilter}::text IS NULL OR methods.methodology = ${methodologyFilter}::text
        ),
        total AS (SELECT count(*)::int AS total FROM ranked)
        SELECT total.total, paged.*
        FROM total
        LEFT JOIN LATERAL (
          SELECT ranked.* FROM ranked
          ORDER BY ${SORT_SQL[sort]} ${dir === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`} NULLS LAST, ranked.slug ASC
          LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}
        ) paged ON true`;
      const pageIds = rows.flatMap((row) => (row.slug === null ? [] : [row.serviceId]));
      const weekScope: MetricScope = { ...scope, serviceIds: pageIds };
      // Weeks from the deployment-frequency definition, successful deployments from the day facts.
      const weeks =
        pageIds.length === 0
          ? []
          : await tx.$queryRaw<{ serviceId: string; weekStart: string; count: number }[]>`
            WITH ${baseCtes(weekScope)}, ${windowPeriodsCtes(weekScope)}
            SELECT scoped_services.service_id::text AS "serviceId", to_char(window_weeks.week_start, 'YYYY-MM-DD') AS "weekStart",
              coalesce(sum(day_facts.successful_count), 0)::int AS count
            FROM scoped_services
            CROSS JOIN window_weeks
            LEFT JOIN day_facts
              ON day_facts.service_id = scoped_services.service_id
              AND date_trunc('week', day_facts.local_day::timestamp)::date = window_weeks.week_start
            GROUP BY scoped_services.service_id, window_weeks.week_start
            ORDER BY window_weeks.week_start`;
      // Drift and sync lag of the page's services, from their raw tables (see `drift.ts`).
      const drift = pageIds.length === 0 ? [] : await queryServiceDriftMetrics(tx, weekScope, now, ["ALL"]);
      const teamList = await tx.team.findMany({ orderBy: [{ name: "asc" }, { slug: "asc" }], select: { slug: true, name: true } });
      return [rows, weeks, drift, teamList] as const;
    },
    // On the embedded database every transaction waits its turn behind ingestion: a page waits, not fails.
    { isolationLevel: "RepeatableRead", timeout: 30_000, maxWait: 20_000 },
  );

  const weeksByService = new Map<string, { weekStart: string; count: number }[]>();
  for (const week of weekRows) {
    const list = weeksByService.get(week.serviceId) ?? [];
    list.push({ weekStart: week.weekStart, count: week.count });
    weeksByService.set(week.serviceId, list);
  }

  const driftByService = new Map<string, ServiceDriftMetricsRow>(driftRows.map((row) => [row.serviceId, row]));

  const rows: ServiceListRowDto[] = pageRows.flatMap((row) => {
    if (row.slug === null || row.name === null) return [];
    const drift = driftByService.get(row.serviceId);
    return [
      {
        slug: row.slug,
        name: row.name,
        team: row.team_slug !== null && row.team_name !== null ? { slug: row.team_slug, name: row.team_name } : null,
        methodology: row.methodology,
        deploymentCount: row.deploymentCount,
        attemptCount: row.attemptCount,
        deploymentsPerDay: row.deploymentsPerDay,
        deploymentDaysPerWeekMedian: row.deploymentDaysPerWeekMedian,
        leadTimeMedianHours: row.leadTimeMedianHours,
        failedChangeCount: row.failedChangeCount,
        changeFailRate: row.changeFailRate,
        recoveryTimeMedianHours: row.recoveryTimeMedianHours,
        reworkRate: row.reworkRate,
        deploymentSuccessRate: row.deploymentSuccessRate,
        driftObservable: drift?.driftObservable ?? false,
        driftEpisodesPer30Days: drift?.driftEpisodesPer30Days ?? null,
        driftMedianHoursToReconcile: drift?.driftMedianHoursToReconcile ?? null,
        timeInSyncRatio: drift?.timeInSyncRatio ?? null,
        syncLagMedianHours: drift?.syncLagMedianHours ?? null,
        provisional: windowProvisional || row.anyFlagProvisional,
        tiers: tiersOf(row),
        weeklyDeployments: weeksByService.get(row.serviceId) ?? [],
      },
    ];
  });

  return {
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    generatedAt: now.toISOString(),
    timeZone: deps.timeZone,
    sort,
    dir,
    page,
    pageSize,
    total: pageRows[0]?.total ?? 0,
    rows,
    teams,
  };
}
