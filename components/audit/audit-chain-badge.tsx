"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { auditKeys, auditVerificationQueryOptions, verifyAuditChainNow } from "@/lib/queries/audit";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Skeleton, SkeletonRegion } from "@/components/ui/skeleton";
import { describeError } from "@/components/ui/error-state";
import { formatAge, numberFormat } from "./format-audit";

/**
 * Whether the chain verifies (DESIGN §5), from the latest recorded verification: the scheduled job's
 * or an admin's "Verify now". Text carries the verdict; the colour only repeats it.
 */
export function AuditChainBadge() {
  const { data } = useSuspenseQuery(auditVerificationQueryOptions());
  const queryClient = useQueryClient();
  const verify = useMutation({
    mutationFn: verifyAuditChainNow,
    onSuccess: (result) => queryClient.setQueryData(auditKeys.verification(), result),
  });
  const age = data.ageSeconds === null ? "" : ` · ${formatAge(data.ageSeconds)}`;
  return (
    <div className="flex flex-col items-end gap-1" data-testid="audit-chain-badge">
      <div className="flex items-center gap-2">
        {data.status === "ok" ? (
          <Badge tone="success" icon={<CheckIcon />}>
            Chain verified · {numberFormat.format(data.checkedEvents ?? 0)} events{age}
          </Badge>
        ) : data.status === "broken" ? (
          <Badge tone="danger" icon={<AlertIcon />} className="whitespace-normal">
            Chain broken at event #{data.firstBroken?.seq ?? "?"}: {data.firstBroken?.problem ?? "it does not verify"}
            {age}
          </Badge>
        ) : (
          <Badge tone="neutral">Not verified yet</Badge>
        )}
        {data.canVerify ? (
          <Button variant="ghost" className="px-2 py-1 text-xs" disabled={verify.isPending} onClick={() => verify.mutate()}>
            {verify.isPending ? "Verifying…" : "Verify now"}
          </Button>
        ) : null}
      </div>
      {verify.isError ? (
        <p role="alert" className="text-xs text-danger-fg">
          {describeError(verify.error)}
        </p>
      ) : null}
    </div>
  );
}

export function AuditChainBadgeSkeleton() {
  return (
    <SkeletonRegion label="chain verification" className="inline-flex">
      <Skeleton className="h-5 w-56 rounded-full" />
    </SkeletonRegion>
  );
}

function CheckIcon() {
  return (
    <svg viewBox="0 0 12 12" className="size-3" fill="none" stroke="currentColor" strokeWidth={2} aria-hidden="true">
      <path d="M2.5 6.5 5 9l4.5-6" />
    </svg>
  );
}

function AlertIcon() {
  return (
    <svg viewBox="0 0 12 12" className="size-3" fill="currentColor" aria-hidden="true">
      <path d="M6 1 11 10.5H1zM5.4 4.5v3h1.2v-3zM5.4 8.3v1.2h1.2V8.3z" />
    </svg>
  );
}
