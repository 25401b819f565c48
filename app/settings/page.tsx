import type { Metadata } from "next";
import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { getQueryClient } from "@/lib/queries/query-client";
import { prefetchHealth } from "@/lib/queries/health-server";
import { prefetchIntegrations } from "@/lib/queries/integrations-server";
import { prefetchCatalog } from "@/lib/queries/catalog-server";
import { PageHeader } from "@/components/ui/page-header";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { IntegrationsCard } from "@/components/settings/integrations-card";
import { CatalogCard } from "@/components/settings/catalog-card";
import { SystemCard, SystemCardSkeleton } from "@/components/settings/system-card";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  const queryClient = getQueryClient();
  // Fired together, not awaited: both pending queries stream to their widgets.
  void prefetchIntegrations(queryClient);
  void prefetchHealth(queryClient);
  void prefetchCatalog(queryClient);

  return (
    <>
      <PageHeader title="Settings" description="Where delivery data comes from, and the state of this installation." />
      {/* A prefetch that failed on the server is shown as failed, not retried behind the page's back. */}
      <HydrationBoundary state={dehydrate(queryClient)} options={{ defaultOptions: { queries: { retry: false } } }}>
        <IntegrationsCard />
        <CatalogCard />
        <QueryBoundary name="System status" fallback={<SystemCardSkeleton />}>
          <SystemCard />
        </QueryBoundary>
      </HydrationBoundary>
    </>
  );
}
