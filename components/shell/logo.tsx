/** The product mark: a pipeline whose last stage is a heartbeat. Inline so the CSP needs no image source. */
export function Logo({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill="var(--accent)" />
      <path
        d="M5 17h6l2.5-6 4 11 3-8 1.5 3H27"
        fill="none"
        stroke="var(--accent-fg)"
        strokeWidth="2.25"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
