"use client";

import { useEffect, useId, useRef, useState } from "react";
import { useSuspenseQuery } from "@tanstack/react-query";
import { metricFiltersQueryOptions } from "@/lib/queries/metric-filters";
import type { MetricsParams } from "@/lib/queries/metrics";
import { buttonClasses } from "@/components/ui/button";
import { WindowSelect } from "@/components/services/window-select";
import type { UrlPatch } from "@/components/services/use-url-params";

const listOf = (text: string | undefined): string[] => (text ? text.split(",").map((entry) => entry.trim()).filter(Boolean) : []);

/**
 * A multi-choice filter: a button that opens a group of checkboxes. Nothing checked means "all"
 * (for environments: every production environment), so the default state needs no choice at all.
 */
function MultiPicker({
  label,
  allLabel,
  options,
  selected,
  onChange,
}: {
  label: string;
  allLabel: string;
  options: { value: string; label: string; hint?: string }[];
  selected: string[];
  onChange: (values: string[]) => void;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  // Close on a click elsewhere, or Escape (focus back on the button, where the person was).
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const summary =
    selected.length === 0
      ? allLabel
      : selected.length === 1
        ? (options.find((option) => option.value === selected[0])?.label ?? selected[0])
        : `${selected.length} selected`;
  const toggle = (value: string) => onChange(selected.includes(value) ? selected.filter((entry) => entry !== value) : [...selected, value]);

  return (
    <div ref={root} className="relative flex flex-col gap-1">
      <span id={`${id}-label`} className="text-xs font-medium text-muted">
        {label}
      </span>
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        aria-labelledby={`${id}-label ${id}-value`}
        className="flex min-w-44 items-center justify-between gap-2 rounded-md border border-line-strong bg-surface px-2 py-1.5 text-left text-sm text-fg"
        onClick={() => setOpen((value) => !value)}
      >
        <span id={`${id}-value`}>{summary}</span>
        <span aria-hidden="true" className="text-muted">
          ▾
        </span>
      </button>
      {open ? (
        <div id={`${id}-panel`} className="absolute top-full left-0 z-20 mt-1 max-h-80 w-72 overflow-auto rounded-md border border-line bg-surface-raised p-2 shadow-lg">
          <fieldset>
            <legend className="sr-only">{label}</legend>
            {options.map((option) => (
              <label key={option.value} className="flex cursor-pointer items-start gap-2 rounded px-2 py-1.5 text-sm text-fg hover:bg-surface-sunken">
                <input type="checkbox" className="mt-0.5" checked={selected.includes(option.value)} onChange={() => toggle(option.value)} />
                <span>
                  {option.label}
                  {option.hint ? <span className="block text-xs text-muted">{option.hint}</span> : null}
                </span>
              </label>
            ))}
          </fieldset>
          {selected.length > 0 ? (
            <button type="button" className={buttonClasses("ghost", "mt-1 w-full justify-center")} onClick={() => onChange([])}>
              {allLabel}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** Window, teams and environments; each change writes the URL, and only the queries whose keys changed refetch. */
export function OverviewFilters({ params, setParams }: { params: MetricsParams; setParams: (patch: UrlPatch) => void }) {
  const { data } = useSuspenseQuery(metricFiltersQueryOptions());
  return (
    <div className="flex flex-wrap items-end gap-4" role="group" aria-label="Overview filters">
      <WindowSelect params={params} setParams={setParams} />
      <MultiPicker
        label="Teams"
        allLabel="All teams"
        options={data.teams.map((team) => ({ value: team.slug, label: team.name, hint: `${team.serviceCount} service${team.serviceCount === 1 ? "" : "s"}` }))}
        selected={listOf(params.team)}
        onChange={(values) => setParams({ team: values.join(",") || undefined })}
      />
      <MultiPicker
        label="Environments"
        allLabel="All production environments"
        options={data.environments.map((environment) => ({
          value: environment.name,
          label: environment.name,
          hint: `${environment.isProduction ? "production" : "not production"} · ${environment.deploymentCount} deployments`,
        }))}
        selected={listOf(params.environment)}
        onChange={(values) => setParams({ environment: values.join(",") || undefined })}
      />
    </div>
  );
}

export function OverviewFiltersSkeleton() {
  return <div className="h-14" aria-hidden="true" />;
}
