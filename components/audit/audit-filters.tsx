"use client";

import { useEffect, useId, useRef, useState } from "react";
import { useSuspenseQuery } from "@tanstack/react-query";
import { AUDIT_OUTCOMES, AUDIT_RANGES, type AuditPageParams, auditFilterOptionsQueryOptions } from "@/lib/queries/audit";
import { Button } from "@/components/ui/button";
import { Skeleton, SkeletonRegion } from "@/components/ui/skeleton";
import type { UrlPatch } from "@/components/services/use-url-params";
import { useAuditParams } from "./use-audit-params";
import { actionPrefixes, sourceLabels } from "./format-audit";

/** How long typing pauses before the search goes to the URL (and the server). */
const SEARCH_DEBOUNCE_MS = 300;

const selectClasses = "rounded-md border border-line-strong bg-surface px-2 py-1.5 text-sm text-fg";
const inputClasses = "rounded-md border border-line-strong bg-surface px-2 py-1.5 text-sm text-fg placeholder:text-subtle";

const rangeLabels: Record<(typeof AUDIT_RANGES)[number], string> = { "24h": "Last 24 hours", "7d": "Last 7 days", "30d": "Last 30 days", "90d": "Last 90 days" };

/** `datetime-local` speaks local wall time without a zone; the URL holds UTC instants. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}
function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * Service, person, action (or a whole family such as `sync.*`), source, outcome, time range
 * (presets, or a custom from/to) and full-text search. Every change writes the URL, which is what
 * the table's query reads, so a filtered view can be bookmarked and shared.
 */
