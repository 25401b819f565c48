"use client";

import type { ReactNode } from "react";
import { Tooltip as RadixTooltip } from "radix-ui";
import { clsx } from "clsx";

/** Mounted once in the providers so every tooltip shares one open delay. */
export function TooltipProvider({ children }: { children: ReactNode }) {
  return (
    <RadixTooltip.Provider delayDuration={250} skipDelayDuration={150}>
      {children}
    </RadixTooltip.Provider>
  );
}

/**
 * Tooltips only supplement visible content (keyboard and screen-reader users reach them through
 * the trigger's focus and `aria-describedby`); never put the only copy of information here.
 */
export function Tooltip({
  content,
  children,
  side = "top",
  className,
}: {
  content: ReactNode;
  /** A single focusable element (the trigger is rendered `asChild`). */
  children: ReactNode;
  side?: "top" | "right" | "bottom" | "left";
  className?: string;
}) {
  return (
    <RadixTooltip.Root>
      <RadixTooltip.Trigger asChild>{children}</RadixTooltip.Trigger>
      <RadixTooltip.Portal>
        <RadixTooltip.Content
          side={side}
          sideOffset={6}
          collisionPadding={8}
          className={clsx(
            "z-50 max-w-xs rounded-md bg-fg px-3 py-2 text-xs leading-relaxed text-bg shadow-lg",
            className,
          )}
        >
          {content}
          <RadixTooltip.Arrow className="fill-fg" />
        </RadixTooltip.Content>
      </RadixTooltip.Portal>
    </RadixTooltip.Root>
  );
}

/** An "i" button that explains a term; the accessible name says what it explains. */
export function DefinitionTooltip({ term, definition }: { term: string; definition: ReactNode }) {
  return (
    <Tooltip content={definition}>
      <button
        type="button"
        aria-label={`Definition of ${term}`}
        className="inline-flex size-5 items-center justify-center rounded-full text-subtle hover:bg-surface-sunken hover:text-fg"
      >
        <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.5">
          <circle cx="8" cy="8" r="6.25" />
          <path d="M8 7.25v4" strokeLinecap="round" />
          <circle cx="8" cy="5" r="0.5" fill="currentColor" />
        </svg>
      </button>
    </Tooltip>
  );
}
