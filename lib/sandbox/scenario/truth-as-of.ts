import { gitopsTruthAsOf } from "./gitops/gitops-truth-as-of";
import type { GroundTruth, GroundTruthDeployment, GroundTruthIncident } from "./ground-truth";
import { toIso, toSeconds } from "./time";

/**
 * The ground truth as it stood at `instant`, for an org that lives on past it: what a product
 * reading the sandbox at that instant can know. The generator writes each fact when it happens
 * (a change when it lands, a deployment when it finishes, an incident when it opens) and fills in
 * a few later (a resolution, a remediation, an incident number); those are dropped when they come
 * after `instant`. For an instant at or after the anchor, cutting a truth generated to any later
 * end gives exactly the truth generated to that instant. A `failedChange` is the generator's intent,
 * set when the release finishes: at `instant` the rollback, revert or incident that reveals it may
 * still be ahead (the anchor is kept clear of that; later instants are not). Services and teams
 * exist from the first hours of the history and are kept.
 */
export function truthAsOf(truth: GroundTruth, instant: Date): GroundTruth {
  const limit = toSeconds(instant);
  const happened = (iso: string | null): iso is string => iso !== null && Date.parse(iso) / 1000 <= limit;
  if (!Number.isFinite(limit) || Date.parse(truth.until) / 1000 < limit) {
    throw new Error(`The truth covers up to ${truth.until}; it cannot tell what stood at ${instant.toISOString()}`);
  }

  const incidents: GroundTruthIncident[] = truth.incidents
    .filter((incident) => happened(incident.openedAt))
    .map((incident) => ({ ...incident, resolvedAt: happened(incident.resolvedAt) ? incident.resolvedAt : null }));
  const deployments = truth.deployments.filter((deployment) => happened(deployment.finishedAt));
  const finishedIds = new Set(deployments.map((deployment) => deployment.externalId));
  const openedIncidents = new Set(incidents.map((incident) => `${incident.repository}#${incident.number}`));

  return {
    ...truth,
    until: toIso(limit),
    teams: truth.teams.map((team) => ({ ...team })),
    services: truth.services.map((service) => ({ ...service })),
    changes: truth.changes.filter((change) => happened(change.landedAt)).map((change) => ({ ...change, labels: [...change.labels] })),
    deployments: deployments.map((deployment): GroundTruthDeployment => {
      const failed = deployment.failedChange;
      return {
        ...deployment,
        shipsChanges: [...deployment.shipsChanges],
        failedChange: failed && {
          rule: failed.rule,
          remediatedByExternalId: failed.remediatedByExternalId !== null && finishedIds.has(failed.remediatedByExternalId) ? failed.remediatedByExternalId : null,
          incidentNumber: failed.incidentNumber !== null && openedIncidents.has(`${deployment.repository}#${failed.incidentNumber}`) ? failed.incidentNumber : null,
        },
      };
    }),
    incidents,
    gitops: gitopsTruthAsOf(truth.gitops, limit),
  };
}
