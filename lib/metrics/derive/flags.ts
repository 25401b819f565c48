/**
 * The derived flags of one production chain (DESIGN §3 "Failed change", "Deployment rework rate",
 * "Provisional"). Pure: recompute.ts loads the chain, its change sets, the repository's revert and
 * hotfix PRs and the incidents attributed to it, and writes back what this returns.
 *
 * Time windows are half-open from the deployment's finish: an event at t counts for D when
 * D.finishedAt <= t < D.finishedAt + window.
 */

export const FAILED_CHANGE_WINDOW_MS = 7 * 24 * 3600 * 1000;
export const INCIDENT_WINDOW_MS = 24 * 3600 * 1000;
export const HOTFIX_LABEL = "hotfix";

export type FailedChangeRule = "rollback" | "revert" | "hotfix" | "incident";

export interface ChainAttempt {
  id: string;
  status: "SUCCESS" | "FAILURE" | "IN_PROGRESS" | "CANCELLED";
  commitSha: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  /** Successful deployments only: decided from the commit graph before the flags (see recompute.ts). */
  isRollback: boolean;
  /** PRs this deployment ships for the first time (its change set). */
  shippedPullRequestIds: readonly string[];
}

export interface ChainPullRequest {
  id: string;
  openedAt: Date;
  mergedAt: Date | null;
  labels: readonly string[];
  revertsPullRequestId: string | null;
}

export interface ChainIncident {
  id: string;
  openedAt: Date;
  /** The deployment it is attributed to (by the 24 h window or an explicit link). */
  deploymentId: string;
}

export interface DeploymentFlags {
  id: string;
  /** The previous successful deployment of the chain (what a change set is compared with). */
  previousDeploymentId: string | null;
  isRework: boolean;
  isFailedChange: boolean;
  /** Why it is a failed change: the rule of the remediation that came first, else `incident`. */
  failedChangeRule: FailedChangeRule | null;
  remediatedById: string | null;
  provisional: boolean;
}

interface Candidate {
  rule: FailedChangeRule;
  /** When the revealing event happened (rollback finish, revert merge, hotfix opening, incident opening). */
  at: number;
  remediatedBy: ChainAttempt | null;
}

