import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { AuditIcon } from "@/components/ui/icons";
import { SourceSetup } from "@/components/setup/source-setup";
import { AuditExplainer } from "@/components/audit/audit-explainer";

export const metadata: Metadata = { title: "Audit" };

export default function AuditPage() {
  return (
    <>
      <PageHeader
        title="Audit"
        description="Who changed what, through which pull request, which deployment or sync, with what result: one trail across every source and the dashboard itself."
      />
      <EmptyState
        icon={<AuditIcon />}
        title="No audit events yet"
        description="Events appear here as sources are ingested and as people act in the dashboard. You will be able to filter by service, actor, action and time, search the text, and export CSV or JSON."
        action={{ href: "/settings", label: "Configure integrations" }}
      >
        <SourceSetup sources={["github", "argocd", "flux", "sandbox"]} />
      </EmptyState>
      <AuditExplainer />
    </>
  );
}
