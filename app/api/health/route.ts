// GET /api/health — database reachability, applied migration and version; 503 when the database is down.
import { NextResponse } from "next/server";
import { z } from "zod";
import { routeHandler } from "@/lib/api/route-handler";
import { getHealth } from "@/lib/data/health/get-health";

export const dynamic = "force-dynamic";

export const GET = routeHandler(z.object({}).strict(), async ({ ctx }) => {
  const health = await getHealth(ctx);
  return NextResponse.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
  // A load balancer's probe has no session.
}, { allowAnonymous: true });
