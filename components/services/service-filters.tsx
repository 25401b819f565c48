"use client";

import { useEffect, useId, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { serviceDetailQueryOptions } from "@/lib/queries/services";
import { useServiceParams } from "./use-service-params";
import { WindowSelect, selectClasses } from "./window-select";

/**
 * The service page's filters. The environment list comes from the service query when it is there
 * (no suspense: the filters never wait), and an environment in the URL is always offered.
 */
export function ServiceFilters({ slug }: { slug: string }) {
  const { params, windowParams, setParams } = useServiceParams();
  const { data } = useQuery(serviceDetailQueryOptions(slug, windowParams));
  const environmentId = useId();
  // The server renders while the prefetch is still pending; the browser may hydrate with it resolved.
  // Options appear after mount, so the first client render matches the server's HTML.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const environments = mounted ? (data?.service.environments ?? []) : [];
  const names = environments.map((environment) => environment.name);
  if (params.environment && params.environment !== "all" && !names.includes(params.environment)) names.push(params.environment);
  return (
    <form role="search" aria-label="Filter this service's data" className="flex flex-wrap items-end gap-4" onSubmit={(event) => event.preventDefault()}>
      <WindowSelect params={params} setParams={setParams} />
      <div className="flex flex-col gap-1">
        <label htmlFor={environmentId} className="text-xs font-medium text-muted">
          Environment (timeline and deployments)
        </label>
        <select id={environmentId} value={params.environment ?? ""} className={selectClasses} onChange={(event) => setParams({ environment: event.target.value })}>
          <option value="">Production environments</option>
          <option value="all">All environments</option>
          {names.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <p className="pb-1.5 text-xs text-muted">Metrics always count production deployments only.</p>
    </form>
  );
}
