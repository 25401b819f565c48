"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { integrationsQueryOptions, type IntegrationDto } from "@/lib/queries/integrations";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState, describeError } from "@/components/ui/error-state";
import { PlugIcon } from "@/components/ui/icons";
import { Skeleton, SkeletonRegion } from "@/components/ui/skeleton";
import { Code, GithubConfiguration, SandboxDescription } from "@/components/setup/source-setup";
import { INTEGRATIONS_ADMIN_MESSAGE, INTEGRATIONS_MANAGE_NOTE_ID } from "./integration-actions";
import { IntegrationRow } from "./integration-row";

/** Why the buttons do nothing for this viewer; each of them points here with aria-describedby. */
function ManageNote() {
  return (
    <p id={INTEGRATIONS_MANAGE_NOTE_ID} className="border-b border-line bg-surface-sunken px-5 py-3 text-sm text-muted">
      {INTEGRATIONS_ADMIN_MESSAGE}{" "}
      <a href="/sign-in?next=/settings" className="font-medium text-accent underline underline-offset-2">
        Sign in as an admin
      </a>
    </p>
  );
}

/**
 * The configured integrations, polled (every 2 s while one is syncing) so progress and counts stay live.
 *
 * Suspends like `useSuspenseQuery` while the first answer is on its way (the QueryBoundary shows the
 * skeleton, and the server streams the prefetched rows), but renders a failed first load itself
 * instead of throwing it: with the database down, a throw during the server render would make React
 * abandon the server HTML and report the error globally. Here the server and the browser render the
 * same error state, and "Try again" asks once more.
 */
export function IntegrationList() {
  const queryClient = useQueryClient();
  // retryOnMount: a first load that failed (on the server, or here) is not retried behind the user's back.
  const query = useQuery({ ...integrationsQueryOptions(), retryOnMount: false });

  if (query.status === "pending") {
    // Joins the prefetch already in flight; settles either way so React renders again.
    throw queryClient.ensureQueryData(integrationsQueryOptions()).then(
      () => undefined,
      () => undefined,
    );
  }
  if (query.status === "error" && query.data === undefined) {
    return (
      <div className="px-5 py-4">
        <ErrorState
          title="Integrations could not be loaded"
          message={describeError(query.error)}
          retrying={query.isFetching}
          onRetry={() => void query.refetch()}
        />
      </div>
    );
  }
  return <IntegrationRows integrations={query.data.integrations} canManage={query.data.canManage} />;
}

function IntegrationRows({ integrations, canManage }: { integrations: IntegrationDto[]; canManage: boolean }) {
  if (integrations.length === 0) {
    return (
      <>
        {canManage ? null : <ManageNote />}
        <EmptyState
          icon={<PlugIcon />}
          headingLevel="h3"
          className="rounded-none border-none"
          title="No integrations yet"
          description="Integrations appear here once npm start (or npm run cli -- sync) has registered a source, or an admin adds one."
        >
          <div className="flex flex-col gap-3">
            <p>
              <span className="font-medium">GitHub: </span>
              <GithubConfiguration />
            </p>
            <p>
              <SandboxDescription />
            </p>
          </div>
        </EmptyState>
      </>
    );
  }

  const hasRealGithub = integrations.some((integration) => integration.kind === "GITHUB" && integration.origin !== "SANDBOX");
  return (
    <>
      {canManage ? null : <ManageNote />}
      <ul className="divide-y divide-line">
        {integrations.map((integration) => (
          <IntegrationRow key={integration.id} integration={integration} canManage={canManage} />
        ))}
      </ul>
      {hasRealGithub ? null : (
        <div className="border-t border-line px-5 py-4 text-sm">
          <h3 className="font-semibold text-fg">Connect your GitHub</h3>
          <p className="mt-1 text-muted">
            <GithubConfiguration /> Once GitHub is configured, <Code>npm start</Code> runs the sandbox org only when asked to, with{" "}
            <Code>npm start -- --sandbox</Code>.
          </p>
        </div>
      )}
    </>
  );
}

export function IntegrationListSkeleton() {
  return (
    <SkeletonRegion label="integrations" className="flex flex-col gap-4 px-5 py-4">
      {Array.from({ length: 1 }, (_, index) => (
        <div key={index} className="flex gap-3">
          <Skeleton className="size-9" />
          <div className="flex flex-1 flex-col gap-2">
            <Skeleton className="h-4 w-40" />
            <Skeleton className="h-4 w-64" />
            <div className="mt-2 grid grid-cols-4 gap-6">
              {Array.from({ length: 4 }, (_, column) => (
                <Skeleton key={column} className="h-8" />
              ))}
            </div>
          </div>
        </div>
      ))}
    </SkeletonRegion>
  );
}
