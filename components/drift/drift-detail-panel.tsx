"use client";

import { useEffect, useRef } from "react";
import Link from "next/link";
import { useSuspenseQuery } from "@tanstack/react-query";
import { type DriftEpisodeDto, type DriftResourceDto, type DriftTargetDetailDto, driftTargetQueryOptions } from "@/lib/queries/drift";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { SkeletonRegion, Skeleton } from "@/components/ui/skeleton";
import { DriftDiff } from "./drift-diff";
import { DriftStateBadge } from "./drift-state-badge";
import { DRIFT_DETAIL_ID } from "./drift-targets-table";
import { clusterLabel, describeManager, driftMethodologyLabels, endReasonLabels, episodeKindLabels, formatDuration, formatInstant, shortRevision, targetKindLabels } from "./format-drift";
import { useDriftParams } from "./use-drift-params";

function describeEpisode(episode: DriftEpisodeDto): string {
  const kind = episodeKindLabels[episode.kind];
  const by = episode.actor ? `, changed by ${episode.actor}` : "";
  if (episode.endedAt === null) return `${kind} open since ${formatInstant(episode.startedAt)} (for ${formatDuration(episode.durationSeconds)})${by}.`;
  const how = episode.endReason ? ` by ${endReasonLabels[episode.endReason]}` : "";
  return `Latest episode: ${kind.toLowerCase()} from ${formatInstant(episode.startedAt)}, ended${how} after ${formatDuration(episode.durationSeconds)}${by}.`;
}

