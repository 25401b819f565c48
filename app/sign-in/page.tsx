import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getViewerContext } from "@/lib/data/context";
import { describeSignInError, getSignInOptions, safeNextPath } from "@/lib/data/auth/sign-in-options";
import { Logo } from "@/components/shell/logo";
import { SignInForm } from "@/components/auth/sign-in-form";
import { StatusFooter } from "@/components/shell/status-footer";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  const ctx = await getViewerContext();
  if (ctx.viewer.kind === "user") redirect(next);
  const { demoAccounts, providers } = getSignInOptions();
  return (
    <div className="flex min-h-screen flex-col items-center px-4 py-16">
      <main id="main" tabIndex={-1} className="w-full max-w-md rounded-lg border border-line bg-surface p-8 shadow-[0_1px_2px_rgb(15_23_42/0.04)]">
        <div className="mb-6 flex items-center gap-2.5">
          <Logo className="size-8" />
          <span className="text-base font-semibold tracking-tight text-fg">Pipeline Health</span>
        </div>
        <h1 className="text-xl font-semibold text-fg">Sign in</h1>
        <p className="mt-1 mb-6 text-sm text-muted">Delivery health for DevOps and GitOps, side by side.</p>
        <SignInForm next={next} demoAccounts={demoAccounts} providers={providers} providerError={describeSignInError(params.error)} />
      </main>
      {/* Signing in needs the database; when it is down, say so here rather than fail mysteriously. */}
      <StatusFooter className="mt-6 w-full max-w-md px-2" />
    </div>
  );
}
