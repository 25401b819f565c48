import type { DbTransaction } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { repositoryMatchKey } from "@/lib/ingest/catalog";
import { NAME_RULE, exactNamePattern, loadEnvironmentRules } from "@/lib/ingest/environment-rules";
import { gitOpsMatchKey, workloadMatchKey } from "@/lib/ingest/gitops/gitops-binding";
import type { CatalogChange, CatalogObjectInput, ServiceTarget, TeamTarget } from "@/lib/queries/catalog";
import { reclassifyDeployments } from "./environment-groups";
import type {
  BindingOriginDto,
  CatalogEffectDto,
  CatalogObjectRefDto,
  EnvironmentRuleStateDto,
  ObjectRowsMovedDto,
  RowsMovedDto,
  ServiceRefDto,
  TeamRefDto,
} from "./catalog-types";
import { WORKLOAD_KIND_LABEL, gitOpsKindLabel, objectDisplay } from "./object-display";

/**
 * Carries out one catalog change inside the caller's transaction and reports what it changed,
 * from the rows each statement touched. Preview runs this and rolls back; apply runs this and
 * commits (with its audit event), so the two can only disagree if the data changed in between.
 */

export interface ExecuteDeps {
  /** `PRODUCTION_ENVIRONMENTS`, for re-classifying deployments after a rule change. */
  productionPattern: string;
  now: Date;
}

export interface ExecutedChange {
  changed: boolean;
  effect: CatalogEffectDto;
}

/** Rules written from Settings name one environment exactly; they go before broad patterns (default priority 100). */
export const EXACT_NAME_RULE_PRIORITY = 10;

const serviceRef = { id: true, slug: true, name: true } as const;
const teamRef = { id: true, slug: true, name: true } as const;