function Facts({ target }: { target: DriftTargetDetailDto["target"] }) {
  const facts: [string, React.ReactNode][] = [
    ["Service", target.service ? `${target.service.name}${target.service.team ? ` (${target.service.team.name})` : ""}` : "Unbound"],
    ["Methodology", driftMethodologyLabels[target.methodology]],
    ["Source", `${target.integration.name}`],
  ];
  if (target.syncStatus !== null) facts.push(["Sync / health", `${target.syncStatus} / ${target.healthStatus ?? "—"}`]);
  if (target.syncedRevision !== null || target.desiredRevision !== null) {
    facts.push(["Revisions", `synced ${target.syncedRevision ? shortRevision(target.syncedRevision) : "—"}, desired ${target.desiredRevision ? shortRevision(target.desiredRevision) : "—"}`]);
  }
  if (target.autoSync !== null) {
    facts.push(["Automation", [target.autoSync ? "auto-sync" : "manual sync", target.selfHeal ? "self-heal" : "no self-heal", target.suspended ? "suspended" : null].filter(Boolean).join(", ")]);
  }
  if (target.repoUrl) facts.push(["Git source", `${target.repoUrl}${target.path ? ` · ${target.path}` : ""}`]);
  if (target.cluster) facts.push(["Cluster", target.cluster]);
  if (target.managedBy) facts.push(["Changed by", `${describeManager(target.managedBy)}${target.managedBy === "push" ? "" : ` (${target.managedBy})`}`]);
  facts.push(["Running images", target.images.length ? target.images.join(", ") : "—"]);
  if (target.kind === "DEPLOYMENT") facts.push(["Desired images", target.desiredImages.length ? target.desiredImages.join(", ") : "unknown (no deployment says)"]);
  facts.push(["Last observed", target.lastObservedAt ? formatInstant(target.lastObservedAt) : "never"]);
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1.5 text-sm">
      {facts.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-muted">{term}</dt>
          <dd className="min-w-0 break-words text-fg">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Resource({ resource }: { resource: DriftResourceDto }) {
  const label = `${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ""}${resource.name}`;
  return (
    <li className="flex flex-col gap-2" data-testid="drift-resource">
      <h4 className="text-sm font-semibold text-fg">{label}</h4>
      {resource.field !== null || resource.liveValue !== null || resource.desiredValue !== null ? (
        <table className="w-full border-collapse text-sm">
          <caption className="sr-only">Live and desired values of {label}</caption>
          <thead>
            <tr className="border-b border-line bg-surface-sunken text-left text-muted">
              <th scope="col" className="px-3 py-1.5 font-medium">Field</th>
              <th scope="col" className="px-3 py-1.5 font-medium">Live (in the cluster)</th>
              <th scope="col" className="px-3 py-1.5 font-medium">Desired</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row" className="px-3 py-1.5 text-left font-mono text-xs font-normal text-fg">{resource.field ?? "(whole object)"}</th>
              <td className="px-3 py-1.5 font-mono text-xs break-all text-danger-fg">
                <span aria-hidden="true">− </span>
                {resource.liveValue ?? "—"}
              </td>
              <td className="px-3 py-1.5 font-mono text-xs break-all text-success-fg">
                <span aria-hidden="true">+ </span>
                {resource.desiredValue ?? "—"}
              </td>
            </tr>
          </tbody>
        </table>
      ) : null}
      {resource.diff ? <DriftDiff diff={resource.diff} label={label} /> : null}
      {!resource.diff && resource.field === null && resource.liveValue === null && resource.desiredValue === null ? (
        <p className="text-sm text-muted">The source named this resource but gave no live or desired values.</p>
      ) : null}
    </li>
  );
}

function RecentEpisodes({ episodes }: { episodes: DriftEpisodeDto[] }) {
  if (episodes.length === 0) return null;
  return (
    <table className="w-full border-collapse text-sm">
      <caption className="px-0 py-2 text-left text-sm font-semibold text-fg">Latest episodes</caption>
      <thead>
        <tr className="border-b border-line bg-surface-sunken text-left text-muted">
          <th scope="col" className="px-3 py-1.5 font-medium">Started</th>
          <th scope="col" className="px-3 py-1.5 font-medium">Kind</th>
          <th scope="col" className="px-3 py-1.5 font-medium">Lasted</th>
          <th scope="col" className="px-3 py-1.5 font-medium">Ended by</th>
        </tr>
      </thead>
      <tbody>
        {episodes.map((episode) => (
          <tr key={episode.id} className="border-b border-line last:border-b-0">
            <th scope="row" className="px-3 py-1.5 text-left font-normal text-fg tabular-nums">{formatInstant(episode.startedAt)}</th>
            <td className="px-3 py-1.5">{episodeKindLabels[episode.kind]}</td>
            <td className="px-3 py-1.5 tabular-nums">
              {formatDuration(episode.durationSeconds)}
              {episode.endedAt === null ? " so far" : ""}
            </td>
            <td className="px-3 py-1.5">{episode.endedAt === null ? "still open" : episode.endReason ? endReasonLabels[episode.endReason] : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DriftDetail({ id }: { id: string }) {
  const { data } = useSuspenseQuery(driftTargetQueryOptions(id));
  const { target, episode, resources } = data;
  return (
    <CardBody className="flex flex-col gap-5">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <p className="text-base font-semibold text-fg" data-testid="drift-detail-name">
          {target.name}
        </p>
        <DriftStateBadge state={target.driftState} />
        <span className="text-muted">
          {targetKindLabels[target.kind]} · {target.namespace}
          {clusterLabel(target.cluster) ? ` · ${clusterLabel(target.cluster)}` : ""}
        </span>
        {target.driftAgeSeconds !== null ? <span className="tabular-nums">for {formatDuration(target.driftAgeSeconds)}</span> : null}
      </div>
      <Facts target={target} />
      {target.kind === "ARGOCD_APPLICATION" && target.autoSync === false ? (
        // A manual-sync app waits for a person: syncing it goes through a four-eyes request (DESIGN §6).
        <Link href={`/approvals?app=${target.id.replace(/^app-/, "")}`} className="self-start text-sm font-medium text-accent underline underline-offset-2 hover:no-underline">
          Request approval to sync
        </Link>
      ) : null}
      {target.driftState === "NOT_OBSERVABLE" ? (
        <p className="text-sm text-muted">
          Drift is not observable here (for a HelmRelease, drift detection is off; for a workload, no binding or deployment says what should run), so it is left
          out of drift figures rather than counted as clean.
        </p>
      ) : null}
      <section aria-labelledby="drift-resources-heading" className="flex flex-col gap-3">
        <h3 id="drift-resources-heading" className="text-sm font-semibold text-fg">
          Resources involved
        </h3>
        {episode ? <p className="text-sm text-muted">{describeEpisode(episode)}</p> : null}
        {resources.length === 0 ? (
          <p className="text-sm text-muted">{episode ? "The source named no resource for this episode." : "No drift episode recorded for this target."}</p>
        ) : (
          <ul className="flex flex-col gap-5">
            {resources.map((resource, index) => (
              <Resource key={`${resource.kind}/${resource.namespace}/${resource.name}/${resource.field ?? ""}/${index}`} resource={resource} />
            ))}
          </ul>
        )}
      </section>
      <RecentEpisodes episodes={data.recentEpisodes} />
    </CardBody>
  );
}

function DriftDetailSkeleton() {
  return (
    <CardBody>
      <SkeletonRegion label="drift details" className="flex flex-col gap-3">
        <Skeleton className="h-5 w-40" />
        <Skeleton className="h-4 w-2/3" />
        <Skeleton className="h-4 w-1/2" />
        <Skeleton className="h-40 w-full" />
      </SkeletonRegion>
    </CardBody>
  );
}

/**
 * The selected row's details: facts, the resources of its drift episode with live and desired
 * values, and for Argo CD the line diff of the live object against Git. Selecting a row moves focus
 * here (a row opened from a shared link leaves focus alone); Close returns it to the table.
 */
export function DriftDetailPanel() {
  const { params, setParams } = useDriftParams();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const previous = useRef(params.target);
  useEffect(() => {
    if (params.target && params.target !== previous.current) {
      headingRef.current?.focus();
      headingRef.current?.scrollIntoView({ block: "nearest" });
    }
    previous.current = params.target;
  }, [params.target]);

  const close = () => {
    const id = params.target;
    setParams({ target: undefined });
    if (id) document.querySelector<HTMLButtonElement>(`tr[data-target="${CSS.escape(id)}"] button[aria-controls]`)?.focus();
  };

  return (
    <Card id={DRIFT_DETAIL_ID} aria-labelledby="drift-detail-heading">
      <div className="flex items-start justify-between gap-4 border-b border-line px-5 py-4">
        <div className="min-w-0">
          <h2 id="drift-detail-heading" ref={headingRef} tabIndex={-1} className="text-base font-semibold text-fg outline-none">
            Drift details
          </h2>
          <p className="mt-1 text-sm text-muted">
            {params.target ? "The selected app or workload: what differs, where, and since when." : "Select an app or workload in the table to see the resources involved and the live-versus-desired diff."}
          </p>
        </div>
        {params.target ? <Button onClick={close}>Close</Button> : null}
      </div>
      {params.target ? (
        <QueryBoundary key={params.target} name="Drift details" fallback={<DriftDetailSkeleton />}>
          <DriftDetail id={params.target} />
        </QueryBoundary>
      ) : null}
    </Card>
  );
}

export function DriftDetailPanelSkeleton() {
  return (
    <Card>
      <CardHeader title="Drift details" />
      <DriftDetailSkeleton />
    </Card>
  );
}
