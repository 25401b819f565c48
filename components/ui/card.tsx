import type { ComponentPropsWithoutRef, ReactNode } from "react";
import { clsx } from "clsx";

type HeadingLevel = "h2" | "h3" | "h4";

export function Card({ className, ...props }: ComponentPropsWithoutRef<"section">) {
  return (
    <section
      className={clsx("rounded-lg border border-line bg-surface shadow-[0_1px_2px_rgb(15_23_42/0.04)]", className)}
      {...props}
    />
  );
}

export function CardHeader({
  title,
  description,
  actions,
  as: Heading = "h2",
  id,
  className,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  /** Heading level, so cards nest correctly under the page's h1 and section headings. */
  as?: HeadingLevel;
  /** Id of the heading, for `aria-labelledby` on the card. */
  id?: string;
  className?: string;
}) {
  return (
    <div className={clsx("flex items-start justify-between gap-4 border-b border-line px-5 py-4", className)}>
      <div className="min-w-0">
        <Heading id={id} className="text-base font-semibold text-fg">
          {title}
        </Heading>
        {description ? <p className="mt-1 text-sm text-muted">{description}</p> : null}
      </div>
      {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
    </div>
  );
}

export function CardBody({ className, ...props }: ComponentPropsWithoutRef<"div">) {
  return <div className={clsx("px-5 py-4", className)} {...props} />;
}

export function CardFooter({ className, ...props }: ComponentPropsWithoutRef<"div">) {
  return <div className={clsx("border-t border-line px-5 py-3 text-sm text-muted", className)} {...props} />;
}
