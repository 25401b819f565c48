// No `server-only` marker: tests call this directly; route handlers and `drift-server.ts` are the server entries.
import type { Db } from "@/lib/db/client";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { resolveTeamId } from "@/lib/data/metrics/resolve-team";
import { AppError } from "@/lib/errors";
import {
  DRIFT_STATES,
  type DriftEpisodeDto,
  type DriftMethodology,
  type DriftState,
  type DriftTargetRowDto,
  type DriftTargetsParams,
  driftTargetIdSchema,
} from "@/lib/queries/drift";

export interface DriftDeps {
  db: Db;
}

export function defaultDriftDeps(): DriftDeps {
  return { db: getDb() };
}

/** States whose age is shown: how long the cluster has differed from Git or from the last deployment. */
const AGED_STATES: ReadonlySet<DriftState> = new Set(["LIVE_DRIFT", "PENDING_CHANGE"]);
const KNOWN_STORED_STATES = ["LIVE_DRIFT", "PENDING_CHANGE", "ROLLOUT_IN_PROGRESS", "IN_SYNC", "NOT_OBSERVABLE"] as const;

/**
 * The state a row shows. Where drift cannot be observed the row says so whatever state was stored
 * (DESIGN §4: never counted as clean); a value this build does not know reads as UNKNOWN.
 */
export function shownDriftState(driftObservable: boolean, stored: string): DriftState {
  if (!driftObservable) return "NOT_OBSERVABLE";
  return (DRIFT_STATES as readonly string[]).includes(stored) ? (stored as DriftState) : "UNKNOWN";
}

/** The stored columns that make a row show `state`, the inverse of `shownDriftState`, for SQL filters. */
function stateWhere(state: DriftState): { driftObservable?: boolean; driftState?: string | { notIn: string[] }; OR?: { driftObservable?: boolean; driftState?: string }[] } {
  switch (state) {
    case "NOT_OBSERVABLE":
      return { OR: [{ driftObservable: false }, { driftState: "NOT_OBSERVABLE" }] };
    case "UNKNOWN":
      return { driftObservable: true, driftState: { notIn: [...KNOWN_STORED_STATES] } };
    case "LIVE_DRIFT":
    case "PENDING_CHANGE":
    case "ROLLOUT_IN_PROGRESS":
    case "IN_SYNC":
      return { driftObservable: true, driftState: state };
    default: {
      const never: never = state;
      return never;
    }
  }
}

/** Seconds between `since` and now, never negative (a source clock slightly ahead of ours). */
export function secondsSince(since: Date, now: Date): number {
  return Math.max(0, Math.round((now.getTime() - since.getTime()) / 1000));
}

export function driftAgeSeconds(state: DriftState, since: Date | null, now: Date): number | null {
  return AGED_STATES.has(state) && since ? secondsSince(since, now) : null;
}

/** Where clauses of both target tables for one set of filters; `null` = the table has no matching row by construction. */
export interface TargetWheres {
  app: Prisma.GitOpsAppWhereInput | null;
  workload: Prisma.WorkloadWhereInput | null;
}

/**
 * The filters as SQL for each table. Methodology: a GitOps object is GITOPS; a workload is DEVOPS
 * when a CI pipeline pushes to it (`managedBy = 'push'`), else GITOPS (a GitOps object manages it).
 * `unstated` leaves the state out, for the per-state counts of the filter. The team is looked up
 * once (unknown: 404).
 */
export async function targetWheres(db: Db, params: DriftTargetsParams): Promise<TargetWheres & { unstated: TargetWheres }> {
  const conditions: (Prisma.GitOpsAppWhereInput & Prisma.WorkloadWhereInput)[] = [];
  if (params.team !== undefined) conditions.push({ service: { is: { teamId: await resolveTeamId(db, params.team) } } });
  const q = params.q?.trim();
  if (q) {
    // Prisma passes `contains` to LIKE as is: escape its wildcards so "%" or "_" match themselves.
    const contains = { contains: q.replace(/[\\%_]/g, (character) => `\\${character}`), mode: "insensitive" as const };
    conditions.push({
      OR: [
        { name: contains },
        { namespace: contains },
        { cluster: contains },
        { service: { is: { slug: contains } } },
        { service: { is: { name: contains } } },
      ],
    });
  }
  const build = (and: (Prisma.GitOpsAppWhereInput & Prisma.WorkloadWhereInput)[]): TargetWheres => {
    const methodology: DriftMethodology | undefined = params.methodology;
    return {
      app: methodology === "devops" ? null : { AND: and },
      workload: methodology === undefined ? { AND: and } : { AND: and, managedBy: methodology === "devops" ? "push" : { not: "push" } },
    };
  };
  return { ...build(params.state === undefined ? conditions : [...conditions, stateWhere(params.state)]), unstated: build(conditions) };
}

