import { queryOptions } from "@tanstack/react-query";
import { z } from "zod";
import { apiFetch } from "./api-fetch";
// Type-only: erased at build time, so the client bundle never pulls in the data layer.
import type {
  CatalogChangeResultDto,
  CatalogDto,
  CatalogEffectDto,
  CatalogEnvironmentDto,
  CatalogEnvironmentRuleDto,
  CatalogObjectDto,
  CatalogObjectRefDto,
  CatalogRepositoryDto,
  CatalogServiceDto,
  CatalogTeamDto,
  EnvironmentRuleStateDto,
  ObjectRowsMovedDto,
  ReclassifiedDto,
  ServiceRefDto,
  TeamRefDto,
  UnresolvedCommitsDto,
} from "@/lib/data/catalog/catalog-types";

export type {
  CatalogChangeResultDto,
  CatalogDto,
  CatalogEffectDto,
  CatalogEnvironmentDto,
  CatalogEnvironmentRuleDto,
  CatalogObjectDto,
  CatalogRepositoryDto,
  CatalogServiceDto,
  CatalogTeamDto,
  UnresolvedCommitsDto,
} from "@/lib/data/catalog/catalog-types";

export const catalogKeys = {
  all: ["catalog"] as const,
};

// ───────────── changes (the request bodies of preview and apply) ─────────────

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const slugSchema = z.string().trim().regex(SLUG, "use 1–63 lower-case letters, digits and dashes, not starting or ending with a dash");
const nameSchema = z.string().trim().min(1, "is required").max(100, "must be at most 100 characters");

/** A team to put a service in: none, one that exists, or a new one. */
export const teamTargetSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("none") }),
  z.object({ type: z.literal("existing"), teamId: z.uuid() }),
  z.object({ type: z.literal("new"), slug: slugSchema, name: nameSchema }),
]);

export const serviceTargetSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("existing"), serviceId: z.uuid() }),
  z.object({ type: z.literal("new"), slug: slugSchema, name: nameSchema, team: teamTargetSchema }),
]);

/** An environment name as a source reports it; printable, no surrounding spaces. */
const environmentNameSchema = z
  .string()
  .min(1, "is required")
  .max(100, "must be at most 100 characters")
  .refine((value) => value === value.trim() && !/[\u0000-\u001f]/.test(value), "must not start or end with spaces or contain control characters");

/** A GitOps object (`GitOpsApp` row) or a live workload (`Workload` row), by its stored id. */
export const catalogObjectSchema = z.object({ type: z.enum(["gitops-app", "workload"]), id: z.uuid() });

/** Every change an admin can make to the catalog; preview and apply take the same body. */
export const catalogChangeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("bind-repository"), repositoryId: z.uuid(), target: serviceTargetSchema }),
  /** Binds a GitOps object or workload by hand (a manual binding, replacing a convention one). */
  z.object({ kind: z.literal("bind-object"), object: catalogObjectSchema, target: serviceTargetSchema }),
  /** Removes a manual binding of a GitOps object or workload: it is unmapped until a convention matches again. */
  z.object({ kind: z.literal("unbind-object"), object: catalogObjectSchema }),
  z.object({ kind: z.literal("move-service"), serviceId: z.uuid(), team: teamTargetSchema }),
  z.object({
    kind: z.literal("classify-environment"),
    name: environmentNameSchema,
    isProduction: z.boolean(),
    /** Record deployments of `name` under this environment instead (e.g. `live` → `production`); empty keeps the name. */
    environment: z.union([z.literal(""), slugSchema]).default(""),
  }),
  z.object({ kind: z.literal("remove-environment-rule"), ruleId: z.uuid() }),
]);

/**
 * The body of Save (`POST /api/catalog/changes`): the change plus the fingerprint of the preview the
 * admin saw. The dialog always sends it; it is optional on the wire so that API callers that never
 * preview keep working (they get no guard against the catalog changing under them).
 */
export const catalogApplySchema = catalogChangeSchema.and(
  z.object({ expectedFingerprint: z.string().regex(/^[0-9a-f]{64}$/, "must be the fingerprint a preview returned").optional() }),
);

