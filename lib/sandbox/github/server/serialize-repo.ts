/** Repositories in GitHub's shapes: `minimal-repository` (org listing), `full-repository` (get) and `repository` (inside PRs). */
import type { SandboxRepository } from "../model";
import { type ApiContext, latestPast, memo } from "./context";
import { type Schemas, nodeId } from "./schemas";
import { serializeAccount } from "./serialize-user";
import { branchesAt, commitCountAt, issuesAt, lastActivityAt, pullsAt } from "./visibility";

/** The org as a repository owner: GitHub embeds organisations with the `simple-user` shape and type "Organization". */
export function serializeOrgOwner(ctx: ApiContext): Schemas["simple-user"] {
  return serializeAccount(ctx, { id: ctx.org.id, login: ctx.org.login, type: "Organization" });
}

/** When the repository last received a push, as of now: a future push has not happened yet. */
function pushedAt(ctx: ApiContext, repo: SandboxRepository): string {
  const heads = [...branchesAt(repo, ctx.now).values()].map((sha) => repo.commits.get(sha)?.committer.date);
  return latestPast(ctx.now, repo.createdAt, ...heads);
}

export function serializeRepository(ctx: ApiContext, repo: SandboxRepository): Schemas["repository"] {
  return memo(ctx, `repository:${repo.id}`, () => buildRepository(ctx, repo));
}

function buildRepository(ctx: ApiContext, repo: SandboxRepository): Schemas["repository"] {
  const api = `${ctx.apiBase}/repos/${repo.fullName}`;
  const html = `${ctx.htmlBase}/${repo.fullName}`;
  const host = new URL(ctx.htmlBase).host;
  const pushed = pushedAt(ctx, repo);
  const pulls = pullsAt(repo, ctx.now);
  const issues = issuesAt(repo, ctx.now);
  // GitHub counts open PRs in open_issues_count: they are issues too.
  const openIssues = [...issues, ...pulls].filter((item) => item.state === "open").length;
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: repo.fullName,
    private: false,
    owner: serializeOrgOwner(ctx),
    html_url: html,
    description: repo.description,
    fork: false,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    created_at: repo.createdAt,
    updated_at: lastActivityAt(repo, ctx.now, pushed, pulls, issues),
    pushed_at: pushed,
    git_url: `git://${host}/${repo.fullName}.git`,
    ssh_url: `git@${host}:${repo.fullName}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    homepage: null,
    size: commitCountAt(repo, ctx.now) * 4,
    stargazers_count: 0,
    watchers_count: 0,
    language: repo.language === undefined ? "TypeScript" : repo.language,
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: repo.archived,
    disabled: false,
    open_issues_count: openIssues,
    license: null,
    allow_forking: false,
    is_template: false,
    web_commit_signoff_required: false,
    topics: repo.topics,
    visibility: "public",
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    default_branch: repo.defaultBranch,
    permissions: { admin: false, maintain: false, push: false, triage: false, pull: true },
  };
}

export function serializeMinimalRepository(ctx: ApiContext, repo: SandboxRepository): Schemas["minimal-repository"] {
  const { license: _license, ...rest } = serializeRepository(ctx, repo);
  return { ...rest, license: null };
}

export function serializeFullRepository(ctx: ApiContext, repo: SandboxRepository): Schemas["full-repository"] {
  const base = serializeRepository(ctx, repo);
  return {
    ...base,
    pushed_at: base.pushed_at ?? repo.createdAt,
    created_at: repo.createdAt,
    updated_at: base.updated_at ?? repo.updatedAt,
    has_discussions: false,
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: true,
    allow_auto_merge: false,
    delete_branch_on_merge: true,
    allow_update_branch: false,
    use_squash_pr_title_as_default: true,
    squash_merge_commit_title: "PR_TITLE",
    squash_merge_commit_message: "COMMIT_MESSAGES",
    merge_commit_title: "MERGE_MESSAGE",
    merge_commit_message: "PR_TITLE",
    organization: serializeOrgOwner(ctx),
    network_count: 0,
    subscribers_count: 0,
  };
}
