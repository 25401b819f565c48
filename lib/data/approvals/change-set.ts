import type { DbTransaction } from "@/lib/db/client";
import type { SyncChangeDto } from "./approval-types";

/** Owner and name of a Git remote on any host (GitHub Enterprise included); names may hold dots. */
const REPO_URL = /^(?:[a-z+]+:\/\/(?:[^@/]+@)?[^/]+\/|[^@]+@[^:]+:)([^/]+)\/([^/]+?)(?:\.git)?\/?$/i;
const SHA_TAG = /:([0-9a-f]{7,40})$/;
/** History older than this before the base is not read: commits that old are not what a sync reviews. */
const HORIZON_MS = 60 * 86_400_000;
const MAX_COMMITS = 20_000;

interface MirroredCommit {
  sha: string;
  parentShas: string[];
  headline: string;
  author: string;
  authorLogin: string | null;
  authorEmail: string | null;
  authorPersonId: string | null;
  committedAt: Date;
}

export interface ChangeSet {
  changes: SyncChangeDto[];
  authorPersonIds: string[];
  /** `github:<login>` and `email:<address>`, lower-cased: re-resolved at every decision, so a login linked later still counts. */
  authorIdentities: string[];
  /** Null when every change could be read; else why not (then authors cannot be excluded, and approval waits). */
  incompleteReason: string | null;
}

function parseRepo(repoUrl: string): string | null {
  const match = REPO_URL.exec(repoUrl.trim());
  return match ? `${match[1]}/${match[2]}` : null;
}

async function repositoryByFullName(tx: DbTransaction, fullName: string): Promise<{ id: string; fullName: string } | null> {
  return await tx.repository.findFirst({ where: { fullName: { equals: fullName, mode: "insensitive" } }, select: { id: true, fullName: true } });
}

/**
 * The commits `head` has and `base` has not (ancestors of head minus ancestors of base), newest first,
 * from the mirrored history of one repository. A rollback (base after head) ships nothing new.
 * Null when head, or a given base, is not mirrored (yet).
 */
async function commitsBetween(tx: DbTransaction, repositoryId: string, head: string, base: string | null): Promise<MirroredCommit[] | null> {
  const ends = await tx.commit.findMany({
    where: { repositoryId, OR: [{ sha: { startsWith: head } }, ...(base ? [{ sha: { startsWith: base } }] : [])] },
    select: { sha: true, committedAt: true },
  });
  const headRow = ends.find((row) => row.sha.startsWith(head));
  const baseRow = base ? ends.find((row) => row.sha.startsWith(base)) : null;
  if (!headRow || (base && !baseRow)) return null;
  const oldest = Math.min(headRow.committedAt.getTime(), baseRow?.committedAt.getTime() ?? headRow.committedAt.getTime());
  const rows = await tx.commit.findMany({
    where: { repositoryId, committedAt: { gte: new Date(oldest - HORIZON_MS) } },
    select: { sha: true, parentShas: true, messageHeadline: true, authorLogin: true, authorEmail: true, authorName: true, authorPersonId: true, committedAt: true },
    orderBy: { committedAt: "desc" },
    take: MAX_COMMITS,
  });
  const bySha = new Map(rows.map((row) => [row.sha, row]));
  const ancestors = (start: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [start];
    while (stack.length > 0) {
      const sha = stack.pop()!;
      if (seen.has(sha)) continue;
      const commit = bySha.get(sha);
      if (!commit) continue;
      seen.add(sha);
      stack.push(...commit.parentShas);
    }
    return seen;
  };
  const shipped = ancestors(baseRow?.sha ?? "");
  return [...ancestors(headRow.sha)]
    .filter((sha) => !shipped.has(sha))
    .map((sha) => bySha.get(sha)!)
    .sort((a, b) => b.committedAt.getTime() - a.committedAt.getTime())
    .map((row) => ({
      sha: row.sha,
      parentShas: row.parentShas,
      headline: row.messageHeadline,
      author: row.authorLogin ?? row.authorName ?? row.authorEmail ?? "unknown",
      authorLogin: row.authorLogin,
      authorEmail: row.authorEmail,
      authorPersonId: row.authorPersonId,
      committedAt: row.committedAt,
    }));
}