export type CatalogChange = z.infer<typeof catalogChangeSchema>;
export type CatalogChangeInput = z.input<typeof catalogChangeSchema>;
export type CatalogApply = z.infer<typeof catalogApplySchema>;
export type CatalogApplyInput = z.input<typeof catalogApplySchema>;
export type TeamTarget = z.infer<typeof teamTargetSchema>;
export type CatalogObjectInput = z.infer<typeof catalogObjectSchema>;
export type ServiceTarget = z.infer<typeof serviceTargetSchema>;

// ───────────── responses ─────────────

const teamRefSchema = z.object({ id: z.string(), slug: z.string(), name: z.string() }) satisfies z.ZodType<TeamRefDto>;
const serviceRefSchema = z.object({ id: z.string(), slug: z.string(), name: z.string() }) satisfies z.ZodType<ServiceRefDto>;
const originSchema = z.enum(["convention", "manual"]);
const outcomeSchema = z.object({ environment: z.string(), isProduction: z.boolean() });

const serviceSchema = serviceRefSchema.extend({
  team: teamRefSchema.nullable(),
  bindings: z.array(
    z.object({ id: z.string(), kind: z.enum(["REPOSITORY", "GITOPS_APP", "WORKLOAD", "IMAGE"]), display: z.string(), matchKey: z.string(), origin: originSchema }),
  ),
  deploymentCount: z.number().int(),
  incidentCount: z.number().int(),
}) satisfies z.ZodType<CatalogServiceDto>;

const repositorySchema = z.object({
  id: z.string(),
  fullName: z.string(),
  integrationName: z.string(),
  archived: z.boolean(),
  service: serviceRefSchema.nullable(),
  bindingOrigin: originSchema.nullable(),
  deploymentCount: z.number().int(),
  incidentCount: z.number().int(),
}) satisfies z.ZodType<CatalogRepositoryDto>;

const objectSchema = z.object({
  id: z.string(),
  type: z.enum(["gitops-app", "workload"]),
  kindLabel: z.string(),
  cluster: z.string(),
  namespace: z.string(),
  name: z.string(),
  display: z.string(),
  integrationName: z.string(),
  service: serviceRefSchema.nullable(),
  binding: z.object({ id: z.string(), origin: originSchema }).nullable(),
  deploymentCount: z.number().int(),
  driftEpisodeCount: z.number().int(),
}) satisfies z.ZodType<CatalogObjectDto>;

const environmentSchema = z.object({
  name: z.string(),
  classification: outcomeSchema.extend({ by: z.enum(["rule", "production-pattern", "default"]), ruleId: z.string().nullable() }),
  deploymentCount: z.number().int(),
  productionCount: z.number().int(),
  outdatedCount: z.number().int(),
}) satisfies z.ZodType<CatalogEnvironmentDto>;

export const catalogSchema = z.object({
  canManage: z.boolean(),
  productionPattern: z.string(),
  services: z.array(serviceSchema),
  teams: z.array(teamRefSchema.extend({ serviceCount: z.number().int() }) satisfies z.ZodType<CatalogTeamDto>),
  repositories: z.array(repositorySchema),
  environments: z.array(environmentSchema),
  rules: z.array(
    outcomeSchema.extend({
      id: z.string(),
      matchOn: z.string(),
      pattern: z.string(),
      priority: z.number().int(),
      name: z.string().nullable(),
      valid: z.boolean(),
      deploymentCount: z.number().int(),
    }) satisfies z.ZodType<CatalogEnvironmentRuleDto>,
  ),
  gitOpsApps: z.array(objectSchema),
  workloads: z.array(objectSchema),
  unmapped: z.object({
    repositories: z.array(repositorySchema),
    environments: z.array(environmentSchema),
    gitOpsApps: z.array(objectSchema),
    workloads: z.array(objectSchema),
    unresolvedCommits: z.array(
      z.object({
        gitOpsAppId: z.string(),
        display: z.string(),
        service: z.object({ id: z.string(), slug: z.string(), name: z.string() }).nullable(),
        deploymentCount: z.number().int(),
        latest: z.object({ startedAt: z.string(), configRevision: z.string().nullable(), images: z.array(z.string()) }),
      }) satisfies z.ZodType<UnresolvedCommitsDto>,
    ),
  }),
}) satisfies z.ZodType<CatalogDto>;

const ruleStateSchema = outcomeSchema.extend({ id: z.string(), pattern: z.string() }) satisfies z.ZodType<EnvironmentRuleStateDto>;
const reclassifiedSchema = z.object({ sourceName: z.string(), from: outcomeSchema, to: outcomeSchema, deployments: z.number().int() }) satisfies z.ZodType<ReclassifiedDto>;

