"use client";

import { useEffect, useId, useRef, useState } from "react";
import { DRIFT_METHODOLOGIES, DRIFT_STATES, type DriftPageParams, type DriftState } from "@/lib/queries/drift";
import { Button } from "@/components/ui/button";
import type { UrlPatch } from "@/components/services/use-url-params";
import { driftMethodologyLabels, driftStateStyles } from "./format-drift";

/** How long typing pauses before the search goes to the URL (and the server). */
const SEARCH_DEBOUNCE_MS = 300;

const selectClasses = "rounded-md border border-line-strong bg-surface px-2 py-1.5 text-sm text-fg";

/** Methodology, state (with how many rows each would show), team and text; each change writes the URL. */
export function DriftFilters({
  params,
  setParams,
  teams,
  stateCounts,
}: {
  params: DriftPageParams;
  setParams: (patch: UrlPatch, options?: { replace?: boolean }) => void;
  teams: { slug: string; name: string }[];
  stateCounts: Record<DriftState, number>;
}) {
  const methodologyId = useId();
  const stateId = useId();
  const teamId = useId();
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
      setParams({ q: value.trim() || undefined }, { replace: true });
    }, SEARCH_DEBOUNCE_MS);
  };

  const active = params.methodology !== undefined || params.state !== undefined || params.team !== undefined || (params.q ?? "") !== "";

  return (
    <form
      role="search"
      aria-label="Filter drift targets"
      className="flex flex-wrap items-end gap-4 border-b border-line px-5 py-3"
      onSubmit={(event) => {
        event.preventDefault();
        clearTimeout(timer.current);
        timer.current = undefined;
        setParams({ q: text.trim() || undefined });
      }}
    >
      <div className="flex flex-col gap-1">
        <label htmlFor={methodologyId} className="text-xs font-medium text-muted">
          Methodology
        </label>
        <select id={methodologyId} value={params.methodology ?? ""} className={selectClasses} onChange={(event) => setParams({ methodology: event.target.value })}>
          <option value="">Any</option>
          {DRIFT_METHODOLOGIES.map((methodology) => (
            <option key={methodology} value={methodology}>
              {driftMethodologyLabels[methodology]}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={stateId} className="text-xs font-medium text-muted">
          Drift state
        </label>
        <select id={stateId} value={params.state ?? ""} className={selectClasses} onChange={(event) => setParams({ state: event.target.value })}>
          <option value="">Any state</option>
          {DRIFT_STATES.map((state) => (
            <option key={state} value={state}>
              {driftStateStyles[state].label} ({stateCounts[state]})
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={teamId} className="text-xs font-medium text-muted">
          Team
        </label>
        <select id={teamId} value={params.team ?? ""} className={selectClasses} onChange={(event) => setParams({ team: event.target.value })}>
          <option value="">All teams</option>
          {teams.map((team) => (
            <option key={team.slug} value={team.slug}>
              {team.name}
            </option>
          ))}
        </select>
      </div>
      <div className="flex min-w-48 flex-1 flex-col gap-1">
        <label htmlFor={searchId} className="text-xs font-medium text-muted">
          Search
        </label>
        <input
          id={searchId}
          type="search"
          value={text}
          placeholder="App, workload, namespace, cluster or service"
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
            setParams({ methodology: undefined, state: undefined, team: undefined, q: undefined });
          }}
        >
          Clear filters
        </Button>
      ) : null}
    </form>
  );
}
