import { Skeleton, SkeletonRegion } from "@/components/ui/skeleton";

/** Shown inside the shell while a page's server render is on its way. */
export default function Loading() {
  return (
    <SkeletonRegion label="page" className="flex flex-col gap-8">
      <div className="flex flex-col gap-2">
        <Skeleton className="h-8 w-56" />
        <Skeleton className="h-4 w-2/3" />
      </div>
      <Skeleton className="h-48 w-full" />
      <div className="grid grid-cols-2 gap-4">
        <Skeleton className="h-64" />
        <Skeleton className="h-64" />
      </div>
    </SkeletonRegion>
  );
}
