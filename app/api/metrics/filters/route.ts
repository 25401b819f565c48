// GET /api/metrics/filters — the teams and environments the Overview's filters offer.
import { z } from "zod";
import { routeHandler } from "@/lib/api/route-handler";
import { getFilterChoices } from "@/lib/data/metrics/get-metrics";

export const dynamic = "force-dynamic";

export const GET = routeHandler(z.object({}).strict(), async ({ ctx }) => await getFilterChoices(ctx));
