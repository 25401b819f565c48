import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { metricDefinitions } from "./metric-definitions";

/** The definitions in full, as readable text: tooltips alone would hide them from many readers. */
export function MetricGlossary() {
  return (
    <Card aria-labelledby="glossary-heading">
      <CardHeader
        id="glossary-heading"
        title="How each metric is measured"
        description="Production environments only, within the selected window, computed per service and then per cohort."
      />
      <CardBody>
        <dl className="grid grid-cols-2 gap-x-8 gap-y-5">
          {metricDefinitions.map((metric) => (
            <div key={metric.id}>
              <dt className="text-sm font-semibold text-fg">
                {metric.label}
                {metric.onlyFor === "gitops" ? <span className="ml-2 text-xs font-normal text-muted">GitOps only</span> : null}
              </dt>
              <dd className="mt-1 text-sm text-muted">{metric.definition}</dd>
              <dd className="mt-1 text-xs text-subtle">
                Cohort value: {metric.cohortValue}.{" "}
                {metric.tiers ? <>Tiers (DORA 2023): {metric.tiers}.</> : "No tier."}
              </dd>
            </div>
          ))}
        </dl>
        <div className="mt-6 border-t border-line pt-4 text-sm text-muted">
          <p>
            <strong className="font-semibold text-fg">Comparing the cohorts.</strong> Medians are compared as a ratio
            (GitOps ÷ DevOps), proportions as a difference in percentage points, each with a bootstrap 95 % interval
            over services. A cohort with fewer than 5 services or 20 deployments shows &ldquo;not enough data&rdquo;
            instead of a number.
          </p>
          <p className="mt-2">
            <strong className="font-semibold text-fg">Provisional values.</strong> Change fail rate and recovery time
            depend on the 7 days after a deployment; until those have passed the value is marked with an asterisk.
          </p>
        </div>
      </CardBody>
    </Card>
  );
}
