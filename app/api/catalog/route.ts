// GET /api/catalog — services, teams, repositories, environment classification and what is unmapped.
import { z } from "zod";
import { routeHandler } from "@/lib/api/route-handler";
import { getCatalog } from "@/lib/data/catalog/get-catalog";

export const dynamic = "force-dynamic";

export const GET = routeHandler(z.object({}).strict(), async ({ ctx }) => await getCatalog(ctx));
