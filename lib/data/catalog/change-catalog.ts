import "server-only";
import { type AppendAuditInput, appendAudit } from "@/lib/audit/append-audit";
import type { Prisma } from "@/lib/db/generated/client";
import { type ViewerContext, actorOf, assertCan } from "@/lib/data/viewer";
import { lockCatalogForChange } from "@/lib/ingest/catalog";
import { invalidateRollups } from "@/lib/metrics/rollups";
import { AppError } from "@/lib/errors";
import { type CatalogApplyInput, type CatalogChangeInput, catalogApplySchema, catalogChangeSchema } from "@/lib/queries/catalog";
import { catalogEffectFingerprint } from "./catalog-fingerprint";
import type { CatalogChangeResultDto, CatalogEffectDto } from "./catalog-types";
import { describeCatalogEffect } from "./describe-catalog-effect";
import { type ExecutedChange, executeCatalogChange } from "./execute-catalog-change";
import { type CatalogDeps, defaultCatalogDeps } from "./get-catalog";

// Short, bounded transactions: on the embedded database an open one stalls every other client.
const TX = { timeout: 30_000, maxWait: 10_000 } as const;

/** Thrown inside the preview transaction to roll it back while carrying its result out. */
class PreviewRollback extends Error {
  constructor(readonly result: ExecutedChange) {
    super("catalog preview rolled back");
  }
}

function result(executed: ExecutedChange): CatalogChangeResultDto {
  return {
    changed: executed.changed,
    effect: executed.effect,
    summary: describeCatalogEffect(executed.effect, executed.changed),
    fingerprint: catalogEffectFingerprint(executed.changed, executed.effect),
  };
}

/**
 * What a catalog change would do: it is carried out in a transaction that is then rolled back, so
 * the numbers come from the same statements that `applyCatalogChange` runs. Admins only, like apply.
 */
export async function previewCatalogChange(ctx: ViewerContext, input: CatalogChangeInput, deps: CatalogDeps = defaultCatalogDeps()): Promise<CatalogChangeResultDto> {
  assertCan(ctx, "settings:manage");
  const change = catalogChangeSchema.parse(input);
  try {
    await deps.db.$transaction(async (tx) => {
      await lockCatalogForChange(tx);
      throw new PreviewRollback(await executeCatalogChange(tx, change, { productionPattern: deps.productionPattern, now: ctx.clock.now() }));
    }, TX);
  } catch (error) {
    if (error instanceof PreviewRollback) return result(error.result);
    throw error;
  }
  throw new Error("catalog preview transaction committed; it must always roll back");
}

export const CATALOG_CHANGED_SINCE_PREVIEW = "The catalog changed since the preview; preview again.";

/**
 * Applies a catalog change in one transaction: the binding, team or rule, every derived row it
 * re-points or re-classifies, and one audit event naming the viewer. A change that would change
 * nothing writes nothing, not even an audit event. With `expectedFingerprint` (the dialog always
 * sends its preview's), a change whose effect is no longer the previewed one (a sync or another
 * admin changed the data in between) is rolled back and answered 409, before anything commits.
 */
export async function applyCatalogChange(ctx: ViewerContext, input: CatalogApplyInput, deps: CatalogDeps = defaultCatalogDeps()): Promise<CatalogChangeResultDto> {
  assertCan(ctx, "settings:manage");
  const { expectedFingerprint, ...change } = catalogApplySchema.parse(input);
  const now = ctx.clock.now();
  return await deps.db.$transaction(async (tx) => {
    await lockCatalogForChange(tx);
    const executed = await executeCatalogChange(tx, change, { productionPattern: deps.productionPattern, now });
    const answer = result(executed);
    // Thrown inside the transaction, so everything the change just wrote is rolled back.
    if (expectedFingerprint !== undefined && answer.fingerprint !== expectedFingerprint) throw new AppError("CONFLICT", CATALOG_CHANGED_SINCE_PREVIEW);
    // Rows moved to other services or out of production: metrics read the raw rows until the next
    // sync derives the moved rows again and rebuilds the rollup.
    if (executed.changed) await invalidateRollups(tx);
    if (executed.changed) await appendAudit(tx, { ...auditOf(executed.effect, answer.summary), occurredAt: now, actor: actorOf(ctx), outcome: "success", source: "dashboard", requestId: ctx.requestId, clientIp: ctx.clientIp });
    return answer;
  }, TX);
}

function objectTargetType(type: "gitops-app" | "workload"): string {
  return type === "gitops-app" ? "gitops_app" : "workload";
}

type AuditFields = Pick<AppendAuditInput, "action" | "target" | "serviceId" | "before" | "after" | "metadata">;

/** The audit event of an applied change: before and after of what the admin changed, the derived rows in metadata. */
function auditOf(effect: CatalogEffectDto, summary: string[]): AuditFields {
  const json = (value: unknown) => value as Prisma.InputJsonValue;
  switch (effect.kind) {
    case "bind-repository":
      return {
        action: "catalog.binding.changed",
        target: { type: "repository", id: effect.repository.id, display: effect.repository.fullName },
        serviceId: effect.to.id,
        before: effect.from ? { service: effect.from.slug, origin: effect.fromOrigin } : null,
        after: { service: effect.to.slug, origin: "manual" },
        metadata: json({ summary, moved: effect.moved, createdService: effect.createdService !== null, emptiedService: effect.emptiedService?.slug ?? null }),
      };
    case "bind-object":
      // The target id is the binding key, as ingestion's GitOps audit events use it, so one filter finds both.
      return {
        action: "catalog.binding.changed",
        target: { type: objectTargetType(effect.object.type), id: effect.object.matchKey, display: effect.object.display },
        serviceId: effect.to.id,
        before: effect.from ? { service: effect.from.slug, origin: effect.fromOrigin } : null,
        after: { service: effect.to.slug, origin: "manual" },
        metadata: json({ summary, objectId: effect.object.id, moved: effect.moved, createdService: effect.createdService !== null, emptiedService: effect.emptiedService?.slug ?? null }),
      };
    case "unbind-object":
      return {
        action: "catalog.binding.removed",
        target: { type: objectTargetType(effect.object.type), id: effect.object.matchKey, display: effect.object.display },
        serviceId: effect.from.id,
        before: { service: effect.from.slug, origin: "manual" },
        after: null,
        metadata: json({ summary, objectId: effect.object.id, moved: effect.moved, emptiedService: effect.emptiedService?.slug ?? null }),
      };
    case "move-service":
      return {
        action: "catalog.service.team_changed",
        target: { type: "service", id: effect.service.id, display: effect.service.slug },
        serviceId: effect.service.id,
        before: { team: effect.from?.slug ?? null },
        after: { team: effect.to?.slug ?? null },
        metadata: json({ summary, createdTeam: effect.createdTeam?.slug ?? null }),
      };
    case "classify-environment":
      return {
        action: "catalog.environment_rule.saved",
        target: { type: "environment_rule", id: effect.after.id, display: effect.name },
        serviceId: null,
        before: effect.before ? json(effect.before) : null,
        after: json(effect.after),
        metadata: json({ summary, reclassified: effect.reclassified }),
      };
    case "remove-environment-rule":
      return {
        action: "catalog.environment_rule.removed",
        target: { type: "environment_rule", id: effect.removed.id, display: effect.removed.pattern },
        serviceId: null,
        before: json(effect.removed),
        after: null,
        metadata: json({ summary, reclassified: effect.reclassified }),
      };
    default: {
      const never: never = effect;
      throw new Error(`Unknown catalog effect ${JSON.stringify(never)}`);
    }
  }
}
