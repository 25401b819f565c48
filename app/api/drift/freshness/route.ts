// GET /api/drift/freshness — per source: last sync, its age, last error and health, stale after 15 min.
import { z } from "zod";
import { routeHandler } from "@/lib/api/route-handler";
import { getDriftFreshness } from "@/lib/data/drift/get-drift-freshness";

export const dynamic = "force-dynamic";

export const GET = routeHandler(z.object({}).strict(), async ({ ctx }) => await getDriftFreshness(ctx));
