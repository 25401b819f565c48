// POST /api/people/:id/identities — links a GitHub login, commit e-mail or Argo CD user to a person (manual).
// DELETE /api/people/:id/identities — detaches one into a person of its own (manual), so linking never re-attaches it.
import { mutationHandler } from "@/lib/api/route-handler";
import { linkIdentity, unlinkIdentity } from "@/lib/data/people/manage-persons";
import { identitySchema, personIdParamsSchema } from "@/lib/queries/people";

export const dynamic = "force-dynamic";

export const POST = mutationHandler({ body: identitySchema, params: personIdParamsSchema }, async ({ ctx, body, params }) => await linkIdentity(ctx, { personId: params.id, ...body }));

export const DELETE = mutationHandler({ body: identitySchema, params: personIdParamsSchema }, async ({ ctx, body, params }) => await unlinkIdentity(ctx, { personId: params.id, ...body }));
