/**
 * Issues in GitHub's `issue` shape. GitHub's issue endpoints list pull requests too (every PR is an
 * issue), marked by a `pull_request` key; the sandbox does the same so clients must filter them out
 * exactly as they would against github.com.
 */
import type { SandboxIssue, SandboxPullRequest, SandboxRepository } from "../model";
import type { ApiContext } from "./context";
import { type Schemas, nodeId } from "./schemas";
import { serializeLabel } from "./serialize-label";
import { authorAssociation } from "./serialize-pull";
import { serializeSimpleUser } from "./serialize-user";

/**
 * A PR's issue has its own id on GitHub, distinct from the PR id. The model has one id per PR, so the
 * issue id is derived in a range of its own (well above any generated id, within 2^53).
 */
export const PULL_ISSUE_ID_OFFSET = 1_000_000_000_000;

/** What the issue endpoints list: an issue, or a PR seen through its issue. */
export type IssueLike = { kind: "issue"; issue: SandboxIssue } | { kind: "pull"; pull: SandboxPullRequest };

/** The fields a PR shares with an issue are an issue's own, so a PR reads as one (with its issue id). */
export function issueLikeFields(item: IssueLike): SandboxIssue {
  if (item.kind === "issue") return item.issue;
  const pr = item.pull;
  return { ...pr, id: PULL_ISSUE_ID_OFFSET + pr.id };
}

export function serializeIssue(ctx: ApiContext, repo: SandboxRepository, item: IssueLike): Schemas["issue"] {
  const fields = issueLikeFields(item);
  const api = `${ctx.apiBase}/repos/${repo.fullName}`;
  const issueUrl = `${api}/issues/${fields.number}`;
  const closed = fields.state === "closed";
  const pr = item.kind === "pull" ? item.pull : null;
  const htmlPath = pr ? "pull" : "issues";
  const out: Schemas["issue"] = {
    id: fields.id,
    node_id: nodeId(pr ? "PullRequest" : "Issue", fields.id),
    url: issueUrl,
    repository_url: api,
    labels_url: `${issueUrl}/labels{/name}`,
    comments_url: `${issueUrl}/comments`,
    events_url: `${issueUrl}/events`,
    html_url: `${ctx.htmlBase}/${repo.fullName}/${htmlPath}/${fields.number}`,
    number: fields.number,
    state: fields.state,
    // A merged or otherwise closed PR, or a closed issue, reads as completed; nothing in the model says "not planned".
    state_reason: closed ? "completed" : null,
    title: fields.title,
    body: fields.body === "" ? null : fields.body,
    user: serializeSimpleUser(ctx, fields.authorLogin),
    labels: fields.labels.map((name) => serializeLabel(ctx, repo, name)),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: 0,
    closed_at: fields.closedAt,
    created_at: fields.createdAt,
    updated_at: fields.updatedAt,
    author_association: authorAssociation(ctx, fields.authorLogin),
    timeline_url: `${issueUrl}/timeline`,
    performed_via_github_app: null,
  };
  if (pr) {
    const html = `${ctx.htmlBase}/${repo.fullName}/pull/${pr.number}`;
    out.pull_request = { url: `${api}/pulls/${pr.number}`, html_url: html, diff_url: `${html}.diff`, patch_url: `${html}.patch`, merged_at: pr.mergedAt };
    out.draft = pr.draft;
  }
  return out;
}
