import type { AppendAuditInput } from "@/lib/audit/append-audit";
import type { DeploymentRecord, IncidentRecord, PullRequestRecord } from "@/lib/ingest/records";

/**
 * The audit events a GitHub record stands for. Each carries a dedupe key naming the outside object
 * and the state reached, so re-ingesting the same history appends nothing.
 */

const DEPLOYMENT_OUTCOME = { SUCCESS: "success", FAILURE: "failure", CANCELLED: "info", IN_PROGRESS: "info" } as const;

export function deploymentAuditEvents(record: DeploymentRecord, context: { serviceId: string; repository: string }): AppendAuditInput[] {
  const kind = record.source === "GITHUB_DEPLOYMENT" ? "github_deployment" : "github_workflow_run";
  const target = { type: "deployment", id: `${kind}:${record.externalId}`, display: `${context.repository} → ${record.environment} @ ${record.commitSha.slice(0, 7)}` };
  const actor = { kind: "SOURCE" as const, id: record.initiatedBy, display: record.initiatedBy ?? "GitHub" };
  const events: AppendAuditInput[] = [
    {
      occurredAt: record.startedAt,
      actor,
      action: "deployment.started",
      target,
      serviceId: context.serviceId,
      outcome: "info",
      after: { environment: record.environment, sha: record.commitSha },
      source: "github",
      dedupeKey: `github:${kind}:${record.externalId}:started`,
    },
  ];
  if (record.status !== "IN_PROGRESS" && record.finishedAt) {
    events.push({
      occurredAt: record.finishedAt,
      actor,
      action: `deployment.${record.status.toLowerCase()}`,
      target,
      serviceId: context.serviceId,
      outcome: DEPLOYMENT_OUTCOME[record.status],
      before: { status: "IN_PROGRESS" },
      after: { status: record.status, environment: record.environment, sha: record.commitSha },
      source: "github",
      dedupeKey: `github:${kind}:${record.externalId}:${record.status.toLowerCase()}`,
    });
  }
  return events;
}

export function pullRequestAuditEvents(record: PullRequestRecord, context: { serviceId: string; repository: string; defaultBranch: string }): AppendAuditInput[] {
  // Only merges into the default branch change what can be deployed.
  if (!record.mergedAt || record.baseBranch !== context.defaultBranch) return [];
  return [
    {
      occurredAt: record.mergedAt,
      actor: { kind: "SOURCE", id: record.authorLogin, display: record.authorLogin ?? "GitHub" },
      action: "pull_request.merged",
      target: { type: "pull_request", id: `${context.repository}#${record.number}`, display: record.title },
      serviceId: context.serviceId,
      outcome: "success",
      after: { mergeCommitSha: record.mergeCommitSha, approvedBy: record.approvingReviewers, labels: record.labels },
      source: "github",
      dedupeKey: `github:pull_request:${record.externalId}:merged`,
    },
  ];
}

export function incidentAuditEvents(record: IncidentRecord, context: { serviceId: string; repository: string }): AppendAuditInput[] {
  const target = { type: "incident", id: `${context.repository}#${record.number}`, display: record.title };
  const events: AppendAuditInput[] = [
    { occurredAt: record.openedAt, actor: { kind: "SOURCE", display: "GitHub" }, action: "incident.opened", target, serviceId: context.serviceId, outcome: "info", source: "github", dedupeKey: `github:incident:${record.externalId}:opened` },
  ];
  if (record.resolvedAt) {
    events.push({ occurredAt: record.resolvedAt, actor: { kind: "SOURCE", display: "GitHub" }, action: "incident.resolved", target, serviceId: context.serviceId, outcome: "success", source: "github", dedupeKey: `github:incident:${record.externalId}:resolved` });
  }
  return events;
}
