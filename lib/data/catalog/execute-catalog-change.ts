import type { DbTransaction } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { repositoryMatchKey } from "@/lib/ingest/catalog";
import { NAME_RULE, exactNamePattern, loadEnvironmentRules } from "@/lib/ingest/environment-rules";
import type { CatalogChange, TeamTarget } from "@/lib/queries/catalog";
import { reclassifyDeployments } from "./environment-groups";
import type { BindingOriginDto, CatalogEffectDto, EnvironmentRuleStateDto, RowsMovedDto, ServiceRefDto, TeamRefDto } from "./catalog-types";

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

/** The tables whose rows follow their repository's binding, and what else a move resets in each. */
const REPOSITORY_ROW_TABLES = {
  // A deployment's derived flags depend on its (service, environment) chain, which just changed.
  Deployment: Prisma.sql`, "flagsComputedAt" = NULL`,
  Incident: Prisma.empty,
} as const;

/** Re-points one table's rows of a repository at `serviceId`, locked first; counts per previous service. */
async function moveRowsOf(tx: DbTransaction, table: keyof typeof REPOSITORY_ROW_TABLES, repositoryId: string, serviceId: string, now: Date): Promise<{ fromServiceId: string | null; rows: number }[]> {
  // The table name comes from the constant above, never from input.
  const name = Prisma.raw(`"${table}"`);
  return await tx.$queryRaw<{ fromServiceId: string | null; rows: number }[]>`
    WITH target AS (
      SELECT "id", "serviceId" AS "fromServiceId" FROM ${name}
      WHERE "repositoryId" = ${repositoryId}::uuid AND "serviceId" IS DISTINCT FROM ${serviceId}::uuid
      FOR UPDATE
    ), moved AS (
      UPDATE ${name} AS moving SET "serviceId" = ${serviceId}::uuid${REPOSITORY_ROW_TABLES[table]}, "updatedAt" = ${now}
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

  let to: ServiceRefDto;
  let createdService: { team: TeamRefDto | null } | null = null;
  let createdTeam: TeamRefDto | null = null;
  if (change.target.type === "existing") {
    const existing = await tx.service.findUnique({ where: { id: change.target.serviceId }, select: serviceRef });
    if (!existing) throw new AppError("NOT_FOUND", "That service no longer exists; reload the catalog.");
    to = existing;
    if (from?.id === to.id) return { changed: false, effect: { ...base, to, createdService, createdTeam, moved: [], emptiedService: null } };
  } else {
    const { slug, name } = change.target;
    if (await tx.service.findUnique({ where: { slug }, select: { id: true } })) {
      throw new AppError("CONFLICT", `A service with the slug “${slug}” exists already; bind the repository to it instead.`);
    }
    const team = await resolveTeam(tx, change.target.team);
    if (team.created) createdTeam = team.team;
    try {
      to = await tx.service.create({ data: { slug, name, teamId: team.team?.id ?? null }, select: serviceRef });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("CONFLICT", `A service with the slug “${slug}” was just created by someone else; reload the catalog.`);
      throw error;
    }
    createdService = { team: team.team };
  }

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

  let emptiedService: (ServiceRefDto & { deploymentsLeft: number }) | null = null;
  if (from && (await tx.serviceBinding.count({ where: { serviceId: from.id } })) === 0) {
    // Never deleted: audit events reference services (ON DELETE RESTRICT) and history stays readable.
    emptiedService = { ...from, deploymentsLeft: await tx.deployment.count({ where: { serviceId: from.id } }) };
  }
  return { changed: true, effect: { ...base, to, createdService, createdTeam, moved, emptiedService } };
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
