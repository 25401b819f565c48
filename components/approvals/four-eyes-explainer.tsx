import { Card, CardBody, CardHeader } from "@/components/ui/card";

const steps = [
  {
    title: "Request",
    text: "An engineer opens an OutOfSync GitOps application and requests a sync of its desired revision, with a reason.",
  },
  {
    title: "Review by a second person",
    text: "An approver who is not the requester (and by default not an author of a change in the revision) reviews the revision, its change set and the drift diff, then approves or rejects. Approvals bind to the application and revision, expire after 24 hours, and a newer revision supersedes the request.",
  },
  {
    title: "Execute exactly once",
    text: "On the last approval a worker re-checks the application, the approvals and Argo CD's sync windows, then syncs the approved revision exactly once, naming the request and its people in Argo CD. It fails closed while data is stale or the integration is erroring.",
  },
  {
    title: "Follow and verify",
    text: "The dashboard follows the operation to the end and checks that the synced revision is the approved one. Every step is written to the audit trail.",
  },
];

/** Four-eyes approval (DESIGN §6), explained before the first request exists. */
export function FourEyesExplainer() {
  return (
    <Card aria-labelledby="four-eyes-heading">
      <CardHeader
        id="four-eyes-heading"
        title="How four-eyes approval works"
        description="Only applications that wait for a person can be approved: Argo CD applications without auto-sync (suspended Flux objects are not offered yet). A sync made outside the dashboard on such an application is recorded as unapproved."
      />
      <CardBody>
        <ol className="grid grid-cols-2 gap-x-8 gap-y-5">
          {steps.map((step, index) => (
            <li key={step.title} className="flex gap-3">
              <span
                aria-hidden="true"
                className="flex size-6 shrink-0 items-center justify-center rounded-full bg-accent-soft text-xs font-semibold text-accent"
              >
                {index + 1}
              </span>
              <div>
                <p className="text-sm font-semibold text-fg">{step.title}</p>
                <p className="mt-1 text-sm text-muted">{step.text}</p>
              </div>
            </li>
          ))}
        </ol>
      </CardBody>
    </Card>
  );
}
