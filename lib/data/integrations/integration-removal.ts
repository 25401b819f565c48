import "server-only";
import { appendAudit } from "@/lib/audit/append-audit";
import type { Db, DbTransaction } from "@/lib/db/client";
import { type ViewerContext, actorOf, assertCan } from "@/lib/data/viewer";
import { AppError } from "@/lib/errors";
import { removeIntegrationSchema } from "@/lib/queries/integrations";
import { type IntegrationDeps, defaultIntegrationDeps } from "./integration-deps";

/** Rows removing an integration deletes, per kind. */
export type RemovalCounts = {
  repositories: number;
  commits: number;
  pullRequests: number;
  deployments: number;
  deploymentChanges: number;
  incidents: number;
  gitOpsApps: number;
  workloads: number;
  driftEpisodes: number;
  syncRequests: number;
  syncApprovals: number;
  bindings: number;
  ingestRuns: number;
  sourceCursors: number;
  webhookDeliveries: number;
};

export type RemovalPreviewDto = {
  integration: { id: string; name: string; origin: "ENV" | "DATABASE" | "SANDBOX" };
  removable: boolean;
  /** Why it cannot be removed now, in words; null when it can. */
  blockedBy: string | null;
  deletes: RemovalCounts;
  /** Kept: the audit trail is append-only, and services stay because audit events name them. */
  keeps: { auditEvents: number; services: number };
};

export type RemovalResultDto = { removed: { id: string; name: string }; deleted: RemovalCounts };

type Tx = Db | DbTransaction;

/**
 * One statement per kind of row, children before parents, each reaching its rows by every path the
 * foreign keys' ON DELETE CASCADE would (a commit of another integration in one of these
 * repositories goes with the repository). Preview counts and removal deletes run the same WHEREs,
 * so the preview is exactly what removal does.
 */
function removalPlan(id: string) {
  const syncRequest = { gitOpsApp: { integrationId: id } };
  return [
    ["syncApprovals", (tx: Tx, op: Op) => {
      const where = { syncRequest };
      return op === "count" ? tx.syncApproval.count({ where }) : tx.syncApproval.deleteMany({ where });
    }],
    ["syncRequests", (tx: Tx, op: Op) => {
      const where = syncRequest;
      return op === "count" ? tx.syncRequest.count({ where }) : tx.syncRequest.deleteMany({ where });
    }],
    ["driftEpisodes", (tx: Tx, op: Op) => {
      const where = { OR: [{ integrationId: id }, { gitOpsApp: { integrationId: id } }, { workload: { integrationId: id } }] };
      return op === "count" ? tx.driftEpisode.count({ where }) : tx.driftEpisode.deleteMany({ where });
    }],
    ["deploymentChanges", (tx: Tx, op: Op) => {
      const where = { OR: [{ integrationId: id }, { deployment: { integrationId: id } }] };
      return op === "count" ? tx.deploymentChange.count({ where }) : tx.deploymentChange.deleteMany({ where });
    }],
    ["incidents", (tx: Tx, op: Op) => {
      const where = { integrationId: id };
      return op === "count" ? tx.incident.count({ where }) : tx.incident.deleteMany({ where });
    }],
    ["deployments", (tx: Tx, op: Op) => {
      const where = { integrationId: id };
      return op === "count" ? tx.deployment.count({ where }) : tx.deployment.deleteMany({ where });
    }],
    ["pullRequests", (tx: Tx, op: Op) => {
      const where = { OR: [{ integrationId: id }, { repository: { integrationId: id } }] };
      return op === "count" ? tx.pullRequest.count({ where }) : tx.pullRequest.deleteMany({ where });
    }],
    ["commits", (tx: Tx, op: Op) => {
      const where = { OR: [{ integrationId: id }, { repository: { integrationId: id } }] };
      return op === "count" ? tx.commit.count({ where }) : tx.commit.deleteMany({ where });
    }],
    ["workloads", (tx: Tx, op: Op) => {
      const where = { integrationId: id };
      return op === "count" ? tx.workload.count({ where }) : tx.workload.deleteMany({ where });
    }],
    ["gitOpsApps", (tx: Tx, op: Op) => {
      const where = { integrationId: id };
      return op === "count" ? tx.gitOpsApp.count({ where }) : tx.gitOpsApp.deleteMany({ where });
    }],
    ["bindings", (tx: Tx, op: Op) => {
      const where = { integrationId: id };
      return op === "count" ? tx.serviceBinding.count({ where }) : tx.serviceBinding.deleteMany({ where });
    }],
    ["sourceCursors", (tx: Tx, op: Op) => {
      const where = { integrationId: id };
      return op === "count" ? tx.sourceCursor.count({ where }) : tx.sourceCursor.deleteMany({ where });
    }],
    ["ingestRuns", (tx: Tx, op: Op) => {
      const where = { integrationId: id };
      return op === "count" ? tx.ingestRun.count({ where }) : tx.ingestRun.deleteMany({ where });
    }],
    ["webhookDeliveries", (tx: Tx, op: Op) => {
      const where = { integrationId: id };
      return op === "count" ? tx.webhookDelivery.count({ where }) : tx.webhookDelivery.deleteMany({ where });
    }],
    ["repositories", (tx: Tx, op: Op) => {
      const where = { integrationId: id };
      return op === "count" ? tx.repository.count({ where }) : tx.repository.deleteMany({ where });
    }],
  ] as const satisfies readonly (readonly [keyof RemovalCounts, (tx: Tx, op: Op) => Promise<number | { count: number }>])[];
}

