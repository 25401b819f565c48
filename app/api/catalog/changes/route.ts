// POST /api/catalog/changes — applies a catalog change in one transaction, with its audit event;
// 409 when `expectedFingerprint` (optional for API callers, always sent by the dialog) no longer matches.
import { mutationHandler } from "@/lib/api/route-handler";
import { applyCatalogChange } from "@/lib/data/catalog/change-catalog";
import { catalogApplySchema } from "@/lib/queries/catalog";

export const dynamic = "force-dynamic";

export const POST = mutationHandler({ body: catalogApplySchema }, async ({ ctx, body }) => await applyCatalogChange(ctx, body));
