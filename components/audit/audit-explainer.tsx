import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { LinkChainIcon } from "@/components/ui/icons";

const guarantees = [
  {
    term: "Append-only",
    text: "Events are only ever added. The database itself rejects UPDATE, DELETE and TRUNCATE on the audit table, for its owner too.",
  },
  {
    term: "Hash-chained",
    text: "Each event stores the SHA-256 hash of the one before it, so changing or removing any event breaks every link after it. A verifier reports the first broken link, and the badge at the top of this page shows whether the chain verifies.",
  },
  {
    term: "Anchored outside",
    text: "Every hour the worker verifies the chain and copies its head outside the database (a log line and a file in the data folder), so a history rewritten with recomputed hashes still fails verification.",
  },
  {
    term: "Everything that changes delivery",
    text: "Deployments, syncs and rollbacks, merges to production branches, drift detected and resolved, sync requests and approvals, integration and role changes, failed sign-ins and webhook signature failures, each with actor, target, outcome and source.",
  },
];

/** Why the audit trail can be trusted (DESIGN §5). */
export function AuditExplainer() {
  return (
    <Card aria-labelledby="audit-guarantees-heading">
      <CardHeader
        id="audit-guarantees-heading"
        title={
          <span className="flex items-center gap-2">
            <span className="text-accent">
              <LinkChainIcon />
            </span>
            What the audit trail guarantees
          </span>
        }
      />
      <CardBody>
        <dl className="grid grid-cols-2 gap-x-8 gap-y-5">
          {guarantees.map((item) => (
            <div key={item.term}>
              <dt className="text-sm font-semibold text-fg">{item.term}</dt>
              <dd className="mt-1 text-sm text-muted">{item.text}</dd>
            </div>
          ))}
        </dl>
      </CardBody>
    </Card>
  );
}
