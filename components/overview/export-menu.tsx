"use client";

import { DropdownMenu } from "radix-ui";
import { clsx } from "clsx";
import { buttonClasses } from "@/components/ui/button";
import { type ExportFormat, type ExportTable, exportUrl } from "@/lib/queries/export";
import type { MetricsParams } from "@/lib/queries/metrics";

const tableLabels: Record<ExportTable, string> = {
  overview: "comparison",
  services: "services",
  teams: "teams",
};

const formats: { format: ExportFormat; label: string; hint: string }[] = [
  { format: "csv", label: "CSV", hint: "for spreadsheets" },
  { format: "json", label: "JSON", hint: "with column descriptions" },
];

/**
 * "Export <table>": a menu of plain download links (CSV, JSON) to `GET /api/metrics/export` with the
 * page's current filters, so a download is exactly what the page shows. Links rather than a fetch:
 * the browser streams the file to disk, and the links keep working with JavaScript still loading.
 * `components/ui/menu.tsx` only has action items, so this uses the same Radix menu with link items
 * (arrow keys move, Enter follows the link, Escape closes).
 */
export function ExportMenu({ table, params, className }: { table: ExportTable; params: MetricsParams; className?: string }) {
  const name = tableLabels[table];
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <button type="button" className={buttonClasses("secondary", clsx("gap-1.5", className))}>
          <DownloadIcon />
          Export {name}
          <svg aria-hidden="true" viewBox="0 0 12 12" className="size-3" fill="currentColor">
            <path d="M2.5 4.5 6 8l3.5-3.5z" />
          </svg>
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          aria-label={`Export ${name}`}
          align="end"
          sideOffset={4}
          className="z-50 min-w-48 rounded-md border border-line bg-surface-raised p-1 shadow-lg"
        >
          {formats.map(({ format, label, hint }) => (
            <DropdownMenu.Item key={format} asChild className="flex cursor-default items-baseline justify-between gap-3 rounded px-2 py-1.5 text-sm text-fg outline-none select-none data-[highlighted]:bg-accent-soft">
              <a href={exportUrl(table, format, params)} download data-format={format}>
                <span>
                  {label}
                  <span className="sr-only"> of the {name}</span>
                </span>
                <span className="text-xs text-muted">{hint}</span>
              </a>
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

function DownloadIcon() {
  return (
    <svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round">
      <path d="M12 4v11M7 10l5 5 5-5M5 20h14" />
    </svg>
  );
}
