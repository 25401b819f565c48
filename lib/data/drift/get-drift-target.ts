// No `server-only` marker: tests call this directly; route handlers and `drift-server.ts` are the server entries.
import { z } from "zod";
import type { Prisma } from "@/lib/db/generated/client";
import { type ViewerContext, assertCan } from "@/lib/data/viewer";
import { AppError } from "@/lib/errors";
import { type DriftEpisodeDto, type DriftResourceDto, type DriftTargetDetailDto, driftTargetParamsSchema } from "@/lib/queries/drift";
import { manifestDiff } from "./document-diff";
import { type DriftDeps, appRowDto, appRowInclude, defaultDriftDeps, episodeDto, episodeInclude, parseTargetId, workloadRowDto, workloadRowInclude } from "./drift-targets";

/** How many of a target's episodes the detail lists. */
export const RECENT_EPISODE_COUNT = 10;

/**
 * One entry of `DriftEpisode.resources` as the ingestion writes it. Read leniently: values may be
 * any JSON (a replica count, an image list), and an entry that is not even an object is skipped,
 * so one odd row never hides the others.
 */
const storedResourceSchema = z.object({
  kind: z.string().catch("Unknown"),
  namespace: z.string().nullish(),
  name: z.string().catch("(unnamed)"),
  field: z.string().nullish(),
  liveValue: z.unknown().optional(),
  desiredValue: z.unknown().optional(),
  liveState: z.string().nullish(),
  targetState: z.string().nullish(),
});

/** A stored value as one line of text: strings as they are, anything else as JSON. */
function valueText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function resourcesOf(stored: Prisma.JsonValue): DriftResourceDto[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((entry) => {
    const parsed = storedResourceSchema.safeParse(entry);
    if (!parsed.success) return [];
    const resource = parsed.data;
    return [
      {
        kind: resource.kind,
        namespace: resource.namespace ?? null,
        name: resource.name,
        field: resource.field ?? null,
        liveValue: valueText(resource.liveValue),
        desiredValue: valueText(resource.desiredValue),
        diff: manifestDiff(resource.liveState, resource.targetState),
      },
    ];
  });
}

/**
 * One drift target for the detail panel (`GET /api/drift/[id]`, id `app-<uuid>` or
 * `workload-<uuid>`): the table's row with revisions, automation and images; the episode whose
 * resources are shown (the open one, else the latest) with each resource's live and desired values
 * and, where Argo CD gave both documents, a line diff of live against desired; and the latest
 * episodes. A drifting workload whose episode lists no resource shows its images as the one
 * differing field. Unknown id: 404; malformed: 422. Needs `metrics:read` (viewer and up).
 */
export async function getDriftTarget(ctx: ViewerContext, id: string, deps: DriftDeps = defaultDriftDeps()): Promise<DriftTargetDetailDto> {
  assertCan(ctx, "metrics:read");
  driftTargetParamsSchema.parse({ id });
  const { table, uuid } = parseTargetId(id);
  const now = ctx.clock.now();
  const { db } = deps;
  const notFound = () => new AppError("NOT_FOUND", `drift: no GitOps app or workload has the id ${JSON.stringify(id)}`);

  const episodeWhere: Prisma.DriftEpisodeWhereInput = table === "app" ? { gitOpsAppId: uuid } : { workloadId: uuid };
  const [found, episodes] = await db.$transaction(
    async (tx) => {
      const target =
        table === "app"
          ? await tx.gitOpsApp.findUnique({ where: { id: uuid }, include: appRowInclude }).then((app) => (app ? { app } : null))
          : await tx.workload.findUnique({ where: { id: uuid }, include: workloadRowInclude }).then((workload) => (workload ? { workload } : null));
      const rows = await tx.driftEpisode.findMany({
        where: episodeWhere,
        include: episodeInclude,
        orderBy: [{ startedAt: "desc" }, { id: "asc" }],
        take: RECENT_EPISODE_COUNT,
      });
      // The open episode may be older than the latest ten (a long drift under short pending changes).
      const open = await tx.driftEpisode.findFirst({ where: { ...episodeWhere, endedAt: null }, include: episodeInclude, orderBy: { startedAt: "desc" } });
      return [target, { rows, open }] as const;
    },
    // On the embedded database every transaction waits its turn behind ingestion: a page waits, not fails.
    { isolationLevel: "RepeatableRead", timeout: 30_000, maxWait: 20_000 },
  );
  if (!found) throw notFound();

  const shown = episodes.open ?? episodes.rows[0] ?? null;
  const recentEpisodes = episodes.rows.map((row) => episodeDto(row, now)).filter((episode): episode is DriftEpisodeDto => episode !== null);
  let resources = shown ? resourcesOf(shown.resources) : [];

  let target: DriftTargetDetailDto["target"];
  if ("app" in found) {
    const { app } = found;
    target = {
      ...appRowDto(app, now),
      syncedRevision: app.syncedRevision,
      desiredRevision: app.desiredRevision,
      autoSync: app.autoSync,
      selfHeal: app.selfHeal,
      suspended: app.suspended,
      repoUrl: app.repoUrl,
      path: app.path,
      images: app.images,
      desiredImages: [],
    };
  } else {
    const { workload } = found;
    target = {
      ...workloadRowDto(workload, now),
      syncedRevision: null,
      desiredRevision: null,
      autoSync: null,
      selfHeal: null,
      suspended: null,
      repoUrl: null,
      path: null,
      images: workload.images,
      desiredImages: workload.desiredImages,
    };
    const differs = workload.desiredImages.length > 0 && workload.images.join("\n") !== workload.desiredImages.join("\n");
    if (resources.length === 0 && differs && target.driftState === "LIVE_DRIFT") {
      resources = [
        {
          kind: "Deployment",
          namespace: workload.namespace,
          name: workload.name,
          field: "spec.template.spec.containers[*].image",
          liveValue: workload.images.join(", "),
          desiredValue: workload.desiredImages.join(", "),
          diff: null,
        },
      ];
    }
  }

  return {
    generatedAt: now.toISOString(),
    target,
    episode: shown ? episodeDto(shown, now) : null,
    resources,
    recentEpisodes,
  };
}
