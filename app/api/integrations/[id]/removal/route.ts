// GET /api/integrations/:id/removal — what removing the integration would delete and keep, exactly counted.
import { type NextRequest } from "next/server";
import { z } from "zod";
import { routeHandler } from "@/lib/api/route-handler";
import { previewIntegrationRemoval } from "@/lib/data/integrations/integration-removal";
import { integrationIdParamsSchema } from "@/lib/queries/integrations";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest, route: { params: Promise<{ id: string }> }): Promise<Response> {
  const params = await route.params;
  // routeHandler validates the query string only; the id is checked inside, so a bad one is a 422 like any input.
  return await routeHandler(z.object({}).strict(), async ({ ctx }) => await previewIntegrationRemoval(ctx, integrationIdParamsSchema.parse(params).id))(request);
}
