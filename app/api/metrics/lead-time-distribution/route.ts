// GET /api/metrics/lead-time-distribution — both cohorts' changes per lead-time bin, with pooled p50/p90, for a window [from, to).
import { routeHandler } from "@/lib/api/route-handler";
import { getLeadTimeDistribution } from "@/lib/data/metrics/get-overview-charts";
import { defaultMetricsDeps } from "@/lib/data/metrics/get-metrics";
import { metricsParamsSchema } from "@/lib/queries/metrics";

export const dynamic = "force-dynamic";

export const GET = routeHandler(metricsParamsSchema, async ({ ctx, query }) => await getLeadTimeDistribution(ctx, query, defaultMetricsDeps()));
