// GET /api/metrics/compare — DevOps vs GitOps for every metric: values, tiers, change against the
// previous window, and the effect between cohorts with its bootstrap 95 % interval and sentence.
import { routeHandler } from "@/lib/api/route-handler";
import { getComparison } from "@/lib/data/metrics/get-metrics";
import { compareParamsSchema } from "@/lib/queries/compare";

export const dynamic = "force-dynamic";

export const GET = routeHandler(compareParamsSchema, async ({ ctx, query }) => await getComparison(ctx, query));
