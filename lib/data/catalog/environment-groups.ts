import type { Db, DbTransaction } from "@/lib/db/client";
import { type EnvironmentRules, NAME_CLASSIFIED_SOURCES, classifyEnvironment } from "@/lib/ingest/environment-rules";
import type { ReclassifiedDto } from "./catalog-types";

/** Deployments of name-classified sources, grouped by the name their source reported and how they are recorded now. */
export interface EnvironmentGroup {
  sourceName: string;
  environment: string;
  isProduction: boolean;
  deployments: number;
}

const SOURCES = [...NAME_CLASSIFIED_SOURCES];

export async function listEnvironmentGroups(db: Db | DbTransaction): Promise<EnvironmentGroup[]> {
  return await db.$queryRaw<EnvironmentGroup[]>`
    SELECT COALESCE("sourceEnvironment", "environment") AS "sourceName", "environment", "isProduction", count(*)::int AS "deployments"
    FROM "Deployment"
    WHERE "source"::text = ANY(${SOURCES}::text[])
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3`;
}

/**
 * Brings every stored deployment in line with `rules` (read inside the same transaction after the
 * rule change): one UPDATE per (source name, current state) group whose classification differs.
 * The counts reported are the rows each UPDATE changed, so a preview (rolled back) and an apply
 * report the same numbers. Derived flags of changed rows are marked for recomputation, since their
 * (service, environment) chain or production status moved.
 */
export async function reclassifyDeployments(tx: DbTransaction, rules: EnvironmentRules, now: Date): Promise<ReclassifiedDto[]> {
  const changes: ReclassifiedDto[] = [];
  for (const group of await listEnvironmentGroups(tx)) {
    const to = classifyEnvironment(group.sourceName, rules);
    if (to.environment === group.environment && to.isProduction === group.isProduction) continue;
    const deployments = await tx.$executeRaw`
      UPDATE "Deployment"
      SET "environment" = ${to.environment}, "sourceEnvironment" = ${group.sourceName}, "isProduction" = ${to.isProduction},
          "flagsComputedAt" = NULL, "updatedAt" = ${now}
      WHERE "source"::text = ANY(${SOURCES}::text[])
        AND COALESCE("sourceEnvironment", "environment") = ${group.sourceName}
        AND "environment" = ${group.environment}
        AND "isProduction" = ${group.isProduction}`;
    if (deployments > 0) {
      changes.push({
        sourceName: group.sourceName,
        from: { environment: group.environment, isProduction: group.isProduction },
        to: { environment: to.environment, isProduction: to.isProduction },
        deployments,
      });
    }
  }
  return changes;
}
