import { Card, CardHeader } from "@/components/ui/card";
import { QueryBoundary } from "@/components/ui/query-boundary";
import { Code } from "@/components/setup/source-setup";
import { CatalogSections, CatalogSectionsSkeleton } from "./catalog-sections";

/**
 * The service catalog: which repositories make up each service and which environments count as
 * production. Conventions fill it during ingestion; an admin fixes what they get wrong, previewing
 * each change before saving it. Everyone who may read Settings may read it.
 */
export function CatalogCard() {
  return (
    <Card aria-labelledby="catalog-heading">
      <CardHeader
        id="catalog-heading"
        title="Service catalog"
        description={
          <>
            Ingestion makes one service per repository (its team from a <Code>team-&lt;slug&gt;</Code> topic) and counts environments matching{" "}
            <Code>PRODUCTION_ENVIRONMENTS</Code> as production. Bind what is unmapped or wrongly mapped here; every change is previewed, then saved
            with an entry in the audit trail.
          </>
        }
      />
      <QueryBoundary name="Service catalog" fallback={<CatalogSectionsSkeleton />}>
        <CatalogSections />
      </QueryBoundary>
    </Card>
  );
}
