// GET /api/audit/filters — the actions, sources, services and people the audit pickers offer.
import { z } from "zod";
import { routeHandler } from "@/lib/api/route-handler";
import { listAuditFilterOptions } from "@/lib/data/audit/list-audit-filter-options";

export const dynamic = "force-dynamic";

export const GET = routeHandler(z.object({}).strict(), async ({ ctx }) => await listAuditFilterOptions(ctx));
