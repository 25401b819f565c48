"use client";

import { useEffect, useId, useRef, useState } from "react";
import { METHODOLOGY_FILTERS, type ServiceListParams } from "@/lib/queries/services";
import { Button } from "@/components/ui/button";
import type { UrlPatch } from "./use-url-params";
import { methodologyLabels } from "./format-metrics";
import { WindowSelect, selectClasses } from "./window-select";

/** How long typing pauses before the search goes to the URL (and the server). */
const SEARCH_DEBOUNCE_MS = 300;

/** Time range, team, methodology and search; each change writes the URL and starts again at page 1. */
export function ServiceListFilters({
  params,
  setParams,
  teams,
}: {
  params: ServiceListParams;
  setParams: (patch: UrlPatch, options?: { replace?: boolean }) => void;
  teams: { slug: string; name: string }[];
}) {
  const teamId = useId();
  const methodologyId = useId();
  const searchId = useId();
  const [text, setText] = useState(params.q ?? "");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // Back/forward changes the URL under the input; follow it unless the user is mid-typing.
  useEffect(() => {
    if (timer.current === undefined) setText(params.q ?? "");
  }, [params.q]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const onSearch = (value: string) => {
    setText(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = undefined;
      // Replace, not push: one history entry per search, not one per keystroke.
      setParams({ q: value.trim() || undefined, page: undefined }, { replace: true });
    }, SEARCH_DEBOUNCE_MS);
  };

  const active = params.team !== undefined || params.methodology !== undefined || (params.q ?? "") !== "";

  return (
    <form
      role="search"
      aria-label="Filter services"
      className="flex flex-wrap items-end gap-4 border-b border-line px-5 py-3"
      onSubmit={(event) => {
        event.preventDefault();
        clearTimeout(timer.current);
        timer.current = undefined;
        setParams({ q: text.trim() || undefined, page: undefined });
      }}
    >
      <WindowSelect params={params} setParams={setParams} resetPage />
      <div className="flex flex-col gap-1">
        <label htmlFor={teamId} className="text-xs font-medium text-muted">
          Team
        </label>
        <select id={teamId} value={params.team ?? ""} className={selectClasses} onChange={(event) => setParams({ team: event.target.value, page: undefined })}>
          <option value="">All teams</option>
          {teams.map((team) => (
            <option key={team.slug} value={team.slug}>
              {team.name}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={methodologyId} className="text-xs font-medium text-muted">
          Methodology
        </label>
        <select
          id={methodologyId}
          value={params.methodology ?? ""}
          className={selectClasses}
          onChange={(event) => setParams({ methodology: event.target.value, page: undefined })}
        >
          <option value="">Any</option>
          {METHODOLOGY_FILTERS.map((methodology) => (
            <option key={methodology} value={methodology}>
              {methodology === "both" ? "Both (migrating)" : `${methodologyLabels[methodology]} only`}
            </option>
          ))}
        </select>
      </div>
      <div className="flex min-w-48 flex-1 flex-col gap-1">
        <label htmlFor={searchId} className="text-xs font-medium text-muted">
          Search services
        </label>
        <input
          id={searchId}
          type="search"
          value={text}
          placeholder="Name or slug"
          autoComplete="off"
          maxLength={100}
          onChange={(event) => onSearch(event.target.value)}
          className="rounded-md border border-line-strong bg-surface px-2 py-1.5 text-sm text-fg placeholder:text-subtle"
        />
      </div>
      {active ? (
        <Button
          variant="ghost"
          onClick={() => {
            clearTimeout(timer.current);
            timer.current = undefined;
            setText("");
            setParams({ team: undefined, methodology: undefined, q: undefined, page: undefined });
          }}
        >
          Clear filters
        </Button>
      ) : null}
    </form>
  );
}
