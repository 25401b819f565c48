"use client";

import { useId, useRef, useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth/auth-client";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import type { DemoAccountDto } from "@/lib/data/auth/sign-in-options";
import type { SignInProvider } from "@/lib/auth/sign-in-providers";

const ROLE_LABELS: Record<DemoAccountDto["role"], string> = { VIEWER: "Viewer", ENGINEER: "Engineer", APPROVER: "Approver", ADMIN: "Admin" };

export function SignInForm({
  next,
  demoAccounts,
  providers = [],
  providerError = null,
}: {
  next: string;
  demoAccounts: DemoAccountDto[] | null;
  providers?: SignInProvider[];
  /** Set when a GitHub or OIDC sign-in came back refused. */
  providerError?: string | null;
}) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(providerError);
  const [redirecting, setRedirecting] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const errorId = useId();
  const passwordRef = useRef<HTMLInputElement>(null);

  async function signIn(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const result = await authClient.signIn.email({ email, password }).catch(() => null);
    if (!result || result.error) {
      setPending(false);
      const status = result?.error?.status;
      setError(
        status === 429
          ? "Too many attempts. Wait a minute and try again."
          : status === 401 || status === 400 || status === 403
            ? "That e-mail and password do not match an active account."
            : "Signing in failed. Check that Pipeline Health is running and try again.",
      );
      passwordRef.current?.focus();
      return;
    }
    // A full navigation, so the server renders the next page for the new session.
    window.location.assign(next);
  }

  async function signInWith(provider: SignInProvider) {
    setRedirecting(provider.id);
    setError(null);
    // Better Auth answers with the provider's authorization URL and the browser follows it; a refusal
    // comes back to this page with `?error=`, which the server turns into words.
    const result = await authClient.signIn
      .social({ provider: provider.id, callbackURL: next, errorCallbackURL: `/sign-in?next=${encodeURIComponent(next)}` })
      .catch(() => null);
    if (!result || result.error) {
      setRedirecting(null);
      setError(`Signing in with ${provider.name} could not start. Try again, or use your e-mail and password.`);
    }
  }

  return (
    <div className="flex flex-col gap-6">
      {providers.length > 0 ? (
        <div className="flex flex-col gap-2">
          {providers.map((provider) => (
            <Button key={provider.id} onClick={() => signInWith(provider)} disabled={redirecting !== null} className="py-2">
              {redirecting === provider.id ? `Opening ${provider.name}…` : `Sign in with ${provider.name}`}
            </Button>
          ))}
          <p className="mt-2 text-center text-xs text-muted">or with your e-mail and password</p>
        </div>
      ) : null}
      <form onSubmit={signIn} className="flex flex-col gap-4" aria-describedby={error ? errorId : undefined} noValidate>
        <label className="flex flex-col gap-1.5 text-sm font-medium text-fg">
          E-mail
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            className="rounded-md border border-line-strong bg-surface px-3 py-2 text-sm font-normal text-fg"
          />
        </label>
        <label className="flex flex-col gap-1.5 text-sm font-medium text-fg">
          Password
          <input
            ref={passwordRef}
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            className="rounded-md border border-line-strong bg-surface px-3 py-2 text-sm font-normal text-fg"
          />
        </label>
        {error ? (
          <p id={errorId} role="alert" className="rounded-md bg-danger-bg px-3 py-2 text-sm text-danger-fg">
            {error}
          </p>
        ) : null}
        <Button type="submit" variant="primary" disabled={pending || !email || !password} className="py-2">
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {demoAccounts ? (
        <section aria-labelledby="demo-accounts-heading" className="rounded-md border border-line bg-surface-sunken p-4">
          <h2 id="demo-accounts-heading" className="text-sm font-semibold text-fg">
            Sandbox demo accounts
          </h2>
          <p className="mt-1 text-sm text-muted">
            This installation runs on the sandbox org, so one account per role exists. They are switched off as soon as a real source is configured.
          </p>
          <ul className="mt-3 divide-y divide-line">
            {demoAccounts.map((account) => (
              <li key={account.email} className="flex items-center gap-3 py-2.5">
                <div className="min-w-0 flex-1 text-sm">
                  <div className="flex items-center gap-2">
                    <span className="font-medium text-fg">{account.name}</span>
                    <Badge tone="neutral">{ROLE_LABELS[account.role]}</Badge>
                  </div>
                  <dl className="mt-0.5 grid grid-cols-[auto_1fr] gap-x-2 font-mono text-xs text-muted">
                    <dt className="font-sans">E-mail</dt>
                    <dd className="break-all">{account.email}</dd>
                    <dt className="font-sans">Password</dt>
                    <dd className="break-all">{account.password}</dd>
                  </dl>
                  <div className="text-xs text-muted">{account.purpose}</div>
                </div>
                <Button
                  onClick={() => {
                    setEmail(account.email);
                    setPassword(account.password);
                    setError(null);
                  }}
                  aria-label={`Fill in the ${ROLE_LABELS[account.role].toLowerCase()} account`}
                >
                  Use
                </Button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
