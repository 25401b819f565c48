"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { clsx } from "clsx";
import { PendingApprovalsBadge, pendingApprovalsLabel, usePendingApprovalsCount } from "@/components/approvals/pending-approvals-badge";
import { navItems } from "./nav-items";

/** Exact match marks the page; a deeper path (e.g. /services/api) still highlights its section. */
function matchState(pathname: string, href: string): "page" | "section" | null {
  if (pathname === href) return "page";
  if (href !== "/" && pathname.startsWith(`${href}/`)) return "section";
  return null;
}

export function SidebarNav() {
  const pathname = usePathname();
  const pendingApprovals = usePendingApprovalsCount();
  return (
    <nav aria-label="Main" className="px-3">
      <ul className="flex flex-col gap-0.5">
        {navItems.map((item) => {
          const state = matchState(pathname, item.href);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={state === "page" ? "page" : state === "section" ? "location" : undefined}
                // The count is said with the label ("Approvals, 2 waiting for you"); the visible number is hidden from screen readers.
                aria-label={item.badge === "pending-approvals" && pendingApprovals > 0 ? pendingApprovalsLabel(item.label, pendingApprovals) : undefined}
                className={clsx(
                  "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium",
                  state
                    ? "bg-accent-soft text-fg shadow-[inset_3px_0_0_var(--accent)]"
                    : "text-muted hover:bg-surface-sunken hover:text-fg",
                )}
              >
                <span className={state ? "text-accent" : undefined}>{item.icon}</span>
                <span>{item.label}</span>
                {item.badge === "pending-approvals" ? <PendingApprovalsBadge count={pendingApprovals} /> : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
