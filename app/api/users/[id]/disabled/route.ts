// POST /api/users/:id/disabled — disables a user (ending their sessions) or enables them again.
import { mutationHandler } from "@/lib/api/route-handler";
import { setUserDisabled } from "@/lib/data/people/manage-users";
import { setDisabledSchema, userIdParamsSchema } from "@/lib/queries/people";

export const dynamic = "force-dynamic";

export const POST = mutationHandler({ body: setDisabledSchema, params: userIdParamsSchema }, async ({ ctx, body, params }) => await setUserDisabled(ctx, { userId: params.id, disabled: body.disabled }));