export async function executeCatalogChange(tx: DbTransaction, change: CatalogChange, deps: ExecuteDeps): Promise<ExecutedChange> {
  switch (change.kind) {
    case "bind-repository":
      return await bindRepository(tx, change, deps);
    case "bind-object":
      return await bindObject(tx, change, deps);
    case "unbind-object":
      return await unbindObject(tx, change, deps);
    case "move-service":
      return await moveService(tx, change);
    case "classify-environment":
      return await classifyEnvironmentName(tx, change, deps);
    case "remove-environment-rule":
      return await removeEnvironmentRule(tx, change, deps);
    default: {
      const never: never = change;
      throw new AppError("UNPROCESSABLE", `Unknown catalog change ${JSON.stringify(never)}`);
    }
  }
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

async function resolveTeam(tx: DbTransaction, target: TeamTarget): Promise<{ team: TeamRefDto | null; created: boolean }> {
  switch (target.type) {
    case "none":
      return { team: null, created: false };
    case "existing": {
      const team = await tx.team.findUnique({ where: { id: target.teamId }, select: teamRef });
      if (!team) throw new AppError("NOT_FOUND", "That team no longer exists; reload the catalog.");
      return { team, created: false };
    }
    case "new": {
      if (await tx.team.findUnique({ where: { slug: target.slug }, select: { id: true } })) {
        throw new AppError("CONFLICT", `A team with the slug “${target.slug}” exists already; choose it from the list instead.`);
      }
      try {
        return { team: await tx.team.create({ data: { slug: target.slug, name: target.name }, select: teamRef }), created: true };
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError("CONFLICT", `A team with the slug “${target.slug}” was just created by someone else; reload the catalog.`);
        throw error;
      }
    }
    default: {
      const never: never = target;
      throw new AppError("UNPROCESSABLE", `Unknown team target ${JSON.stringify(never)}`);
    }
  }
}

/** The tables whose rows follow their repository's binding, what else a move resets in each, and which rows stay. */
const REPOSITORY_ROW_TABLES = {
  // A deployment's derived flags depend on its (service, environment) chain, which just changed.
  // GitOps deployments carry their app's service's repository, but they follow the app's binding
  // (ingestion re-derives them from it), so a repository re-bind leaves them where they are.
  Deployment: { set: Prisma.sql`, "flagsComputedAt" = NULL`, where: Prisma.sql` AND "gitOpsAppId" IS NULL` },
  Incident: { set: Prisma.empty, where: Prisma.empty },
} as const;

/** Re-points one table's rows of a repository at `serviceId`, locked first; counts per previous service. */
async function moveRowsOf(tx: DbTransaction, table: keyof typeof REPOSITORY_ROW_TABLES, repositoryId: string, serviceId: string, now: Date): Promise<{ fromServiceId: string | null; rows: number }[]> {
  // The table name comes from the constant above, never from input.
  const name = Prisma.raw(`"${table}"`);
  return await tx.$queryRaw<{ fromServiceId: string | null; rows: number }[]>`
    WITH target AS (
      SELECT "id", "serviceId" AS "fromServiceId" FROM ${name}
      WHERE "repositoryId" = ${repositoryId}::uuid AND "serviceId" IS DISTINCT FROM ${serviceId}::uuid${REPOSITORY_ROW_TABLES[table].where}
      FOR UPDATE
    ), moved AS (
      UPDATE ${name} AS moving SET "serviceId" = ${serviceId}::uuid${REPOSITORY_ROW_TABLES[table].set}, "updatedAt" = ${now}
      FROM target WHERE moving."id" = target."id"
      RETURNING target."fromServiceId"
    )
    SELECT "fromServiceId", count(*)::int AS "rows" FROM moved GROUP BY 1`;
}

/**
 * Points every row derived from a repository (its deployments and incidents) at `serviceId`, and
 * says how many came from which service. Rows of other repositories on the same service stay.
 */
async function moveRepositoryRows(tx: DbTransaction, repositoryId: string, serviceId: string, now: Date): Promise<RowsMovedDto[]> {
  const deployments = await moveRowsOf(tx, "Deployment", repositoryId, serviceId, now);
  const incidents = await moveRowsOf(tx, "Incident", repositoryId, serviceId, now);
  const fromIds = [...new Set([...deployments, ...incidents].map((row) => row.fromServiceId).filter((id): id is string => id !== null))];
  const services = new Map((await tx.service.findMany({ where: { id: { in: fromIds } }, select: serviceRef })).map((service) => [service.id, service]));
  const groups = new Map<string | null, RowsMovedDto>();
  const group = (fromServiceId: string | null) => {
    const existing = groups.get(fromServiceId);
    if (existing) return existing;
    const created: RowsMovedDto = { from: fromServiceId ? (services.get(fromServiceId) ?? null) : null, deployments: 0, incidents: 0 };
    groups.set(fromServiceId, created);
    return created;
  };
  for (const row of deployments) group(row.fromServiceId).deployments += row.rows;
  for (const row of incidents) group(row.fromServiceId).incidents += row.rows;
  return [...groups.values()].sort((a, b) => (a.from?.slug ?? "").localeCompare(b.from?.slug ?? ""));
}

async function bindRepository(tx: DbTransaction, change: Extract<CatalogChange, { kind: "bind-repository" }>, deps: ExecuteDeps): Promise<ExecutedChange> {
  const repository = await tx.repository.findUnique({ where: { id: change.repositoryId }, select: { id: true, fullName: true, integrationId: true } });
  if (!repository) throw new AppError("NOT_FOUND", "That repository no longer exists; reload the catalog.");
  const where = { kind_matchKey_pathPrefix: { kind: "REPOSITORY" as const, matchKey: repositoryMatchKey(repository.fullName), pathPrefix: "" } };
  const binding = await tx.serviceBinding.findUnique({ where, select: { id: true, origin: true, service: { select: serviceRef } } });
  const from: ServiceRefDto | null = binding?.service ?? null;
  const fromOrigin: BindingOriginDto | null = binding ? (binding.origin === "MANUAL" ? "manual" : "convention") : null;
  const base = { kind: "bind-repository" as const, repository: { id: repository.id, fullName: repository.fullName }, from, fromOrigin };

  const target = await resolveServiceTarget(tx, change.target, from, "the repository");
  if (target.unchanged) return { changed: false, effect: { ...base, to: target.to, createdService: null, createdTeam: null, moved: [], emptiedService: null } };
  const { to, createdService, createdTeam } = target;

  // MANUAL: ingestion (ensureRepositoryServices) follows an existing binding and never rewrites it.
  try {
    await tx.serviceBinding.upsert({
      where,
      create: { ...where.kind_matchKey_pathPrefix, serviceId: to.id, integrationId: repository.integrationId, origin: "MANUAL" },
      update: { serviceId: to.id, origin: "MANUAL" },
    });
  } catch (error) {
    // A binding for this repository committed after it was read here (a writer outside the catalog
    // lock): the effect computed above is no longer true, so refuse rather than report it.
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `${repository.fullName} was bound to a service by someone else at the same moment; reload the catalog and try again.`);
    throw error;
  }
  const moved = await moveRepositoryRows(tx, repository.id, to.id, deps.now);

  return { changed: true, effect: { ...base, to, createdService, createdTeam, moved, emptiedService: await emptiedServiceOf(tx, from) } };
}

