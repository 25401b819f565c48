// GET /api/sync-requests — open sync requests and a page of history (`cursor`, `limit`).
// POST /api/sync-requests — an engineer requests a sync of a gated app's desired revision, with a reason.
import { mutationHandler, routeHandler } from "@/lib/api/route-handler";
import { listSyncRequests } from "@/lib/data/approvals/read-sync-requests";
import { requestSync } from "@/lib/data/approvals/request-sync";
import { createSyncRequestSchema, listSyncRequestsParamsSchema } from "@/lib/queries/approvals";

export const dynamic = "force-dynamic";

export const GET = routeHandler(listSyncRequestsParamsSchema, async ({ ctx, query }) => await listSyncRequests(ctx, query));

export const POST = mutationHandler({ body: createSyncRequestSchema }, async ({ ctx, body }) => await requestSync(ctx, body));
