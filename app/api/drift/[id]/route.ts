// GET /api/drift/[id] — one GitOps app or workload: resources of its drift episode and the live-vs-desired diff.
import type { NextRequest } from "next/server";
import { z } from "zod";
import { routeHandler } from "@/lib/api/route-handler";
import { getDriftTarget } from "@/lib/data/drift/get-drift-target";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  // The id is checked by the data layer's schema (a 422 naming `id`), after the session check.
  return await routeHandler(z.object({}).strict(), async ({ ctx }) => await getDriftTarget(ctx, id))(request);
}
