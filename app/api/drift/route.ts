// GET /api/drift — every GitOps object and live workload with its drift state and age, filtered in SQL.
import { routeHandler } from "@/lib/api/route-handler";
import { listDriftTargets } from "@/lib/data/drift/list-drift-targets";
import { driftTargetsParamsSchema } from "@/lib/queries/drift";

export const dynamic = "force-dynamic";

export const GET = routeHandler(driftTargetsParamsSchema, async ({ ctx, query }) => await listDriftTargets(ctx, query));
