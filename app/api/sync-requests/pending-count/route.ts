// GET /api/sync-requests/pending-count — the navigation badge: pending requests, and those the viewer could approve.
import { z } from "zod";
import { routeHandler } from "@/lib/api/route-handler";
import { countPendingApprovals } from "@/lib/data/approvals/read-sync-requests";

export const dynamic = "force-dynamic";

export const GET = routeHandler(z.object({}).strict(), async ({ ctx }) => await countPendingApprovals(ctx));
