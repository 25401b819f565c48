// No `server-only` marker: tests call this directly; the route handler and the page's prefetch are the server entries.
import type { Db } from "@/lib/db/client";
import { type ViewerContext, assertCan } from "@/lib/data/viewer";
import type { MetricFiltersDto } from "@/lib/queries/metric-filters";

/**
 * What the Overview's filters offer: every team (with its service count) and every environment
 * name deployments were recorded in, production environments first, then by how often they are
 * deployed to. An environment is production when any of its deployments is (environment rules
 * decide that per deployment). Needs `metrics:read`.
 */
export async function getMetricFilters(ctx: ViewerContext, db: Db): Promise<MetricFiltersDto> {
  assertCan(ctx, "metrics:read");
  const [teams, environments] = await Promise.all([
    db.team.findMany({ orderBy: { name: "asc" }, select: { slug: true, name: true, _count: { select: { services: true } } } }),
    db.$queryRaw<{ name: string; isProduction: boolean; deploymentCount: number }[]>`
      SELECT environment AS name, bool_or("isProduction") AS "isProduction", count(*)::int AS "deploymentCount"
      FROM "Deployment"
      GROUP BY environment
      ORDER BY bool_or("isProduction") DESC, count(*) DESC, environment`,
  ]);
  return { teams: teams.map((team) => ({ slug: team.slug, name: team.name, serviceCount: team._count.services })), environments };
}
