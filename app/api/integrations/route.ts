// GET /api/integrations — every source with its freshness, current run progress and data counts.
// POST /api/integrations — stores a GitHub integration (token encrypted) and queues its first sync.
import { z } from "zod";
import { mutationHandler, routeHandler } from "@/lib/api/route-handler";
import { createGithubIntegration } from "@/lib/data/integrations/create-integration";
import { getIntegrations } from "@/lib/data/integrations/list-integrations";
import { createGithubIntegrationSchema } from "@/lib/queries/integrations";

export const dynamic = "force-dynamic";

export const GET = routeHandler(z.object({}).strict(), async ({ ctx }) => await getIntegrations(ctx));

export const POST = mutationHandler({ body: createGithubIntegrationSchema }, async ({ ctx, body }) => {
  const created = await createGithubIntegration(ctx, body);
  return Response.json(created, { status: 201 });
});