type EmptiedService = (ServiceRefDto & { deploymentsLeft: number }) | null;

/** The previous service, when the change just left it with no binding at all. */
async function emptiedServiceOf(tx: DbTransaction, from: ServiceRefDto | null): Promise<EmptiedService> {
  if (!from || (await tx.serviceBinding.count({ where: { serviceId: from.id } })) > 0) return null;
  // Never deleted: audit events reference services (ON DELETE RESTRICT) and history stays readable.
  return { ...from, deploymentsLeft: await tx.deployment.count({ where: { serviceId: from.id } }) };
}

type ResolvedServiceTarget =
  | { unchanged: true; to: ServiceRefDto }
  | { unchanged: false; to: ServiceRefDto; createdService: { team: TeamRefDto | null } | null; createdTeam: TeamRefDto | null };

/** The service a bind names: an existing one (unchanged when it is `from` already) or a new one, created here. */
async function resolveServiceTarget(tx: DbTransaction, target: ServiceTarget, from: ServiceRefDto | null, what: string): Promise<ResolvedServiceTarget> {
  if (target.type === "existing") {
    const existing = await tx.service.findUnique({ where: { id: target.serviceId }, select: serviceRef });
    if (!existing) throw new AppError("NOT_FOUND", "That service no longer exists; reload the catalog.");
    if (from?.id === existing.id) return { unchanged: true, to: existing };
    return { unchanged: false, to: existing, createdService: null, createdTeam: null };
  }
  const { slug, name } = target;
  if (await tx.service.findUnique({ where: { slug }, select: { id: true } })) {
    throw new AppError("CONFLICT", `A service with the slug “${slug}” exists already; bind ${what} to it instead.`);
  }
  const team = await resolveTeam(tx, target.team);
  try {
    const to = await tx.service.create({ data: { slug, name, teamId: team.team?.id ?? null }, select: serviceRef });
    return { unchanged: false, to, createdService: { team: team.team }, createdTeam: team.created ? team.team : null };
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `A service with the slug “${slug}” was just created by someone else; reload the catalog.`);
    throw error;
  }
}

// ───────────── GitOps objects and live workloads ─────────────

interface StoredObject {
  ref: CatalogObjectRefDto;
  bindingKind: "GITOPS_APP" | "WORKLOAD";
  integrationId: string;
  /** Every stored row with the same binding key (one object seen through several integrations shares one binding). */
  rowIds: string[];
}

