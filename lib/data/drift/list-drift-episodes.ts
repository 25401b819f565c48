// No `server-only` marker: tests call this directly; route handlers and `drift-server.ts` are the server entries.
import type { Prisma } from "@/lib/db/generated/client";
import { type ViewerContext, assertCan } from "@/lib/data/viewer";
import {
  DEFAULT_DRIFT_WINDOW_DAYS,
  type DriftEpisodeDto,
  type DriftEpisodesDto,
  type DriftEpisodesParams,
  driftEpisodesParamsSchema,
} from "@/lib/queries/drift";
import { type DriftDeps, defaultDriftDeps, episodeDto, episodeInclude, targetWheres } from "./drift-targets";

/** The timeline draws at most this many episodes (the latest starts); `total` says how many overlapped. */
export const DRIFT_EPISODE_LIMIT = 2000;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The window `[from, to)`: `to` defaults to now, `from` to `days` (default 7) before `to`. Days are
 * plain 24-hour spans: the timeline is drawn in UTC instants, not calendar buckets.
 */
export function resolveEpisodeWindow(params: DriftEpisodesParams, now: Date): { from: Date; to: Date } {
  const to = params.to ? new Date(params.to) : now;
  const from = params.from ? new Date(params.from) : new Date(to.getTime() - (params.days ?? DEFAULT_DRIFT_WINDOW_DAYS) * DAY_MS);
  return { from, to };
}

/**
 * Drift episodes that overlap the window `[from, to)` (`GET /api/drift/episodes`): started before
 * `to` and not ended before `from`, open ones included with their duration up to now by
 * `ctx.clock`. The filters are the targets' (methodology, state, team, text) applied to each
 * episode's GitOps object or workload, so the timeline draws the lanes of the table's rows. Oldest
 * start first. Needs `metrics:read` (viewer and up).
 */
export async function listDriftEpisodes(ctx: ViewerContext, rawParams: DriftEpisodesParams, deps: DriftDeps = defaultDriftDeps()): Promise<DriftEpisodesDto> {
  assertCan(ctx, "metrics:read");
  const params = driftEpisodesParamsSchema.parse(rawParams);
  const now = ctx.clock.now();
  const window = resolveEpisodeWindow(params, now);
  const wheres = await targetWheres(deps.db, params);

  const targets: Prisma.DriftEpisodeWhereInput[] = [];
  if (wheres.app) targets.push({ gitOpsApp: { is: wheres.app } });
  if (wheres.workload) targets.push({ workload: { is: wheres.workload } });
  const where: Prisma.DriftEpisodeWhereInput = {
    startedAt: { lt: window.to },
    AND: [{ OR: [{ endedAt: null }, { endedAt: { gte: window.from } }] }, { OR: targets.length > 0 ? targets : [{ id: { in: [] } }] }],
  };

  const [total, rows] = await deps.db.$transaction([
    deps.db.driftEpisode.count({ where }),
    deps.db.driftEpisode.findMany({ where, include: episodeInclude, orderBy: [{ startedAt: "desc" }, { id: "asc" }], take: DRIFT_EPISODE_LIMIT }),
  ]);

  const episodes = rows
    .map((row) => episodeDto(row, now))
    .filter((episode): episode is DriftEpisodeDto => episode !== null)
    .reverse();
  return {
    generatedAt: now.toISOString(),
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    episodes,
    total,
    limit: DRIFT_EPISODE_LIMIT,
  };
}
