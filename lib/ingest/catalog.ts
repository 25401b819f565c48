import type { DbTransaction } from "@/lib/db/client";

export interface RepositoryForCatalog {
  fullName: string;
  name: string;
  topics: string[];
}

const TEAM_TOPIC = /^team-([a-z0-9][a-z0-9-]*)$/;

/** The topic that marks a GitOps config repository (manifests a controller reconciles, not a service). */
export const GITOPS_CONFIG_TOPIC = "gitops-config";

const CONFIG_SUFFIX = "-config";

/**
 * Whether a repository is a GitOps config repository rather than a service's code: it carries the
 * `gitops-config` topic, or (topics missing or silent, as when the org listing was not re-read) its
 * name is `<name>-config` and `<name>` is a known service or app repository (`knownServiceNames`,
 * lower case). A config repository gets no service and no binding, and its commits are not app
 * changes: turning it into a service would put an empty "x-config" service next to "x" in every
 * team and cohort. Its history still matters (GitOps deployments are rebuilt from it), so the
 * repository and its commits are kept.
 */
export function isConfigRepository(repo: { name: string; topics: readonly string[] }, knownServiceNames: ReadonlySet<string> = new Set()): boolean {
  if (repo.topics.includes(GITOPS_CONFIG_TOPIC)) return true;
  const name = repo.name.toLowerCase();
  return name.endsWith(CONFIG_SUFFIX) && name.length > CONFIG_SUFFIX.length && knownServiceNames.has(name.slice(0, -CONFIG_SUFFIX.length));
}

function titleCase(slug: string): string {
  return slug.replace(/(^|-)([a-z0-9])/g, (_, dash: string, letter: string) => `${dash ? " " : ""}${letter.toUpperCase()}`);
}

/**
 * Orders catalog changes against ingestion's writes. A catalog change (binding, environment rule)
 * holds it exclusively while it re-points and re-classifies stored rows; each ingestion transaction
 * that writes rows derived from a binding or a rule holds it shared and reads the binding and rules
 * under it. Either the change sees the rows, or the rows see the change: none is left behind.
 * Transaction-scoped, as the embedded database requires (DESIGN §10).
 */
export const CATALOG_LOCK_KEY = 7_223_117_301_550_003n;

export async function lockCatalogForChange(tx: DbTransaction): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CATALOG_LOCK_KEY})`;
}

export async function lockCatalogForIngest(tx: DbTransaction): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${CATALOG_LOCK_KEY})`;
}

/** The service a repository's binding names now, or null when it has none. */
export async function boundServiceId(tx: DbTransaction, fullName: string): Promise<string | null> {
  const binding = await tx.serviceBinding.findFirst({ where: { kind: "REPOSITORY", pathPrefix: "", matchKey: repositoryMatchKey(fullName) }, select: { serviceId: true } });
  return binding?.serviceId ?? null;
}

/** The binding key of a GitHub repository (DESIGN §2: one repository, one service, by convention). */
export function repositoryMatchKey(fullName: string): string {
  return `github:${fullName.toLowerCase()}`;
}

/**
 * Finds each repository's service through its binding; a repository without one gets a service
 * of its own (slug = repository name) and a convention binding. A `team-<slug>` topic names the team.
 * Bindings an admin made by hand are never changed here. Returns fullName → serviceId; a config
 * repository (`isConfigRepository`) is left out: no service, no binding. An admin's binding still
 * wins over that rule (someone decided), a convention binding made before the rule existed does not.
 *
 * Holds the catalog lock (shared) for the caller's transaction: without it an admin binding an
 * unmapped repository at the same moment commits a binding this one did not see, and the
 * convention binding's insert fails on the unique key (failing the sync). With it, the admin's
 * change either commits first (and is read here) or waits for this transaction.
 */
export async function ensureRepositoryServices(tx: DbTransaction, integrationId: string, repositories: RepositoryForCatalog[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (repositories.length === 0) return result;
  await lockCatalogForIngest(tx);
  const bindings = await tx.serviceBinding.findMany({
    where: { kind: "REPOSITORY", pathPrefix: "", matchKey: { in: repositories.map((repo) => repositoryMatchKey(repo.fullName)) } },
    select: { matchKey: true, serviceId: true, origin: true },
  });
  const byKey = new Map(bindings.map((binding) => [binding.matchKey, binding]));
  const knownServiceNames = await knownServiceNamesFor(tx, repositories);
  for (const repo of repositories) {
    const key = repositoryMatchKey(repo.fullName);
    const bound = byKey.get(key);
    if (bound && (bound.origin === "MANUAL" || !isConfigRepository(repo, knownServiceNames))) {
      result.set(repo.fullName, bound.serviceId);
      continue;
    }
    if (isConfigRepository(repo, knownServiceNames)) continue;
    const teamSlug = repo.topics.map((topic) => topic.match(TEAM_TOPIC)?.[1]).find(Boolean) ?? null;
    const team = teamSlug ? await tx.team.upsert({ where: { slug: teamSlug }, create: { slug: teamSlug, name: titleCase(teamSlug) }, update: {} }) : null;
    const slugTaken = await tx.service.findUnique({ where: { slug: repo.name.toLowerCase() }, select: { id: true } });
    const slug = slugTaken ? repo.fullName.toLowerCase().replace("/", "-") : repo.name.toLowerCase();
    const service = await tx.service.upsert({ where: { slug }, create: { slug, name: repo.name, teamId: team?.id ?? null }, update: {} });
    await tx.serviceBinding.create({ data: { serviceId: service.id, kind: "REPOSITORY", matchKey: key, integrationId, origin: "CONVENTION" } });
    result.set(repo.fullName, service.id);
  }
  return result;
}

/**
 * The names `isConfigRepository` may pair a `<name>-config` repository with: existing service slugs,
 * and the batch's other repositories that are not config repositories themselves (a first sync
 * creates `x` and meets `x-config` in the same batch).
 */
async function knownServiceNamesFor(tx: DbTransaction, repositories: RepositoryForCatalog[]): Promise<Set<string>> {
  const candidates = repositories.map((repo) => repo.name.toLowerCase()).filter((name) => name.endsWith(CONFIG_SUFFIX)).map((name) => name.slice(0, -CONFIG_SUFFIX.length));
  if (candidates.length === 0) return new Set();
  const services = await tx.service.findMany({ where: { slug: { in: candidates } }, select: { slug: true } });
  const names = new Set(services.map((service) => service.slug));
  for (const repo of repositories) if (!repo.topics.includes(GITOPS_CONFIG_TOPIC)) names.add(repo.name.toLowerCase());
  return names;
}
