// GET /api/metrics/export — the Overview's comparison, services or teams (`table`) as CSV or JSON
// (`format`), for the parameters of GET /api/metrics; a download (Content-Disposition: attachment).
import { routeHandler } from "@/lib/api/route-handler";
import { buildExport, csvStream, exportFileName } from "@/lib/data/metrics/export-metrics";
import { defaultMetricsDeps } from "@/lib/data/metrics/get-metrics";
import { getEnv } from "@/lib/env";
import { exportParamsSchema } from "@/lib/queries/export";

export const dynamic = "force-dynamic";

export const GET = routeHandler(exportParamsSchema, async ({ ctx, query, request }) => {
  const deps = defaultMetricsDeps();
  // Links in a spreadsheet must be absolute to be clickable; PUBLIC_URL is the address people use.
  const baseUrl = getEnv().PUBLIC_URL?.replace(/\/$/, "") ?? request.nextUrl.origin;
  const document = await buildExport(ctx, query, deps, { baseUrl });
  const headers = {
    "content-disposition": `attachment; filename="${exportFileName(document.table, query.format, document.window, document.timeZone)}"`,
    // Numbers of one person's session: not for shared caches, and stale the moment data arrives.
    "cache-control": "no-store",
  };
  if (query.format === "json") {
    return new Response(JSON.stringify(document), { headers: { ...headers, "content-type": "application/json" } });
  }
  return new Response(csvStream(document), { headers: { ...headers, "content-type": "text/csv; charset=utf-8" } });
});
