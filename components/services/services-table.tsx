import { Card, CardHeader } from "@/components/ui/card";
import { Table, type Column } from "@/components/ui/table";
import { EmptyState } from "@/components/ui/empty-state";
import { ServicesIcon } from "@/components/ui/icons";
import { SourceSetup } from "@/components/setup/source-setup";

/** The row the services list will carry once services are ingested (DESIGN §2). */
type ServiceRow = { slug: string };

type ServiceColumn = "service" | "team" | "methodology" | "frequency" | "leadTime" | "changeFailRate" | "recovery";

const columns: Column<ServiceRow, ServiceColumn>[] = [
  { key: "service", header: "Service", cell: (row) => row.slug, rowHeader: true },
  { key: "team", header: "Team", cell: () => null },
  { key: "methodology", header: "Methodology", cell: () => null },
  { key: "frequency", header: "Deploys / day", cell: () => null, align: "end" },
  { key: "leadTime", header: "Lead time (median)", cell: () => null, align: "end" },
  { key: "changeFailRate", header: "Change fail rate", cell: () => null, align: "end" },
  { key: "recovery", header: "Recovery (median)", cell: () => null, align: "end" },
];

/**
 * The services list before ingestion: the real table with its real columns and no rows, so
 * nothing is invented; the empty row explains how services come to exist.
 */
export function ServicesTable() {
  return (
    <Card aria-labelledby="services-heading">
      <CardHeader
        id="services-heading"
        title="All services"
        description="Every service with its team, how it ships, and its delivery metrics in production."
      />
      <Table<ServiceRow, ServiceColumn>
        caption="Services and their delivery metrics"
        captionHidden
        columns={columns}
        rows={[]}
        rowKey={(row) => row.slug}
        empty={
          <EmptyState
            icon={<ServicesIcon />}
            headingLevel="h3"
            className="border-none"
            title="No service metrics yet"
            description="Services are listed here with their delivery metrics from the next release: each repository becomes a service, and Argo CD applications, Flux objects and workloads are bound to it by the annotation pipeline-health.dev/service or by name. Ingested repositories already show in Settings → Integrations."
            action={{ href: "/settings", label: "Open Settings" }}
          >
            <SourceSetup sources={["github", "sandbox"]} />
          </EmptyState>
        }
      />
    </Card>
  );
}
