// GET /api/metrics — DORA metrics per service, team and methodology cohort for a window [from, to).
import { routeHandler } from "@/lib/api/route-handler";
import { getMetrics } from "@/lib/data/metrics/get-metrics";
import { metricsParamsSchema } from "@/lib/queries/metrics";

export const dynamic = "force-dynamic";

export const GET = routeHandler(metricsParamsSchema, async ({ ctx, query }) => await getMetrics(ctx, query));
