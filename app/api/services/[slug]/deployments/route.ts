// GET /api/services/[slug]/deployments — one service's deployments in a window, with flags and change lists.
import type { NextRequest } from "next/server";
import { routeHandler } from "@/lib/api/route-handler";
import { listServiceDeployments } from "@/lib/data/services/list-service-deployments";
import { serviceDeploymentsParamsSchema } from "@/lib/queries/services";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest, { params }: { params: Promise<{ slug: string }> }): Promise<Response> {
  const { slug } = await params;
  return await routeHandler(serviceDeploymentsParamsSchema, async ({ ctx, query }) => await listServiceDeployments(ctx, slug, query))(request);
}
