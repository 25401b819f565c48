// POST /api/catalog/changes — applies a catalog change in one transaction, with its audit event.
import { mutationHandler } from "@/lib/api/route-handler";
import { applyCatalogChange } from "@/lib/data/catalog/change-catalog";
import { catalogChangeSchema } from "@/lib/queries/catalog";

export const dynamic = "force-dynamic";

export const POST = mutationHandler({ body: catalogChangeSchema }, async ({ ctx, body }) => await applyCatalogChange(ctx, body));