/** Successful deployments in chain order: by finish, then start, then id, so ties are stable. */
export function chainOrder<T extends { startedAt: Date; finishedAt: Date | null; id: string }>(rows: readonly T[]): T[] {
  const key = (row: T) => (row.finishedAt ?? row.startedAt).getTime();
  return [...rows].sort((a, b) => key(a) - key(b) || a.startedAt.getTime() - b.startedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function deriveChainFlags(attempts: readonly ChainAttempt[], pullRequests: readonly ChainPullRequest[], incidents: readonly ChainIncident[], now: Date): DeploymentFlags[] {
  const successful = chainOrder(attempts.filter((a) => a.status === "SUCCESS" && a.finishedAt !== null));
  const fin = (d: ChainAttempt) => d.finishedAt!.getTime();
  const inWindow = (d: ChainAttempt, at: number, windowMs: number) => at >= fin(d) && at < fin(d) + windowMs;
  const indexOf = new Map(successful.map((d, index) => [d.id, index]));

  const shipperOf = new Map<string, ChainAttempt>();
  for (const d of successful) for (const prId of d.shippedPullRequestIds) if (!shipperOf.has(prId)) shipperOf.set(prId, d);
  const latestNonRollbackAt = (at: number): ChainAttempt | null => {
    let latest: ChainAttempt | null = null;
    for (const d of successful) {
      if (fin(d) > at) break;
      if (!d.isRollback) latest = d;
    }
    return latest;
  };

  const candidates = new Map<string, Candidate[]>();
  const add = (d: ChainAttempt, candidate: Candidate) => candidates.set(d.id, [...(candidates.get(d.id) ?? []), candidate]);

  // (a) A rollback to a commit first deployed before D, within 7 days of D: D is among what it undid.
  successful.forEach((rollback, r) => {
    if (!rollback.isRollback) return;
    const firstDeployed = successful.findIndex((d) => d.commitSha === rollback.commitSha);
    for (let i = firstDeployed + 1; i < r; i++) {
      const d = successful[i]!;
      if (!d.isRollback && d.commitSha !== rollback.commitSha && inWindow(d, fin(rollback), FAILED_CHANGE_WINDOW_MS)) add(d, { rule: "rollback", at: fin(rollback), remediatedBy: rollback });
    }
  });
  for (const pr of pullRequests) {
    // (b) A revert of a PR that D shipped, merged within 7 days of D.
    if (pr.revertsPullRequestId && pr.mergedAt) {
      const d = shipperOf.get(pr.revertsPullRequestId);
      if (d && inWindow(d, pr.mergedAt.getTime(), FAILED_CHANGE_WINDOW_MS)) add(d, { rule: "revert", at: pr.mergedAt.getTime(), remediatedBy: shipperOf.get(pr.id) ?? null });
    }
    // (c) A hotfix PR opened within 7 days while D was the latest non-rollback deployment.
    if (isHotfix(pr)) {
      const d = latestNonRollbackAt(pr.openedAt.getTime());
      if (d && inWindow(d, pr.openedAt.getTime(), FAILED_CHANGE_WINDOW_MS)) add(d, { rule: "hotfix", at: pr.openedAt.getTime(), remediatedBy: shipperOf.get(pr.id) ?? null });
    }
  }
  // (d) An incident attributed to D, opened within 24 h of it.
  for (const incident of incidents) {
    const index = indexOf.get(incident.deploymentId);
    const d = index === undefined ? undefined : successful[index];
    if (d && inWindow(d, incident.openedAt.getTime(), INCIDENT_WINDOW_MS)) add(d, { rule: "incident", at: incident.openedAt.getTime(), remediatedBy: null });
  }

  const reworkIds = new Set(successful.filter((d) => d.isRollback || d.shippedPullRequestIds.some((id) => remediatingPullRequestIds(pullRequests).has(id))).map((d) => d.id));
  const nowMs = now.getTime();
  return chainOrder(attempts).map((attempt) => {
    const own = attempt.status === "SUCCESS" && attempt.finishedAt !== null ? (candidates.get(attempt.id) ?? []) : [];
    const chosen = chooseRemediation(own);
    return {
      id: attempt.id,
      previousDeploymentId: previousSuccessful(successful, attempt)?.id ?? null,
      isRework: reworkIds.has(attempt.id),
      isFailedChange: own.length > 0,
      failedChangeRule: chosen?.rule ?? null,
      remediatedById: chosen?.remediatedBy?.id ?? null,
      // Rule (a)-(c) look 7 days ahead; until they have passed the flag (and recovery) can still change.
      provisional: attempt.status === "SUCCESS" && attempt.finishedAt !== null && fin(attempt) + FAILED_CHANGE_WINDOW_MS > nowMs,
    };
  });
}

function isHotfix(pr: ChainPullRequest): boolean {
  return pr.labels.some((label) => label.toLowerCase() === HOTFIX_LABEL);
}

function remediatingPullRequestIds(pullRequests: readonly ChainPullRequest[]): Set<string> {
  return new Set(pullRequests.filter((pr) => pr.revertsPullRequestId !== null || isHotfix(pr)).map((pr) => pr.id));
}

/**
 * The remediation of a failed change is the remediating deployment that finished first; without
 * one yet, the earliest revealing remediation event names the rule; an incident alone remediates nothing.
 */
function chooseRemediation(candidates: readonly Candidate[]): Candidate | null {
  if (!candidates.length) return null;
  const deployed = candidates.filter((c) => c.remediatedBy !== null).sort((a, b) => a.remediatedBy!.finishedAt!.getTime() - b.remediatedBy!.finishedAt!.getTime() || a.at - b.at);
  if (deployed.length) return deployed[0]!;
  const remediations = candidates.filter((c) => c.rule !== "incident").sort((a, b) => a.at - b.at);
  return remediations[0] ?? [...candidates].sort((a, b) => a.at - b.at)[0]!;
}

/** For a success, the success before it in chain order; for any other attempt, the last success finished by its end (or start). */
function previousSuccessful(successful: readonly ChainAttempt[], attempt: ChainAttempt): ChainAttempt | null {
  const own = successful.indexOf(attempt);
  if (own >= 0) return own > 0 ? successful[own - 1]! : null;
  const at = (attempt.finishedAt ?? attempt.startedAt).getTime();
  let previous: ChainAttempt | null = null;
  for (const d of successful) {
    if (d.finishedAt!.getTime() > at) break;
    previous = d;
  }
  return previous;
}
