// POST /api/users/:id/role — changes a user's role; the last active admin cannot be demoted (409).
import { mutationHandler } from "@/lib/api/route-handler";
import { changeUserRole } from "@/lib/data/people/manage-users";
import { changeRoleSchema, userIdParamsSchema } from "@/lib/queries/people";

export const dynamic = "force-dynamic";

export const POST = mutationHandler({ body: changeRoleSchema, params: userIdParamsSchema }, async ({ ctx, body, params }) => await changeUserRole(ctx, { userId: params.id, role: body.role }));
