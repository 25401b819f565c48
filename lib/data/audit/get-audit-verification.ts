// No `server-only` marker: tests call this directly; route handlers and `audit-server.ts` are the server entries.
import { type ViewerContext, assertCan, can } from "@/lib/data/viewer";
import type { AuditVerificationDto } from "@/lib/queries/audit";
import { recordChainHead } from "@/lib/audit/chain-head";
import { readChainHeads } from "@/lib/audit/chain-head-file";
import { verifyAndRecordAuditChain } from "@/lib/audit/verify-audit";
import { type AuditDeps, defaultAuditDeps } from "./audit-query";

/**
 * The latest chain verification, for the page's badge (`GET /api/audit/verification`): ok, broken
 * (the first broken event and why) or never verified, with its age by the clock. Needs `audit:read`.
 */
export async function getAuditVerification(ctx: ViewerContext, deps: Pick<AuditDeps, "db"> = defaultAuditDeps()): Promise<AuditVerificationDto> {
  assertCan(ctx, "audit:read");
  const latest = await deps.db.auditVerification.findFirst({ orderBy: { verifiedAt: "desc" } });
  const canVerify = can(ctx.viewer, "settings:manage");
  if (!latest) return { status: "never", verifiedAt: null, ageSeconds: null, checkedEvents: null, headSeq: null, firstBroken: null, canVerify };
  const now = ctx.clock.now();
  return {
    status: latest.ok ? "ok" : "broken",
    verifiedAt: latest.verifiedAt.toISOString(),
    ageSeconds: Math.max(0, Math.round((now.getTime() - latest.verifiedAt.getTime()) / 1000)),
    checkedEvents: latest.checkedEvents,
    headSeq: latest.headSeq?.toString() ?? null,
    firstBroken: latest.firstBrokenSeq !== null ? { seq: latest.firstBrokenSeq.toString(), problem: latest.problem ?? "the chain does not verify" } : null,
    canVerify,
  };
}

/**
 * Verifies the chain now (`POST /api/audit/verification`, admins): the walk and the copied heads,
 * as the scheduled job does, recorded for the badge. With `headDir` the new head is copied there
 * too (the job's behaviour); without, the copies are only read.
 */
export async function verifyAuditChainNow(
  ctx: ViewerContext,
  options: { headDir: string | null; copyHead?: boolean },
  deps: Pick<AuditDeps, "db"> = defaultAuditDeps(),
): Promise<AuditVerificationDto> {
  assertCan(ctx, "settings:manage");
  if (options.headDir && options.copyHead) await recordChainHead(deps.db, ctx.clock, options.headDir);
  else await verifyAndRecordAuditChain(deps.db, { heads: options.headDir ? await readChainHeads(options.headDir) : [], clock: ctx.clock });
  return await getAuditVerification(ctx, deps);
}
