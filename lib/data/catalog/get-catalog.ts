import "server-only";
import { type Db, getDb } from "@/lib/db/client";
import { type ViewerContext, assertCan, can } from "@/lib/data/viewer";
import { getEnv } from "@/lib/env";
import { isConfigRepository, repositoryMatchKey } from "@/lib/ingest/catalog";
import { classifyEnvironment, exactNameOf, loadEnvironmentRules } from "@/lib/ingest/environment-rules";
import { gitOpsMatchKey, workloadMatchKey } from "@/lib/ingest/gitops/gitops-binding";
import type { BindingOriginDto, CatalogDto, CatalogEnvironmentDto, CatalogObjectDto, CatalogRepositoryDto } from "./catalog-types";
import { listEnvironmentGroups } from "./environment-groups";
import { WORKLOAD_KIND_LABEL, bindingDisplay, gitOpsKindLabel, objectDisplay } from "./object-display";

export interface CatalogDeps {
  db: Db;
  /** `PRODUCTION_ENVIRONMENTS` of this process. */
  productionPattern: string;
}

export function defaultCatalogDeps(): CatalogDeps {
  return { db: getDb(), productionPattern: getEnv().PRODUCTION_ENVIRONMENTS };
}

const origin = (value: "CONVENTION" | "MANUAL"): BindingOriginDto => (value === "MANUAL" ? "manual" : "convention");

const serviceRefSelect = { select: { id: true, slug: true, name: true } } as const;

const byDisplay = (a: CatalogObjectDto, b: CatalogObjectDto) => a.display.localeCompare(b.display) || a.integrationName.localeCompare(b.integrationName);

/**
 * The service catalog as Settings shows it: services with their bindings and data counts, teams,
 * repositories with their service, environment names with how each is classified now, the admin
 * rules, GitOps objects and live workloads with their service, and what is unmapped (repositories
 * without a binding, environment names no rule names, GitOps objects and workloads without a service).
 * Readable by every role; `canManage` tells the UI whether changes are possible.
 */
