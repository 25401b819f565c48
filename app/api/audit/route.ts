// GET /api/audit — one keyset page of audit events matching the filters, newest first (`cursor` = the previous page's last seq).
import { routeHandler } from "@/lib/api/route-handler";
import { listAuditEvents } from "@/lib/data/audit/list-audit-events";
import { auditListParamsSchema } from "@/lib/queries/audit";

export const dynamic = "force-dynamic";

export const GET = routeHandler(auditListParamsSchema, async ({ ctx, query }) => await listAuditEvents(ctx, query));
