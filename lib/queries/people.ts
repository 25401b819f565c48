import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { apiFetch } from "./api-fetch";

/** Wire shapes of Settings → People and roles, shared by route handlers, the query contract and tests. */
export const ROLE_VALUES = ["VIEWER", "ENGINEER", "APPROVER", "ADMIN"] as const;
export const IDENTITY_KIND_VALUES = ["GITHUB", "EMAIL", "ARGOCD"] as const;

export const userIdParamsSchema = z.object({ id: z.uuid() });
export const personIdParamsSchema = z.object({ id: z.uuid() });

export const changeRoleSchema = z.object({ role: z.enum(ROLE_VALUES) }).strict();
export const setDisabledSchema = z.object({ disabled: z.boolean() }).strict();
export const revokeSessionsSchema = z.object({}).strict();
export const identitySchema = z
  .object({
    kind: z.enum(IDENTITY_KIND_VALUES),
    value: z.string().trim().min(1, "is required").max(320, "must be at most 320 characters"),
  })
  .strict();
export const mergePersonSchema = z.object({ intoPersonId: z.uuid() }).strict();
export const peopleQuerySchema = z.object({ q: z.string().trim().max(100).optional() });

export type RoleValue = (typeof ROLE_VALUES)[number];
export type IdentityKindValue = (typeof IDENTITY_KIND_VALUES)[number];

export interface IdentityDto {
  kind: IdentityKindValue;
  value: string;
  verified: boolean;
  manual: boolean;
}

export interface PersonDto {
  id: string;
  displayName: string;
  identities: IdentityDto[];
  /** The dashboard account that is this person, if any. */
  userEmail: string | null;
  commits: number;
  pullRequests: number;
}

export interface UserRowDto {
  id: string;
  name: string;
  email: string;
  role: RoleValue;
  disabled: boolean;
  person: { id: string; displayName: string; identities: IdentityDto[] } | null;
  activeSessions: number;
  /** When the newest session still stored began (ISO); null when the user has none. */
  lastSignInAt: string | null;
  /** The signed-in admin's own row (so the UI can warn before locking oneself out). */
  isSelf: boolean;
}

export interface PeopleDto {
  users: UserRowDto[];
  persons: PersonDto[];
  /** How many persons match in all; `persons` holds the first 100. */
  personsTotal: number;
}

export interface PeopleChangeResultDto {
  message: string;
}

// ───────────── contract ─────────────

export const peopleKeys = {
  all: ["people"] as const,
  list: (q: string) => ["people", { q }] as const,
};

const identityDtoSchema = z.object({ kind: z.enum(IDENTITY_KIND_VALUES), value: z.string(), verified: z.boolean(), manual: z.boolean() }) satisfies z.ZodType<IdentityDto>;
export const peopleResponseSchema = z.object({
  users: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      email: z.string(),
      role: z.enum(ROLE_VALUES),
      disabled: z.boolean(),
      person: z.object({ id: z.string(), displayName: z.string(), identities: z.array(identityDtoSchema) }).nullable(),
      activeSessions: z.number().int(),
      lastSignInAt: z.string().nullable(),
      isSelf: z.boolean(),
    }),
  ),
  persons: z.array(
    z.object({
      id: z.string(),
      displayName: z.string(),
      identities: z.array(identityDtoSchema),
      userEmail: z.string().nullable(),
      commits: z.number().int(),
      pullRequests: z.number().int(),
    }),
  ),
  personsTotal: z.number().int(),
}) satisfies z.ZodType<PeopleDto>;
const changeResultSchema = z.object({ message: z.string() }) satisfies z.ZodType<PeopleChangeResultDto>;

export async function fetchPeople(q: string, signal?: AbortSignal): Promise<PeopleDto> {
  const query = q ? `?q=${encodeURIComponent(q)}` : "";
  return await apiFetch(`/api/people${query}`, peopleResponseSchema, { signal, what: "Loading people and roles" });
}

const user = (id: string) => `/api/users/${encodeURIComponent(id)}`;
const person = (id: string) => `/api/people/${encodeURIComponent(id)}`;

export const peopleMutations = {
  changeRole: (id: string, role: RoleValue) => apiFetch(`${user(id)}/role`, changeResultSchema, { method: "POST", body: { role }, what: "Changing the role" }),
  setDisabled: (id: string, disabled: boolean) => apiFetch(`${user(id)}/disabled`, changeResultSchema, { method: "POST", body: { disabled }, what: disabled ? "Disabling the user" : "Enabling the user" }),
  revokeSessions: (id: string) => apiFetch(`${user(id)}/sessions`, changeResultSchema, { method: "DELETE", body: {}, what: "Revoking sessions" }),
  linkIdentity: (id: string, identity: { kind: IdentityKindValue; value: string }) => apiFetch(`${person(id)}/identities`, changeResultSchema, { method: "POST", body: identity, what: "Linking the identity" }),
  unlinkIdentity: (id: string, identity: { kind: IdentityKindValue; value: string }) => apiFetch(`${person(id)}/identities`, changeResultSchema, { method: "DELETE", body: identity, what: "Unlinking the identity" }),
  merge: (id: string, intoPersonId: string) => apiFetch(`${person(id)}/merge`, changeResultSchema, { method: "POST", body: { intoPersonId }, what: "Merging the persons" }),
};

/** Client-side options; the server prefetch in `people-server.ts` uses the same key. */
export function peopleQueryOptions(q = "") {
  return queryOptions({ queryKey: peopleKeys.list(q), queryFn: ({ signal }) => fetchPeople(q, signal) });
}
