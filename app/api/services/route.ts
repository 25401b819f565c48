// GET /api/services — services with their DORA metrics for a window, filtered, sorted and paged in SQL.
import { routeHandler } from "@/lib/api/route-handler";
import { listServiceMetrics } from "@/lib/data/metrics/list-service-metrics";
import { serviceListParamsSchema } from "@/lib/queries/services";

export const dynamic = "force-dynamic";

export const GET = routeHandler(serviceListParamsSchema, async ({ ctx, query }) => await listServiceMetrics(ctx, query));
