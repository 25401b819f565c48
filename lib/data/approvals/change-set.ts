import type { DbTransaction } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { SyncChangeDto } from "./approval-types";

/** More commits than this between two revisions is not a change set anyone reviews; the walk stops. */
const WALK_LIMIT = 200;
const GITHUB_REPO = /github\.com[/:]([^/]+)\/([^/.]+?)(?:\.git)?\/?$/i;
const SHA_TAG = /:([0-9a-f]{7,40})$/;

interface WalkedCommit {
  sha: string;
  headline: string;
  author: string;
  authorPersonId: string | null;
}

/**
 * The commits reachable from `head` back to (not including) `base` in one mirrored repository, newest
 * first, walking parent links in SQL. A merge whose other parent predates `base` can add commits
 * `base` already had: their authors are then barred from approving too, which errs on the safe side.
 * The author's person comes from the commit, else from a linked GitHub login or commit e-mail.
 */
async function commitsBetween(tx: DbTransaction, repositoryId: string, head: string, base: string | null): Promise<WalkedCommit[]> {
  const rows = await tx.$queryRaw<{ sha: string; headline: string; author: string; authorPersonId: string | null }[]>(Prisma.sql`
    WITH RECURSIVE walk(sha, depth) AS (
      SELECT c.sha, 0 FROM "Commit" c WHERE c."repositoryId" = ${repositoryId}::uuid AND c.sha LIKE ${`${head}%`}
      UNION
      SELECT parent.sha, walk.depth + 1
      FROM walk
      JOIN "Commit" c ON c."repositoryId" = ${repositoryId}::uuid AND c.sha = walk.sha
      CROSS JOIN LATERAL unnest(c."parentShas") AS parent(sha)
      WHERE walk.depth < ${WALK_LIMIT} AND NOT (${base ?? ""} <> '' AND walk.sha LIKE ${`${base ?? "-"}%`})
    )
    SELECT c.sha, c."messageHeadline" AS headline,
           COALESCE(c."authorLogin", c."authorName", c."authorEmail", 'unknown') AS author,
           COALESCE(c."authorPersonId", login."personId", mail."personId")::text AS "authorPersonId"
    FROM (SELECT DISTINCT sha FROM walk) w
    JOIN "Commit" c ON c."repositoryId" = ${repositoryId}::uuid AND c.sha = w.sha
    LEFT JOIN "PersonIdentity" login ON login.kind = 'GITHUB' AND login.value = lower(c."authorLogin")
    LEFT JOIN "PersonIdentity" mail ON mail.kind = 'EMAIL' AND mail.value = lower(c."authorEmail")
    WHERE ${base ?? ""} = '' OR c.sha NOT LIKE ${`${base ?? "-"}%`}
    ORDER BY c."committedAt" DESC
  `);
  return rows;
}

async function repositoryByUrl(tx: DbTransaction, repoUrl: string): Promise<{ id: string; fullName: string } | null> {
  const match = GITHUB_REPO.exec(repoUrl);
  if (!match) return null;
  return await tx.repository.findFirst({ where: { fullName: { equals: `${match[1]}/${match[2]}`, mode: "insensitive" } }, select: { id: true, fullName: true } });
}

export interface ChangeSet {
  changes: SyncChangeDto[];
  authorPersonIds: string[];
}

/**
 * What syncing `app` to `revision` would ship: the config commits after the synced revision, and for
 * each image whose tag is an app commit, the app commits between the running and the new tag (in the
 * repositories bound to the app's service). Empty when the revision is the synced one (a re-sync that
 * undoes drift ships nothing new). `desiredImages` are the images at `revision`, when known.
 */
export async function computeChangeSet(
  tx: DbTransaction,
  app: { repoUrl: string; syncedRevision: string | null; images: string[]; serviceId: string | null },
  revision: string,
  desiredImages: string[] | null,
): Promise<ChangeSet> {
  const changes: SyncChangeDto[] = [];
  const configRepo = await repositoryByUrl(tx, app.repoUrl);
  if (configRepo && revision !== app.syncedRevision) {
    for (const commit of await commitsBetween(tx, configRepo.id, revision, app.syncedRevision)) {
      changes.push({ kind: "config", repository: configRepo.fullName, sha: commit.sha, headline: commit.headline, author: commit.author, authorPersonId: commit.authorPersonId, url: `https://github.com/${configRepo.fullName}/commit/${commit.sha}` });
    }
  }
  if (desiredImages && app.serviceId) {
    const running = new Map(app.images.map((image) => [image.replace(SHA_TAG, ""), SHA_TAG.exec(image)?.[1] ?? null]));
    // Repository bindings are keyed `github:<owner>/<name>` (see the catalog's conventions).
    const bound = await tx.serviceBinding.findMany({ where: { serviceId: app.serviceId, kind: "REPOSITORY" }, select: { matchKey: true } });
    const fullNames = bound.map((binding) => binding.matchKey.replace(/^github:/, ""));
    const repositories = fullNames.length === 0 ? [] : await tx.repository.findMany({ where: { fullName: { in: fullNames } }, select: { id: true, fullName: true } });
    for (const image of desiredImages) {
      const tag = SHA_TAG.exec(image)?.[1];
      const runningTag = running.get(image.replace(SHA_TAG, ""));
      if (!tag || tag === runningTag) continue;
      for (const repository of repositories) {
        const commits = await commitsBetween(tx, repository.id, tag, runningTag ?? null);
        for (const commit of commits) {
          changes.push({ kind: "app", repository: repository.fullName, sha: commit.sha, headline: commit.headline, author: commit.author, authorPersonId: commit.authorPersonId, url: `https://github.com/${repository.fullName}/commit/${commit.sha}` });
        }
      }
    }
  }
  const authorPersonIds = [...new Set(changes.map((change) => change.authorPersonId).filter((id): id is string => id !== null))];
  return { changes, authorPersonIds };
}
