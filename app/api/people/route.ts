// GET /api/people — users with role, status, person and sessions, and the persons of the ingested data (admins only).
import { routeHandler } from "@/lib/api/route-handler";
import { getPeople } from "@/lib/data/people/get-people";
import { peopleQuerySchema } from "@/lib/queries/people";

export const dynamic = "force-dynamic";

export const GET = routeHandler(peopleQuerySchema, async ({ ctx, query }) => await getPeople(ctx, query));
