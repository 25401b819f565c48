// POST /api/catalog/preview — what a catalog change would do, computed by running it and rolling back.
import { mutationHandler } from "@/lib/api/route-handler";
import { previewCatalogChange } from "@/lib/data/catalog/change-catalog";
import { catalogChangeSchema } from "@/lib/queries/catalog";

export const dynamic = "force-dynamic";

export const POST = mutationHandler({ body: catalogChangeSchema }, async ({ ctx, body }) => await previewCatalogChange(ctx, body));
