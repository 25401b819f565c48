import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { ServicesTable } from "@/components/services/services-table";

export const metadata: Metadata = { title: "Services" };

export default function ServicesPage() {
  return (
    <>
      <PageHeader
        title="Services"
        description="Each service's delivery health in production, whether it ships push-based, through GitOps, or both since a migration."
      />
      <ServicesTable />
    </>
  );
}
