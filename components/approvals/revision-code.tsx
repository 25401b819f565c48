"use client";

import { useState } from "react";
import { shortRevision } from "./format-approvals";

/**
 * A revision as people quote it (short sha), the full one in the title and one click from the
 * clipboard, so a reviewer can paste it into `git show` without retyping.
 */
export function RevisionCode({ revision, copy = true }: { revision: string; copy?: boolean }) {
  const [copied, setCopied] = useState(false);
  const short = shortRevision(revision);
  return (
    <span className="inline-flex items-center gap-1.5">
      <code title={revision} className="rounded bg-surface-sunken px-1.5 py-0.5 font-mono text-xs text-fg" data-testid="revision">
        {short}
      </code>
      {copy && short !== revision ? (
        <button
          type="button"
          className="rounded px-1 text-xs font-medium text-accent underline underline-offset-2 hover:no-underline"
          aria-label={`Copy the full revision ${revision}`}
          onClick={() => {
            void navigator.clipboard?.writeText(revision).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      ) : null}
    </span>
  );
}
