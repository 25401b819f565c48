// DELETE /api/users/:id/sessions — ends every session of a user; they must sign in again.
import { mutationHandler } from "@/lib/api/route-handler";
import { revokeUserSessions } from "@/lib/data/people/manage-users";
import { revokeSessionsSchema, userIdParamsSchema } from "@/lib/queries/people";

export const dynamic = "force-dynamic";

export const DELETE = mutationHandler({ body: revokeSessionsSchema, params: userIdParamsSchema }, async ({ ctx, params }) => await revokeUserSessions(ctx, { userId: params.id }));
