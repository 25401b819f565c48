"use client";

import "./globals.css";
import { ErrorState, describeError } from "@/components/ui/error-state";

/** Replaces the root layout when the shell itself fails, so it draws its own document. */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body>
        <title>Error · Pipeline Health</title>
        <main id="main" className="mx-auto flex max-w-xl flex-col gap-4 px-6 py-16">
          <h1 className="text-2xl font-semibold text-fg">Pipeline Health could not start this page</h1>
          <ErrorState title="Something went wrong" message={describeError(error)} onRetry={retry} />
        </main>
      </body>
    </html>
  );
}
