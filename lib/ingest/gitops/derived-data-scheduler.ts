import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import { sourceTouchCheckpoint } from "@/lib/metrics/derive/recompute";
import { maintainDerivedData } from "@/lib/metrics/maintain-derived-data";

/**
 * Derived data (flags, change sets, rollups) for a watch: events arrive one by one and in bursts,
 * so the refresh runs once the stream has been quiet for `settleMs`, one at a time, covering every
 * row touched since the first change it has not yet covered.
 */
export function createDerivedDataScheduler(db: Db, clock: Clock, env: Env, options: { settleMs: number; log: (line: string) => void }) {
  let touchedSince: Date | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  const run = () => {
    timer = null;
    const since = touchedSince;
    if (!since) return;
    touchedSince = null;
    running = running
      .then(() => maintainDerivedData(db, clock, { touchedSince: since, timeZone: env.ORG_TIMEZONE, productionEnvironments: env.PRODUCTION_ENVIRONMENTS }))
      .then(
        () => {},
        (error: unknown) => {
          // Not lost: the rows stay touched, and the next refresh starts no later than this one did.
          if (!touchedSince || since < touchedSince) touchedSince = since;
          options.log(`derived data not refreshed: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
  };

  return {
    /** Before writing a change: the checkpoint the refresh will start from. */
    async beforeChange() {
      if (!touchedSince) touchedSince = await sourceTouchCheckpoint(db);
    },
    changed() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(run, options.settleMs);
      timer.unref?.();
    },
    async flush() {
      if (timer) {
        clearTimeout(timer);
        run();
      }
      await running;
    },
  };
}
