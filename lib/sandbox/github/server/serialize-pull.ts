/** Pull requests (`pull-request-simple` in lists, `pull-request` when fetched one by one) and their reviews. */
import type { SandboxPullRequest, SandboxRepository, SandboxReview } from "../model";
import type { ApiContext } from "./context";
import { type Schemas, nodeId } from "./schemas";
import { serializeLabel } from "./serialize-label";
import { serializeRepository } from "./serialize-repo";
import { serializeNullableUser, serializeSimpleUser } from "./serialize-user";

export type AuthorAssociation = Schemas["author-association"];

export function authorAssociation(ctx: ApiContext, login: string): AuthorAssociation {
  return ctx.users.has(login.toLowerCase()) ? "MEMBER" : "CONTRIBUTOR";
}

function pullUrls(ctx: ApiContext, repo: SandboxRepository, pr: SandboxPullRequest) {
  const api = `${ctx.apiBase}/repos/${repo.fullName}`;
  const html = `${ctx.htmlBase}/${repo.fullName}/pull/${pr.number}`;
  return {
    url: `${api}/pulls/${pr.number}`,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pr.number}`,
    commits_url: `${api}/pulls/${pr.number}/commits`,
    review_comments_url: `${api}/pulls/${pr.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pr.number}/comments`,
    statuses_url: `${api}/statuses/${pr.headSha}`,
  };
}

/** Fields both PR shapes share, typed as built so the stricter `pull-request` (non-null user, enum state) accepts them. */
function pullCore(ctx: ApiContext, repo: SandboxRepository, pr: SandboxPullRequest) {
  const urls = pullUrls(ctx, repo, pr);
  const repository = serializeRepository(ctx, repo);
  const owner = serializeSimpleUser(ctx, ctx.org.login);
  return {
    ...urls,
    id: pr.id,
    node_id: nodeId("PullRequest", pr.id),
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: serializeSimpleUser(ctx, pr.authorLogin),
    body: pr.body === "" ? null : pr.body,
    labels: pr.labels.map((name) => serializeLabel(ctx, repo, name)),
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: pr.mergedAt,
    merge_commit_sha: pr.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: { label: `${ctx.org.login}:${pr.headRef}`, ref: pr.headRef, sha: pr.headSha, user: owner, repo: repository },
    base: { label: `${ctx.org.login}:${pr.baseRef}`, ref: pr.baseRef, sha: pr.baseSha, user: owner, repo: repository },
    _links: {
      self: { href: urls.url },
      html: { href: urls.html_url },
      issue: { href: urls.issue_url },
      comments: { href: urls.comments_url },
      review_comments: { href: urls.review_comments_url },
      review_comment: { href: urls.review_comment_url },
      commits: { href: urls.commits_url },
      statuses: { href: urls.statuses_url },
    },
    author_association: authorAssociation(ctx, pr.authorLogin),
    auto_merge: null,
    draft: pr.draft,
  };
}

export function serializePullSimple(ctx: ApiContext, repo: SandboxRepository, pr: SandboxPullRequest): Schemas["pull-request-simple"] {
  return pullCore(ctx, repo, pr);
}

/** Diff size is not modelled; these are stable per PR so ETags stay put, and grow with the number of commits. */
function diffStats(pr: SandboxPullRequest): { additions: number; deletions: number; changed_files: number } {
  const seed = pr.id * 2654435761;
  const commits = Math.max(1, pr.commitShas.length);
  return { additions: ((seed >>> 3) % 120) * commits + 1, deletions: ((seed >>> 7) % 60) * commits, changed_files: ((seed >>> 11) % 8) + commits };
}

export function serializePull(ctx: ApiContext, repo: SandboxRepository, pr: SandboxPullRequest): Schemas["pull-request"] {
  const open = pr.state === "open";
  return {
    ...pullCore(ctx, repo, pr),
    merged: pr.mergedAt !== null,
    // GitHub computes mergeability only for open PRs; closed ones report null/"unknown".
    mergeable: open ? true : null,
    rebaseable: open ? true : null,
    mergeable_state: open ? (pr.draft ? "draft" : "clean") : "unknown",
    merged_by: serializeNullableUser(ctx, pr.mergedByLogin),
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pr.commitShas.length,
    ...diffStats(pr),
  };
}

export function serializeReview(
  ctx: ApiContext,
  repo: SandboxRepository,
  pr: SandboxPullRequest,
  review: SandboxReview,
): Schemas["pull-request-review"] {
  const html = `${ctx.htmlBase}/${repo.fullName}/pull/${pr.number}#pullrequestreview-${review.id}`;
  const prUrl = `${ctx.apiBase}/repos/${repo.fullName}/pulls/${pr.number}`;
  return {
    id: review.id,
    node_id: nodeId("PullRequestReview", review.id),
    user: serializeSimpleUser(ctx, review.userLogin),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: prUrl,
    author_association: authorAssociation(ctx, review.userLogin),
    _links: { html: { href: html }, pull_request: { href: prUrl } },
    submitted_at: review.submittedAt,
    commit_id: review.commitId,
  };
}
