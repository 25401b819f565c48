// GET /api/services/[slug] — one service: metrics with tiers, lead-time distribution and incidents for a window.
import type { NextRequest } from "next/server";
import { routeHandler } from "@/lib/api/route-handler";
import { getServiceDetail } from "@/lib/data/services/get-service";
import { serviceDetailParamsSchema } from "@/lib/queries/services";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest, { params }: { params: Promise<{ slug: string }> }): Promise<Response> {
  const { slug } = await params;
  return await routeHandler(serviceDetailParamsSchema, async ({ ctx, query }) => await getServiceDetail(ctx, slug, query))(request);
}
