import type { Metadata } from "next";
import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { getQueryClient } from "@/lib/queries/query-client";
import { prefetchGatedApps, prefetchSyncRequests } from "@/lib/queries/approvals-server";
import { PageHeader } from "@/components/ui/page-header";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { FourEyesExplainer } from "@/components/approvals/four-eyes-explainer";
import { GatedApps, GatedAppsSkeleton } from "@/components/approvals/gated-apps";
import { LinkedRequest, OpenRequests, OpenRequestsSkeleton } from "@/components/approvals/open-requests";
import { RequestHistory, RequestHistorySkeleton } from "@/components/approvals/request-history";

export const metadata: Metadata = { title: "Approvals" };

export default function ApprovalsPage() {
  const queryClient = getQueryClient();
  // Fired together, not awaited: pending queries stream to their widgets. `?request=` and `?app=`
  // only pick a card or a dialog among the same data, so they change no key.
  void prefetchSyncRequests(queryClient);
  void prefetchGatedApps(queryClient);

  return (
    <>
      <PageHeader
        title="Approvals"
        description="GitOps syncs that wait for a person: review the revision, its changes and the drift diff, then approve or reject."
      />
      <HydrationBoundary state={dehydrate(queryClient)} options={{ defaultOptions: { queries: { retry: false } } }}>
        <div className="flex flex-col gap-6">
          <QueryBoundary name="The linked sync request" fallback={null}>
            <LinkedRequest />
          </QueryBoundary>
          <QueryBoundary name="Open sync requests" fallback={<OpenRequestsSkeleton />}>
            <OpenRequests />
          </QueryBoundary>
          <QueryBoundary name="Apps that wait for a person" fallback={<GatedAppsSkeleton />}>
            <GatedApps />
          </QueryBoundary>
          <QueryBoundary name="Sync request history" fallback={<RequestHistorySkeleton />}>
            <RequestHistory />
          </QueryBoundary>
          <FourEyesExplainer />
        </div>
      </HydrationBoundary>
    </>
  );
}
