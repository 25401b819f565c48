import type { ReactNode } from "react";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { Code } from "@/components/setup/source-setup";

type IntegrationInfo = {
  name: string;
  role: string;
  configure: ReactNode;
};

const integrations: IntegrationInfo[] = [
  {
    name: "GitHub",
    role: "Repositories, pull requests, commits, GitHub Deployments and deploy workflow runs.",
    configure: (
      <>
        Set <Code>GITHUB_TOKEN</Code> and <Code>GITHUB_ORG</Code> (GitHub Enterprise: also <Code>GITHUB_API_URL</Code>).
      </>
    ),
  },
  {
    name: "Argo CD",
    role: "Applications, sync operations, sync windows and live-vs-desired diffs.",
    configure: (
      <>
        Set <Code>ARGOCD_SERVER</Code> and <Code>ARGOCD_TOKEN</Code>.
      </>
    ),
  },
  {
    name: "Flux / Kubernetes",
    role: "Kustomizations, HelmReleases, GitRepositories and the Deployments actually running.",
    configure: (
      <>
        Set <Code>KUBECONFIG</Code> to a kubeconfig file on the server (never uploaded through the browser).
      </>
    ),
  },
];

/**
 * The three kinds of source. Integration records arrive in a later release; until then none
 * can be configured, which is what the badge says.
 */
export function IntegrationsCard() {
  return (
    <Card aria-labelledby="integrations-heading">
      <CardHeader
        id="integrations-heading"
        title="Integrations"
        description={
          <>
            Sources will be configured with environment variables read when <Code>npm start</Code> runs, and a demo
            org will be available through <Code>npm start -- --sandbox</Code>. This version connects to none yet.
          </>
        }
      />
      <ul className="divide-y divide-line">
        {integrations.map((integration) => (
          <li key={integration.name} className="flex items-start justify-between gap-6 px-5 py-4">
            <div className="min-w-0">
              <h3 className="text-sm font-semibold text-fg">{integration.name}</h3>
              <p className="mt-1 text-sm text-muted">{integration.role}</p>
              <p className="mt-2 text-sm text-fg">{integration.configure}</p>
            </div>
            <Badge tone="neutral">Not available yet</Badge>
          </li>
        ))}
      </ul>
    </Card>
  );
}
