import type { ReactNode } from "react";
import Link from "next/link";
import { clsx } from "clsx";

/**
 * What a section looks like before it has data: what will appear here, and how to get it
 * there. Says so plainly instead of drawing zeros or a blank chart.
 */
export function EmptyState({
  icon,
  title,
  description,
  children,
  action,
  headingLevel = "h2",
  className,
}: {
  icon?: ReactNode;
  title: string;
  /** What will appear here once data exists. */
  description: ReactNode;
  /** How to configure the sources that feed this section (steps, commands). */
  children?: ReactNode;
  /** A link to where the configuration happens. */
  action?: { href: string; label: string };
  headingLevel?: "h2" | "h3";
  className?: string;
}) {
  const Heading = headingLevel;
  return (
    <div
      className={clsx(
        "flex flex-col items-center rounded-lg border border-dashed border-line-strong bg-surface px-6 py-10 text-center",
        className,
      )}
    >
      {icon ? (
        <div aria-hidden="true" className="mb-3 flex size-12 items-center justify-center rounded-full bg-accent-soft text-accent">
          {icon}
        </div>
      ) : null}
      <Heading className="text-base font-semibold text-fg">{title}</Heading>
      <div className="mt-2 max-w-prose text-sm text-muted">{description}</div>
      {children ? <div className="mt-4 w-full max-w-prose text-left text-sm text-fg">{children}</div> : null}
      {action ? (
        <Link
          href={action.href}
          className="mt-5 inline-flex items-center gap-1 rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-accent-fg hover:opacity-90"
        >
          {action.label}
          <span aria-hidden="true">→</span>
        </Link>
      ) : null}
    </div>
  );
}
