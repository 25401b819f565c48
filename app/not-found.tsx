import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { navItems } from "@/components/shell/nav-items";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <>
      <PageHeader title="Page not found" description="There is no page at this address. These are the sections of Pipeline Health:" />
      <ul className="flex flex-wrap gap-3">
        {navItems.map((item) => (
          <li key={item.href}>
            <Link
              href={item.href}
              className="inline-flex items-center gap-2 rounded-md border border-line bg-surface px-3 py-2 text-sm font-medium text-fg hover:bg-surface-sunken"
            >
              {item.icon}
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
