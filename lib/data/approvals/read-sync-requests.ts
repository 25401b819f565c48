import "server-only";
import type { Db, DbTransaction } from "@/lib/db/client";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { type ViewerContext, assertCan } from "@/lib/data/viewer";
import type { ListSyncRequestsParams } from "@/lib/queries/approvals";
import { OPEN_SYNC_REQUEST_STATUSES, type GatedAppsDto, type PendingApprovalsCountDto, type SyncRequestDto, type SyncRequestsDto } from "./approval-types";
import { approvalPolicy, fourEyesRefusals, notGatedReason, staleReason } from "./sync-policy";
import { gitOpsAppRefSelect, syncRequestInclude, toAppRef, toSyncRequestDto, viewerPermissions, type SyncRequestRow } from "./sync-request-dto";

const integrationFreshnessSelect = { enabled: true, health: true, lastSyncedAt: true, lastError: true, name: true } as const;

/** Stale reasons per integration, read once per answer. */
async function staleByIntegration(db: Db | DbTransaction, integrationIds: string[], now: Date): Promise<Map<string, string | null>> {
  const integrations = await db.integration.findMany({ where: { id: { in: [...new Set(integrationIds)] } }, select: { id: true, ...integrationFreshnessSelect } });
  return new Map(integrations.map((integration) => [integration.id, staleReason(integration, now)]));
}

async function withIntegration(db: Db | DbTransaction, rows: SyncRequestRow[]): Promise<Map<string, string>> {
  const apps = await db.gitOpsApp.findMany({ where: { id: { in: rows.map((row) => row.gitOpsAppId) } }, select: { id: true, integrationId: true } });
  return new Map(apps.map((app) => [app.id, app.integrationId]));
}

/** The answers for a viewer: with each app's freshness and the four-eyes rule as it applies to them. */
export async function toDtos(db: Db | DbTransaction, ctx: ViewerContext, rows: SyncRequestRow[]): Promise<SyncRequestDto[]> {
  const now = ctx.clock.now();
  const integrationOf = await withIntegration(db, rows);
  const stale = await staleByIntegration(db, [...integrationOf.values()], now);
  const refusals = await fourEyesRefusals(db, viewerPerson(ctx), rows.map((row) => row.id));
  return rows.map((row) => toSyncRequestDto(row, ctx.viewer, now, stale.get(integrationOf.get(row.gitOpsAppId) ?? "") ?? null, refusals.get(row.id) ?? null));
}

function viewerPerson(ctx: ViewerContext): string | null {
  return ctx.viewer.kind === "user" ? ctx.viewer.personId : null;
}

function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | null {
  if (!cursor) return null;
  const [at, id] = cursor.split("|");
  const createdAt = new Date(at ?? "");
  if (Number.isNaN(createdAt.getTime()) || !id || !/^[0-9a-f-]{36}$/.test(id)) throw new AppError("UNPROCESSABLE", "cursor: not a cursor this API gave out");
  return { createdAt, id };
}

