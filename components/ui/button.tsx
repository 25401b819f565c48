import type { ComponentPropsWithoutRef } from "react";
import { clsx } from "clsx";

export type ButtonVariant = "primary" | "secondary" | "ghost";

const variants: Record<ButtonVariant, string> = {
  primary: "bg-accent text-accent-fg hover:opacity-90",
  secondary: "border border-line-strong bg-surface text-fg hover:bg-surface-sunken",
  ghost: "text-fg hover:bg-surface-sunken",
};

export function buttonClasses(variant: ButtonVariant = "secondary", className?: string): string {
  return clsx(
    "inline-flex items-center justify-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium",
    "disabled:cursor-not-allowed disabled:opacity-60",
    variants[variant],
    className,
  );
}

export function Button({
  variant = "secondary",
  className,
  type = "button",
  ...props
}: ComponentPropsWithoutRef<"button"> & { variant?: ButtonVariant }) {
  return <button type={type} className={buttonClasses(variant, className)} {...props} />;
}
