/**
 * The config repositories as repositories of the sandbox's GitHub org, next to the app repositories:
 * what Argo CD and Flux read is then also what the product's GitHub client can read (history, the
 * file at each revision), as on a real org where CI bumps image tags in a `<service>-config` repo.
 */
import { gitTreeSha } from "@/lib/sandbox/github/git-objects";
import type { SandboxCommit, SandboxOrg, SandboxRepository } from "@/lib/sandbox/github/model";
import { SERVICES } from "../catalog";
import type { IdSequences } from "../ids";
import type { SandboxConfigRepository } from "./model";

/** The topic that marks a GitOps config repository (what the product's catalog rule reads). */
export const GITOPS_CONFIG_TOPIC = "gitops-config";

/**
 * Adds each config repository to the org. Called after the whole simulation, so the app
 * repositories keep the ids, shas and streams they had before config repositories were served:
 * these only take the next repository ids, in catalog order (stable whatever the org's end).
 */
export function addConfigRepositories(org: SandboxOrg, ids: IdSequences, configRepositories: readonly SandboxConfigRepository[]): void {
  for (const config of configRepositories) org.repositories.push(toSandboxRepository(ids.next("repository"), config));
}

export function toSandboxRepository(id: number, config: SandboxConfigRepository): SandboxRepository {
  const service = SERVICES.find((candidate) => candidate.slug === config.serviceSlug);
  if (!service) throw new Error(`No service ${config.serviceSlug} for ${config.fullName}`);
  const commits = new Map<string, SandboxCommit>();
  const files = new Map<string, string>();
  for (const commit of config.commits) {
    const existed = files.has(commit.path);
    files.set(commit.path, commit.content);
    const person = { name: commit.authorName, email: commit.authorEmail, date: commit.committedAt, login: commit.authorLogin };
    commits.set(commit.sha, {
      sha: commit.sha,
      parents: [...commit.parents],
      message: commit.message,
      author: person,
      committer: person,
      // The bot commits through GitHub's API and people revert in the web UI: GitHub signs both.
      verified: true,
      treeSha: gitTreeSha(files)!,
      files: [{ filename: commit.path, status: existed ? "modified" : "added", content: commit.content }],
    });
  }
  const head = config.commits.at(-1);
  const [name] = config.fullName.split("/").slice(1);
  return {
    id,
    name: name!,
    fullName: config.fullName,
    description: `Kubernetes manifests of ${config.serviceSlug} in production, reconciled by GitOps`,
    defaultBranch: config.defaultBranch,
    createdAt: config.createdAt,
    updatedAt: head?.committedAt ?? config.createdAt,
    pushedAt: head?.committedAt ?? config.createdAt,
    archived: false,
    topics: [GITOPS_CONFIG_TOPIC, `team-${service.teamSlug}`],
    language: null,
    commits,
    branches: new Map(head ? [[config.defaultBranch, head.sha]] : []),
    branchHistory: new Map([[config.defaultBranch, { createdAt: config.createdAt, deleted: null }]]),
    pullRequests: [],
    deployments: [],
    workflows: [],
    workflowRuns: [],
    issues: [],
  };
}