/** Open requests (oldest first: the longest waiting on top) and one page of history (newest first). */
export async function listSyncRequests(ctx: ViewerContext, params: ListSyncRequestsParams, db: Db = getDb()): Promise<SyncRequestsDto> {
  assertCan(ctx, "audit:read");
  const cursor = decodeCursor(params.cursor);
  const open = cursor
    ? []
    : await db.syncRequest.findMany({ where: { status: { in: [...OPEN_SYNC_REQUEST_STATUSES] } }, include: syncRequestInclude, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  const historyWhere: Prisma.SyncRequestWhereInput = {
    status: { notIn: [...OPEN_SYNC_REQUEST_STATUSES] },
    ...(cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {}),
  };
  const history = await db.syncRequest.findMany({ where: historyWhere, include: syncRequestInclude, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: params.limit + 1 });
  const page = history.slice(0, params.limit);
  const last = page.at(-1);
  return {
    open: await toDtos(db, ctx, open),
    history: await toDtos(db, ctx, page),
    nextCursor: history.length > params.limit && last ? `${last.createdAt.toISOString()}|${last.id}` : null,
  };
}

export async function getSyncRequest(ctx: ViewerContext, id: string, db: Db = getDb()): Promise<SyncRequestDto> {
  assertCan(ctx, "audit:read");
  const row = await db.syncRequest.findUnique({ where: { id }, include: syncRequestInclude });
  if (!row) throw new AppError("NOT_FOUND", "No such sync request.");
  const [dto] = await toDtos(db, ctx, [row]);
  return dto!;
}

/** GitOps apps, with whether each waits for a person and whether this viewer may request its sync now. */
export async function listGatedApps(ctx: ViewerContext, db: Db = getDb()): Promise<GatedAppsDto> {
  assertCan(ctx, "audit:read");
  const now = ctx.clock.now();
  const policy = approvalPolicy(getEnv());
  const apps = await db.gitOpsApp.findMany({
    select: { ...gitOpsAppRefSelect, autoSync: true, suspended: true, driftObservable: true, integrationId: true, lastObservedAt: true, syncRequests: { where: { status: { in: [...OPEN_SYNC_REQUEST_STATUSES] } }, select: { id: true } } },
    orderBy: [{ name: "asc" }, { namespace: "asc" }],
  });
  const gated = apps.filter((app) => notGatedReason(app) === null);
  const stale = await staleByIntegration(db, gated.map((app) => app.integrationId), now);
  const production = await productionApps(db, gated.map((app) => app.id));
  const mayRequest = ctx.viewer.kind === "user" && ["ENGINEER", "APPROVER", "ADMIN"].includes(ctx.viewer.role);
  return {
    apps: gated.map((app) => {
      const staleText = stale.get(app.integrationId) ?? null;
      const openRequestId = app.syncRequests[0]?.id ?? null;
      const whyNot = !mayRequest
        ? "Engineers request syncs; your role reads only."
        : openRequestId
          ? "A request for this app is already open."
          : app.syncStatus !== "OutOfSync"
            ? `The app is ${app.syncStatus}: there is nothing to sync.`
            : !app.desiredRevision
              ? "The app's desired revision is unknown."
              : staleText;
      const isProduction = production.has(app.id);
      return {
        ...toAppRef(app),
        isProduction,
        requiredApprovals: isProduction ? policy.productionApprovals : 1,
        openRequestId,
        canRequest: whyNot === null,
        whyNot,
        stale: staleText !== null,
        lastObservedAt: app.lastObservedAt?.toISOString() ?? null,
      };
    }),
    autoSyncCount: apps.length - gated.length,
  };
}

/**
 * Apps whose deployments land in a production environment (by the environment rules at ingest). An
 * app with no deployment yet counts as production: the stricter rule until we know better.
 */
export async function productionApps(db: Db | DbTransaction, appIds: string[]): Promise<Set<string>> {
  if (appIds.length === 0) return new Set();
  const rows = await db.deployment.findMany({ where: { gitOpsAppId: { in: appIds } }, select: { gitOpsAppId: true, isProduction: true }, distinct: ["gitOpsAppId", "isProduction"] });
  const seen = new Set(rows.map((row) => row.gitOpsAppId!));
  const production = new Set(rows.filter((row) => row.isProduction).map((row) => row.gitOpsAppId!));
  for (const id of appIds) if (!seen.has(id)) production.add(id);
  return production;
}

export async function countPendingApprovals(ctx: ViewerContext, db: Db = getDb()): Promise<PendingApprovalsCountDto> {
  assertCan(ctx, "audit:read");
  const pending = await db.syncRequest.findMany({ where: { status: "PENDING" }, include: syncRequestInclude });
  const now = ctx.clock.now();
  const refusals = await fourEyesRefusals(db, viewerPerson(ctx), pending.map((row) => row.id));
  return { pending: pending.length, awaitingViewer: pending.filter((row) => viewerPermissions(row, ctx.viewer, null, refusals.get(row.id) ?? null).approve && row.expiresAt > now).length };
}
