import type { Metadata } from "next";
import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { getQueryClient } from "@/lib/queries/query-client";
import { SERVICE_LIST_URL_PARAMS, parseSearchParams, serviceListParamsSchema } from "@/lib/queries/services";
import { prefetchServiceList } from "@/lib/queries/services-server";
import { PageHeader } from "@/components/ui/page-header";
import { SERVICES_PAGE_DESCRIPTION } from "@/components/services/page-copy";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { ServicesExplorer, ServicesExplorerSkeleton } from "@/components/services/services-explorer";

export const metadata: Metadata = { title: "Services" };

export default async function ServicesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The same parse as the client's URL hook, so the prefetched key is the one the table asks for.
  const { params } = parseSearchParams(serviceListParamsSchema, await searchParams, SERVICE_LIST_URL_PARAMS);
  const queryClient = getQueryClient();
  void prefetchServiceList(queryClient, params);

  return (
    <>
      <PageHeader title="Services" description={SERVICES_PAGE_DESCRIPTION} />
      <HydrationBoundary state={dehydrate(queryClient)} options={{ defaultOptions: { queries: { retry: false } } }}>
        <QueryBoundary name="Services" fallback={<ServicesExplorerSkeleton />}>
          <ServicesExplorer />
        </QueryBoundary>
      </HydrationBoundary>
    </>
  );
}
