"use client";

import { type ReactNode, useId, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError } from "@/lib/queries/api-fetch";
import {
  type CatalogChangeResultDto,
  type CatalogDto,
  type CatalogEnvironmentDto,
  type CatalogEnvironmentRuleDto,
  type CatalogObjectDto,
  type CatalogRepositoryDto,
  type CatalogServiceDto,
  type UnresolvedCommitsDto,
  catalogQueryOptions,
} from "@/lib/queries/catalog";
import { Badge } from "@/components/ui/badge";
import { ErrorState, describeError } from "@/components/ui/error-state";
import { Skeleton, SkeletonRegion } from "@/components/ui/skeleton";
import { type Column, Table } from "@/components/ui/table";
import { ADMIN_SIGN_IN_MESSAGE } from "./catalog-change-dialog";
import { BindObjectDialog, BindRepositoryDialog, ClassifyEnvironmentDialog, MoveServiceDialog, RemoveRuleDialog, UnbindObjectDialog } from "./catalog-change-forms";

const formatCount = (value: number) => value.toLocaleString("en-US");

function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}

/**
 * The catalog's content. Suspends while the first answer is on its way (the boundary shows the
 * skeleton), but renders a failed load itself, as the integrations list does, so the server and the
 * browser show the same error state and "Try again" asks once more.
 */
export function CatalogSections() {
  const queryClient = useQueryClient();
  const query = useQuery({ ...catalogQueryOptions(), retryOnMount: false });
  if (query.status === "pending") {
    throw queryClient.ensureQueryData(catalogQueryOptions()).then(
      () => undefined,
      () => undefined,
    );
  }
  if (query.status === "error" && query.data === undefined) {
    const unauthenticated = query.error instanceof ApiError && query.error.status === 401;
    return (
      <div className="px-5 py-4">
        <ErrorState
          title="The service catalog could not be loaded"
          message={unauthenticated ? "Sign in to see the service catalog." : describeError(query.error)}
          retrying={query.isFetching}
          onRetry={() => void query.refetch()}
        />
      </div>
    );
  }
  return <CatalogContent catalog={query.data} />;
}

function Section({ title, description, children, badge }: { title: string; description?: ReactNode; children: ReactNode; badge?: ReactNode }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="border-t border-line first:border-t-0">
      <div className="flex flex-wrap items-center gap-2 px-5 pt-4">
        <h3 id={headingId} className="text-sm font-semibold text-fg">
          {title}
        </h3>
        {badge}
      </div>
      {description ? <p className="px-5 pt-1 text-sm text-muted">{description}</p> : null}
      <div className="pt-2 pb-2">{children}</div>
    </section>
  );
}

/** Argo CD's and our own name for the cluster the product runs in; not worth repeating on every row. */
const IN_CLUSTER = new Set(["in-cluster", "https://kubernetes.default.svc"]);

function clusterName(cluster: string): string | null {
  return IN_CLUSTER.has(cluster) ? null : cluster;
}

function ProductionBadge({ isProduction }: { isProduction: boolean }) {
  return <Badge tone={isProduction ? "info" : "neutral"}>{isProduction ? "Production" : "Not production"}</Badge>;
}

function classifiedBy(environment: CatalogEnvironmentDto): string {
  switch (environment.classification.by) {
    case "rule":
      return "Admin rule";
    case "production-pattern":
      return "PRODUCTION_ENVIRONMENTS pattern";
    case "default":
      return "Default (not production)";
  }
}

function Outcome({ environment }: { environment: CatalogEnvironmentDto }) {
  const { classification } = environment;
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <ProductionBadge isProduction={classification.isProduction} />
      {classification.environment !== environment.name ? <span className="text-muted">recorded as {classification.environment}</span> : null}
    </span>
  );
}

