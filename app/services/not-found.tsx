import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";

export default function ServiceNotFound() {
  return (
    <>
      <PageHeader title="Service not found" description="No service has this address. It may have been renamed, or removed with its integration." />
      <p>
        <Link href="/services" className="font-medium text-accent underline-offset-2 hover:underline">
          ← All services
        </Link>
      </p>
    </>
  );
}
