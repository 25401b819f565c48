// GET /api/audit/verification — the latest audit-chain verification (the page's badge).
// POST /api/audit/verification — admins: verify the chain now (walk + copied heads), recorded for the badge.
import { z } from "zod";
import { mutationHandler, routeHandler } from "@/lib/api/route-handler";
import { defaultChainHeadDir } from "@/lib/audit/chain-head";
import { getAuditVerification, verifyAuditChainNow } from "@/lib/data/audit/get-audit-verification";

export const dynamic = "force-dynamic";

export const GET = routeHandler(z.object({}).strict(), async ({ ctx }) => await getAuditVerification(ctx));

// Reads the copied heads but does not write one: copying is the scheduled job's, one writer per data folder.
export const POST = mutationHandler({ body: z.object({}).strict() }, async ({ ctx }) => await verifyAuditChainNow(ctx, { headDir: defaultChainHeadDir() }));
