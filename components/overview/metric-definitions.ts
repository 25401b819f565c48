/**
 * The metric definitions of DESIGN §3, worded for readers of the dashboard. They are part of
 * the product: every number shown later links back to one of these.
 */
export type MetricId =
  | "deploymentFrequency"
  | "leadTime"
  | "changeFailRate"
  | "recoveryTime"
  | "reworkRate"
  | "successRate"
  | "syncLag"
  | "driftEpisodesPer30Days"
  | "driftMedianHoursToReconcile"
  | "timeInSyncRatio"
  | "approvedChangeShare"
  | "signedCommitShare";

export type MetricDefinition = {
  id: MetricId;
  label: string;
  /** The unit the value will be shown in. */
  unit: string;
  definition: string;
  /** The DORA 2023 tier bands, or null for metrics without tiers. */
  tiers: string | null;
  /** How the cohort value is formed from services (DESIGN §3, "Cohorts"). */
  cohortValue: "median of services" | "pooled proportion" | "pooled over observed time";
  /** Only one methodology produces this metric. */
  onlyFor?: "gitops";
};

/** Shared by every drift metric: what "observed" means, and what happens where it is not. */
const DRIFT_OBSERVED =
  "Counted only over the time drift could be seen: from the first observation of the service's drift-observable GitOps apps (GitOps) or push-deployed workloads (DevOps), or the window's start if later, to the window's end or now. A service where drift cannot be seen (e.g. a HelmRelease with drift detection off) shows “drift not observable” and is left out of the cohort, never counted as clean. Pending changes and rollouts in progress are not drift.";

export const metricDefinitions: MetricDefinition[] = [
  {
    id: "deploymentFrequency",
    label: "Deployment frequency",
    unit: "per day",
    definition:
      "Successful production deployments (rollbacks included) per day in the window. For tiers: deployment days per week, median over the window's weeks.",
    tiers: "Elite ≥ 5 deployment days/week · High ≥ 1/week · Medium ≥ 1/month · Low below",
    cohortValue: "median of services",
  },
  {
    id: "leadTime",
    label: "Lead time for changes",
    unit: "median, p90",
    definition:
      "For each change a deployment ships first: deployment finish minus the first commit authored in its PR (or the commit itself for a direct push). Reported as median and p90, split into coding, review and waiting.",
    tiers: "Elite < 1 day · High < 1 week · Medium < 1 month · Low ≥ 1 month",
    cohortValue: "median of services",
  },
  {
    id: "changeFailRate",
    label: "Change fail rate",
    unit: "%",
    definition:
      "Failed changes divided by successful deployments. A deployment is a failed change when, within 7 days, it is rolled back, one of its PRs is reverted, or a hotfix PR follows it — or an incident opens within 24 hours.",
    tiers: "Elite ≤ 5 % · High ≤ 10 % · Medium ≤ 15 % · Low above",
    cohortValue: "pooled proportion",
  },
  {
    id: "recoveryTime",
    label: "Failed deployment recovery time",
    unit: "median",
    definition:
      "For each failed change: from its deployment's finish to the finish of the deployment that remediated it (rollback, revert or hotfix), or to the incident's resolution when no deployment remediated it.",
    tiers: "Elite < 1 hour · High < 1 day · Medium < 1 week · Low ≥ 1 week",
    cohortValue: "median of services",
  },
  {
    id: "reworkRate",
    label: "Deployment rework rate",
    unit: "%",
    definition:
      "Remediating deployments (rollbacks, deployments shipping a revert or hotfix PR) divided by successful deployments.",
    tiers: null,
    cohortValue: "pooled proportion",
  },
  {
    id: "successRate",
    label: "Deployment success rate",
    unit: "%",
    definition:
      "Successful deployment attempts divided by all finished attempts. An attempt that never went live counts here, not as a failed change. GitOps history rebuilt from a config repository (from before Argo CD or Flux was observed) is left out: no source saw those attempts, so none could have been seen to fail.",
    tiers: null,
    cohortValue: "pooled proportion",
  },
  {
    id: "syncLag",
    label: "Sync lag",
    unit: "median",
    definition:
      "From a new desired revision appearing in Git to its deployment finishing in the cluster, over successful production GitOps deployments (reconstructed ones included) that finished in the window; deployments whose desired-since instant is unknown are left out.",
    tiers: null,
    cohortValue: "median of services",
    onlyFor: "gitops",
  },
  {
    id: "driftEpisodesPer30Days",
    label: "Drift episodes",
    unit: "per 30 days",
    definition: `Live-drift episodes (the cluster changed outside Git or outside the pipeline) that started in the window, per 30 days of observed time. ${DRIFT_OBSERVED}`,
    tiers: null,
    cohortValue: "median of services",
  },
  {
    id: "driftMedianHoursToReconcile",
    label: "Time to reconcile drift",
    unit: "median",
    definition: `From a live-drift episode's start to its end (auto-heal, sync or new deployment), over the episodes that ended in the window. ${DRIFT_OBSERVED}`,
    tiers: null,
    cohortValue: "median of services",
  },
  {
    id: "timeInSyncRatio",
    label: "Time in sync",
    unit: "%",
    definition: `Share of observed time without live drift; an episode still open counts up to the window's end or now. Overlapping episodes count once. ${DRIFT_OBSERVED}`,
    tiers: null,
    cohortValue: "pooled over observed time",
  },
  {
    id: "approvedChangeShare",
    label: "Independently approved changes",
    unit: "%",
    definition:
      "Change traceability: the share of production changes (merged PRs and direct pushes shipped by a successful deployment in the window) that went through a PR approved by someone other than its author. A reviewer linked to the author's person (another GitHub login of theirs) does not count as someone else. A direct push is a change without approval.",
    tiers: null,
    cohortValue: "pooled proportion",
  },
  {
    id: "signedCommitShare",
    label: "Signed commits",
    unit: "%",
    definition:
      "Change traceability: the share of the commits shipped by successful deployments in the window whose signature GitHub verified. Commits the product has not fetched are left out, not counted as unsigned.",
    tiers: null,
    cohortValue: "pooled proportion",
  },
];
