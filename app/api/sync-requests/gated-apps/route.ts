// GET /api/sync-requests/gated-apps — GitOps apps that wait for a person, and whether the viewer may request a sync now.
import { z } from "zod";
import { routeHandler } from "@/lib/api/route-handler";
import { listGatedApps } from "@/lib/data/approvals/read-sync-requests";

export const dynamic = "force-dynamic";

export const GET = routeHandler(z.object({}).strict(), async ({ ctx }) => await listGatedApps(ctx));