/**
 * What syncing `app` to `revision` would ship: the config commits after the synced revision, and for
 * each image whose tag is an app commit, the app commits between the running and the new tag (in the
 * repositories bound to the app's service). Empty when the revision is the synced one (a re-sync that
 * undoes drift ships nothing new). `desiredImages` are the images at `revision`, null when unreadable.
 * Whatever cannot be read makes the set incomplete: its authors are unknown, so four eyes cannot
 * exclude them, and the caller fails closed.
 */
export async function computeChangeSet(
  tx: DbTransaction,
  app: { repoUrl: string; syncedRevision: string | null; images: string[]; serviceId: string | null },
  revision: string,
  desiredImages: string[] | null,
): Promise<ChangeSet> {
  if (revision === app.syncedRevision) return { changes: [], authorPersonIds: [], authorIdentities: [], incompleteReason: null };
  const changes: (SyncChangeDto & { login: string | null; email: string | null })[] = [];
  const missing: string[] = [];
  const configName = parseRepo(app.repoUrl);
  const configRepo = configName ? await repositoryByFullName(tx, configName) : null;
  if (!configRepo) missing.push(`the config repository ${configName ?? app.repoUrl} is not mirrored from GitHub`);
  else {
    const commits = await commitsBetween(tx, configRepo.id, revision, app.syncedRevision);
    if (!commits) missing.push(`revision ${revision.slice(0, 12)} of ${configRepo.fullName} is not mirrored yet`);
    for (const commit of commits ?? []) changes.push(toChange("config", configRepo.fullName, commit));
  }
  if (desiredImages === null) missing.push("the images of the revision could not be read");
  else if (app.serviceId) {
    const running = new Map(app.images.map((image) => [image.replace(SHA_TAG, ""), SHA_TAG.exec(image)?.[1] ?? null]));
    // Repository bindings are keyed `github:<owner>/<name>` (see the catalog's conventions).
    const bound = await tx.serviceBinding.findMany({ where: { serviceId: app.serviceId, kind: "REPOSITORY" }, select: { matchKey: true } });
    const fullNames = bound.map((binding) => binding.matchKey.replace(/^github:/, ""));
    const repositories = fullNames.length === 0 ? [] : await tx.repository.findMany({ where: { fullName: { in: fullNames } }, select: { id: true, fullName: true } });
    for (const image of desiredImages) {
      const tag = SHA_TAG.exec(image)?.[1];
      const runningTag = running.get(image.replace(SHA_TAG, "")) ?? null;
      if (!tag || tag === runningTag) continue;
      let found = false;
      for (const repository of repositories) {
        const commits = await commitsBetween(tx, repository.id, tag, runningTag);
        if (!commits) continue;
        found = true;
        for (const commit of commits) changes.push(toChange("app", repository.fullName, commit));
      }
      if (!found) missing.push(`the app commit ${tag} of image ${image.replace(SHA_TAG, "")} is not mirrored`);
    }
  }
  const authorPersonIds = [...new Set(changes.map((change) => change.authorPersonId).filter((id): id is string => id !== null))];
  const authorIdentities = [
    ...new Set(changes.flatMap((change) => [change.login ? `github:${change.login.toLowerCase()}` : null, change.email ? `email:${change.email.toLowerCase()}` : null]).filter((value): value is string => value !== null)),
  ];
  return {
    changes: changes.map(({ login: _login, email: _email, ...change }) => change),
    authorPersonIds,
    authorIdentities,
    incompleteReason: missing.length ? `The change set is incomplete: ${missing.join("; ")}.` : null,
  };
}

function toChange(kind: "config" | "app", repository: string, commit: MirroredCommit): SyncChangeDto & { login: string | null; email: string | null } {
  return {
    kind,
    repository,
    sha: commit.sha,
    headline: commit.headline,
    author: commit.author,
    authorPersonId: commit.authorPersonId,
    url: `https://github.com/${repository}/commit/${commit.sha}`,
    login: commit.authorLogin,
    email: commit.authorEmail,
  };
}
