// GET /api/sync-requests/[id] — one request with its approvals, change set and Argo CD operation (polled while it runs).
import type { NextRequest } from "next/server";
import { z } from "zod";
import { routeHandler } from "@/lib/api/route-handler";
import { getSyncRequest } from "@/lib/data/approvals/read-sync-requests";
import { syncRequestIdParamsSchema } from "@/lib/queries/approvals";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const raw = await params;
  // The id is validated after the session check, so an anonymous caller learns nothing from a 422.
  return await routeHandler(z.object({}).strict(), async ({ ctx }) => await getSyncRequest(ctx, syncRequestIdParamsSchema.parse(raw).id))(request);
}
