// POST /api/sync-requests/[id]/cancel — the requester withdraws a request that has not started executing.
import { mutationHandler } from "@/lib/api/route-handler";
import { cancelSyncRequest } from "@/lib/data/approvals/decide-sync-request";
import { cancelSyncRequestSchema, syncRequestIdParamsSchema } from "@/lib/queries/approvals";

export const dynamic = "force-dynamic";

export const POST = mutationHandler({ body: cancelSyncRequestSchema, params: syncRequestIdParamsSchema }, async ({ ctx, params }) => await cancelSyncRequest(ctx, params.id));