const serviceSelect = { select: { slug: true, name: true, team: { select: { slug: true, name: true } } } } as const;
const integrationSelect = { select: { id: true, name: true, kind: true } } as const;
const openEpisodeSelect = {
  where: { endedAt: null },
  orderBy: { startedAt: "desc" },
  take: 1,
  select: { id: true, kind: true, startedAt: true, actor: true, resources: true },
} as const;

export const appRowInclude = { service: serviceSelect, integration: integrationSelect, driftEpisodes: openEpisodeSelect } as const;
export const workloadRowInclude = appRowInclude;

type AppRow = Prisma.GitOpsAppGetPayload<{ include: typeof appRowInclude }>;
type WorkloadRow = Prisma.WorkloadGetPayload<{ include: typeof workloadRowInclude }>;

function resourceCount(resources: Prisma.JsonValue): number {
  return Array.isArray(resources) ? resources.length : 0;
}

function openEpisodeOf(episodes: AppRow["driftEpisodes"], now: Date): DriftTargetRowDto["openEpisode"] {
  const [episode] = episodes;
  if (!episode) return null;
  return {
    id: episode.id,
    kind: episode.kind,
    startedAt: episode.startedAt.toISOString(),
    ageSeconds: secondsSince(episode.startedAt, now),
    actor: episode.actor,
    resourceCount: resourceCount(episode.resources),
  };
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function appRowDto(app: AppRow, now: Date): DriftTargetRowDto {
  const driftState = shownDriftState(app.driftObservable, app.driftState);
  return {
    id: `app-${app.id}`,
    kind: app.kind,
    name: app.name,
    namespace: app.namespace,
    cluster: app.cluster,
    service: app.service,
    methodology: "gitops",
    syncStatus: app.syncStatus,
    healthStatus: app.healthStatus,
    driftState,
    driftObservable: app.driftObservable,
    driftStateSince: iso(app.driftStateSince),
    driftAgeSeconds: driftAgeSeconds(driftState, app.driftStateSince, now),
    lastObservedAt: iso(app.lastObservedAt),
    managedBy: null,
    integration: app.integration,
    openEpisode: openEpisodeOf(app.driftEpisodes, now),
  };
}

export function workloadRowDto(workload: WorkloadRow, now: Date): DriftTargetRowDto {
  const driftState = shownDriftState(workload.driftObservable, workload.driftState);
  return {
    id: `workload-${workload.id}`,
    kind: "DEPLOYMENT",
    name: workload.name,
    namespace: workload.namespace,
    cluster: workload.cluster,
    service: workload.service,
    methodology: workload.managedBy === "push" ? "devops" : "gitops",
    syncStatus: null,
    healthStatus: null,
    driftState,
    driftObservable: workload.driftObservable,
    driftStateSince: iso(workload.driftStateSince),
    driftAgeSeconds: driftAgeSeconds(driftState, workload.driftStateSince, now),
    lastObservedAt: iso(workload.lastObservedAt),
    managedBy: workload.managedBy,
    integration: workload.integration,
    openEpisode: openEpisodeOf(workload.driftEpisodes, now),
  };
}

/** Which table a target id names, or a 422 for an id that is neither (the route's zod check says the same). */
export function parseTargetId(id: string): { table: "app" | "workload"; uuid: string } {
  const parsed = driftTargetIdSchema.safeParse(id);
  if (!parsed.success) throw new AppError("UNPROCESSABLE", `id: must be a drift target id (app-<uuid> or workload-<uuid>), not ${JSON.stringify(id)}`);
  const [table, ...rest] = parsed.data.split("-");
  return { table: table === "app" ? "app" : "workload", uuid: rest.join("-") };
}

export const episodeInclude = {
  service: serviceSelect,
  gitOpsApp: { select: { id: true, kind: true, name: true, namespace: true } },
  workload: { select: { id: true, name: true, namespace: true } },
} as const;

type EpisodeRow = Prisma.DriftEpisodeGetPayload<{ include: typeof episodeInclude }>;

/** An episode for the timeline and the detail; null for one tied to neither an app nor a workload (it has no lane). */
export function episodeDto(episode: EpisodeRow, now: Date): DriftEpisodeDto | null {
  const target = episode.gitOpsApp
    ? { id: `app-${episode.gitOpsApp.id}`, kind: episode.gitOpsApp.kind, namespace: episode.gitOpsApp.namespace, name: episode.gitOpsApp.name }
    : episode.workload
      ? { id: `workload-${episode.workload.id}`, kind: "DEPLOYMENT" as const, namespace: episode.workload.namespace, name: episode.workload.name }
      : null;
  if (!target) return null;
  return {
    id: episode.id,
    targetId: target.id,
    targetLabel: `${target.namespace}/${target.name}`,
    targetKind: target.kind,
    service: episode.service,
    kind: episode.kind,
    methodology: episode.methodology === "GITOPS" ? "gitops" : "devops",
    startedAt: episode.startedAt.toISOString(),
    endedAt: iso(episode.endedAt),
    durationSeconds: secondsSince(episode.startedAt, episode.endedAt ?? now),
    endReason: episode.endReason,
    endedByRef: episode.endedByRef,
    actor: episode.actor,
  };
}