const objectRefSchema = z.object({ type: z.enum(["gitops-app", "workload"]), id: z.string(), display: z.string(), matchKey: z.string() }) satisfies z.ZodType<CatalogObjectRefDto>;
const objectRowsMovedSchema = z.object({
  from: serviceRefSchema.nullable(),
  objects: z.number().int(),
  deployments: z.number().int(),
  driftEpisodes: z.number().int(),
}) satisfies z.ZodType<ObjectRowsMovedDto>;
const emptiedServiceSchema = serviceRefSchema.extend({ deploymentsLeft: z.number().int() }).nullable();

const effectSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("bind-repository"),
    repository: z.object({ id: z.string(), fullName: z.string() }),
    from: serviceRefSchema.nullable(),
    fromOrigin: originSchema.nullable(),
    to: serviceRefSchema,
    createdService: z.object({ team: teamRefSchema.nullable() }).nullable(),
    createdTeam: teamRefSchema.nullable(),
    moved: z.array(z.object({ from: serviceRefSchema.nullable(), deployments: z.number().int(), incidents: z.number().int() })),
    emptiedService: serviceRefSchema.extend({ deploymentsLeft: z.number().int() }).nullable(),
  }),
  z.object({
    kind: z.literal("bind-object"),
    object: objectRefSchema,
    from: serviceRefSchema.nullable(),
    fromOrigin: originSchema.nullable(),
    to: serviceRefSchema,
    createdService: z.object({ team: teamRefSchema.nullable() }).nullable(),
    createdTeam: teamRefSchema.nullable(),
    moved: z.array(objectRowsMovedSchema),
    emptiedService: emptiedServiceSchema,
  }),
  z.object({ kind: z.literal("unbind-object"), object: objectRefSchema, from: serviceRefSchema, moved: z.array(objectRowsMovedSchema), emptiedService: emptiedServiceSchema }),
  z.object({
    kind: z.literal("move-service"),
    service: serviceRefSchema,
    from: teamRefSchema.nullable(),
    to: teamRefSchema.nullable(),
    createdTeam: teamRefSchema.nullable(),
    deployments: z.number().int(),
    emptiedTeam: teamRefSchema.nullable(),
  }),
  z.object({ kind: z.literal("classify-environment"), name: z.string(), before: ruleStateSchema.nullable(), after: ruleStateSchema, reclassified: z.array(reclassifiedSchema) }),
  z.object({ kind: z.literal("remove-environment-rule"), removed: ruleStateSchema, reclassified: z.array(reclassifiedSchema) }),
]) satisfies z.ZodType<CatalogEffectDto>;

export const catalogChangeResultSchema = z.object({ changed: z.boolean(), effect: effectSchema, summary: z.array(z.string()), fingerprint: z.string() }) satisfies z.ZodType<CatalogChangeResultDto>;

// ───────────── fetchers and options ─────────────

/** Browser fetcher for `GET /api/catalog`. */
export async function fetchCatalog(signal?: AbortSignal): Promise<CatalogDto> {
  return await apiFetch("/api/catalog", catalogSchema, { signal, what: "Loading the service catalog" });
}

/** Runs the change and rolls it back: what it would do, computed by the code that applies it. */
export async function previewCatalogChange(change: CatalogChangeInput): Promise<CatalogChangeResultDto> {
  return await apiFetch("/api/catalog/preview", catalogChangeResultSchema, { method: "POST", body: change, what: "The preview" });
}

/**
 * Applies the change in one transaction, with its audit event, provided it still does what the
 * preview with `expectedFingerprint` showed (else 409: preview again).
 */
export async function applyCatalogChange({ change, expectedFingerprint }: { change: CatalogChangeInput; expectedFingerprint: string }): Promise<CatalogChangeResultDto> {
  const body: CatalogApplyInput = { ...change, expectedFingerprint };
  return await apiFetch("/api/catalog/changes", catalogChangeResultSchema, { method: "POST", body, what: "Saving the change" });
}

/** Client-side options; the server prefetch in `catalog-server.ts` uses the same key. */
export function catalogQueryOptions() {
  return queryOptions({
    queryKey: catalogKeys.all,
    queryFn: ({ signal }) => fetchCatalog(signal),
  });
}
