/** `GET /orgs/{org}`: the organisation in GitHub's `organization-full` shape. */
import { type ApiContext, repositoriesAt } from "./context";
import { type Schemas, nodeId } from "./schemas";

export function serializeOrganization(ctx: ApiContext): Schemas["organization-full"] {
  const org = ctx.org;
  const api = `${ctx.apiBase}/orgs/${org.login}`;
  return {
    login: org.login,
    id: org.id,
    node_id: nodeId("Organization", org.id),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${org.id}?v=4`,
    description: `${org.name} (sandbox)`,
    name: org.name,
    blog: `${ctx.htmlBase}/${org.login}`,
    twitter_username: null,
    is_verified: false,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: repositoriesAt(ctx).length,
    public_gists: 0,
    followers: 0,
    following: 0,
    html_url: `${ctx.htmlBase}/${org.login}`,
    type: "Organization",
    created_at: org.createdAt,
    updated_at: org.createdAt,
    archived_at: null,
  };
}
