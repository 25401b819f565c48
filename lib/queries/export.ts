import { z } from "zod";
import type { MethodologyFilter } from "./services";
import { type GroupValuesDto, type MetricsParams, type TeamMetricsDto, metricsParamsSchema } from "./metrics";

/**
 * The query contract of `GET /api/metrics/export`: the Overview's comparison, the services and the
 * teams as rows, in CSV or JSON, for the parameters of `GET /api/metrics`. The page's export menu
 * builds its links with `exportUrl`, the route handler parses with `exportParamsSchema`, so the two
 * cannot drift apart. Also the link from a team row to the services behind it, shared by the team
 * table and the teams export so a spreadsheet and the page point at the same lists.
 */

export const EXPORT_TABLES = ["overview", "services", "teams"] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

export const EXPORT_FORMATS = ["csv", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * The metrics parameters plus which table and format. `safeExtend` keeps the base schema's
 * refinements (`from` before `to`, not `days` with `from`) and its strictness (unknown names → 422).
 */
export const exportParamsSchema = metricsParamsSchema.safeExtend({
  table: z.enum(EXPORT_TABLES, { error: `must be one of ${EXPORT_TABLES.join(", ")}` }),
  /** Default CSV: what a person opening the link in a browser most likely wants. */
  format: z.enum(EXPORT_FORMATS, { error: `must be one of ${EXPORT_FORMATS.join(", ")}` }).default("csv"),
});
export type ExportParams = z.infer<typeof exportParamsSchema>;

/** Metrics parameter names in a fixed order, so equal parameters give equal URLs. */
const METRICS_PARAM_NAMES = ["from", "to", "days", "team", "environment", "service"] as const satisfies readonly (keyof MetricsParams)[];

/** The metrics parameters of an export request (without `table` and `format`), only those set. */
export function metricsParamsOf(params: MetricsParams): MetricsParams {
  const picked: MetricsParams = {};
  for (const name of METRICS_PARAM_NAMES) if (params[name] !== undefined) Object.assign(picked, { [name]: params[name] });
  return picked;
}

/** The download URL of one table in one format for the given metrics parameters. */
export function exportUrl(table: ExportTable, format: ExportFormat, params: MetricsParams): string {
  const search = new URLSearchParams({ table, format });
  for (const name of METRICS_PARAM_NAMES) {
    const value = params[name];
    if (value !== undefined) search.set(name, String(value));
  }
  return `/api/metrics/export?${search.toString()}`;
}

/** A team row's values: the team's own over every deployment (`all`), or over one methodology's. */
export type TeamRowMethodology = "all" | "devops" | "gitops";

/** One list on the Services page holding some of the services behind a team row's numbers. */
export interface TeamServicesLink {
  /** The Services page's `methodology` filter used, or null for the team's whole list. */
  filter: MethodologyFilter | null;
  /** Services of the team in that list that count towards the row (with a finished attempt in the window). */
  serviceCount: number;
  href: string;
}

/**
 * Services with finished attempts of both methodologies: each is counted in the team's DevOps and
 * in its GitOps values but once in its overall ones, so the difference is exactly them.
 */
export function servicesWithBothMethodologies(team: Pick<TeamMetricsDto, "activeServiceCount" | "byMethodology">): number {
  const { devops, gitops } = team.byMethodology;
  if (!devops || !gitops) return 0;
  return Math.max(0, devops.activeServiceCount + gitops.activeServiceCount - team.activeServiceCount);
}

/**
 * Where the services behind a team row are listed on the Services page (`/services?team=…&methodology=…`
 * with the same window). The page's `methodology` filter means "shipped only that way in the window"
 * (or `both`), while a team's DevOps values count every service with a DevOps deployment, including
 * those that also shipped with GitOps. So a methodology row links to up to two lists: the services
 * that shipped only that way, and those that shipped both ways; together they are exactly the
 * row's services. The `all` row links to the team's whole list.
 *
 * The Services page has no `environment` parameter: with one set here, its lists show production.
 */
export function teamServicesLinks(
  team: Pick<TeamMetricsDto, "slug" | "activeServiceCount" | "byMethodology">,
  methodology: TeamRowMethodology,
  params: MetricsParams,
): TeamServicesLink[] {
  const href = (filter: MethodologyFilter | null) => {
    const search = new URLSearchParams({ team: team.slug });
    if (filter) search.set("methodology", filter);
    for (const name of ["from", "to", "days"] as const) {
      const value = params[name];
      if (value !== undefined) search.set(name, String(value));
    }
    return `/services?${search.toString()}`;
  };
  if (methodology === "all") return [{ filter: null, serviceCount: team.activeServiceCount, href: href(null) }];
  const values: GroupValuesDto | null = team.byMethodology[methodology];
  if (!values) return [];
  const both = servicesWithBothMethodologies(team);
  const only = values.activeServiceCount - both;
  const links: TeamServicesLink[] = [];
  if (only > 0) links.push({ filter: methodology, serviceCount: only, href: href(methodology) });
  if (both > 0) links.push({ filter: "both", serviceCount: both, href: href("both") });
  return links;
}
