"use client";

import { useEffect } from "react";
import { useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { approvalsKeys, syncRequestQuery, syncRequestsQuery } from "@/lib/queries/approvals";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState, describeError } from "@/components/ui/error-state";
import { Skeleton, SkeletonRegion } from "@/components/ui/skeleton";
import { SyncRequestCard } from "./sync-request-card";
import { useApprovalsParams } from "./use-approvals-params";
import { useScrollToRequest } from "./use-deep-link";

export const OPEN_REQUESTS_HEADING_ID = "open-requests-heading";

/**
 * "Waiting for a person": every open request (pending, approved, running), oldest first. While one
 * is approved or running, the list query polls every second, so its card follows the sync live.
 */
export function OpenRequests() {
  const { data } = useSuspenseQuery(syncRequestsQuery(null));
  const queryClient = useQueryClient();
  // A request that opens or ends changes what the apps table may offer (and a sync changes the app):
  // refresh it then rather than at its next slow poll.
  const openKey = data.open.map((request) => `${request.id}:${request.status}`).join(",");
  useEffect(() => {
    void queryClient.invalidateQueries({ queryKey: approvalsKeys.gatedApps });
  }, [openKey, queryClient]);
  const [params] = useApprovalsParams();
  const linked = params.request;
  const present = linked !== undefined && data.open.some((request) => request.id === linked);
  useScrollToRequest(linked, present);
  return (
    <Card aria-labelledby={OPEN_REQUESTS_HEADING_ID}>
      <CardHeader
        id={OPEN_REQUESTS_HEADING_ID}
        title="Waiting for a person"
        description="Open sync requests: review the revision, its changes and the drift diff, then approve or reject. Approved ones are followed here until Argo CD has synced them."
      />
      <CardBody className="flex flex-col gap-4">
        {data.open.length === 0 ? (
          <EmptyState
            headingLevel="h3"
            title="No sync requests waiting"
            description="When an engineer requests a sync of a manual-sync app (below), it appears here for a second person to approve."
            className="py-6"
          />
        ) : (
          data.open.map((request) => <SyncRequestCard key={request.id} request={request} highlighted={request.id === linked} />)
        )}
      </CardBody>
    </Card>
  );
}

export function OpenRequestsSkeleton() {
  return (
    <Card>
      <CardHeader title="Waiting for a person" />
      <CardBody>
        <SkeletonRegion label="open sync requests" className="flex flex-col gap-3">
          <Skeleton className="h-5 w-64" />
          <Skeleton className="h-4 w-2/3" />
          <Skeleton className="h-4 w-1/2" />
          <Skeleton className="h-24 w-full" />
        </SkeletonRegion>
      </CardBody>
    </Card>
  );
}

/**
 * A `?request=` deep link (from the audit trail) to a request that is neither open nor on the first
 * page of history: fetched on its own and shown above the lists.
 */
export function LinkedRequest() {
  const [params] = useApprovalsParams();
  const lists = useQuery({ ...syncRequestsQuery(null), enabled: false });
  const id = params.request;
  const listed = id !== undefined && lists.data !== undefined && (lists.data.open.some((request) => request.id === id) || lists.data.history.some((request) => request.id === id));
  const wanted = id !== undefined && lists.data !== undefined && !listed;
  const detail = useQuery({ ...syncRequestQuery(id ?? ""), enabled: wanted });
  useScrollToRequest(id, wanted && detail.data !== undefined);
  if (!wanted) return null;
  return (
    <section aria-label="Linked sync request" className="flex flex-col gap-2">
      {detail.data ? (
        <SyncRequestCard request={detail.data} highlighted />
      ) : detail.error ? (
        <ErrorState title="The linked sync request could not be loaded" message={describeError(detail.error)} onRetry={() => void detail.refetch()} />
      ) : (
        <SkeletonRegion label="the linked sync request">
          <Skeleton className="h-32 w-full" />
        </SkeletonRegion>
      )}
    </section>
  );
}