/** Loads the object a change names, its binding key and every stored row that key binds. */
async function loadObject(tx: DbTransaction, object: CatalogObjectInput): Promise<StoredObject> {
  const where = (row: { cluster: string; namespace: string; name: string }) => ({
    cluster: { equals: row.cluster, mode: "insensitive" as const },
    namespace: { equals: row.namespace, mode: "insensitive" as const },
    name: { equals: row.name, mode: "insensitive" as const },
  });
  if (object.type === "gitops-app") {
    const app = await tx.gitOpsApp.findUnique({ where: { id: object.id }, select: { id: true, kind: true, cluster: true, namespace: true, name: true, integrationId: true } });
    if (!app) throw new AppError("NOT_FOUND", "That GitOps app no longer exists; reload the catalog.");
    const matchKey = gitOpsMatchKey(app.kind, app.cluster, app.namespace, app.name);
    const same = await tx.gitOpsApp.findMany({ where: { kind: app.kind, ...where(app) }, select: { id: true, kind: true, cluster: true, namespace: true, name: true }, orderBy: { id: "asc" } });
    return {
      ref: { type: "gitops-app", id: app.id, display: objectDisplay(gitOpsKindLabel(app.kind), app.namespace, app.name), matchKey },
      bindingKind: "GITOPS_APP",
      integrationId: app.integrationId,
      rowIds: same.filter((row) => gitOpsMatchKey(row.kind, row.cluster, row.namespace, row.name) === matchKey).map((row) => row.id),
    };
  }
  const workload = await tx.workload.findUnique({ where: { id: object.id }, select: { id: true, cluster: true, namespace: true, name: true, integrationId: true } });
  if (!workload) throw new AppError("NOT_FOUND", "That workload no longer exists; reload the catalog.");
  const matchKey = workloadMatchKey(workload.cluster, workload.namespace, workload.name);
  const same = await tx.workload.findMany({ where: where(workload), select: { id: true, cluster: true, namespace: true, name: true }, orderBy: { id: "asc" } });
  return {
    ref: { type: "workload", id: workload.id, display: objectDisplay(WORKLOAD_KIND_LABEL, workload.namespace, workload.name), matchKey },
    bindingKind: "WORKLOAD",
    integrationId: workload.integrationId,
    rowIds: same.filter((row) => workloadMatchKey(row.cluster, row.namespace, row.name) === matchKey).map((row) => row.id),
  };
}

/**
 * The rows that follow an object's binding: the object rows, the deployments a GitOps object made
 * and the drift episodes of either. Table and column names are constants here, never input.
 */
const OBJECT_ROW_TABLES = {
  "gitops-app": [
    { key: "objects", table: "GitOpsApp", column: "id", set: Prisma.empty },
    // Derived flags depend on the (service, environment) chain, which just changed.
    { key: "deployments", table: "Deployment", column: "gitOpsAppId", set: Prisma.sql`, "flagsComputedAt" = NULL` },
    { key: "driftEpisodes", table: "DriftEpisode", column: "gitOpsAppId", set: Prisma.empty },
  ],
  workload: [
    { key: "objects", table: "Workload", column: "id", set: Prisma.empty },
    { key: "driftEpisodes", table: "DriftEpisode", column: "workloadId", set: Prisma.empty },
  ],
} as const;

