import { z } from "zod";

/** Parsed the same way by the server page and the client hook; an invalid id is dropped, not an error. */
export const approvalsPageParamsSchema = z
  .object({
    request: z.uuid().optional(),
    app: z.uuid().optional(),
  })
  .strict();
export type ApprovalsPageParams = z.infer<typeof approvalsPageParamsSchema>;
export const APPROVALS_URL_PARAMS = ["request", "app"] as const;
