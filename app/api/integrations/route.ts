// GET /api/integrations — every source with its freshness, current run progress and data counts.
import { z } from "zod";
import { routeHandler } from "@/lib/api/route-handler";
import { listIntegrations } from "@/lib/data/integrations/list-integrations";

export const dynamic = "force-dynamic";

export const GET = routeHandler(z.object({}).strict(), async ({ ctx }) => ({ integrations: await listIntegrations(ctx) }));
