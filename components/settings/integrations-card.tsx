import type { ReactNode } from "react";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { Code } from "@/components/setup/source-setup";
import { AddIntegrationDialog, AddIntegrationPlaceholder } from "./integration-add-dialog";
import { IntegrationList, IntegrationListSkeleton } from "./integration-list";
import { KindIcon } from "./kind-icon";

type UpcomingSource = {
  kind: "ARGOCD" | "FLUX_KUBERNETES";
  name: string;
  role: string;
  configure: ReactNode;
};

/** Sources this version cannot connect yet, with the variables they will read. */
const upcomingSources: UpcomingSource[] = [
  {
    kind: "ARGOCD",
    name: "Argo CD",
    role: "Applications, sync operations, sync windows and live-vs-desired diffs.",
    configure: (
      <>
        Will be configured by <Code>ARGOCD_SERVER</Code> and <Code>ARGOCD_TOKEN</Code>.
      </>
    ),
  },
  {
    kind: "FLUX_KUBERNETES",
    name: "Flux / Kubernetes",
    role: "Kustomizations, HelmReleases, GitRepositories and the Deployments actually running.",
    configure: (
      <>
        Will read a kubeconfig file on the server named by <Code>KUBECONFIG</Code> (never uploaded through the browser).
      </>
    ),
  },
];

/**
 * Every configured integration from real data (live, inside its own boundary), then the sources
 * that arrive in a later release. Environment-defined sources are read-only; stored ones are added and removed here.
 */
export function IntegrationsCard() {
  return (
    <Card aria-labelledby="integrations-heading">
      <CardHeader
        id="integrations-heading"
        title="Integrations"
        description={
          <>
            Sources set by environment variables (read when <Code>npm start</Code> runs) are read-only here and win over stored ones;
            with none configured, the sandbox org stands in. Admins can add GitHub sources stored here (the token encrypted with{" "}
            <Code>ENCRYPTION_KEY</Code>), sync any source now, and remove a stored one with its data; the audit trail is kept.
          </>
        }
        actions={
          <QueryBoundary name="Adding integrations" compact fallback={<AddIntegrationPlaceholder />}>
            <AddIntegrationDialog />
          </QueryBoundary>
        }
      />
      <QueryBoundary name="Integrations" fallback={<IntegrationListSkeleton />}>
        <IntegrationList />
      </QueryBoundary>
      <section aria-labelledby="upcoming-sources-heading" className="border-t border-line">
        <h3 id="upcoming-sources-heading" className="px-5 pt-4 text-sm font-semibold text-fg">
          Coming in a later release
        </h3>
        <ul className="divide-y divide-line">
          {upcomingSources.map((source) => (
            <li key={source.name} className="flex items-start gap-3 px-5 py-4">
              <span aria-hidden="true" className="mt-0.5 flex size-9 shrink-0 items-center justify-center rounded-md bg-surface-sunken text-muted">
                <KindIcon kind={source.kind} />
              </span>
              <div className="min-w-0 flex-1">
                <h4 className="text-sm font-semibold text-fg">{source.name}</h4>
                <p className="mt-1 text-sm text-muted">{source.role}</p>
                <p className="mt-2 text-sm text-fg">{source.configure}</p>
              </div>
              <Badge tone="neutral">Not available yet</Badge>
            </li>
          ))}
        </ul>
      </section>
    </Card>
  );
}
