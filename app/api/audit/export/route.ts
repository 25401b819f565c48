// GET /api/audit/export — every audit event matching the filters as CSV or JSON (`format`), streamed in keyset batches; a download.
import { routeHandler } from "@/lib/api/route-handler";
import { exportAuditEvents } from "@/lib/data/audit/export-audit-events";
import { auditExportParamsSchema } from "@/lib/queries/audit";

export const dynamic = "force-dynamic";

export const GET = routeHandler(auditExportParamsSchema, async ({ ctx, query }) => {
  const { stream, contentType, fileName } = exportAuditEvents(ctx, query);
  return new Response(stream, {
    headers: {
      "content-type": contentType,
      "content-disposition": `attachment; filename="${fileName}"`,
      // One person's view of the trail: never in a shared cache.
      "cache-control": "no-store",
    },
  });
});
