import type { GenericOAuthConfig } from "better-auth/plugins/generic-oauth";
import type { Env } from "@/lib/env";

/** A way to sign in besides e-mail and password, as the sign-in page lists it. */
export interface SignInProvider {
  /** Better Auth's provider id: `signIn.social({ provider: id })`, callback `/api/auth/callback/<id>`. */
  id: "github" | "oidc";
  /** What the button says after "Sign in with". */
  name: string;
}

export interface GithubProviderOptions {
  clientId: string;
  clientSecret: string;
  /** The e-mail list (user:email) tells which addresses GitHub has verified. */
  scope: string[];
  /** Accounts come from an admin or the allowed-domains rule (`oauth-gate.ts`), never implicitly here. */
  disableImplicitSignUp: false;
}

export interface SignInProviderOptions {
  providers: SignInProvider[];
  github: GithubProviderOptions | null;
  oidc: GenericOAuthConfig<"oidc"> | null;
  /** Lower-case domains whose verified e-mails may create a viewer account on first sign-in. */
  allowedEmailDomains: string[];
}

/**
 * Turns the environment into Better Auth's provider options. Pure (no network, no database), so a
 * test can check it: GitHub through Better Auth's built-in provider, OIDC through the genericOAuth
 * plugin with discovery, PKCE and ID-token verification required (an issuer whose discovery
 * document has no JWKS is refused rather than trusted unverified). Accounts are keyed by the
 * provider's immutable id (GitHub's numeric user id, the OIDC `sub`), never by e-mail or login.
 */
export function buildSignInProviderOptions(env: Pick<Env, "AUTH_GITHUB_CLIENT_ID" | "AUTH_GITHUB_CLIENT_SECRET" | "AUTH_OIDC_ISSUER" | "AUTH_OIDC_CLIENT_ID" | "AUTH_OIDC_CLIENT_SECRET" | "AUTH_OIDC_NAME" | "AUTH_ALLOWED_EMAIL_DOMAINS">): SignInProviderOptions {
  const providers: SignInProvider[] = [];
  let github: GithubProviderOptions | null = null;
  let oidc: GenericOAuthConfig<"oidc"> | null = null;
  if (env.AUTH_GITHUB_CLIENT_ID && env.AUTH_GITHUB_CLIENT_SECRET) {
    github = { clientId: env.AUTH_GITHUB_CLIENT_ID, clientSecret: env.AUTH_GITHUB_CLIENT_SECRET, scope: ["read:user", "user:email"], disableImplicitSignUp: false };
    providers.push({ id: "github", name: "GitHub" });
  }
  if (env.AUTH_OIDC_ISSUER && env.AUTH_OIDC_CLIENT_ID && env.AUTH_OIDC_CLIENT_SECRET) {
    const issuer = env.AUTH_OIDC_ISSUER.replace(/\/+$/, "");
    oidc = {
      providerId: "oidc",
      name: env.AUTH_OIDC_NAME,
      discoveryUrl: `${issuer}/.well-known/openid-configuration`,
      requireIdTokenVerification: true,
      clientId: env.AUTH_OIDC_CLIENT_ID,
      clientSecret: env.AUTH_OIDC_CLIENT_SECRET,
      scopes: ["openid", "email", "profile"],
      pkce: true,
    };
    providers.push({ id: "oidc", name: env.AUTH_OIDC_NAME });
  }
  return { providers, github, oidc, allowedEmailDomains: env.AUTH_ALLOWED_EMAIL_DOMAINS };
}