export function AuditFilters() {
  const { params, setParams } = useAuditParams();
  const { data: options } = useSuspenseQuery(auditFilterOptionsQueryOptions());
  const ids = { service: useId(), person: useId(), action: useId(), source: useId(), outcome: useId(), range: useId(), from: useId(), to: useId(), search: useId() };
  const [text, setText] = useState(params.q ?? "");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const custom = params.from !== undefined || params.to !== undefined;
  const [showCustom, setShowCustom] = useState(custom);

  // Back/forward changes the URL under the input; follow it unless the user is mid-typing.
  useEffect(() => {
    if (timer.current === undefined) setText(params.q ?? "");
  }, [params.q]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const set = (patch: UrlPatch) => setParams({ ...patch, event: undefined });
  const onSearch = (value: string) => {
    setText(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = undefined;
      // Replace, not push: one history entry per search, not one per keystroke.
      setParams({ q: value.trim() || undefined, event: undefined }, { replace: true });
    }, SEARCH_DEBOUNCE_MS);
  };

  const first = (list: string[] | undefined) => list?.[0] ?? "";
  const active = (Object.keys(params) as (keyof AuditPageParams)[]).some((name) => name !== "event" && params[name] !== undefined);
  const prefixes = actionPrefixes(options.actions);
  // A value in the URL that the options do not list (typed by hand, or from another page) stays selectable.
  const withCurrent = (values: string[], current: string) => (current && !values.includes(current) ? [current, ...values] : values);

  return (
    <form
      role="search"
      aria-label="Filter audit events"
      className="flex flex-wrap items-end gap-x-4 gap-y-3 border-b border-line px-5 py-3"
      onSubmit={(event) => {
        event.preventDefault();
        clearTimeout(timer.current);
        timer.current = undefined;
        set({ q: text.trim() || undefined });
      }}
    >
      <div className="flex min-w-56 flex-1 flex-col gap-1">
        <label htmlFor={ids.search} className="text-xs font-medium text-muted">
          Search
        </label>
        <input
          id={ids.search}
          type="search"
          value={text}
          placeholder='Words, "a phrase", or, -exclude'
          autoComplete="off"
          maxLength={200}
          aria-describedby={`${ids.search}-hint`}
          onChange={(event) => onSearch(event.target.value)}
          className={inputClasses}
        />
        <span id={`${ids.search}-hint`} className="sr-only">
          Full-text search over actor, action, target, outcome, source, request id and service name. Whole words; deploy also finds deployed and deployment.
        </span>
      </div>
      <Picker id={ids.service} label="Service" value={first(params.service)} onChange={(value) => set({ service: value })} any="All services">
        {withCurrent(options.services.map((s) => s.slug), first(params.service)).map((slug) => (
          <option key={slug} value={slug}>
            {options.services.find((s) => s.slug === slug)?.name ?? slug}
          </option>
        ))}
      </Picker>
      <Picker id={ids.person} label="Person" value={params.person ?? ""} onChange={(value) => set({ person: value })} any="Anyone">
        {withCurrent(options.persons.map((p) => p.id), params.person ?? "").map((id) => (
          <option key={id} value={id}>
            {options.persons.find((p) => p.id === id)?.name ?? "Selected person"}
          </option>
        ))}
      </Picker>
      <Picker id={ids.action} label="Action" value={first(params.action)} onChange={(value) => set({ action: value })} any="Any action">
        <optgroup label="Families">
          {withCurrent(prefixes, first(params.action).endsWith("*") || first(params.action).endsWith(".") ? first(params.action) : "").map((prefix) => (
            <option key={prefix} value={prefix}>
              {prefix.replace(/\.?\*$/, "")} (all)
            </option>
          ))}
        </optgroup>
        <optgroup label="Actions">
          {withCurrent(options.actions, first(params.action).endsWith("*") || first(params.action).endsWith(".") ? "" : first(params.action)).map((action) => (
            <option key={action} value={action}>
              {action}
            </option>
          ))}
        </optgroup>
      </Picker>
      <Picker id={ids.source} label="Source" value={first(params.source)} onChange={(value) => set({ source: value })} any="Any source">
        {withCurrent(options.sources, first(params.source)).map((source) => (
          <option key={source} value={source}>
            {sourceLabels[source] ?? source}
          </option>
        ))}
      </Picker>
      <Picker id={ids.outcome} label="Outcome" value={params.outcome ?? ""} onChange={(value) => set({ outcome: value })} any="Any outcome">
        {AUDIT_OUTCOMES.map((outcome) => (
          <option key={outcome} value={outcome}>
            {outcome}
          </option>
        ))}
      </Picker>
      <Picker
        id={ids.range}
        label="Time"
        value={showCustom || custom ? "custom" : (params.range ?? "")}
        any="Any time"
        onChange={(value) => {
          if (value === "custom") {
            setShowCustom(true);
            return;
          }
          setShowCustom(false);
          set({ range: value, from: undefined, to: undefined });
        }}
      >
        {AUDIT_RANGES.map((range) => (
          <option key={range} value={range}>
            {rangeLabels[range]}
          </option>
        ))}
        <option value="custom">Custom…</option>
      </Picker>
      {showCustom || custom ? (
        <>
          <div className="flex flex-col gap-1">
            <label htmlFor={ids.from} className="text-xs font-medium text-muted">
              From <span className="font-normal">(your time)</span>
            </label>
            <input id={ids.from} type="datetime-local" className={inputClasses} defaultValue={toLocalInput(params.from)} onChange={(event) => set({ range: undefined, from: fromLocalInput(event.target.value) })} />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={ids.to} className="text-xs font-medium text-muted">
              To
            </label>
            <input id={ids.to} type="datetime-local" className={inputClasses} defaultValue={toLocalInput(params.to)} onChange={(event) => set({ range: undefined, to: fromLocalInput(event.target.value) })} />
          </div>
        </>
      ) : null}
      {active ? (
        <Button
          variant="ghost"
          onClick={() => {
            clearTimeout(timer.current);
            timer.current = undefined;
            setText("");
            setShowCustom(false);
            setParams({ service: undefined, person: undefined, action: undefined, source: undefined, outcome: undefined, range: undefined, from: undefined, to: undefined, q: undefined, event: undefined });
          }}
        >
          Clear filters
        </Button>
      ) : null}
    </form>
  );
}

function Picker({ id, label, value, onChange, any, children }: { id: string; label: string; value: string; onChange: (value: string) => void; any: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-muted">
        {label}
      </label>
      <select id={id} value={value} className={selectClasses} onChange={(event) => onChange(event.target.value)}>
        <option value="">{any}</option>
        {children}
      </select>
    </div>
  );
}

export function AuditFiltersSkeleton() {
  return (
    <SkeletonRegion label="audit filters" className="flex flex-wrap items-end gap-4 border-b border-line px-5 py-3">
      {Array.from({ length: 7 }, (_, index) => (
        <Skeleton key={index} className={index === 0 ? "h-9 min-w-56 flex-1" : "h-9 w-32"} />
      ))}
    </SkeletonRegion>
  );
}
