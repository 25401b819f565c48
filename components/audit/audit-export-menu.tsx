"use client";

import { DropdownMenu } from "radix-ui";
import { buttonClasses } from "@/components/ui/button";
import { AUDIT_EXPORT_FORMATS, type AuditExportFormat, auditExportUrl } from "@/lib/queries/audit";
import { useAuditParams } from "./use-audit-params";

const hints: Record<AuditExportFormat, { label: string; hint: string }> = {
  csv: { label: "CSV", hint: "for spreadsheets" },
  json: { label: "JSON", hint: "before/after as JSON" },
};

/**
 * "Export": plain download links to `GET /api/audit/export` with the page's current filters, every
 * matching event (not only the loaded pages), streamed by the server. Links, not a fetch: the
 * browser streams the file to disk (the same Radix menu as the Overview's export).
 */
export function AuditExportMenu() {
  const { filters } = useAuditParams();
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <button type="button" className={buttonClasses("secondary", "gap-1.5")}>
          <svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round">
            <path d="M12 4v11M7 10l5 5 5-5M5 20h14" />
          </svg>
          Export events
          <svg aria-hidden="true" viewBox="0 0 12 12" className="size-3" fill="currentColor">
            <path d="M2.5 4.5 6 8l3.5-3.5z" />
          </svg>
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content aria-label="Export events" align="end" sideOffset={4} className="z-50 min-w-48 rounded-md border border-line bg-surface-raised p-1 shadow-lg">
          {AUDIT_EXPORT_FORMATS.map((format) => (
            <DropdownMenu.Item key={format} asChild className="flex cursor-default items-baseline justify-between gap-3 rounded px-2 py-1.5 text-sm text-fg outline-none select-none data-[highlighted]:bg-accent-soft">
              <a href={auditExportUrl(format, filters)} download data-format={format}>
                <span>
                  {hints[format].label}
                  <span className="sr-only"> of the filtered audit events</span>
                </span>
                <span className="text-xs text-muted">{hints[format].hint}</span>
              </a>
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
