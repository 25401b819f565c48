import type { ReactNode } from "react";
import { clsx } from "clsx";

export type BadgeTone = "neutral" | "success" | "warning" | "danger" | "info";

/** DORA performance tiers (DESIGN §3); rework rate has none, so there is no "none" tier here. */
export type Tier = "elite" | "high" | "medium" | "low";

const toneClasses: Record<BadgeTone, string> = {
  neutral: "bg-neutral-bg text-neutral-fg",
  success: "bg-success-bg text-success-fg",
  warning: "bg-warning-bg text-warning-fg",
  danger: "bg-danger-bg text-danger-fg",
  info: "bg-info-bg text-info-fg",
};

const tierClasses: Record<Tier, string> = {
  elite: "bg-elite-bg text-elite-fg",
  high: "bg-success-bg text-success-fg",
  medium: "bg-warning-bg text-warning-fg",
  low: "bg-danger-bg text-danger-fg",
};

const tierLabels: Record<Tier, string> = {
  elite: "Elite",
  high: "High",
  medium: "Medium",
  low: "Low",
};

const base = "inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap";

export function Badge({
  tone = "neutral",
  icon,
  children,
  className,
}: {
  tone?: BadgeTone;
  /** Decorative; the text carries the meaning so colour is never the only signal. */
  icon?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <span className={clsx(base, toneClasses[tone], className)}>
      {icon ? <span aria-hidden="true">{icon}</span> : null}
      {children}
    </span>
  );
}

export function TierBadge({ tier, className }: { tier: Tier; className?: string }) {
  return (
    <span className={clsx(base, tierClasses[tier], className)}>
      <span className="sr-only">DORA tier: </span>
      {tierLabels[tier]}
    </span>
  );
}

/** A small dot plus text, for statuses inside dense rows. */
export function StatusDot({ tone, children }: { tone: BadgeTone; children: ReactNode }) {
  const dot: Record<BadgeTone, string> = {
    neutral: "bg-line-strong",
    success: "bg-success-fg",
    warning: "bg-warning-fg",
    danger: "bg-danger-fg",
    info: "bg-info-fg",
  };
  return (
    <span className="inline-flex items-center gap-2">
      <span aria-hidden="true" className={clsx("size-2 shrink-0 rounded-full", dot[tone])} />
      {children}
    </span>
  );
}
