import { clsx } from "clsx";

/** A grey placeholder block; decorative, the surrounding `SkeletonRegion` speaks for it. */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden="true" className={clsx("animate-shimmer rounded bg-surface-sunken", className)} />;
}

/** Announces "Loading <what>" once, politely, while its placeholder blocks stay silent. */
export function SkeletonRegion({
  label,
  children,
  className,
}: {
  label: string;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <div role="status" aria-live="polite" className={className}>
      <span className="sr-only">Loading {label}…</span>
      {children}
    </div>
  );
}

export function StatGridSkeleton({ label = "metrics", count = 4 }: { label?: string; count?: number }) {
  return (
    <SkeletonRegion label={label} className="grid grid-cols-2 gap-x-6 gap-y-5">
      {Array.from({ length: count }, (_, index) => (
        <div key={index} className="flex flex-col gap-2">
          <Skeleton className="h-4 w-28" />
          <Skeleton className="h-7 w-20" />
        </div>
      ))}
    </SkeletonRegion>
  );
}

export function TableSkeleton({ label = "table", rows = 5, columns = 4 }: { label?: string; rows?: number; columns?: number }) {
  return (
    <SkeletonRegion label={label} className="flex flex-col gap-3 p-4">
      {Array.from({ length: rows }, (_, row) => (
        <div key={row} className="flex gap-4">
          {Array.from({ length: columns }, (_, column) => (
            <Skeleton key={column} className={clsx("h-4", column === 0 ? "w-1/3" : "flex-1")} />
          ))}
        </div>
      ))}
    </SkeletonRegion>
  );
}

export function ChartSkeleton({ label = "chart", height = 240 }: { label?: string; height?: number }) {
  return (
    <SkeletonRegion label={label}>
      <div aria-hidden="true" className="animate-shimmer w-full rounded bg-surface-sunken" style={{ height }} />
    </SkeletonRegion>
  );
}
