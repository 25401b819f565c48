// DELETE /api/integrations/:id — removes a stored integration and its data (audit events kept); body `{ confirmName }`.
import { mutationHandler } from "@/lib/api/route-handler";
import { removeIntegration } from "@/lib/data/integrations/integration-removal";
import { integrationIdParamsSchema, removeIntegrationSchema } from "@/lib/queries/integrations";

export const dynamic = "force-dynamic";

export const DELETE = mutationHandler({ body: removeIntegrationSchema, params: integrationIdParamsSchema }, async ({ ctx, body, params }) => await removeIntegration(ctx, params.id, body));
