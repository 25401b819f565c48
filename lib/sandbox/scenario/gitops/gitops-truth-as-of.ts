import type { GitopsDeployment, GitopsTruth } from "./model";

/**
 * The cluster side of the truth as it stood at `limit` (epoch seconds): what the generator had
 * written by then. Facts written later are dropped; facts filled in later (an operation's result,
 * a drift episode's end, a pending change's deployment, a Flux retry) are reset to how they stood,
 * so cutting a longer run gives exactly the run generated to `limit`.
 */
export function gitopsTruthAsOf(truth: GitopsTruth, limit: number): GitopsTruth {
  const happened = (iso: string | null): iso is string => iso !== null && Date.parse(iso) / 1000 <= limit;
  return {
    apps: truth.apps.filter((app) => happened(app.createdAt)).map((app) => ({ ...app, workload: { ...app.workload } })),
    pushWorkloads: truth.pushWorkloads.map((entry) => ({ serviceSlug: entry.serviceSlug, workload: { ...entry.workload } })),
    configCommits: truth.configCommits.filter((commit) => happened(commit.committedAt)).map((commit) => ({ ...commit, parents: [...commit.parents] })),
    operations: truth.operations
      .filter((operation) => happened(operation.startedAt))
      .map((operation) => ({
        ...operation,
        initiatedBy: { ...operation.initiatedBy },
        partialResources: operation.partialResources && operation.partialResources.map((resource) => ({ ...resource })),
        // Still running at the instant.
        result: operation.result && happened(operation.result.finishedAt) ? { ...operation.result } : null,
      })),
    healthTransitions: truth.healthTransitions.filter((transition) => happened(transition.at)).map((transition) => ({ ...transition })),
    deployments: truth.deployments.flatMap((deployment): GitopsDeployment[] => {
      const attempts = deployment.attempts.filter((attempt) => happened(attempt.finishedAt)).map((attempt) => ({ ...attempt }));
      const last = attempts.at(-1);
      if (!last) return [];
      return [{ ...deployment, initiatedBy: { ...deployment.initiatedBy }, attempts, finishedAt: last.finishedAt, status: last.outcome }];
    }),
    driftEpisodes: truth.driftEpisodes
      .filter((episode) => happened(episode.startedAt))
      .map((episode) => {
        const resources = episode.resources.map((resource) => ({ ...resource }));
        return happened(episode.endedAt) ? { ...episode, resources } : { ...episode, resources, endedAt: null, endedBy: null, endedByRef: null };
      }),
    pendingChanges: truth.pendingChanges
      .filter((pending) => happened(pending.appearedAt))
      .map((pending) => (happened(pending.deployedAt) ? { ...pending } : { ...pending, deployedAt: null, deployedById: null })),
  };
}
