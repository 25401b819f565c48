import type { Db } from "@/lib/db/client";

/**
 * Everything ingestion wrote, as sorted plain lines without database ids or bookkeeping times,
 * so two databases filled by different runs (clean, faulty, interrupted) can be compared exactly.
 */
export async function ingestSnapshot(db: Db): Promise<Record<string, string[]>> {
  const iso = (date: Date | null) => date?.toISOString() ?? "-";
  const [repositories, services, commits, pulls, deployments, incidents, audit] = await Promise.all([
    db.repository.findMany({ select: { fullName: true, defaultBranch: true, externalId: true } }),
    db.service.findMany({ select: { slug: true, team: { select: { slug: true } }, bindings: { select: { matchKey: true } } } }),
    db.commit.findMany({ select: { sha: true, parentShas: true, authoredAt: true, committedAt: true, authorEmail: true, signatureVerified: true, repository: { select: { fullName: true } } } }),
    db.pullRequest.findMany({
      select: { number: true, state: true, mergedAt: true, mergeCommitSha: true, firstCommitAt: true, labels: true, approvingReviewers: true, sourceUpdatedAt: true, repository: { select: { fullName: true } }, revertsPullRequest: { select: { number: true } } },
    }),
    db.deployment.findMany({ select: { source: true, externalId: true, environment: true, isProduction: true, commitSha: true, status: true, startedAt: true, finishedAt: true, service: { select: { slug: true } } } }),
    db.incident.findMany({ select: { externalId: true, number: true, openedAt: true, resolvedAt: true, service: { select: { slug: true } } } }),
    db.auditEvent.findMany({ select: { dedupeKey: true, action: true, occurredAt: true } }),
  ]);
  const sorted = (lines: string[]) => lines.sort();
  return {
    repositories: sorted(repositories.map((r) => `${r.fullName} ${r.externalId} ${r.defaultBranch}`)),
    services: sorted(services.map((s) => `${s.slug} team=${s.team?.slug ?? "-"} ${s.bindings.map((b) => b.matchKey).sort().join(",")}`)),
    commits: sorted(commits.map((c) => `${c.repository.fullName} ${c.sha} ${c.parentShas.join(",")} ${iso(c.authoredAt)} ${iso(c.committedAt)} ${c.authorEmail} ${c.signatureVerified}`)),
    pullRequests: sorted(
      pulls.map((p) => `${p.repository.fullName}#${p.number} ${p.state} ${iso(p.mergedAt)} ${p.mergeCommitSha} ${iso(p.firstCommitAt)} [${p.labels}] [${p.approvingReviewers}] reverts=${p.revertsPullRequest?.number ?? "-"} ${iso(p.sourceUpdatedAt)}`),
    ),
    deployments: sorted(deployments.map((d) => `${d.source}:${d.externalId} ${d.service?.slug} ${d.environment} ${d.isProduction} ${d.commitSha} ${d.status} ${iso(d.startedAt)} ${iso(d.finishedAt)}`)),
    incidents: sorted(incidents.map((i) => `${i.externalId} ${i.service?.slug}#${i.number} ${iso(i.openedAt)} ${iso(i.resolvedAt)}`)),
    audit: sorted(audit.map((a) => `${a.dedupeKey} ${a.action} ${iso(a.occurredAt)}`)),
  };
}
