import { Card, CardBody, CardFooter, CardHeader } from "@/components/ui/card";
import { Stat, StatGrid } from "@/components/ui/stat";
import { cohortLabels, type Cohort } from "@/components/charts/chart-theme";
import { metricDefinitions } from "./metric-definitions";

const cohortIntro: Record<Cohort, string> = {
  devops: "A CI pipeline such as GitHub Actions deploys to the cluster.",
  gitops: "Argo CD or Flux reconciles the cluster from Git.",
};

const swatch: Record<Cohort, string> = {
  devops: "bg-cohort-devops",
  gitops: "bg-cohort-gitops",
};

function CohortCard({ cohort }: { cohort: Cohort }) {
  // Metrics one methodology cannot have stay listed as "not applicable" so both columns line up.
  const applies = (onlyFor: Cohort | undefined) => !onlyFor || onlyFor === cohort;
  const headingId = `cohort-${cohort}`;
  return (
    <Card aria-labelledby={headingId}>
      <CardHeader
        id={headingId}
        as="h3"
        title={
          <span className="flex items-center gap-2">
            <span aria-hidden="true" className={`size-2.5 rounded-full ${swatch[cohort]}`} />
            {cohortLabels[cohort]}
          </span>
        }
        description={cohortIntro[cohort]}
      />
      <CardBody>
        <StatGrid>
          {metricDefinitions.map((metric) =>
            applies(metric.onlyFor) ? (
              <Stat key={metric.id} label={metric.label} value={null} definition={metric.definition} hint={metric.unit} />
            ) : (
              <Stat
                key={metric.id}
                label={metric.label}
                value={<span className="text-base font-normal text-subtle">Not applicable</span>}
                definition={metric.definition}
                hint={`${cohortLabels[metric.onlyFor ?? cohort]} only`}
              />
            ),
          )}
        </StatGrid>
      </CardBody>
      <CardFooter>Cohort metrics are computed from the next release on.</CardFooter>
    </Card>
  );
}

/**
 * The two methodologies side by side. Until a source has delivered deployments every value is
 * "no data", shown as a dash: the layout tells the reader what will be compared.
 */
export function CohortComparison() {
  return (
    <section aria-labelledby="comparison-heading" className="flex flex-col gap-3">
      <h2 id="comparison-heading" className="text-lg font-semibold text-fg">
        DevOps vs GitOps
      </h2>
      <div className="grid grid-cols-2 gap-4">
        <CohortCard cohort="devops" />
        <CohortCard cohort="gitops" />
      </div>
    </section>
  );
}