function CatalogContent({ catalog }: { catalog: CatalogDto }) {
  const noticeId = useId();
  const [saved, setSaved] = useState<CatalogChangeResultDto | null>(null);
  const common = { canManage: catalog.canManage, manageNoticeId: noticeId, onSaved: setSaved };
  const unmappedRepositories = catalog.unmapped.repositories.length;
  const unmappedEnvironments = catalog.unmapped.environments.length;

  const repositoryColumns: Column<CatalogRepositoryDto>[] = [
    { key: "repository", header: "Repository", rowHeader: true, cell: (row) => <span className="break-all">{row.fullName}</span> },
    {
      key: "service",
      header: "Service",
      cell: (row) =>
        row.service ? (
          <span className="inline-flex flex-wrap items-center gap-2">
            {row.service.slug}
            <Badge tone={row.bindingOrigin === "manual" ? "info" : "neutral"}>{row.bindingOrigin === "manual" ? "Manual" : "Convention"}</Badge>
          </span>
        ) : (
          <Badge tone="warning">Unmapped</Badge>
        ),
    },
    { key: "deployments", header: "Deployments", align: "end", cell: (row) => formatCount(row.deploymentCount) },
    { key: "incidents", header: "Incidents", align: "end", cell: (row) => formatCount(row.incidentCount) },
    { key: "action", header: <span className="sr-only">Actions</span>, align: "end", cell: (row) => <BindRepositoryDialog {...common} repository={row} services={catalog.services} teams={catalog.teams} /> },
  ];

  const objects = [...catalog.gitOpsApps, ...catalog.workloads];
  const unmappedObjects = [...catalog.unmapped.gitOpsApps, ...catalog.unmapped.workloads];
  const unresolvedColumns: Column<UnresolvedCommitsDto>[] = [
    { key: "object", header: "GitOps app", rowHeader: true, cell: (row) => <span className="break-words">{row.display}</span> },
    { key: "service", header: "Service", cell: (row) => row.service?.slug ?? "—" },
    { key: "count", header: "Unresolved deployments", align: "end", cell: (row) => row.deploymentCount.toLocaleString("en") },
    {
      key: "latest",
      header: "Latest",
      cell: (row) => (
        <span className="inline-flex flex-col">
          <span className="font-mono text-xs break-all">{row.latest.images.join(", ") || "image unknown"}</span>
          <span className="text-xs text-muted">
            revision {row.latest.configRevision?.slice(0, 7) ?? "unknown"} · {row.latest.startedAt.slice(0, 16).replace("T", " ")} UTC
          </span>
        </span>
      ),
    },
  ];
  const objectColumns: Column<CatalogObjectDto>[] = [
    {
      key: "object",
      header: "GitOps app or workload",
      rowHeader: true,
      cell: (row) => (
        <span className="inline-flex flex-col">
          {/* Hyphenated names wrap at their hyphens; only an unbroken run is split. */}
          <span className="break-words">{row.display}</span>
          <span className="text-xs text-muted">
            {clusterName(row.cluster) ? `${clusterName(row.cluster)} · ` : ""}
            {row.integrationName}
          </span>
        </span>
      ),
    },
    {
      key: "service",
      header: "Service",
      cell: (row) =>
        row.service ? (
          <span className="inline-flex flex-wrap items-center gap-2">
            {row.service.slug}
            {row.binding ? <Badge tone={row.binding.origin === "manual" ? "info" : "neutral"}>{row.binding.origin === "manual" ? "Manual" : "Convention"}</Badge> : null}
          </span>
        ) : (
          <Badge tone="warning">Unmapped</Badge>
        ),
    },
    { key: "deployments", header: "Deployments", align: "end", cell: (row) => (row.type === "gitops-app" ? formatCount(row.deploymentCount) : <span className="text-muted">—</span>) },
    { key: "drift", header: "Drift episodes", align: "end", cell: (row) => formatCount(row.driftEpisodeCount) },
    {
      key: "action",
      header: <span className="sr-only">Actions</span>,
      align: "end",
      cell: (row) => (
        <span className="inline-flex justify-end gap-2 whitespace-nowrap">
          <BindObjectDialog {...common} object={row} services={catalog.services} teams={catalog.teams} />
          {row.binding?.origin === "manual" ? <UnbindObjectDialog {...common} object={row} /> : null}
        </span>
      ),
    },
  ];

  const serviceColumns: Column<CatalogServiceDto>[] = [
    { key: "service", header: "Service", rowHeader: true, cell: (row) => <span>{row.name} <span className="text-muted">({row.slug})</span></span> },
    { key: "team", header: "Team", cell: (row) => row.team?.name ?? <span className="text-muted">No team</span> },
    {
      key: "bindings",
      header: "Bound to",
      cell: (row) =>
        row.bindings.length ? (
          <ul className="flex flex-col gap-0.5">
            {row.bindings.map((binding) => (
              <li key={binding.id} className="break-all">
                {binding.display} <span className="text-muted">({binding.origin})</span>
              </li>
            ))}
          </ul>
        ) : (
          <Badge tone="warning">No bindings</Badge>
        ),
    },
    { key: "deployments", header: "Deployments", align: "end", cell: (row) => formatCount(row.deploymentCount) },
    { key: "action", header: <span className="sr-only">Actions</span>, align: "end", cell: (row) => <MoveServiceDialog {...common} service={row} teams={catalog.teams} /> },
  ];

  const environmentColumns: Column<CatalogEnvironmentDto>[] = [
    { key: "name", header: "Environment name", rowHeader: true, cell: (row) => <code>{row.name}</code> },
    { key: "outcome", header: "Counts as", cell: (row) => <Outcome environment={row} /> },
    { key: "by", header: "Decided by", cell: (row) => classifiedBy(row) },
    {
      key: "deployments",
      header: "Deployments",
      align: "end",
      cell: (row) => (
        <span className="inline-flex flex-col items-end">
          {formatCount(row.deploymentCount)}
          {row.outdatedCount ? <span className="text-xs text-warning-fg">{plural(row.outdatedCount, "recorded under an older rule", "recorded under older rules")}</span> : null}
        </span>
      ),
    },
    { key: "action", header: <span className="sr-only">Actions</span>, align: "end", cell: (row) => <ClassifyEnvironmentDialog {...common} environment={row} /> },
  ];

  const ruleColumns: Column<CatalogEnvironmentRuleDto>[] = [
    { key: "name", header: "Environment name", rowHeader: true, cell: (row) => <code>{row.name ?? row.pattern}</code> },
    {
      key: "outcome",
      header: "Classifies as",
      cell: (row) => (
        <span className="inline-flex flex-wrap items-center gap-2">
          <ProductionBadge isProduction={row.isProduction} />
          {row.environment ? <span className="text-muted">recorded as {row.environment}</span> : null}
          {row.valid ? null : <Badge tone="danger">Invalid pattern, ignored</Badge>}
        </span>
      ),
    },
    { key: "deployments", header: "Deployments", align: "end", cell: (row) => formatCount(row.deploymentCount) },
    { key: "action", header: <span className="sr-only">Actions</span>, align: "end", cell: (row) => <RemoveRuleDialog {...common} rule={row} /> },
  ];

  return (
    <div>
      {catalog.canManage ? null : (
        <p id={noticeId} className="border-b border-line bg-surface-sunken px-5 py-3 text-sm text-muted">
          You can read the catalog; changing it needs the admin role. {ADMIN_SIGN_IN_MESSAGE}
        </p>
      )}
      <div role="status" aria-live="polite">
        {saved ? (
          <div className="border-b border-line bg-success-bg px-5 py-3 text-sm text-success-fg">
            <p className="font-semibold">Saved.</p>
            <ul className="mt-1 list-disc pl-5">
              {saved.summary.map((sentence) => (
                <li key={sentence}>{sentence}</li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>

      <Section
        title="Unmapped"
        badge={
          <Badge tone={unmappedRepositories ? "warning" : "neutral"}>
            {plural(unmappedRepositories, "repository", "repositories")}, {plural(unmappedEnvironments, "environment name")}
          </Badge>
        }
        description="Repositories no binding ties to a service, and environment names no admin rule classifies (they follow the pattern or count as non-production)."
      >
        {unmappedRepositories === 0 && unmappedEnvironments === 0 ? (
          <p className="px-5 pb-2 text-sm text-fg">Everything is mapped: every repository has a service and every environment name has a rule.</p>
        ) : (
          <>
            {unmappedRepositories ? (
              <Table caption="Unmapped repositories" captionHidden columns={repositoryColumns.filter((column) => column.key !== "service")} rows={catalog.unmapped.repositories} rowKey={(row) => row.id} />
            ) : null}
            {unmappedEnvironments ? (
              <Table caption="Environment names without a rule" captionHidden columns={environmentColumns} rows={catalog.unmapped.environments} rowKey={(row) => row.name} />
            ) : null}
          </>
        )}
      </Section>

      <Section
        title="Unmapped GitOps apps and workloads"
        badge={<Badge tone={unmappedObjects.length ? "warning" : "neutral"}>{plural(unmappedObjects.length, "object")}</Badge>}
        description="Argo CD and Flux objects and live Kubernetes Deployments whose pipeline-health.dev/service annotation and name match no service. Their deployments and drift count for no service, and a push-based workload's drift is not observable, until they are bound."
      >
        {unmappedObjects.length ? (
          <Table caption="Unmapped GitOps apps and workloads" captionHidden columns={objectColumns.filter((column) => column.key !== "service")} rows={unmappedObjects} rowKey={(row) => `${row.type}:${row.id}`} />
        ) : (
          <p className="px-5 pb-2 text-sm text-fg">
            {objects.length ? "None: every GitOps app and workload counts for a service." : "No GitOps apps or workloads yet: they appear after the first Argo CD or Kubernetes sync."}
          </p>
        )}
      </Section>

      <Section
        title="Unresolved app commits"
        badge={<Badge tone={catalog.unmapped.unresolvedCommits.length ? "warning" : "neutral"}>{plural(catalog.unmapped.unresolvedCommits.length, "GitOps app")}</Badge>}
        description="GitOps deployments whose image tag names no commit of the service's repository (a version tag, another repository's image) and that carry no pipeline-health.dev/commit annotation. They count as deployments but are left out of lead time: never guessed. Tag images with the commit sha, or annotate the app."
      >
        {catalog.unmapped.unresolvedCommits.length ? (
          <Table
            caption="GitOps apps with unresolved app commits"
            captionHidden
            columns={unresolvedColumns}
            rows={catalog.unmapped.unresolvedCommits}
            rowKey={(row) => row.gitOpsAppId}
          />
        ) : (
          <p className="px-5 pb-2 text-sm text-fg">None: every GitOps deployment names its app commit.</p>
        )}
      </Section>

      <Section title="Repositories" description="One repository, one service, by convention; a binding made here is manual and ingestion keeps it.">
        <Table
          caption="Repositories and their services"
          captionHidden
          columns={repositoryColumns}
          rows={catalog.repositories}
          rowKey={(row) => row.id}
          empty={<p className="text-center text-sm text-muted">No repositories yet: they appear after the first GitHub sync.</p>}
        />
      </Section>

      {objects.length ? (
        <Section title="GitOps apps and workloads" description="Bound by their pipeline-health.dev/service annotation or their name, by convention; a binding made here is manual and ingestion keeps it. A manual binding can be removed again.">
          <Table caption="GitOps apps and workloads and their services" captionHidden columns={objectColumns} rows={objects} rowKey={(row) => `${row.type}:${row.id}`} />
        </Section>
      ) : null}

      <Section title="Services">
        <Table
          caption="Services, their teams and bindings"
          captionHidden
          columns={serviceColumns}
          rows={catalog.services}
          rowKey={(row) => row.id}
          empty={<p className="text-center text-sm text-muted">No services yet.</p>}
        />
      </Section>

      <Section
        title="Environments"
        description={
          <>
            Names as sources report them. Production unless a rule says otherwise when they match <code>{catalog.productionPattern}</code> (PRODUCTION_ENVIRONMENTS).
          </>
        }
      >
        <Table
          caption="Environment names and how they are classified"
          captionHidden
          columns={environmentColumns}
          rows={catalog.environments}
          rowKey={(row) => row.name}
          empty={<p className="text-center text-sm text-muted">No deployments recorded yet.</p>}
        />
      </Section>

      <Section title="Environment rules" description="Admin rules go before the pattern, for deployments already recorded and for every later one.">
        <Table
          caption="Environment rules"
          captionHidden
          columns={ruleColumns}
          rows={catalog.rules}
          rowKey={(row) => row.id}
          empty={<p className="text-center text-sm text-muted">No rules: every name follows the pattern.</p>}
        />
      </Section>
    </div>
  );
}

export function CatalogSectionsSkeleton() {
  return (
    <SkeletonRegion label="service catalog" className="flex flex-col gap-3 px-5 py-4">
      <Skeleton className="h-4 w-32" />
      {Array.from({ length: 4 }, (_, index) => (
        <Skeleton key={index} className="h-8" />
      ))}
    </SkeletonRegion>
  );
}
