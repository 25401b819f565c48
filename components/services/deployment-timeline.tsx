"use client";

import { useDeferredValue } from "react";
import { useSuspenseQuery } from "@tanstack/react-query";
import { type DeploymentDto, FAILED_CHANGE_RULES, type FailedChangeRule, serviceDeploymentsQueryOptions } from "@/lib/queries/services";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ChartSkeleton } from "@/components/ui/skeleton";
import { EventTimelineChart, type EventLane } from "@/components/charts/event-timeline-chart";
import { useServiceParams } from "./use-service-params";
import { failedChangeRuleLabels, formatInstant, shortSha } from "./format-metrics";

export type DeploymentKind = "success" | "failedChange" | "rollback" | "remediation" | "failedAttempt";

/** Lanes top to bottom; shapes differ so colour is never the only signal. */
export const deploymentLanes: EventLane<DeploymentKind>[] = [
  { key: "success", label: "Successful", color: "var(--success-fg)", shape: "circle" },
  { key: "failedChange", label: "Failed change", color: "var(--danger-fg)", shape: "diamond" },
  { key: "rollback", label: "Rollback", color: "var(--warning-fg)", shape: "triangle" },
  { key: "remediation", label: "Remediation", color: "var(--info-fg)", shape: "star" },
  { key: "failedAttempt", label: "Failed attempt", color: "var(--neutral-fg)", shape: "cross" },
];

/**
 * One lane per deployment, most telling first: a failed attempt never went live; a rollback is
 * also a remediation; a failed change that is itself a rollback shows as the rollback.
 */
export function deploymentKind(deployment: DeploymentDto): DeploymentKind | null {
  if (deployment.status === "FAILURE") return "failedAttempt";
  if (deployment.status !== "SUCCESS") return null;
  if (deployment.isRollback) return "rollback";
  if (deployment.isRework) return "remediation";
  if (deployment.isFailedChange) return "failedChange";
  return "success";
}

/** "a revert" when it is the window's only failed change; counted otherwise ("2 reverts", "1 incident"). */
function revealedByPhrase(rule: FailedChangeRule, count: number, total: number): string {
  const label = failedChangeRuleLabels[rule].short;
  if (count === 1 && total === 1) return label;
  const noun = label.replace(/^an? /, "");
  return `${count} ${count === 1 ? noun : `${noun}${noun.endsWith("x") ? "es" : "s"}`}`;
}

export function DeploymentTimelineCard({ slug }: { slug: string }) {
  const { params } = useServiceParams();
  const deferred = useDeferredValue(params);
  const { data } = useSuspenseQuery(serviceDeploymentsQueryOptions(slug, deferred));
  const events = data.deployments.flatMap((deployment) => {
    const lane = deploymentKind(deployment);
    const at = deployment.finishedAt ?? deployment.startedAt;
    if (!lane) return [];
    const reason = lane === "failedChange" && deployment.failedChangeRule ? ` · revealed by ${failedChangeRuleLabels[deployment.failedChangeRule].short}` : "";
    return [{ at: Date.parse(at), lane, label: `${deployment.environment} ${deployment.commitSha ? shortSha(deployment.commitSha) : ""} ${formatInstant(at)}${reason}` }];
  });
  const counts = Object.fromEntries(deploymentLanes.map((lane) => [lane.key, events.filter((event) => event.lane === lane.key).length]));
  // Every flagged deployment, not only the failed-change lane: a failed change that is itself a rollback draws as the rollback.
  const failed = data.deployments.filter((deployment) => deployment.status === "SUCCESS" && deployment.isFailedChange);
  const revealedBy = FAILED_CHANGE_RULES.map((rule) => ({ rule, count: failed.filter((deployment) => deployment.failedChangeRule === rule).length })).filter(
    (entry) => entry.count > 0,
  );
  // Counted from the rules, so the sentence adds up even if a row's rule is one this build cannot name.
  const explained = revealedBy.reduce((sum, entry) => sum + entry.count, 0);
  const environment = data.environment === null ? "production" : data.environment === "all" ? "all environments" : data.environment;

  return (
    <Card aria-labelledby="timeline-heading" aria-busy={deferred !== params}>
      <CardHeader id="timeline-heading" title="Deployment timeline" description={`Every finished deployment in ${environment}, by when it finished.`} />
      <CardBody>
        {events.length === 0 ? (
          <p className="text-sm text-muted">No deployment finished in {environment} in this window.</p>
        ) : (
          <EventTimelineChart
            title={`Deployments of ${slug}`}
            summary={`${counts.success} successful, ${counts.failedChange} failed changes, ${counts.rollback} rollbacks, ${counts.remediation} other remediations and ${counts.failedAttempt} failed attempts between ${data.window.from.slice(0, 10)} and ${data.window.to.slice(0, 10)}${data.total > data.limit ? ` (latest ${data.limit} of ${data.total})` : ""}.`}
            lanes={deploymentLanes}
            events={events}
            from={Date.parse(data.window.from)}
            to={Date.parse(data.window.to)}
          />
        )}
        {revealedBy.length > 0 ? (
          <p className="mt-3 text-sm text-muted" data-testid="failed-change-rules">
            {explained === 1 ? "The failed change was" : `The ${explained} failed changes were`} revealed by{" "}
            {revealedBy.map((entry, index) => (
              <span key={entry.rule} title={failedChangeRuleLabels[entry.rule].rule}>
                {index === 0 ? "" : index === revealedBy.length - 1 ? " and " : ", "}
                {revealedByPhrase(entry.rule, entry.count, explained)}
              </span>
            ))}
            .
          </p>
        ) : null}
      </CardBody>
    </Card>
  );
}

export function DeploymentTimelineSkeleton() {
  return (
    <Card>
      <CardHeader title="Deployment timeline" />
      <CardBody>
        <ChartSkeleton label="deployment timeline" height={240} />
      </CardBody>
    </Card>
  );
}
