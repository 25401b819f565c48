import { appendAudit } from "@/lib/audit/append-audit";
import type { Clock } from "@/lib/clock";
import { reclassifyDeployments } from "@/lib/data/catalog/environment-groups";
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { loadEnvironmentRules } from "@/lib/ingest/environment-rules";
import { type DeriveSummary, recomputeDerivedData, recomputeDerivedDataIncrementally } from "@/lib/metrics/derive/recompute";
import { type RefreshResult, invalidateRollups, mergeTargets, recordPendingTargets, refreshRollups, rollupTargets } from "@/lib/metrics/rollups";

/**
 * Bump when the derivation (chains, change sets, flags, attribution) changes meaning: every service
 * is derived again in full on the next run. 2: the failed-change rule is stored. 3: a deployment
 * after one with an unresolved commit measures no change set, and going back to an earlier commit
 * after it is a rollback.
 */
export const DERIVATION_VERSION = 3;
const STATE_KEY = "derivation";

/** What the stored derived data was built with: the derivation's version and `PRODUCTION_ENVIRONMENTS`. */
export function derivationFingerprint(productionEnvironments: string): string {
  return `derive-v${DERIVATION_VERSION};production=${productionEnvironments}`;
}

export interface MaintainOptions {
  /** `ORG_TIMEZONE`: the days of the rollup. */
  timeZone: string;
  /** `PRODUCTION_ENVIRONMENTS`: a change reclassifies every stored deployment. */
  productionEnvironments: string;
  /** Database time taken before the sync (`sourceTouchCheckpoint`). */
  touchedSince?: Date;
}

export interface MaintainSummary {
  /** `full`: a definition or setting changed since the last run, so everything was derived again. */
  mode: "incremental" | "full";
  derive: DeriveSummary;
  rollup: RefreshResult;
}

/**
 * Everything derived from what a sync brought in, in order: the derivation (flags and change sets
 * follow a revert merged days after a release), then the daily rollups of the days it can have
 * changed. When the derivation's definition or `PRODUCTION_ENVIRONMENTS` differs from what the stored
 * data was built with, stored deployments are classified again by the current rules (audited when
 * any moved), every service is derived in full and the rollup is rebuilt.
 */
export async function maintainDerivedData(db: Db, clock: Clock, options: MaintainOptions): Promise<MaintainSummary> {
  const fingerprint = derivationFingerprint(options.productionEnvironments);
  const stored = await db.metricState.findUnique({ where: { key: STATE_KEY }, select: { fingerprint: true } });
  if (stored?.fingerprint === fingerprint) {
    // Read and recorded before deriving: the derivation clears the markers that say which days may
    // have changed, and a failure before the refresh must not lose them.
    const targets = await rollupTargets(db, options.touchedSince ?? null);
    await recordPendingTargets(db, targets);
    const derive = await recomputeDerivedDataIncrementally(db, clock, { touchedSince: options.touchedSince });
    const derived = [...derive.changedSince].map(([serviceId, since]) => ({ serviceId, since }));
    return { mode: "incremental", derive, rollup: await refreshRollups(db, clock, options.timeZone, mergeTargets(targets, derived)) };
  }

  const rules = await loadEnvironmentRules(db, options.productionEnvironments);
  await db.$transaction(async (tx) => {
    const moved = await reclassifyDeployments(tx, rules, clock.now());
    await invalidateRollups(tx);
    if (moved.length > 0) {
      await appendAudit(tx, {
        occurredAt: clock.now(),
        actor: { kind: "SYSTEM", display: "pipeline-health" },
        action: "catalog.environments.reclassified",
        target: { type: "setting", id: "PRODUCTION_ENVIRONMENTS", display: options.productionEnvironments },
        outcome: "success",
        before: stored ? { fingerprint: stored.fingerprint } : null,
        after: { fingerprint },
        source: "worker",
        metadata: { reclassified: moved as unknown as Prisma.InputJsonValue },
      });
    }
  }, { timeout: 300_000, maxWait: 30_000 });
  const derive = await recomputeDerivedData(db, clock, { all: true });
  await db.metricState.upsert({
    where: { key: STATE_KEY },
    create: { key: STATE_KEY, fingerprint, builtAt: clock.now() },
    update: { fingerprint, builtAt: clock.now() },
  });
  return { mode: "full", derive, rollup: await refreshRollups(db, clock, options.timeZone, []) };
}
