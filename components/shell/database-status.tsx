"use client";

import Link from "next/link";
import { useSuspenseQuery } from "@tanstack/react-query";
import { healthQueryOptions } from "@/lib/queries/health";
import { StatusDot } from "@/components/ui/badge";
import { Skeleton, SkeletonRegion } from "@/components/ui/skeleton";
import { databaseModeLabel, describeDatabase } from "@/components/health/format-health";

/** Re-checked in the background so a database that goes away shows up without a reload. */
const STATUS_REFRESH_MS = 60_000;

export function DatabaseStatus() {
  const { data: health } = useSuspenseQuery({ ...healthQueryOptions(), refetchInterval: STATUS_REFRESH_MS });
  const { tone, label } = describeDatabase(health);
  return (
    <div className="flex flex-col gap-1 text-xs">
      <StatusDot tone={tone}>
        <span className="font-medium text-fg">{label}</span>
      </StatusDot>
      <span className="pl-4 text-subtle">
        {databaseModeLabel(health.database.mode)} · v{health.version}
      </span>
      <Link href="/settings#system" className="pl-4 text-accent underline-offset-2 hover:underline">
        System details
      </Link>
    </div>
  );
}

export function DatabaseStatusSkeleton() {
  return (
    <SkeletonRegion label="database status" className="flex flex-col gap-2">
      <Skeleton className="h-3.5 w-32" />
      <Skeleton className="h-3 w-24" />
    </SkeletonRegion>
  );
}
