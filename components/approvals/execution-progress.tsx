"use client";

import { clsx } from "clsx";
import type { SyncRequestDto } from "@/lib/queries/approvals";
import { EXECUTION_STEPS, describeExecution, shortRevision } from "./format-approvals";

function ResourceResults({ resources }: { resources: NonNullable<SyncRequestDto["operation"]>["resources"] }) {
  if (resources.length === 0) return null;
  return (
    <table className="w-full border-collapse text-sm" data-testid="operation-resources">
      <caption className="sr-only">Resources Argo CD synced</caption>
      <thead>
        <tr className="border-b border-line bg-surface-sunken text-left text-muted">
          <th scope="col" className="px-3 py-1.5 font-medium">Resource</th>
          <th scope="col" className="px-3 py-1.5 font-medium">Result</th>
          <th scope="col" className="px-3 py-1.5 font-medium">Message</th>
        </tr>
      </thead>
      <tbody>
        {resources.map((resource) => (
          <tr key={`${resource.kind}/${resource.namespace}/${resource.name}`} className="border-b border-line last:border-b-0">
            <th scope="row" className="px-3 py-1.5 text-left font-mono text-xs font-normal text-fg">
              {resource.kind} {resource.namespace ? `${resource.namespace}/` : ""}
              {resource.name}
            </th>
            <td className={clsx("px-3 py-1.5", resource.status === "Synced" ? "text-success-fg" : resource.status === "SyncFailed" ? "text-danger-fg" : "text-fg")}>{resource.status}</td>
            <td className="px-3 py-1.5 text-muted">{resource.message ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The verdict at the end: the revision Argo CD synced against the approved one, or why it failed. */
function Outcome({ request }: { request: SyncRequestDto }) {
  const synced = request.operation?.syncedRevision ?? null;
  if (request.status === "SUCCEEDED") {
    if (synced !== null && synced === request.revision) {
      return (
        <p className="rounded-md border border-success-fg/30 bg-success-bg px-3 py-2 text-sm font-medium text-success-fg" data-testid="sync-outcome">
          <span aria-hidden="true">✓ </span>Synced revision <code title={synced}>{shortRevision(synced)}</code> = the approved revision.
        </p>
      );
    }
    return (
      <p className="rounded-md border border-warning-fg/30 bg-warning-bg px-3 py-2 text-sm font-medium text-warning-fg" data-testid="sync-outcome">
        <span aria-hidden="true">! </span>
        {synced === null
          ? "Argo CD did not report which revision it synced."
          : `Argo CD reports revision ${shortRevision(synced)}, not the approved ${shortRevision(request.revision)}.`}
      </p>
    );
  }
  if (request.status === "FAILED") {
    return (
      <p className="rounded-md border border-danger-fg/30 bg-danger-bg px-3 py-2 text-sm font-medium text-danger-fg" data-testid="sync-outcome">
        <span aria-hidden="true">✕ </span>Sync failed: {request.failureReason ?? request.operation?.message ?? "no reason given."}
      </p>
    );
  }
  return null;
}

/**
 * Follows an approved request through the worker and Argo CD: a stepper (approved → queued or
 * waiting for a window → syncing → verifying → done), Argo CD's phase and message, each resource's
 * result, and the verdict. The sentence sits in a polite live region, so a screen reader hears each
 * phase change without moving focus; the list query polls every second while it runs.
 */
export function ExecutionProgress({ request }: { request: SyncRequestDto }) {
  const progress = describeExecution(request);
  const operation = request.operation;
  const steps = EXECUTION_STEPS.map((label, index) =>
    index === 1 && request.status === "APPROVED" && request.waitingReason ? "Waiting for window" : label,
  );
  return (
    <section aria-label={`Sync of ${request.app.name}`} className="flex flex-col gap-3" data-testid="execution-progress">
      <ol className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs" aria-label="Progress">
        {steps.map((label, index) => {
          const state = progress.failedAt === index ? "failed" : index < progress.current ? "done" : index === progress.current ? "current" : "todo";
          return (
            <li key={label} className="flex items-center gap-2" aria-current={state === "current" ? "step" : undefined} data-state={state}>
              <span
                className={clsx(
                  "inline-flex items-center gap-1 rounded-full px-2 py-0.5 font-medium",
                  state === "done" && "bg-success-bg text-success-fg",
                  state === "current" && "bg-info-bg text-info-fg ring-1 ring-info-fg/40",
                  state === "failed" && "bg-danger-bg text-danger-fg",
                  state === "todo" && "bg-surface-sunken text-muted",
                )}
              >
                <span aria-hidden="true">{state === "done" ? "✓" : state === "failed" ? "✕" : state === "current" ? "●" : "○"}</span>
                {label}
                <span className="sr-only">{state === "done" ? " (done)" : state === "current" ? " (now)" : state === "failed" ? " (failed)" : ""}</span>
              </span>
              {index < steps.length - 1 ? (
                <span aria-hidden="true" className="text-subtle">
                  →
                </span>
              ) : null}
            </li>
          );
        })}
      </ol>
      <p role="status" aria-live="polite" className="text-sm text-fg" data-testid="execution-phase">
        {progress.sentence}
      </p>
      {operation && (operation.phase || operation.startedAt) ? (
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
          <dt className="text-muted">Argo CD phase</dt>
          <dd className="text-fg" data-testid="operation-phase">
            {operation.phase ?? "—"}
          </dd>
          {operation.message ? (
            <>
              <dt className="text-muted">Message</dt>
              <dd className="break-words text-fg">{operation.message}</dd>
            </>
          ) : null}
          {operation.syncedRevision ? (
            <>
              <dt className="text-muted">Synced revision</dt>
              <dd className="font-mono text-xs text-fg" title={operation.syncedRevision}>
                {shortRevision(operation.syncedRevision)}
              </dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {operation ? <ResourceResults resources={operation.resources} /> : null}
      <Outcome request={request} />
    </section>
  );
}
