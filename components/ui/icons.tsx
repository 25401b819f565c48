/** Decorative icons for empty states and cards; every use sits next to text that says the same. */
export const iconBase = {
  viewBox: "0 0 24 24",
  fill: "none",
  stroke: "currentColor",
  strokeWidth: 1.6,
  strokeLinecap: "round",
  strokeLinejoin: "round",
  "aria-hidden": true,
  focusable: false,
} as const;

type IconProps = { className?: string };

export function ChartIcon({ className = "size-6" }: IconProps) {
  return (
    <svg {...iconBase} className={className}>
      <path d="M4 19h16" />
      <path d="M7 15v-4M12 15V7M17 15v-6" />
    </svg>
  );
}

export function ServicesIcon({ className = "size-6" }: IconProps) {
  return (
    <svg {...iconBase} className={className}>
      <rect x="3.5" y="4" width="17" height="5" rx="1.5" />
      <rect x="3.5" y="11" width="17" height="5" rx="1.5" />
      <path d="M7 6.5h.01M7 13.5h.01M3.5 20h17" />
    </svg>
  );
}

export function DriftIcon({ className = "size-6" }: IconProps) {
  return (
    <svg {...iconBase} className={className}>
      <path d="M3 15c3 0 3-7 6-7s3 7 6 7 3-4 6-4" />
      <path d="M3 20h18" strokeDasharray="2.5 2.5" />
    </svg>
  );
}

export function ApprovalIcon({ className = "size-6" }: IconProps) {
  return (
    <svg {...iconBase} className={className}>
      <path d="M12 3 19 6v5c0 4.7-3 7.9-7 9.5C8 18.9 5 15.7 5 11V6z" />
      <path d="m9 12 2 2 4-4.5" />
    </svg>
  );
}

export function AuditIcon({ className = "size-6" }: IconProps) {
  return (
    <svg {...iconBase} className={className}>
      <path d="M8 7h8M8 11h8M8 15h5" />
      <rect x="4.5" y="3" width="15" height="18" rx="2" />
    </svg>
  );
}

export function PlugIcon({ className = "size-6" }: IconProps) {
  return (
    <svg {...iconBase} className={className}>
      <path d="M9 3v5M15 3v5M7 8h10v3a5 5 0 0 1-10 0zM12 16v5" />
    </svg>
  );
}

export function LinkChainIcon({ className = "size-5" }: IconProps) {
  return (
    <svg {...iconBase} className={className}>
      <path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1" />
      <path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />
    </svg>
  );
}
