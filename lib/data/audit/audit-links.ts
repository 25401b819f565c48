import type { Db } from "@/lib/db/client";
import { gitHubWebBase } from "@/lib/data/services/service-window";
import type { AuditLinkDto } from "@/lib/queries/audit";

/**
 * Where an audit event's target can be followed. Derived from what the writers put in the event
 * (grep `appendAudit` under lib/): targetType and targetId, the repository named in a deployment's
 * display, the shas in before/after. Anything this code does not recognise gets no link rather
 * than a guessed one.
 *
 * | targetType     | targetId (writer)                                     | links                                  |
 * |----------------|-------------------------------------------------------|----------------------------------------|
 * | pull_request   | `owner/repo#42` (ingest/github/audit-events)          | PR and merge commit on GitHub          |
 * | deployment     | `github_deployment:<id>` / `github_workflow_run:<id>` | service page; commit on GitHub         |
 * | gitops_app     | binding match key `argocd:cluster/ns/name` (gitops)   | the app on the Drift page              |
 * | workload       | `k8s:cluster/ns/deployment/name` (drift)              | the workload on the Drift page          |
 * | sync_request   | the request's id (approvals)                          | /approvals?request=<id>                |
 * | incident       | `owner/repo#7`                                         | the issue on GitHub                    |
 * | repository     | Repository id, display = full name (catalog)          | the repository on GitHub               |
 * | integration    | Integration id                                        | Settings                               |
 *
 * GitHub links only exist for github.com or GitHub Enterprise (`gitHubWebBase`): the sandbox has no
 * web pages, and a dead link is worse than none.
 */

export interface LinkableEvent {
  targetType: string;
  targetId: string;
  targetDisplay: string | null;
  serviceSlug: string | null;
  after: unknown;
}

/** What the links need from the database, fetched once per page of events. */
export interface LinkLookups {
  /** Repository full name → GitHub web base (null: no web pages). */
  repositoryWeb: Map<string, string | null>;
  /** Lower-cased GitOps match key → GitOpsApp id. */
  gitOpsApps: Map<string, string>;
  /** Lower-cased workload match key → Workload id. */
  workloads: Map<string, string>;
}

const SHA = /^[0-9a-f]{7,40}$/i;
const REPO_NUMBER = /^([\w.-]+\/[\w.-]+)#(\d+)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function field(value: unknown, name: string): string | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const found = (value as Record<string, unknown>)[name];
  return typeof found === "string" ? found : null;
}

/** The repository a GitHub deployment's display names: `owner/repo → production @ abc1234`. */
function deploymentRepository(display: string | null): string | null {
  const name = display?.split(" → ")[0]?.trim();
  return name && /^[\w.-]+\/[\w.-]+$/.test(name) ? name : null;
}

function repositoryOf(event: LinkableEvent): string | null {
  switch (event.targetType) {
    case "pull_request":
    case "incident":
      return REPO_NUMBER.exec(event.targetId)?.[1] ?? null;
    case "deployment":
      return deploymentRepository(event.targetDisplay);
    case "repository":
      return event.targetDisplay;
    default:
      return null;
  }
}

