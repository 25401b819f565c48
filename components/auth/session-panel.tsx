"use client";

import { useState } from "react";
import { authClient } from "@/lib/auth/auth-client";
import { Button } from "@/components/ui/button";
import type { SessionSummaryDto } from "@/lib/data/auth/sign-in-options";

const ROLE_LABELS = { VIEWER: "Viewer", ENGINEER: "Engineer", APPROVER: "Approver", ADMIN: "Admin" } as const;

/** Who is signed in, with what role, and a way out. */
export function SessionPanel({ session }: { session: SessionSummaryDto }) {
  const [pending, setPending] = useState(false);
  if (!session.signedIn) return null;
  return (
    <div className="flex items-center gap-2 text-xs" aria-label="Signed in">
      <div className="min-w-0 flex-1">
        <div className="truncate font-medium text-fg">{session.name}</div>
        <div className="text-subtle">{ROLE_LABELS[session.role]}</div>
      </div>
      <Button
        variant="ghost"
        className="px-2 py-1 text-xs"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          await authClient.signOut().catch(() => null);
          window.location.assign("/sign-in");
        }}
      >
        Sign out
      </Button>
    </div>
  );
}
