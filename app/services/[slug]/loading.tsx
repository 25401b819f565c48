import { Skeleton } from "@/components/ui/skeleton";
import { ServiceMetricsSkeleton } from "@/components/services/service-metrics-card";
import { DeploymentTimelineSkeleton } from "@/components/services/deployment-timeline";
import { LeadTimeSkeleton } from "@/components/services/lead-time-card";
import { DeploymentsSkeleton } from "@/components/services/deployments-card";
import { IncidentsSkeleton } from "@/components/services/incidents-card";

/** Below the layout's heading (the slug is known to exist by then): the page's widgets, as they will stand. */
export default function ServiceLoading() {
  return (
    <>
      <Skeleton className="h-14 w-full max-w-xl" />
      <ServiceMetricsSkeleton />
      <DeploymentTimelineSkeleton />
      <LeadTimeSkeleton />
      <DeploymentsSkeleton />
      <IncidentsSkeleton />
    </>
  );
}