/** Reads, for a page of events, the repositories' web bases and the ids of the GitOps apps and workloads they name. */
export async function loadLinkLookups(db: Db, events: readonly LinkableEvent[]): Promise<LinkLookups> {
  const repositories = [...new Set(events.map(repositoryOf).filter((name): name is string => !!name))];
  const appKeys = [...new Set(events.filter((e) => e.targetType === "gitops_app").map((e) => e.targetId.toLowerCase()))];
  const workloadKeys = [...new Set(events.filter((e) => e.targetType === "workload").map((e) => e.targetId.toLowerCase()))];
  const [repoRows, appRows, workloadRows] = await Promise.all([
    repositories.length
      ? db.$queryRaw<{ fullName: string; baseUrl: string; kind: string }[]>`
          SELECT r."fullName", i."baseUrl", i.kind::text AS kind FROM "Repository" r JOIN "Integration" i ON i.id = r."integrationId"
          WHERE r."fullName" = ANY(${repositories}::text[])`
      : [],
    appKeys.length
      ? db.$queryRaw<{ id: string; key: string }[]>`
          SELECT id::text, key FROM (
            SELECT id, lower((CASE kind WHEN 'ARGOCD_APPLICATION' THEN 'argocd' WHEN 'FLUX_KUSTOMIZATION' THEN 'flux:kustomization' ELSE 'flux:helmrelease' END)
                   || ':' || cluster || '/' || namespace || '/' || name) AS key
            FROM "GitOpsApp") apps
          WHERE key = ANY(${appKeys}::text[])`
      : [],
    workloadKeys.length
      ? db.$queryRaw<{ id: string; key: string }[]>`
          SELECT id::text, key FROM (SELECT id, lower('k8s:' || cluster || '/' || namespace || '/deployment/' || name) AS key FROM "Workload") w
          WHERE key = ANY(${workloadKeys}::text[])`
      : [],
  ]);
  const repositoryWeb = new Map<string, string | null>();
  for (const row of repoRows) {
    const base = row.kind === "GITHUB" ? gitHubWebBase(row.baseUrl) : null;
    // One name may be mirrored by two integrations; any with web pages will do.
    if (!repositoryWeb.get(row.fullName)) repositoryWeb.set(row.fullName, base);
  }
  return {
    repositoryWeb,
    gitOpsApps: new Map(appRows.map((row) => [row.key, row.id])),
    workloads: new Map(workloadRows.map((row) => [row.key, row.id])),
  };
}

/** The links of one event (pure: the lookups hold everything read from the database). */
export function auditLinksOf(event: LinkableEvent, lookups: LinkLookups): AuditLinkDto[] {
  const links: AuditLinkDto[] = [];
  const repository = repositoryOf(event);
  const web = repository ? (lookups.repositoryWeb.get(repository) ?? null) : null;
  const repoUrl = web && repository ? `${web}/${repository}` : null;
  const commit = (sha: string | null) => {
    if (repoUrl && sha && SHA.test(sha)) links.push({ kind: "commit", label: `Commit ${sha.slice(0, 7)}`, href: `${repoUrl}/commit/${sha}`, external: true });
  };
  switch (event.targetType) {
    case "pull_request": {
      const number = REPO_NUMBER.exec(event.targetId)?.[2];
      if (repoUrl && number) links.push({ kind: "pull_request", label: `PR #${number}`, href: `${repoUrl}/pull/${number}`, external: true });
      commit(field(event.after, "mergeCommitSha"));
      break;
    }
    case "deployment":
      if (event.serviceSlug) links.push({ kind: "deployment", label: "Deployments of the service", href: `/services/${event.serviceSlug}`, external: false });
      commit(field(event.after, "sha"));
      break;
    case "gitops_app": {
      const id = lookups.gitOpsApps.get(event.targetId.toLowerCase());
      if (id) links.push({ kind: "gitops_app", label: "GitOps app on Drift", href: `/drift?target=app-${id}`, external: false });
      break;
    }
    case "workload": {
      const id = lookups.workloads.get(event.targetId.toLowerCase());
      if (id) links.push({ kind: "workload", label: "Workload on Drift", href: `/drift?target=workload-${id}`, external: false });
      break;
    }
    case "sync_request":
      if (UUID.test(event.targetId)) links.push({ kind: "sync_request", label: "Sync request", href: `/approvals?request=${event.targetId}`, external: false });
      break;
    case "incident": {
      const number = REPO_NUMBER.exec(event.targetId)?.[2];
      if (repoUrl && number) links.push({ kind: "incident", label: `Issue #${number}`, href: `${repoUrl}/issues/${number}`, external: true });
      break;
    }
    case "repository":
      if (repoUrl) links.push({ kind: "repository", label: repository ?? "Repository", href: repoUrl, external: true });
      break;
    case "integration":
      links.push({ kind: "integration", label: "Integrations in Settings", href: "/settings", external: false });
      break;
    default:
      break;
  }
  return links;
}