/** Points every row that follows the object at `serviceId` (null: no service), locked first; counts per previous service. */
async function moveObjectRows(tx: DbTransaction, object: StoredObject, serviceId: string | null, now: Date): Promise<ObjectRowsMovedDto[]> {
  const groups = new Map<string | null, ObjectRowsMovedDto>();
  for (const { key, table, column, set } of OBJECT_ROW_TABLES[object.ref.type]) {
    const name = Prisma.raw(`"${table}"`);
    const col = Prisma.raw(`"${column}"`);
    const rows = await tx.$queryRaw<{ fromServiceId: string | null; rows: number }[]>`
      WITH target AS (
        SELECT "id", "serviceId" AS "fromServiceId" FROM ${name}
        WHERE ${col} = ANY(${object.rowIds}::uuid[]) AND "serviceId" IS DISTINCT FROM ${serviceId}::uuid
        FOR UPDATE
      ), moved AS (
        UPDATE ${name} AS moving SET "serviceId" = ${serviceId}::uuid${set}, "updatedAt" = ${now}
        FROM target WHERE moving."id" = target."id"
        RETURNING target."fromServiceId"
      )
      SELECT "fromServiceId", count(*)::int AS "rows" FROM moved GROUP BY 1`;
    for (const row of rows) {
      const group = groups.get(row.fromServiceId) ?? { from: null, objects: 0, deployments: 0, driftEpisodes: 0 };
      group[key] += row.rows;
      groups.set(row.fromServiceId, group);
    }
  }
  const fromIds = [...groups.keys()].filter((id): id is string => id !== null);
  const services = new Map((await tx.service.findMany({ where: { id: { in: fromIds } }, select: serviceRef })).map((service) => [service.id, service]));
  for (const [fromServiceId, group] of groups) group.from = fromServiceId ? (services.get(fromServiceId) ?? null) : null;
  return [...groups.values()].sort((a, b) => (a.from?.slug ?? "").localeCompare(b.from?.slug ?? ""));
}

async function bindObject(tx: DbTransaction, change: Extract<CatalogChange, { kind: "bind-object" }>, deps: ExecuteDeps): Promise<ExecutedChange> {
  const object = await loadObject(tx, change.object);
  const where = { kind_matchKey_pathPrefix: { kind: object.bindingKind, matchKey: object.ref.matchKey, pathPrefix: "" } };
  const binding = await tx.serviceBinding.findUnique({ where, select: { origin: true, service: { select: serviceRef } } });
  const from: ServiceRefDto | null = binding?.service ?? null;
  const fromOrigin: BindingOriginDto | null = binding ? (binding.origin === "MANUAL" ? "manual" : "convention") : null;
  const base = { kind: "bind-object" as const, object: object.ref, from, fromOrigin };

  const target = await resolveServiceTarget(tx, change.target, from, "the object");
  // Bound by hand to this service already: nothing to do. A convention binding to the same service
  // still becomes manual, so that a later annotation or rename cannot take the object away.
  if (target.unchanged && fromOrigin === "manual") return { changed: false, effect: { ...base, to: target.to, createdService: null, createdTeam: null, moved: [], emptiedService: null } };
  const { to } = target;
  const createdService = target.unchanged ? null : target.createdService;
  const createdTeam = target.unchanged ? null : target.createdTeam;

  // MANUAL: resolveObjectService reads an existing binding first and never rewrites it.
  try {
    await tx.serviceBinding.upsert({
      where,
      create: { ...where.kind_matchKey_pathPrefix, serviceId: to.id, integrationId: object.integrationId, origin: "MANUAL" },
      update: { serviceId: to.id, origin: "MANUAL" },
    });
  } catch (error) {
    // A convention binding committed after it was read here (a writer outside the catalog lock).
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `${object.ref.display} was bound to a service by someone else at the same moment; reload the catalog and try again.`);
    throw error;
  }
  const moved = await moveObjectRows(tx, object, to.id, deps.now);
  return { changed: true, effect: { ...base, to, createdService, createdTeam, moved, emptiedService: from?.id === to.id ? null : await emptiedServiceOf(tx, from) } };
}

async function unbindObject(tx: DbTransaction, change: Extract<CatalogChange, { kind: "unbind-object" }>, deps: ExecuteDeps): Promise<ExecutedChange> {
  const object = await loadObject(tx, change.object);
  const where = { kind_matchKey_pathPrefix: { kind: object.bindingKind, matchKey: object.ref.matchKey, pathPrefix: "" } };
  const binding = await tx.serviceBinding.findUnique({ where, select: { id: true, origin: true, service: { select: serviceRef } } });
  if (!binding) throw new AppError("NOT_FOUND", `${object.ref.display} has no binding to remove; reload the catalog.`);
  // Ingestion made a convention binding and would make it again at the next sync: removing it
  // would undo itself. Binding the object elsewhere is how a convention is overridden.
  if (binding.origin !== "MANUAL") throw new AppError("UNPROCESSABLE", `${object.ref.display} is bound by convention; bind it to another service instead of removing the binding.`);
  await tx.serviceBinding.delete({ where: { id: binding.id } });
  const moved = await moveObjectRows(tx, object, null, deps.now);
  return { changed: true, effect: { kind: "unbind-object", object: object.ref, from: binding.service, moved, emptiedService: await emptiedServiceOf(tx, binding.service) } };
}

