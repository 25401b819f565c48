"use client";

import type { ReactNode } from "react";
import { DropdownMenu } from "radix-ui";
import { clsx } from "clsx";

export type MenuItem = {
  label: string;
  onSelect: () => void;
  disabled?: boolean;
  /** Destructive actions are styled apart so they are not chosen by accident. */
  destructive?: boolean;
};

export function Menu({
  trigger,
  items,
  label,
  align = "end",
}: {
  /** A single focusable element (rendered `asChild`). */
  trigger: ReactNode;
  items: MenuItem[];
  /** Names the menu for assistive technology. */
  label: string;
  align?: "start" | "center" | "end";
}) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>{trigger}</DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          aria-label={label}
          align={align}
          sideOffset={4}
          className="z-50 min-w-40 rounded-md border border-line bg-surface-raised p-1 shadow-lg"
        >
          {items.map((item) => (
            <DropdownMenu.Item
              key={item.label}
              disabled={item.disabled}
              onSelect={item.onSelect}
              className={clsx(
                "cursor-default rounded px-2 py-1.5 text-sm outline-none select-none",
                "data-[disabled]:opacity-50 data-[highlighted]:bg-accent-soft",
                item.destructive ? "text-danger-fg" : "text-fg",
              )}
            >
              {item.label}
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
