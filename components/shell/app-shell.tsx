import type { ReactNode } from "react";
import Link from "next/link";
import { Logo } from "./logo";
import { SidebarNav } from "./sidebar-nav";
import { StatusFooter } from "./status-footer";
import { SessionPanel } from "@/components/auth/session-panel";
import type { SessionSummaryDto } from "@/lib/data/auth/sign-in-options";

/**
 * The frame around every page: skip link, sidebar (banner, main navigation, status footer)
 * and the main landmark the skip link targets.
 */
export function AppShell({ children, session }: { children: ReactNode; session: SessionSummaryDto }) {
  return (
    <>
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-accent px-4 py-2 text-sm font-medium text-accent-fg focus:not-sr-only focus:fixed focus:top-3 focus:left-3"
      >
        Skip to content
      </a>
      <div className="grid min-h-screen grid-cols-[15rem_minmax(0,1fr)]">
        <div className="border-r border-line bg-surface">
          <div className="sticky top-0 flex h-screen flex-col">
            <header className="px-5 pt-5 pb-6">
              <Link href="/" className="flex items-center gap-2.5 rounded-md">
                <Logo className="size-8" />
                <span className="text-base font-semibold tracking-tight text-fg">Pipeline Health</span>
              </Link>
            </header>
            <SidebarNav />
            <div className="mt-auto border-t border-line px-5 py-3">
              <SessionPanel session={session} />
            </div>
            <StatusFooter className="border-t border-line px-5 py-4" />
          </div>
        </div>
        <main id="main" tabIndex={-1} className="min-w-0 px-10 py-8">
          <div className="mx-auto flex max-w-6xl flex-col gap-8">{children}</div>
        </main>
      </div>
    </>
  );
}
