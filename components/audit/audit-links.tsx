import Link from "next/link";
import type { AuditLinkDto } from "@/lib/queries/audit";

/** The places an event's target can be followed; GitHub opens in a new tab, the dashboard's own pages in place. */
export function AuditLinks({ links }: { links: AuditLinkDto[] }) {
  if (links.length === 0) return null;
  return (
    <span className="mt-0.5 flex flex-wrap gap-x-3 gap-y-0.5 text-xs">
      {links.map((link) =>
        link.external ? (
          <a key={link.href} href={link.href} target="_blank" rel="noreferrer" className="text-accent underline-offset-2 hover:underline">
            {link.label}
            <span className="sr-only"> (opens GitHub in a new tab)</span>
          </a>
        ) : (
          <Link key={link.href} href={link.href} className="text-accent underline-offset-2 hover:underline">
            {link.label}
          </Link>
        ),
      )}
    </span>
  );
}
