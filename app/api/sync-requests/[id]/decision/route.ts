// POST /api/sync-requests/[id]/decision — an approver approves or rejects `{ decision, comment }`; four eyes enforced.
import { mutationHandler } from "@/lib/api/route-handler";
import { decideSyncRequest } from "@/lib/data/approvals/decide-sync-request";
import { decideSyncRequestSchema, syncRequestIdParamsSchema } from "@/lib/queries/approvals";

export const dynamic = "force-dynamic";

export const POST = mutationHandler({ body: decideSyncRequestSchema, params: syncRequestIdParamsSchema }, async ({ ctx, body, params }) => await decideSyncRequest(ctx, params.id, body));
