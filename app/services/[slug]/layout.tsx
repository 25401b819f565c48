import type { ReactNode } from "react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getServiceHeading } from "@/lib/queries/services-server";
import { PageHeader } from "@/components/ui/page-header";

type Props = { params: Promise<{ slug: string }>; children: ReactNode };

export async function generateMetadata({ params }: Pick<Props, "params">): Promise<Metadata> {
  const { slug } = await params;
  return { title: (await getServiceHeading(slug))?.name ?? "Service not found" };
}

/**
 * The existence check lives here, above this segment's `loading.tsx` and under no other loading
 * boundary: nothing has streamed when it runs, so an unknown slug answers a real 404. The page's
 * widgets stream below it; on navigation the heading and the skeleton arrive with the prefetch.
 */
export default async function ServiceLayout({ params, children }: Props) {
  const { slug } = await params;
  const heading = await getServiceHeading(slug);
  if (!heading) notFound();

  return (
    <>
      <nav aria-label="Breadcrumb" className="-mb-5 text-sm">
        <Link href="/services" className="text-accent underline underline-offset-2">
          Services
        </Link>
        <span aria-hidden="true" className="px-1.5 text-subtle">
          /
        </span>
        <span aria-current="page" className="text-muted">
          {heading.name}
        </span>
      </nav>
      <PageHeader
        title={heading.name}
        description={heading.team ? `Team ${heading.team.name} · production delivery of ${heading.slug}` : `No team · production delivery of ${heading.slug}`}
      />
      {children}
    </>
  );
}
