/** Users as GitHub embeds them (`simple-user`) and as `GET /user` returns the token's owner (`private-user`). */
import type { SandboxUser } from "../model";
import type { ApiContext } from "./context";
import { type Schemas, nodeId, stableId } from "./schemas";

/** A user that commits or events name but the org's user list lacks is still a GitHub user; give it a stable id. */
export function resolveUser(ctx: ApiContext, login: string): SandboxUser {
  return (
    ctx.users.get(login.toLowerCase()) ?? {
      id: stableId(`user:${login}`),
      login,
      name: login,
      email: `${login}@users.noreply.github.com`,
      type: login.endsWith("[bot]") ? "Bot" : "User",
    }
  );
}

export function serializeSimpleUser(ctx: ApiContext, login: string): Schemas["simple-user"] {
  const user = resolveUser(ctx, login);
  return serializeAccount(ctx, { id: user.id, login: user.login, type: user.type });
}

/**
 * GitHub's `simple-user` shape for any account: a person, a bot, or an organisation embedded as a
 * repository owner (GitHub uses the same shape there, with type "Organization").
 */
export function serializeAccount(ctx: ApiContext, account: { id: number; login: string; type: "User" | "Bot" | "Organization" }): Schemas["simple-user"] {
  const api = `${ctx.apiBase}/users/${encodeURIComponent(account.login)}`;
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId(account.type, account.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url: `${ctx.htmlBase}/${encodeURIComponent(account.login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: account.type,
    user_view_type: "public",
    site_admin: false,
  };
}

export function serializeNullableUser(ctx: ApiContext, login: string | null): Schemas["simple-user"] | null {
  return login === null ? null : serializeSimpleUser(ctx, login);
}

export function serializePrivateUser(ctx: ApiContext, user: SandboxUser): Schemas["private-user"] {
  const simple = serializeSimpleUser(ctx, user.login);
  return {
    ...simple,
    name: user.name,
    company: `@${ctx.org.login}`,
    blog: "",
    location: null,
    email: user.email,
    notification_email: user.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: ctx.org.createdAt,
    updated_at: ctx.org.createdAt,
    private_gists: 0,
    total_private_repos: 0,
    owned_private_repos: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
    plan: { collaborators: 0, name: "pro", space: 976562499, private_repos: 9999 },
  };
}
