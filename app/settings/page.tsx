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
import { PeopleCard } from "@/components/settings/people-card";
import { prefetchPeople } from "@/lib/queries/people-server";
import { getViewerContext } from "@/lib/data/context";
import { can } from "@/lib/data/viewer";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const queryClient = getQueryClient();
  // Users and their e-mails are for admins only; other roles get the card without the list.
  const canManagePeople = can((await getViewerContext()).viewer, "people:manage");
  // Fired together, not awaited: both pending queries stream to their widgets.
  void prefetchIntegrations(queryClient);
  void prefetchHealth(queryClient);
  void prefetchCatalog(queryClient);
  if (canManagePeople) void prefetchPeople(queryClient);

  return (
    <>
      <PageHeader title="Settings" description="Where delivery data comes from, and the state of this installation." />
      {/* A prefetch that failed on the server is shown as failed, not retried behind the page's back. */}
      <HydrationBoundary state={dehydrate(queryClient)} options={{ defaultOptions: { queries: { retry: false } } }}>
        <IntegrationsCard />
        <CatalogCard />
        <PeopleCard canManage={canManagePeople} />
        <QueryBoundary name="System status" fallback={<SystemCardSkeleton />}>
          <SystemCard />
        </QueryBoundary>
      </HydrationBoundary>
    </>
  );
}