type Op = "count" | "deleteMany";

async function runPlan(tx: Tx, id: string, op: Op): Promise<RemovalCounts> {
  const counts = {} as RemovalCounts;
  // In sequence: deletes must run children first, and one transaction runs one statement at a time.
  for (const [key, statement] of removalPlan(id)) {
    const result: number | { count: number } = await statement(tx, op);
    counts[key] = typeof result === "number" ? result : result.count;
  }
  return counts;
}

async function kept(tx: Tx, id: string): Promise<RemovalPreviewDto["keeps"]> {
  const [auditEvents, services] = await Promise.all([
    tx.auditEvent.count({ where: { OR: [{ targetType: "integration", targetId: id }, { service: { OR: [{ deployments: { some: { integrationId: id } } }, { bindings: { some: { integrationId: id } } }] } }] } }),
    tx.service.count({ where: { OR: [{ deployments: { some: { integrationId: id } } }, { bindings: { some: { integrationId: id } } }, { incidents: { some: { integrationId: id } } }] } }),
  ]);
  return { auditEvents, services };
}

/** Why an integration cannot be removed now, or null. */
async function blocker(tx: Tx, integration: { id: string; name: string; origin: RemovalPreviewDto["integration"]["origin"] }): Promise<{ code: "CONFLICT"; message: string } | null> {
  if (integration.origin !== "DATABASE") {
    const where = integration.origin === "SANDBOX" ? "start without --sandbox (with GitHub configured)" : "remove its variables (GITHUB_TOKEN, GITHUB_ORG, GITHUB_REPOS) from the environment";
    return { code: "CONFLICT", message: `${integration.name} is defined by ${integration.origin === "SANDBOX" ? "the sandbox" : "environment variables"}, not stored here; to remove it, ${where} and restart.` };
  }
  // A run writing rows while they are deleted would fail half-way and leave its job retrying, so wait for it.
  const running = await tx.ingestRun.count({ where: { integrationId: integration.id, status: "RUNNING" } });
  if (running > 0) return { code: "CONFLICT", message: `A sync of ${integration.name} is running; remove it once the run has finished.` };
  return null;
}

async function findIntegration(tx: Tx, id: string) {
  const integration = await tx.integration.findUnique({ where: { id }, select: { id: true, name: true, origin: true } });
  if (!integration) throw new AppError("NOT_FOUND", "No such integration.");
  return integration;
}

/** What removing an integration would delete and keep, counted with the statements removal runs. Admins only. */
export async function previewIntegrationRemoval(ctx: ViewerContext, id: string, deps: Pick<IntegrationDeps, "db"> = defaultIntegrationDeps()): Promise<RemovalPreviewDto> {
  assertCan(ctx, "settings:manage");
  return await deps.db.$transaction(
    async (tx) => {
      const integration = await findIntegration(tx, id);
      const block = await blocker(tx, integration);
      return { integration, removable: block === null, blockedBy: block?.message ?? null, deletes: await runPlan(tx, id, "count"), keeps: await kept(tx, id) };
    },
    // One snapshot, so the numbers add up even while a sync writes.
    { isolationLevel: "RepeatableRead", timeout: 30_000, maxWait: 10_000 },
  );
}

/**
 * Removes a stored integration and everything mirrored from it, in one transaction with an audit
 * event recording the counts. Audit events and services stay. Refused for integrations the
 * environment or sandbox defines, while a sync of it runs, and unless `confirmName` repeats its name.
 */
export async function removeIntegration(ctx: ViewerContext, id: string, body: { confirmName: string }, deps: Pick<IntegrationDeps, "db"> = defaultIntegrationDeps()): Promise<RemovalResultDto> {
  assertCan(ctx, "settings:manage");
  const { confirmName } = removeIntegrationSchema.parse(body);
  const now = ctx.clock.now();
  return await deps.db.$transaction(
    async (tx) => {
      // FOR UPDATE: a sync starting now inserts its run with a key-share lock on this row, so it waits
      // for this transaction and then fails on the missing integration instead of writing orphans.
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Integration" WHERE id = ${id}::uuid FOR UPDATE`;
      if (locked.length === 0) throw new AppError("NOT_FOUND", "No such integration.");
      const integration = await findIntegration(tx, id);
      const block = await blocker(tx, integration);
      if (block) throw new AppError(block.code, block.message);
      if (confirmName.trim() !== integration.name) {
        throw new AppError("UNPROCESSABLE", `Type the integration's name, ${integration.name}, to confirm its removal.`, [{ path: "confirmName", message: "does not match the integration's name" }]);
      }
      const deleted = await runPlan(tx, id, "deleteMany");
      await tx.integration.delete({ where: { id } });
      await appendAudit(tx, {
        occurredAt: now,
        actor: actorOf(ctx),
        action: "integration.removed",
        target: { type: "integration", id, display: integration.name },
        outcome: "success",
        before: { name: integration.name, origin: integration.origin },
        after: null,
        source: "dashboard",
        requestId: ctx.requestId,
        clientIp: ctx.clientIp,
        metadata: { deleted },
      });
      return { removed: { id, name: integration.name }, deleted };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}
