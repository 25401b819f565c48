"use client";

import { useEffect } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorState, describeError } from "@/components/ui/error-state";

/** A page that failed as a whole; the shell (navigation, status) stays usable around it. */
export default function PageError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <>
      <PageHeader title="This page could not be shown" />
      <ErrorState title="Something went wrong" message={describeError(error)} onRetry={retry} />
    </>
  );
}
