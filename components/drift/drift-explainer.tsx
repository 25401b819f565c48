import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";

const kinds = [
  {
    term: "Live drift",
    tone: "danger" as const,
    text: "The cluster differs from Git while nothing new is waiting: someone changed it by hand. For push-based services, the image running in the cluster differs from the last successful production deployment's image. Drift metrics count only this.",
  },
  {
    term: "Pending change",
    tone: "info" as const,
    text: "Argo CD reports OutOfSync because the desired revision is ahead of what is deployed. That is sync lag, not drift.",
  },
  {
    term: "Not observable",
    tone: "neutral" as const,
    text: "Drift cannot be seen (a HelmRelease with drift detection off, a workload with no binding). Such services are left out of drift figures, never counted as clean.",
  },
];

/** The vocabulary of the drift view (DESIGN §4), shown as text so the episode list reads unambiguously later. */
export function DriftExplainer() {
  return (
    <Card aria-labelledby="drift-kinds-heading">
      <CardHeader
        id="drift-kinds-heading"
        title="What counts as drift"
        description="Each episode has a start, an end and how it ended: auto-heal, sync, new deployment, or still open."
      />
      <CardBody>
        <dl className="grid grid-cols-3 gap-6">
          {kinds.map((kind) => (
            <div key={kind.term}>
              <dt>
                <Badge tone={kind.tone}>{kind.term}</Badge>
              </dt>
              <dd className="mt-2 text-sm text-muted">{kind.text}</dd>
            </div>
          ))}
        </dl>
      </CardBody>
    </Card>
  );
}
