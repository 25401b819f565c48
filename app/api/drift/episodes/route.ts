// GET /api/drift/episodes — drift episodes overlapping a window, for the timeline, filtered like the targets.
import { routeHandler } from "@/lib/api/route-handler";
import { listDriftEpisodes } from "@/lib/data/drift/list-drift-episodes";
import { driftEpisodesParamsSchema } from "@/lib/queries/drift";

export const dynamic = "force-dynamic";

export const GET = routeHandler(driftEpisodesParamsSchema, async ({ ctx, query }) => await listDriftEpisodes(ctx, query));