async function moveService(tx: DbTransaction, change: Extract<CatalogChange, { kind: "move-service" }>): Promise<ExecutedChange> {
  const service = await tx.service.findUnique({ where: { id: change.serviceId }, select: { ...serviceRef, team: { select: teamRef } } });
  if (!service) throw new AppError("NOT_FOUND", "That service no longer exists; reload the catalog.");
  const { team: from, ...ref } = service;
  const deployments = await tx.deployment.count({ where: { serviceId: service.id } });
  const unchanged = change.team.type === "none" ? from === null : change.team.type === "existing" && change.team.teamId === from?.id;
  if (unchanged) return { changed: false, effect: { kind: "move-service", service: ref, from, to: from, createdTeam: null, deployments, emptiedTeam: null } };

  const { team: to, created } = await resolveTeam(tx, change.team);
  await tx.service.update({ where: { id: service.id }, data: { teamId: to?.id ?? null } });
  const emptiedTeam = from && (await tx.service.count({ where: { teamId: from.id } })) === 0 ? from : null;
  return { changed: true, effect: { kind: "move-service", service: ref, from, to, createdTeam: created ? to : null, deployments, emptiedTeam } };
}

function ruleState(rule: { id: string; pattern: string; environment: string; isProduction: boolean }): EnvironmentRuleStateDto {
  return { id: rule.id, pattern: rule.pattern, environment: rule.environment, isProduction: rule.isProduction };
}

async function classifyEnvironmentName(tx: DbTransaction, change: Extract<CatalogChange, { kind: "classify-environment" }>, deps: ExecuteDeps): Promise<ExecutedChange> {
  const pattern = exactNamePattern(change.name);
  // A rename to the name itself is no rename.
  const environment = change.environment === change.name ? "" : change.environment;
  const where = { matchOn_pattern: { matchOn: NAME_RULE, pattern } };
  const existing = await tx.environmentRule.findUnique({ where });
  const before = existing ? ruleState(existing) : null;
  if (existing && existing.environment === environment && existing.isProduction === change.isProduction) {
    return { changed: false, effect: { kind: "classify-environment", name: change.name, before, after: ruleState(existing), reclassified: [] } };
  }
  const saved = await tx.environmentRule.upsert({
    where,
    create: { matchOn: NAME_RULE, pattern, environment, isProduction: change.isProduction, priority: EXACT_NAME_RULE_PRIORITY },
    update: { environment, isProduction: change.isProduction },
  });
  const reclassified = await reclassifyDeployments(tx, await loadEnvironmentRules(tx, deps.productionPattern), deps.now);
  return { changed: true, effect: { kind: "classify-environment", name: change.name, before, after: ruleState(saved), reclassified } };
}

async function removeEnvironmentRule(tx: DbTransaction, change: Extract<CatalogChange, { kind: "remove-environment-rule" }>, deps: ExecuteDeps): Promise<ExecutedChange> {
  const rule = await tx.environmentRule.findUnique({ where: { id: change.ruleId } });
  if (!rule) throw new AppError("NOT_FOUND", "That rule no longer exists; reload the catalog.");
  await tx.environmentRule.delete({ where: { id: rule.id } });
  const reclassified = await reclassifyDeployments(tx, await loadEnvironmentRules(tx, deps.productionPattern), deps.now);
  return { changed: true, effect: { kind: "remove-environment-rule", removed: ruleState(rule), reclassified } };
}
