import type { ReactNode } from "react";

export type NavItem = {
  href: string;
  label: string;
  icon: ReactNode;
  /** Live extra after the label (a count); part of the link's accessible name. */
  badge?: "pending-approvals";
};

const iconProps = {
  viewBox: "0 0 20 20",
  className: "size-5 shrink-0",
  fill: "none",
  stroke: "currentColor",
  strokeWidth: 1.5,
  strokeLinecap: "round",
  strokeLinejoin: "round",
  "aria-hidden": true,
  focusable: false,
} as const;

/** The product's sections, in the order of DESIGN's user journeys: compare, drill in, act, audit, configure. */
export const navItems: NavItem[] = [
  {
    href: "/",
    label: "Overview",
    icon: (
      <svg {...iconProps}>
        <rect x="3" y="3" width="6" height="6" rx="1" />
        <rect x="11" y="3" width="6" height="6" rx="1" />
        <rect x="3" y="11" width="6" height="6" rx="1" />
        <rect x="11" y="11" width="6" height="6" rx="1" />
      </svg>
    ),
  },
  {
    href: "/services",
    label: "Services",
    icon: (
      <svg {...iconProps}>
        <path d="M3 5.5h14M3 10h14M3 14.5h14" />
        <circle cx="6" cy="5.5" r="0.6" fill="currentColor" />
      </svg>
    ),
  },
  {
    href: "/drift",
    label: "Drift",
    icon: (
      <svg {...iconProps}>
        <path d="M3 13c2.5 0 2.5-6 5-6s2.5 6 5 6 2.5-3 4-3" />
        <path d="M3 17h14" strokeDasharray="2 2" />
      </svg>
    ),
  },
  {
    href: "/approvals",
    label: "Approvals",
    badge: "pending-approvals",
    icon: (
      <svg {...iconProps}>
        <path d="M10 2.5 16 5v4.5c0 4-2.7 6.7-6 8-3.3-1.3-6-4-6-8V5z" />
        <path d="m7.25 10 2 2 3.5-4" />
      </svg>
    ),
  },
  {
    href: "/audit",
    label: "Audit",
    icon: (
      <svg {...iconProps}>
        <rect x="4" y="2.5" width="12" height="15" rx="1.5" />
        <path d="M7 6.5h6M7 10h6M7 13.5h3.5" />
      </svg>
    ),
  },
  {
    href: "/settings",
    label: "Settings",
    icon: (
      <svg {...iconProps}>
        <circle cx="10" cy="10" r="2.5" />
        <path d="M10 2.5v2M10 15.5v2M2.5 10h2M15.5 10h2M4.7 4.7l1.4 1.4M13.9 13.9l1.4 1.4M4.7 15.3l1.4-1.4M13.9 6.1l1.4-1.4" />
      </svg>
    ),
  },
];
