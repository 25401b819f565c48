import { PageHeader } from "@/components/ui/page-header";
import { SERVICES_PAGE_DESCRIPTION } from "@/components/services/page-copy";
import { ServicesExplorerSkeleton } from "@/components/services/services-explorer";

/**
 * The services list's loading UI, in a route group so that its Suspense boundary wraps this page
 * only: a boundary above `[slug]` would start the stream before the service lookup, and an unknown
 * slug would then answer 200 instead of 404.
 */
export default function ServicesLoading() {
  return (
    <>
      <PageHeader title="Services" description={SERVICES_PAGE_DESCRIPTION} />
      <ServicesExplorerSkeleton />
    </>
  );
}
