import "server-only";
import { appendAudit } from "@/lib/audit/append-audit";
import { type Db, getDb } from "@/lib/db/client";
import type { ViewerContext } from "@/lib/data/viewer";

/**
 * A refused sign-in goes to the audit trail (DESIGN §5) with the address that was tried, never the
 * password. Better Auth already answers with a generic message, so nothing here tells the caller
 * whether the account exists.
 */
export async function recordSignInFailure(ctx: ViewerContext, attempt: { email: string | null; status: number }, db: Db = getDb()): Promise<void> {
  await appendAudit(db, {
    occurredAt: ctx.clock.now(),
    actor: { kind: "ANONYMOUS", display: attempt.email ?? "unknown" },
    action: "auth.sign-in.failed",
    target: { type: "account", id: attempt.email ?? "unknown", display: attempt.email },
    outcome: "denied",
    source: "dashboard",
    requestId: ctx.requestId,
    clientIp: ctx.clientIp,
    metadata: { status: attempt.status },
  });
}
