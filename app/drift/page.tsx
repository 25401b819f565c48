import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { DriftIcon } from "@/components/ui/icons";
import { SourceSetup } from "@/components/setup/source-setup";
import { DriftExplainer } from "@/components/drift/drift-explainer";

export const metadata: Metadata = { title: "Drift" };

export default function DriftPage() {
  return (
    <>
      <PageHeader
        title="Drift"
        description="When what runs in the cluster differs from what Git or the last deployment says should run: how often, for how long, and how it ended."
      />
      <EmptyState
        icon={<DriftIcon />}
        title="No drift observed yet"
        description="Drift episodes appear here once a cluster is connected: the resources involved, the live-versus-desired diff for Argo CD, and how long each episode lasted, for GitOps and push-based services alike."
        action={{ href: "/settings", label: "Configure integrations" }}
      >
        <SourceSetup sources={["argocd", "flux", "sandbox"]} />
      </EmptyState>
      <DriftExplainer />
    </>
  );
}
