import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { ApprovalIcon } from "@/components/ui/icons";
import { SourceSetup } from "@/components/setup/source-setup";
import { FourEyesExplainer } from "@/components/approvals/four-eyes-explainer";

export const metadata: Metadata = { title: "Approvals" };

export default function ApprovalsPage() {
  return (
    <>
      <PageHeader
        title="Approvals"
        description="GitOps syncs that wait for a person: review the revision, its changes and the drift diff, then approve or reject."
      />
      <EmptyState
        icon={<ApprovalIcon />}
        title="No sync requests waiting"
        description="Pending sync requests appear here with the revision, the change set and who asked for it. Approving needs a GitOps source whose applications are not auto-synced."
        action={{ href: "/settings", label: "Configure integrations" }}
      >
        <SourceSetup sources={["argocd", "flux", "sandbox"]} />
      </EmptyState>
      <FourEyesExplainer />
    </>
  );
}
