import { RequestError } from "@octokit/request-error";
import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import { integrationToken } from "@/lib/ingest/integration-token";
import { SANDBOX_GITHUB_TOKEN } from "@/lib/ingest/integrations";
import type { GitOpsOperationRecord } from "@/lib/ingest/records";
import { type GithubClient, createGithubClient } from "@/lib/sources/github/client";
import { readFileAt } from "@/lib/sources/github/config-history";
import { imagesFromManifest } from "@/lib/sources/github/config-images";

/**
 * The images a config revision names, read from the config repository at that revision (DESIGN §3:
 * kustomize `images:`, Helm values, plain manifests), for syncs whose images the controller no
 * longer says: Argo CD reports images only for what runs now. Only repositories a GitHub
 * integration mirrors are read, with that integration's credentials; anything else stays unknown
 * (and its deployment unresolved). Answers are cached for the resolver's life.
 */
export interface RevisionImageResolver {
  imagesAt(repoUrl: string, path: string, revision: string): Promise<string[]>;
}

const GITHUB_URL = /github\.com[/:]([^/]+)\/([^/]+?)(?:\.git)?\/?$/;

export interface ConfigRepositoryClient {
  client: GithubClient;
  owner: string;
  repo: string;
  defaultBranch: string;
  backfillDays: number;
}

/** A client for a config repository a GitHub integration mirrors (by its Git URL); null when none does. */
export async function githubClientForRepository(db: Db, env: Env, clock: Clock, repoUrl: string): Promise<ConfigRepositoryClient | null> {
  const match = GITHUB_URL.exec(repoUrl);
  if (!match) return null;
  const [owner, repo] = [match[1]!, match[2]!];
  const repository = await db.repository.findFirst({ where: { fullName: { equals: `${owner}/${repo}`, mode: "insensitive" }, integration: { enabled: true } }, select: { defaultBranch: true, integration: true } });
  if (!repository) return null;
  const integration = repository.integration;
  const token = await integrationToken(db, integration, env, { env: env.GITHUB_TOKEN, envName: "GITHUB_TOKEN", sandbox: SANDBOX_GITHUB_TOKEN });
  const backfillDays = Number((integration.settings as { backfillDays?: unknown } | null)?.backfillDays) || 180;
  return { client: createGithubClient({ baseUrl: integration.baseUrl, token, clock }), owner, repo, defaultBranch: repository.defaultBranch, backfillDays };
}

export function createRevisionImageResolver(db: Db, env: Env, clock: Clock): RevisionImageResolver {
  const clients = new Map<string, Promise<GithubClient | null>>();
  const cache = new Map<string, Promise<string[]>>();

  const clientFor = (fullName: string) => {
    let client = clients.get(fullName);
    if (!client) {
      client = githubClientForRepository(db, env, clock, `https://github.com/${fullName}`).then((found) => found?.client ?? null);
      clients.set(fullName, client);
    }
    return client;
  };

  async function read(repoUrl: string, path: string, revision: string): Promise<string[]> {
    const match = GITHUB_URL.exec(repoUrl);
    if (!match) return [];
    const [owner, repo] = [match[1]!, match[2]!];
    const client = await clientFor(`${owner}/${repo}`);
    if (!client) return [];
    const directory = path.replace(/^\.?\/+|\/+$/g, "");
    let files: string[];
    try {
      const listing = await client.request("GET /repos/{owner}/{repo}/contents/{path}", { owner, repo, path: directory, ref: revision });
      files = Array.isArray(listing.data) ? listing.data.filter((entry) => entry.type === "file" && /\.ya?ml$/.test(entry.name)).map((entry) => entry.path) : [directory];
    } catch (error) {
      if (error instanceof RequestError && error.status === 404) return [];
      throw error;
    }
    const images = new Set<string>();
    for (const file of files) {
      const text = await readFileAt(client, { owner, repo, path: file, ref: revision });
      if (text) for (const image of imagesFromManifest(text)) images.add(image.reference);
    }
    return [...images].sort();
  }

  return {
    imagesAt(repoUrl, path, revision) {
      const key = `${repoUrl}\n${path}\n${revision}`;
      let answer = cache.get(key);
      if (!answer) {
        // A failed read is not cached: the next pass tries again.
        answer = read(repoUrl, path, revision).catch((error: unknown) => {
          cache.delete(key);
          throw error;
        });
        cache.set(key, answer);
      }
      return answer;
    },
  };
}

/**
 * Fills in the images of finished syncs that have none, from the config repository, skipping those
 * already stored with images (read once, kept on the operation).
 */
export async function withRevisionImages(
  db: Db,
  resolver: RevisionImageResolver,
  integrationId: string,
  app: { repoUrl: string; path: string },
  operations: GitOpsOperationRecord[],
): Promise<GitOpsOperationRecord[]> {
  // Failed attempts too: the image of a revision that never went live is still its deployment's commit.
  const missing = operations.filter((operation) => (operation.status === "SUCCESS" || operation.status === "FAILURE") && operation.images.length === 0 && operation.revision && /^[0-9a-f]{40}$/.test(operation.revision));
  if (missing.length === 0 || !app.repoUrl) return operations;
  const stored = await db.gitOpsOperation.findMany({ where: { integrationId, externalId: { in: missing.map((operation) => operation.externalId) } }, select: { externalId: true, images: true } });
  const known = new Map(stored.filter((row) => row.images.length > 0).map((row) => [row.externalId, row.images]));
  const result: GitOpsOperationRecord[] = [];
  for (const operation of operations) {
    if (!missing.includes(operation)) {
      result.push(operation);
      continue;
    }
    const images = known.get(operation.externalId) ?? (await resolver.imagesAt(app.repoUrl, app.path, operation.revision!).catch(() => []));
    result.push({ ...operation, images });
  }
  return result;
}
