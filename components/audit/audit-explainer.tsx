import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { LinkChainIcon } from "@/components/ui/icons";

const guarantees = [
  {
    term: "Append-only",
    text: "Events are only ever added. The database itself rejects UPDATE, DELETE and TRUNCATE on the audit table, for its owner too.",
  },
  {
    term: "Hash-chained",
    text: "Each event stores the SHA-256 hash of the one before it, so changing or removing any event breaks every link after it. A verifier reports the first broken link, and this page will show whether the chain verifies.",
  },
  {
    term: "Anchored outside",
    text: "The head of the chain is copied outside the database from time to time, so a rewritten history cannot go unnoticed.",
  },
  {
    term: "Everything that changes delivery",
    text: "Deployments, syncs and rollbacks, merges to production branches, drift detected and resolved, sync requests and approvals, integration and role changes, failed sign-ins and webhook signature failures, each with actor, target, outcome and source.",
  },
];

/** Why the audit trail can be trusted (DESIGN §5), before it has entries. */
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
