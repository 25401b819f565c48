// POST /api/people/:id/merge — merges this person into another (identities and account move over).
import { mutationHandler } from "@/lib/api/route-handler";
import { mergePersons } from "@/lib/data/people/manage-persons";
import { mergePersonSchema, personIdParamsSchema } from "@/lib/queries/people";

export const dynamic = "force-dynamic";

export const POST = mutationHandler({ body: mergePersonSchema, params: personIdParamsSchema }, async ({ ctx, body, params }) => await mergePersons(ctx, { personId: params.id, intoPersonId: body.intoPersonId }));
