// POST /api/integrations/:id/sync — queues a sync now, unless one is already queued or running.
import { z } from "zod";
import { mutationHandler } from "@/lib/api/route-handler";
import { requestIntegrationSync } from "@/lib/data/integrations/request-integration-sync";
import { integrationIdParamsSchema } from "@/lib/queries/integrations";

export const dynamic = "force-dynamic";

export const POST = mutationHandler({ body: z.object({}).strict(), params: integrationIdParamsSchema }, async ({ ctx, params }) => await requestIntegrationSync(ctx, params.id));
