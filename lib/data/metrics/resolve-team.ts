import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/**
 * The team a `team` parameter names, by slug or name. A slug is unique and wins over another
 * team's equal name; a name shared by several teams is a 422 asking for the slug; none is a 404.
 */
export async function resolveTeamId(db: Db, team: string): Promise<string> {
  const teams = await db.team.findMany({ where: { OR: [{ slug: team }, { name: team }] }, select: { id: true, slug: true } });
  const found = teams.find((candidate) => candidate.slug === team) ?? (teams.length === 1 ? teams[0] : undefined);
  if (!found && teams.length > 1) throw new AppError("UNPROCESSABLE", `team: ${JSON.stringify(team)} names ${teams.length} teams; use the team's slug`);
  if (!found) throw new AppError("NOT_FOUND", `team: no team has the slug or name ${JSON.stringify(team)}`);
  return found.id;
}
