import type { IntegrationDto } from "@/lib/queries/integrations";
import { iconBase as base } from "@/components/ui/icons";


/** Decorative mark per source kind; the kind's name is always written next to it. */
export function KindIcon({ kind, className = "size-5" }: { kind: IntegrationDto["kind"]; className?: string }) {
  switch (kind) {
    case "GITHUB":
      // A branch and its merge: repositories, pull requests and deployments.
      return (
        <svg {...base} className={className}>
          <circle cx="6" cy="5" r="2" />
          <circle cx="6" cy="19" r="2" />
          <circle cx="18" cy="8" r="2" />
          <path d="M6 7v10M18 10c0 4-6 3-11.2 7.4" />
        </svg>
      );
    case "ARGOCD":
      // Reconciliation loop.
      return (
        <svg {...base} className={className}>
          <path d="M19 12a7 7 0 0 1-12 4.9M5 12a7 7 0 0 1 12-4.9" />
          <path d="M17 3.5v3.6h-3.6M7 20.5v-3.6h3.6" />
        </svg>
      );
    case "FLUX_KUBERNETES":
      // A cluster wheel.
      return (
        <svg {...base} className={className}>
          <path d="M12 2.8 19.8 6.6 21.7 15 16.3 21.7H7.7L2.3 15l1.9-8.4z" />
          <circle cx="12" cy="12.5" r="2.5" />
          <path d="M12 6.5V10M17.4 10.4l-3 1.2M15.5 17l-2-2.3M8.5 17l2-2.3M6.6 10.4l3 1.2" />
        </svg>
      );
    default: {
      const never: never = kind;
      return never;
    }
  }
}