export async function getCatalog(ctx: ViewerContext, deps: CatalogDeps = defaultCatalogDeps()): Promise<CatalogDto> {
  assertCan(ctx, "system:read");
  const { db } = deps;
  const [services, teams, repositories, repositoryDeployments, rules, groups, gitOpsApps, workloads] = await Promise.all([
    db.service.findMany({
      orderBy: { slug: "asc" },
      include: {
        team: { select: { id: true, slug: true, name: true } },
        bindings: { orderBy: [{ kind: "asc" }, { matchKey: "asc" }], select: { id: true, kind: true, matchKey: true, origin: true } },
        _count: { select: { deployments: true, incidents: true } },
      },
    }),
    db.team.findMany({ orderBy: { slug: "asc" }, include: { _count: { select: { services: true } } } }),
    db.repository.findMany({
      orderBy: { fullName: "asc" },
      include: { integration: { select: { name: true } }, _count: { select: { incidents: true } } },
    }),
    db.deployment.groupBy({ by: ["repositoryId"], where: { repositoryId: { not: null } }, _count: { _all: true } }),
    loadEnvironmentRules(db, deps.productionPattern),
    listEnvironmentGroups(db),
    db.gitOpsApp.findMany({
      select: {
        id: true, kind: true, cluster: true, namespace: true, name: true,
        integration: { select: { name: true } },
        service: serviceRefSelect,
        _count: { select: { deployments: true, driftEpisodes: true } },
      },
    }),
    db.workload.findMany({
      select: {
        id: true, cluster: true, namespace: true, name: true,
        integration: { select: { name: true } },
        service: serviceRefSelect,
        _count: { select: { driftEpisodes: true } },
      },
    }),
  ]);

  // Per GitOps object: how many production deployments have no app commit, and what the latest ran.
  const unresolved = await db.$queryRaw<{ gitOpsAppId: string; count: number; latestAt: Date; configRevision: string | null; images: string[] | null }[]>`
    SELECT d."gitOpsAppId", count(*)::int AS count, max(d."startedAt") AS "latestAt",
      (array_agg(d."configRevision" ORDER BY d."startedAt" DESC))[1] AS "configRevision",
      (SELECT o.images FROM "GitOpsOperation" o WHERE o."deploymentId" = (array_agg(d.id ORDER BY d."startedAt" DESC))[1] AND cardinality(o.images) > 0 LIMIT 1) AS images
    FROM "Deployment" d
    WHERE d."gitOpsAppId" IS NOT NULL AND d."commitResolution" = 'UNRESOLVED' AND d."isProduction"
    GROUP BY d."gitOpsAppId"
    ORDER BY max(d."startedAt") DESC`;
  const serviceSlugs = new Set(services.map((service) => service.slug));
  const bindingByKey = new Map(
    services.flatMap((service) => service.bindings.filter((binding) => binding.kind === "REPOSITORY").map((binding) => [binding.matchKey, { binding, service }] as const)),
  );
  // GitOps objects and workloads follow their row's serviceId (what ingestion resolved); the binding says how.
  const objectBindings = new Map(
    services.flatMap((service) => service.bindings.filter((binding) => binding.kind === "GITOPS_APP" || binding.kind === "WORKLOAD").map((binding) => [`${binding.kind} ${binding.matchKey}`, binding] as const)),
  );
  const objectBinding = (kind: "GITOPS_APP" | "WORKLOAD", matchKey: string) => {
    const binding = objectBindings.get(`${kind} ${matchKey}`);
    return binding ? { id: binding.id, origin: origin(binding.origin) } : null;
  };
  const gitOpsAppDtos: CatalogObjectDto[] = gitOpsApps
    .map((app) => ({
      id: app.id,
      type: "gitops-app" as const,
      kindLabel: gitOpsKindLabel(app.kind),
      cluster: app.cluster,
      namespace: app.namespace,
      name: app.name,
      display: objectDisplay(gitOpsKindLabel(app.kind), app.namespace, app.name),
      integrationName: app.integration.name,
      service: app.service,
      binding: objectBinding("GITOPS_APP", gitOpsMatchKey(app.kind, app.cluster, app.namespace, app.name)),
      deploymentCount: app._count.deployments,
      driftEpisodeCount: app._count.driftEpisodes,
    }))
    .sort(byDisplay);
  const workloadDtos: CatalogObjectDto[] = workloads
    .map((workload) => ({
      id: workload.id,
      type: "workload" as const,
      kindLabel: WORKLOAD_KIND_LABEL,
      cluster: workload.cluster,
      namespace: workload.namespace,
      name: workload.name,
      display: objectDisplay(WORKLOAD_KIND_LABEL, workload.namespace, workload.name),
      integrationName: workload.integration.name,
      service: workload.service,
      binding: objectBinding("WORKLOAD", workloadMatchKey(workload.cluster, workload.namespace, workload.name)),
      deploymentCount: 0,
      driftEpisodeCount: workload._count.driftEpisodes,
    }))
    .sort(byDisplay);
  const deploymentsByRepository = new Map(repositoryDeployments.map((row) => [row.repositoryId, row._count._all]));

  const repositoryDtos: CatalogRepositoryDto[] = repositories.map((repository) => {
    const bound = bindingByKey.get(repositoryMatchKey(repository.fullName));
    return {
      id: repository.id,
      fullName: repository.fullName,
      integrationName: repository.integration.name,
      archived: repository.archived,
      service: bound ? { id: bound.service.id, slug: bound.service.slug, name: bound.service.name } : null,
      bindingOrigin: bound ? origin(bound.binding.origin) : null,
      deploymentCount: deploymentsByRepository.get(repository.id) ?? 0,
      incidentCount: repository._count.incidents,
    };
  });

  const environments = new Map<string, CatalogEnvironmentDto>();
  const ruleDeployments = new Map<string, number>();
  for (const group of groups) {
    const now = classifyEnvironment(group.sourceName, rules);
    const entry = environments.get(group.sourceName) ?? {
      name: group.sourceName,
      classification: { environment: now.environment, isProduction: now.isProduction, by: now.by, ruleId: now.ruleId },
      deploymentCount: 0,
      productionCount: 0,
      outdatedCount: 0,
    };
    entry.deploymentCount += group.deployments;
    if (group.isProduction) entry.productionCount += group.deployments;
    if (group.environment !== now.environment || group.isProduction !== now.isProduction) entry.outdatedCount += group.deployments;
    environments.set(group.sourceName, entry);
    if (now.ruleId) ruleDeployments.set(now.ruleId, (ruleDeployments.get(now.ruleId) ?? 0) + group.deployments);
  }
  const environmentDtos = [...environments.values()].sort((a, b) => b.deploymentCount - a.deploymentCount || a.name.localeCompare(b.name));

  const storedRules = await db.environmentRule.findMany({ orderBy: [{ priority: "asc" }, { pattern: "asc" }] });
  const invalid = new Set(rules.invalid.map((rule) => rule.id));

  return {
    canManage: can(ctx.viewer, "settings:manage"),
    productionPattern: deps.productionPattern,
    services: services.map((service) => ({
      id: service.id,
      slug: service.slug,
      name: service.name,
      team: service.team,
      bindings: service.bindings.map((binding) => ({ id: binding.id, kind: binding.kind, matchKey: binding.matchKey, display: bindingDisplay(binding.kind, binding.matchKey), origin: origin(binding.origin) })),
      deploymentCount: service._count.deployments,
      incidentCount: service._count.incidents,
    })),
    teams: teams.map((team) => ({ id: team.id, slug: team.slug, name: team.name, serviceCount: team._count.services })),
    repositories: repositoryDtos,
    environments: environmentDtos,
    rules: storedRules.map((rule) => ({
      id: rule.id,
      matchOn: rule.matchOn,
      pattern: rule.pattern,
      priority: rule.priority,
      name: exactNameOf(rule.pattern),
      environment: rule.environment,
      isProduction: rule.isProduction,
      valid: !invalid.has(rule.id),
      deploymentCount: ruleDeployments.get(rule.id) ?? 0,
    })),
    gitOpsApps: gitOpsAppDtos,
    workloads: workloadDtos,
    unmapped: {
      // A GitOps config repository is not a service and needs no binding (its apps are bound instead).
      repositories: repositoryDtos.filter((repository) => repository.service === null && !isConfigRepository({ name: repository.fullName.split("/").at(-1) ?? "", topics: [] }, serviceSlugs)),
      environments: environmentDtos.filter((environment) => environment.classification.by !== "rule"),
      gitOpsApps: gitOpsAppDtos.filter((app) => app.service === null),
      workloads: workloadDtos.filter((workload) => workload.service === null),
      unresolvedCommits: unresolved.map((row) => {
        const app = gitOpsAppDtos.find((candidate) => candidate.id === row.gitOpsAppId);
        return {
          gitOpsAppId: row.gitOpsAppId,
          display: app?.display ?? row.gitOpsAppId,
          service: app?.service ?? null,
          deploymentCount: row.count,
          latest: { startedAt: row.latestAt.toISOString(), configRevision: row.configRevision, images: row.images ?? [] },
        };
      }),
    },
  };
}
