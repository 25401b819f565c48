// GET /api/metrics/trends — both cohorts' value of each metric per ORG_TIMEZONE week of a window [from, to).
import { routeHandler } from "@/lib/api/route-handler";
import { getOverviewTrends } from "@/lib/data/metrics/get-overview-charts";
import { defaultMetricsDeps } from "@/lib/data/metrics/get-metrics";
import { metricsParamsSchema } from "@/lib/queries/metrics";

export const dynamic = "force-dynamic";

export const GET = routeHandler(metricsParamsSchema, async ({ ctx, query }) => await getOverviewTrends(ctx, query, defaultMetricsDeps()));
